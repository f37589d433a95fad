"""The gates' fixture data: one object of every model, owned by department A.

Department A is the register's own department of the local district (审批局 for
services, 执法局 for enforcement, 党群工作部 for volunteers). The actors who
probe them:

- ``owner``: a staff member of department A with the register's working roles
  (the control: the object is really reachable, so a 404 for others means
  something);
- ``other_department``: a local staff member of another department (社会事业局)
  holding every working role, so only the scope can stop them;
- ``partner_staff``: a staff member of a partner district holding every working
  role;
- ``read_only``: a 只读 officer of another department (reads everything, writes
  nothing);
- ``read_all_officer``: another department's officer holding every working
  role and 只读 too: read-all must not widen their writes;
- ``partner_key``: the API key of a partner district that is not a party to any
  of the objects (the objects' partner is another one).

Everyone who signs in is ``is_staff`` so the admin is reachable too.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.actions import partner_key_issue, reference_data_load
from core.choices import DistrictKind, Role
from core.models import CalendarOverride, Department, District
from tests.factories import UserFactory

WORKING_ROLES = [Role.CLERK, Role.REVIEWER, Role.OFFICER, Role.VOLUNTEER_MANAGER]
GIF_BYTES = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
    b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    from tests.volunteers.factories import png_bytes

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@dataclass
class World:
    """Everything the gates probe: ``objects[label]`` is the object of that model."""

    local: District
    partner: District
    third_partner: District
    owners: dict[str, object] = field(default_factory=dict)  # app label → user
    actors: dict[str, object] = field(default_factory=dict)  # name → user or key
    objects: dict[str, object] = field(default_factory=dict)  # "app.Model" → obj
    files: dict[str, str] = field(default_factory=dict)  # name → media path

    def obj(self, label: str):
        return self.objects[label]


def _user(department: Department, roles, **fields):
    user = UserFactory(department=department, is_staff=True, **fields)
    user.groups.add(*Group.objects.filter(name__in=[str(r) for r in roles]))
    return user


def build_world() -> World:
    reference_data_load()
    local = District.objects.get(kind=DistrictKind.LOCAL)
    partner = District.objects.create(
        code="370790", name="潍坊滨海经济技术开发区", kind=DistrictKind.PARTNER
    )
    third = District.objects.create(
        code="371002", name="威海经济技术开发区", kind=DistrictKind.PARTNER
    )
    dept = {d.code: d for d in Department.objects.filter(district=local)}
    partner_dept = Department.objects.create(
        district=partner, code="XZSP", name="潍坊滨海经济技术开发区行政审批服务局"
    )
    world = World(local=local, partner=partner, third_partner=third)
    world.owners = {
        "services": _user(dept["XZSP"], [Role.CLERK, Role.REVIEWER]),
        "enforcement": _user(dept["ZHZF"], [Role.OFFICER]),
        "volunteers": _user(dept["DGB"], [Role.VOLUNTEER_MANAGER]),
        # core's own records (users, districts, keys) belong to the district
        # administration; the owner that may open them is a 区级管理员.
        "core": _user(dept["XZSP"], [Role.DISTRICT_ADMIN]),
    }
    world.actors = {
        "other_department": _user(dept["SHSY"], WORKING_ROLES),
        "partner_staff": _user(partner_dept, WORKING_ROLES),
        "read_only": _user(dept["SHSY"], [Role.READ_ONLY]),
        # The issue's "read-only officer": working roles plus 只读's read-all.
        "read_all_officer": _user(dept["SHSY"], [*WORKING_ROLES, Role.READ_ONLY]),
        "partner_key": partner_key_issue(actor=None, district=third).secret,
    }
    _services(world, dept["XZSP"])
    _volunteers(world)
    _enforcement(world, dept["ZHZF"])
    _core(world)
    return world


def _services(world: World, department: Department) -> None:
    from services.actions import applications as app_actions
    from services.models import (
        ApplicationMaterial,
        EvaluationFollowUp,
        MatterMaterial,
        OutboxMessage,
    )
    from tests.services.factories_applications import (
        advance,
        intake,
        person_id,
        upload_required,
    )
    from tests.services.factories_catalogue import (
        AgreementFactory,
        AgreementMatterFactory,
        BundleFactory,
        MatterFactory,
    )

    clerk = world.owners["services"]
    published = MatterFactory(department=department, materials=["居民身份证"])
    draft = MatterFactory(department=department, status="draft")
    agreement = AgreementFactory(partner=world.partner)
    entry = AgreementMatterFactory(agreement=agreement, matter=published)
    bundle = BundleFactory(matters=[published])

    application = intake(clerk, published, applicant_id_number=person_id())
    upload_required(application, clerk)
    application.refresh_from_db()

    # A finished application rated 差评, so it has an evaluation and a follow-up.
    rated = intake(clerk, published, applicant_id_number=person_id("19800202"))
    upload_required(rated, clerk)
    rated = advance(rated, clerk, "closed")
    app_actions.evaluation_submit(
        actor=clerk, application=rated, level=1, comment="等待时间太长"
    )
    follow_up = EvaluationFollowUp.objects.get(evaluation__application=rated)

    # Taken here for the partner (the partner is its home district): accepting it
    # writes the transfer into the outbox, and the partner is its party.
    transferred = intake(
        clerk,
        published,
        applicant_id_number=person_id("19750303"),
        home_district=world.partner,
    )
    upload_required(transferred, clerk)
    transferred = advance(transferred, clerk, "accepted")

    world.objects.update(
        {
            "services.Matter": draft,
            "services.MatterMaterial": MatterMaterial.objects.filter(
                matter=draft
            ).first(),
            "services.Agreement": agreement,
            "services.AgreementMatter": entry,
            "services.Bundle": bundle,
            "services.Application": application,
            "services.ApplicationMaterial": ApplicationMaterial.objects.filter(
                application=application
            ).first(),
            "services.Evaluation": follow_up.evaluation,
            "services.EvaluationFollowUp": follow_up,
            "services.OutboxMessage": OutboxMessage.objects.filter(
                aggregate_key=str(transferred.uuid)
            ).first()
            or OutboxMessage.objects.order_by("-pk").first(),
            "federation.Application": transferred,
        }
    )


def _volunteers(world: World) -> None:
    from tests.volunteers.factories import (
        ActivityFactory,
        MembershipFactory,
        ParticipationFactory,
        PlanItemFactory,
    )
    from volunteers.actions import categories_load
    from volunteers.models import (
        ActivityPhoto,
        Certificate,
        Donation,
        Organisation,
        ServiceCategory,
    )

    categories_load()
    membership = MembershipFactory()
    team = membership.team
    item = PlanItemFactory(plan__team=team)
    activity = ActivityFactory(team=team)
    participation = ParticipationFactory(
        activity=activity, volunteer=membership.volunteer
    )
    donation = Donation.objects.create(
        team=team,
        activity=activity,
        donor="济宁市慈善总会",
        items="矿泉水",
        quantity=10,
        value="500.00",
        received_on=datetime.date(2021, 3, 5),
    )
    photo = ActivityPhoto.objects.create(activity=activity, image=png())
    certificate = Certificate.objects.create(
        serial="JKZY-2021-0001",
        year=2021,
        sequence=1,
        volunteer=membership.volunteer,
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2021, 12, 31),
        hours="2.0",
        activity_count=1,
        content="证明",
        issuer="党群工作部",
        issued_on=datetime.date(2021, 12, 31),
        pdf=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
        sha256="0" * 64,
    )
    world.objects.update(
        {
            "volunteers.PartyBranch": team.branch,
            "volunteers.Team": team,
            "volunteers.Volunteer": membership.volunteer,
            "volunteers.Membership": membership,
            "volunteers.AnnualPlan": item.plan,
            "volunteers.PlanItem": item,
            "volunteers.Activity": activity,
            "volunteers.ActivityPhoto": photo,
            "volunteers.Participation": participation,
            "volunteers.Donation": donation,
            "volunteers.Certificate": certificate,
            "volunteers.ServiceCategory": ServiceCategory.objects.first(),
            "volunteers.Organisation": Organisation.objects.create(
                name="巾帼志愿者联盟"
            ),
        }
    )
    world.files["volunteers.ActivityPhoto"] = photo.image.name


def _enforcement(world: World, department: Department) -> None:
    from enforcement import actions
    from enforcement.models import EvidencePhoto, PatrolPhoto
    from tests.enforcement.factories import (
        days_ago,
        issue,
        make_campaign,
        make_case,
        make_patrol,
    )

    officer = world.owners["enforcement"]
    campaign = make_campaign(officer, department)
    patrol = make_patrol(officer, campaign)
    case = make_case(officer, patrol)
    notice = issue(officer, case, issued=days_ago(20), deadline=days_ago(10))
    case.refresh_from_db()
    reinspection = actions.reinspection_record(
        actor=officer,
        case=case,
        expected_version=case.version,
        inspected_on=days_ago(5),
        outcome="failed",
    )
    disposal = actions.disposal_record(
        actor=officer,
        kind="waste_pile_cleared",
        quantity=3,
        disposed_on=days_ago(25),
        patrol=patrol,
    )
    patrol_photo = PatrolPhoto.objects.create(patrol=patrol, image=png())
    evidence = EvidencePhoto.objects.create(case=case, image=png())
    case.refresh_from_db()
    world.objects.update(
        {
            "enforcement.Campaign": campaign,
            "enforcement.Patrol": patrol,
            "enforcement.PatrolPhoto": patrol_photo,
            "enforcement.Subject": case.subject,
            "enforcement.Case": case,
            "enforcement.EvidencePhoto": evidence,
            "enforcement.RectificationNotice": notice,
            "enforcement.Reinspection": reinspection,
            "enforcement.Disposal": disposal,
        }
    )
    world.files["enforcement.PatrolPhoto"] = patrol_photo.image.name
    world.files["enforcement.EvidencePhoto"] = evidence.image.name


def _core(world: World) -> None:
    from django.contrib.auth.models import Group
    from pghistory.models import Events
    from rest_framework_api_key.models import APIKey

    from core.actions import staff_token_issue
    from core.models import PartnerAPIKey

    owner = world.owners["services"]
    _, plain = APIKey.objects.create_key(name="probe")
    world.objects.update(
        {
            "core.District": world.local,
            "core.Department": owner.department,
            "core.User": owner,
            "core.CalendarOverride": CalendarOverride.objects.create(
                date=datetime.date(2027, 2, 6), kind="workday", name="春节调休"
            ),
            "core.PartnerAPIKey": PartnerAPIKey.objects.filter(
                district=world.third_partner
            ).first(),
            "auth.Group": Group.objects.get(name=str(Role.CLERK)),
            "core.StaffToken": staff_token_issue(
                actor=world.owners["core"], name="probe"
            ).key,
            "rest_framework_api_key.APIKey": APIKey.objects.get(name="probe"),
            "pghistory.Events": Events.objects.order_by("pgh_created_at").first(),
        }
    )


def ghost_uuid() -> str:
    return str(uuid.UUID(int=0xDEAD))


def now() -> datetime.datetime:
    return timezone.now()
