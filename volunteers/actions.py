"""Every write of the volunteer register: ``<entity>_<verb>(*, actor, ...)``.

Each action is atomic, checks the rule it names and raises a ``core.errors``
DomainError (nothing written) when the rule is broken. Views, admin, serializers
and commands call these; nothing else saves a volunteer-register row.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core import scoping, versioning
from core.audit import actor_context
from core.documents import Document, render
from core.errors import IllegalTransition, ValidationFailed
from core.i18n import district_language, join_list, join_messages
from core.masking import mask_id
from core.models import Department, District
from core.sequences import next_number
from volunteers.choices import (
    ACTIVITY_WORKFLOW,
    ActivityStatus,
    MemberRole,
    TeamKind,
)
from volunteers.models import (
    Activity,
    ActivityPhoto,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    PlanItem,
    Team,
    Volunteer,
    validate_image_upload,
)
from volunteers.scopes import require_may_add

# Expected versions: an int (If-Match, a form's hidden ``version``), None (the
# caller sent none: 428) or ``versioning.UNCHECKED`` (an internal step).
Version = int | str | None | object


def _check(obj, exclude: Iterable[str] = ()) -> None:
    """Run the model's field and constraint validation; raise it as ValidationFailed."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise ValidationFailed.for_fields(
            {
                (name if name != "__all__" else ""): messages
                for name, messages in error.message_dict.items()
            },
            _("Invalid data"),
        ) from None


def _set_fields(obj, fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationFailed(
            _("Fields that cannot be changed: %(fields)s")
            % {"fields": join_list(sorted(unknown))}
        )
    for name, value in fields.items():
        setattr(obj, name, value)


# --- branches and organisations ------------------------------------------------

BRANCH_FIELDS = ("name", "sector", "secretary", "active")


@transaction.atomic
def branch_create(*, actor, **fields) -> PartyBranch:
    """Register a 党支部."""
    require_may_add(actor, PartyBranch)
    branch = PartyBranch()
    _set_fields(branch, fields, BRANCH_FIELDS)
    _check(branch)
    branch.save()
    return branch


def branch_update(
    *, actor, branch: PartyBranch, expected_version: Version, **fields
) -> PartyBranch:
    """Change a 党支部; the caller names the version it saw (checked on the locked row)."""
    with versioning.editing(
        scoping.writable(PartyBranch, actor),
        pk=branch.pk,
        expected_version=expected_version,
        actor=actor,
    ) as branch:
        _set_fields(branch, fields, BRANCH_FIELDS)
        _check(branch)
    return branch


@transaction.atomic
def organisation_create(*, actor, name: str, contact: str = "") -> Organisation:
    """Register an outside co-organiser (慈善总会…); the name is unique."""
    require_may_add(actor, Organisation)
    org = Organisation(name=name.strip(), contact=contact)
    _check(org)
    org.save()
    return org


@transaction.atomic
def categories_load() -> int:
    """Make sure the standard service categories exist (idempotent); returns how many were added."""
    from volunteers.choices import STANDARD_CATEGORIES
    from volunteers.models import ServiceCategory

    existing = set(ServiceCategory.objects.values_list("code", flat=True))
    # Stored in the default language, as the data migration loaded them.
    with district_language():
        missing = [
            ServiceCategory(code=code, name=str(name))
            for code, name in STANDARD_CATEGORIES
            if code not in existing
        ]
    ServiceCategory.objects.bulk_create(missing)
    return len(missing)


# --- volunteers -----------------------------------------------------------------

VOLUNTEER_FIELDS = (
    "name",
    "id_number",
    "phone",
    "is_party_member",
    "branch",
    "skills",
    "interests",
    "registered_on",
)


def _normalise_volunteer(fields: dict) -> dict:
    if "id_number" in fields and fields["id_number"]:
        fields["id_number"] = fields["id_number"].strip().upper()
    if "name" in fields and fields["name"]:
        fields["name"] = fields["name"].strip()
    return fields


@transaction.atomic
def volunteer_create(*, actor, **fields) -> Volunteer:
    """Register a 志愿者; the 身份证号 must be valid and not yet registered."""
    require_may_add(actor, Volunteer)
    volunteer = Volunteer(registered_on=timezone.localdate())
    _set_fields(volunteer, _normalise_volunteer(fields), VOLUNTEER_FIELDS)
    _check(volunteer)
    volunteer.save()
    return volunteer


def volunteer_update(
    *, actor, volunteer: Volunteer, expected_version: Version, **fields
) -> Volunteer:
    """Change a volunteer's details.

    Optimistic locking: the row is locked and its version compared with the one
    the caller saw, so of two editors with the same version one gets 412.
    """
    with versioning.editing(
        scoping.writable(Volunteer, actor),
        pk=volunteer.pk,
        expected_version=expected_version,
        actor=actor,
    ) as volunteer:
        _set_fields(volunteer, _normalise_volunteer(fields), VOLUNTEER_FIELDS)
        _check(volunteer)
    return volunteer


# --- teams ----------------------------------------------------------------------

TEAM_FIELDS = (
    "name",
    "kind",
    "branch",
    "leader",
    "flag",
    "logo",
    "founded_on",
    "description",
    "active",
)


def _check_team(team: Team) -> None:
    if team.kind == TeamKind.PARTY and team.branch_id is None:
        raise ValidationFailed.for_fields(
            {
                "branch": _(
                    "A party-member volunteer team must belong to a party branch."
                )
            },
            _("Invalid data"),
        )
    for name in ("flag", "logo"):
        image = getattr(team, name)
        if image and not getattr(image, "_committed", True):
            try:
                validate_image_upload(image.file)
            except ValidationError as error:
                raise ValidationFailed.for_fields({name: error.messages}) from None
    _check(team, exclude=["flag", "logo"])


@transaction.atomic
def team_create(*, actor, categories=None, **fields) -> Team:
    """Set up a 志愿服务队 with its flag and logo; a party team needs a branch."""
    require_may_add(actor, Team)
    team = Team()
    _set_fields(team, fields, TEAM_FIELDS)
    _check_team(team)
    team.save()
    if categories is not None:
        team.categories.set(categories)
    return team


def team_update(
    *,
    actor,
    team: Team,
    expected_version: Version,
    categories=None,
    **fields,
) -> Team:
    """Change a team (the version is checked on the locked row)."""
    with versioning.editing(
        scoping.writable(Team, actor),
        pk=team.pk,
        expected_version=expected_version,
        actor=actor,
    ) as team:
        _set_fields(team, fields, TEAM_FIELDS)
        _check_team(team)
        if categories is not None:
            team.categories.set(categories)
    return team


def _team_leader_set(team_pk: int, volunteer: Volunteer | None) -> None:
    """The leader follows the 队长 membership: a cascade of a checked step."""
    team = versioning.lock(Team, pk=team_pk, expected_version=versioning.UNCHECKED)
    team.leader = volunteer
    versioning.bump(team, ["leader"])


# --- memberships ----------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    actor,
    team: Team,
    volunteer: Volunteer,
    role: str = MemberRole.MEMBER,
    joined_on: datetime.date | None = None,
) -> Membership:
    """A volunteer joins a team; one current membership per team and volunteer.

    A new 队长 becomes the team's leader.
    """
    if not team.active:
        raise ValidationFailed.for_fields(
            {"team": _("This team has been dissolved and cannot be joined.")}
        )
    joined_on = joined_on or timezone.localdate()
    # Joining changes no field of the team, so it needs no If-Match of it; the
    # lock serialises joins, and a team the actor may not write is 404.
    team = versioning.lock(
        scoping.writable(Team, actor), pk=team.pk, expected_version=versioning.UNCHECKED
    )
    if Membership.objects.filter(
        team=team, volunteer=volunteer, left_on__isnull=True
    ).exists():
        raise ValidationFailed.for_fields(
            {
                "volunteer": _("%(volunteer)s is already a member of %(team)s.")
                % {"volunteer": volunteer.name, "team": team.name}
            }
        )
    membership = Membership(
        team=team, volunteer=volunteer, role=role, joined_on=joined_on
    )
    _check(membership, exclude=["team", "volunteer"])
    with actor_context(actor):
        membership.save()
        if role == MemberRole.LEADER and team.leader_id != volunteer.pk:
            _team_leader_set(team.pk, volunteer)
    return membership


def membership_end(
    *,
    actor,
    membership: Membership,
    expected_version: Version,
    left_on: datetime.date | None = None,
) -> Membership:
    """A volunteer leaves a team: the membership is closed, never deleted.

    The caller names the membership's version it saw (If-Match); a leaving 队长
    is no longer the team's leader.
    """
    with versioning.editing(
        scoping.writable(Membership, actor),
        pk=membership.pk,
        expected_version=expected_version,
        actor=actor,
    ) as membership:
        if membership.left_on is not None:
            raise IllegalTransition(_("This member has already left the team."))
        left_on = left_on or timezone.localdate()
        if left_on < membership.joined_on:
            raise ValidationFailed.for_fields(
                {"left_on": _("The date left cannot be earlier than the date joined.")}
            )
        membership.left_on = left_on
        leader = Team.objects.filter(pk=membership.team_id).values_list(
            "leader_id", flat=True
        )
        if leader.first() == membership.volunteer_id:
            _team_leader_set(membership.team_id, None)
    return membership


# --- annual plans ---------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    actor,
    team: Team,
    year: int,
    items: list[dict],
    made_on: datetime.date | None = None,
    note: str = "",
    expected_version: Version = None,
) -> AnnualPlan:
    """Make or revise a team's 年度服务计划 with its monthly items.

    ``items`` are dicts of month, category, title, expected_participants and
    optionally ``id`` (an existing item to change) or ``delete``. An item that
    activities already refer to may be changed but not deleted. Revising an
    existing plan needs the version the caller saw (the plan's version covers
    its items); making a new one needs none.
    """
    errors: dict[str, list[str]] = {}
    team = versioning.lock(
        scoping.writable(Team, actor), pk=team.pk, expected_version=versioning.UNCHECKED
    )
    plans = scoping.writable(AnnualPlan, actor)
    # The team's lock serialises the making of its plan for the year.
    existing_pk = (
        plans.filter(team=team, year=year).values_list("pk", flat=True).first()
    )
    if existing_pk is None:
        plan = AnnualPlan(team=team, year=year, made_on=made_on or timezone.localdate())
    else:
        plan = versioning.lock(plans, pk=existing_pk, expected_version=expected_version)
        plan.version += 1
    if made_on:
        plan.made_on = made_on
    plan.note = note or plan.note
    _check(plan, exclude=["team"])
    plan.save()
    existing = {item.pk: item for item in plan.items.all()}
    keep = []
    for index, data in enumerate(items):
        item_id = data.get("id")
        item = existing.get(item_id) if item_id else PlanItem(plan=plan)
        if item_id and item is None:
            errors.setdefault(f"items[{index}]", []).append(
                _("The planned activity does not exist.")
            )
            continue
        if data.get("delete"):
            if item.pk and item.activities.exists():
                errors.setdefault(f"items[{index}]", []).append(
                    _("Activities refer to this plan item, so it cannot be deleted.")
                )
            elif item.pk:
                item.delete()
            continue
        for name in ("month", "category", "title", "expected_participants"):
            if name in data:
                setattr(item, name, data[name])
        try:
            item.full_clean(exclude=["plan"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"items[{index}].{name}", []).extend(messages)
            continue
        keep.append(item)
    if errors:
        raise ValidationFailed.for_fields(errors, _("The annual plan has errors."))
    for item in keep:
        item.save()
    return plan


# --- activities -----------------------------------------------------------------

ACTIVITY_FIELDS = (
    "team",
    "title",
    "content",
    "category",
    "plan_item",
    "starts_at",
    "ends_at",
    "place",
    "vehicles",
)


def _check_activity(activity: Activity) -> None:
    if (
        activity.starts_at
        and activity.ends_at
        and activity.ends_at <= activity.starts_at
    ):
        raise ValidationFailed.for_fields(
            {"ends_at": _("The end time must be later than the start time.")}
        )
    item = activity.plan_item
    if item is not None:
        year = timezone.localtime(activity.starts_at).year
        if item.plan.team_id != activity.team_id or item.plan.year != year:
            raise ValidationFailed.for_fields(
                {
                    "plan_item": _(
                        "The plan item must be an activity in the organising team's "
                        "plan for the year."
                    )
                }
            )
    if activity.pk:
        longest = activity.participations.aggregate(m=Max("hours"))["m"] or Decimal("0")
        if longest > activity.duration_hours:
            raise ValidationFailed.for_fields(
                {
                    "ends_at": _(
                        "Recorded service hours (up to %(hours)s hours) exceed the "
                        "activity's duration."
                    )
                    % {"hours": longest}
                }
            )
    _check(activity, exclude=["team", "category", "plan_item"])


@transaction.atomic
def activity_create(
    *, actor, co_teams=None, co_organisations=None, **fields
) -> Activity:
    """Record a 志愿活动 for an organiser team, planned or unplanned."""
    require_may_add(actor, Activity)
    activity = Activity(status=ActivityStatus.PLANNED)
    _set_fields(activity, fields, ACTIVITY_FIELDS)
    _check_activity(activity)
    activity.save()
    if co_teams:
        activity.co_teams.set([t for t in co_teams if t.pk != activity.team_id])
    if co_organisations:
        activity.co_organisations.set(co_organisations)
    return activity


def activity_update(
    *,
    actor,
    activity: Activity,
    expected_version: Version,
    co_teams=None,
    co_organisations=None,
    **fields,
) -> Activity:
    """Change an activity; its duration may not drop below recorded hours.

    The version is checked on the locked row (If-Match).
    """
    with versioning.editing(
        scoping.writable(Activity, actor),
        pk=activity.pk,
        expected_version=expected_version,
        actor=actor,
    ) as activity:
        _set_fields(activity, fields, ACTIVITY_FIELDS)
        _check_activity(activity)
        if co_teams is not None:
            activity.co_teams.set([t for t in co_teams if t.pk != activity.team_id])
        if co_organisations is not None:
            activity.co_organisations.set(co_organisations)
    return activity


def activity_transition(
    *, actor, activity: Activity, verb: str, expected_version: Version
) -> Activity:
    """Take a step of ``ACTIVITY_WORKFLOW`` (hold, cancel, reopen).

    The engine locks the row, checks the version and the step's source state,
    permission and guard (an activity with recorded hours cannot be cancelled),
    and records the step.
    """
    return ACTIVITY_WORKFLOW.apply(
        activity.pk, verb, actor=actor, expected_version=expected_version
    )


def participations_record(
    *,
    actor,
    activity: Activity,
    rows: list[dict],
    expected_version: Version,
    remove: Iterable[Volunteer] = (),
) -> list[Participation]:
    """Enter the hours of a whole activity at once (upsert per volunteer).

    Rules: the activity is not cancelled; each volunteer appears once; hours are
    more than 0 and never more than the activity lasted. Errors name the row
    (``rows[3].hours``); nothing is written unless every row is right.

    The hours sheet is part of the activity: the caller names the activity's
    version it saw (If-Match), and a change of the sheet makes the activity's
    next version, so two people entering the same sheet cannot overwrite each
    other. Hours are served at a held activity, so entering hours for a planned
    one takes the workflow's ``hold`` step with that same version, in the same
    transaction (recorded as a step by the actor, who needs its permission).
    """
    with transaction.atomic(), actor_context(actor):
        activity = versioning.lock(
            scoping.writable(Activity, actor),
            pk=activity.pk,
            expected_version=expected_version,
        )
        return _participations_write(actor, activity, rows, remove, expected_version)


def _participations_write(actor, activity, rows, remove, expected_version):
    if activity.status == ActivityStatus.CANCELLED:
        raise IllegalTransition(
            _("The activity has been cancelled; service hours cannot be recorded.")
        )
    limit = activity.duration_hours
    errors: dict[str, list[str]] = {}
    seen: dict[int, int] = {}
    clean_rows = []
    for index, row in enumerate(rows):
        volunteer = row.get("volunteer")
        if volunteer is None:
            errors.setdefault(f"rows[{index}].volunteer", []).append(
                _("Please choose a volunteer.")
            )
            continue
        if volunteer.pk in seen:
            errors.setdefault(f"rows[{index}].volunteer", []).append(
                _("%(volunteer)s appears twice (see row %(row)s).")
                % {"volunteer": volunteer.name, "row": seen[volunteer.pk] + 1}
            )
            continue
        seen[volunteer.pk] = index
        try:
            hours = Decimal(str(row.get("hours"))).quantize(Decimal("0.1"))
        except (InvalidOperation, TypeError, ValueError):
            errors.setdefault(f"rows[{index}].hours", []).append(
                _("Service hours must be a number.")
            )
            continue
        if hours <= 0:
            errors.setdefault(f"rows[{index}].hours", []).append(
                _("Service hours must be more than 0.")
            )
        elif hours > limit:
            errors.setdefault(f"rows[{index}].hours", []).append(
                _("%(hours)s service hours exceed the activity's %(limit)s hours.")
                % {"hours": hours, "limit": limit}
            )
        else:
            clean_rows.append((volunteer, hours, row.get("note", "") or ""))
    if errors:
        raise ValidationFailed.for_fields(errors, _("The service hours have errors."))
    remove_ids = [v.pk for v in remove]
    changed = False
    if remove_ids:
        changed = bool(
            activity.participations.filter(volunteer_id__in=remove_ids).delete()[0]
        )
    existing = {p.volunteer_id: p for p in activity.participations.all()}
    saved = []
    try:
        with transaction.atomic():
            for volunteer, hours, note in clean_rows:
                participation = existing.get(volunteer.pk)
                if participation is None:
                    participation = Participation(
                        activity=activity, volunteer=volunteer
                    )
                elif participation.hours == hours and participation.note == note:
                    saved.append(participation)
                    continue
                participation.hours, participation.note = hours, note
                participation.save()
                saved.append(participation)
                changed = True
    except IntegrityError as error:  # the database's own hours rule
        raise ValidationFailed(
            _("The service hours break a rule: %(error)s") % {"error": error}
        ) from None
    if saved and activity.status == ActivityStatus.PLANNED:
        ACTIVITY_WORKFLOW.apply(
            activity.pk, "hold", actor=actor, expected_version=expected_version
        )
    elif changed:
        versioning.bump(activity, [])
    return saved


@transaction.atomic
def photo_add(*, actor, activity: Activity, image, caption: str = "") -> ActivityPhoto:
    """Add a photo to an activity the actor may write (PNG/JPEG/WebP, ≤ 2 MB)."""
    activity = scoping.get_writable(Activity, actor, pk=activity.pk)
    photo = ActivityPhoto(activity=activity, image=image, caption=caption)
    try:
        validate_image_upload(image)
    except ValidationError as error:
        raise ValidationFailed.for_fields({"image": error.messages}) from None
    _check(photo, exclude=["activity", "image"])
    photo.save()
    return photo


# --- donations ------------------------------------------------------------------

DONATION_FIELDS = (
    "activity",
    "team",
    "donor",
    "items",
    "quantity",
    "unit",
    "value",
    "received_on",
)


@transaction.atomic
def donation_record(*, actor, **fields) -> Donation:
    """Record donated materials and their value in yuan."""
    require_may_add(actor, Donation)
    donation = Donation()
    _set_fields(donation, fields, DONATION_FIELDS)
    if donation.activity is not None and donation.team_id is None:
        donation.team = donation.activity.team
    if donation.team_id is None:
        raise ValidationFailed.for_fields(
            {"team": _("Please choose the receiving team.")}
        )
    _check(donation, exclude=["team", "activity"])
    donation.save()
    return donation


# --- certificates ---------------------------------------------------------------


def default_issuer(actor) -> str:
    department = getattr(actor, "department", None)
    if department is not None and department.district.is_local:
        return department.name
    found = Department.objects.filter(district__kind="local", code="DGB").first()
    if found:
        return found.name
    local = District.objects.filter(kind="local").first()
    # The fallback issuer is the district's own department name, not interface text.
    return f"{local.name if local else ''}党群工作部"  # i18n: data


@transaction.atomic
def certificate_issue(
    *,
    actor,
    volunteer: Volunteer,
    period_start: datetime.date,
    period_end: datetime.date,
    issuer: str = "",
) -> Certificate:
    """Issue a 志愿服务证明 for the hours served in a period, and record it.

    The hours and content come from the recorded participations in held
    activities; a period without service is refused. The PDF is stored and its
    SHA-256 recorded with the serial number.
    """
    from volunteers.selectors import volunteer_service

    require_may_add(actor, Certificate)
    if period_end < period_start:
        raise ValidationFailed.for_fields(
            {
                "period_end": _(
                    "The end of the service period cannot be earlier than its start."
                )
            }
        )
    today = timezone.localdate()
    if period_start > today:
        raise ValidationFailed.for_fields(
            {"period_start": _("The service period cannot be in the future.")}
        )
    service = list(volunteer_service(volunteer, period_start, period_end))
    if not service:
        raise ValidationFailed.for_fields(
            {"period_start": _("No service hours are recorded in this period.")}
        )
    hours = sum((p.hours for p in service), Decimal("0"))
    # The certificate is an official document and its content is stored: both in
    # the district's language, whatever the language of the page that asked.
    with district_language():
        categories = []
        for p in service:
            if p.activity.category.label not in categories:
                categories.append(p.activity.category.label)
        content = join_list(categories)
        issuer = issuer or default_issuer(actor)
        year = today.year
        sequence = next_number(f"volunteer-certificate:{year}")
        # The serial is a document number (济经志证〔2021〕第0001号), the same in any language.
        serial = f"{settings_prefix()}〔{year}〕第{sequence:04d}号"  # i18n: data
        # 2021年7月1日 in Chinese, the reader's own form in other languages.
        start, end = date_format(period_start), date_format(period_end)
        masked = mask_id(volunteer.id_number)

        document = Document(
            title=_("Service-hours certificate"),
            number=serial,
            issuer=issuer,
            date=today,
        )
        document.paragraph(
            ngettext(
                "This is to certify that %(name)s (ID number %(id_number)s) took part "
                "in volunteer service %(count)s time from %(start)s to %(end)s, with "
                "%(hours)s hours of service in all; the service consisted of "
                "%(content)s.",
                "This is to certify that %(name)s (ID number %(id_number)s) took part "
                "in volunteer service %(count)s times from %(start)s to %(end)s, with "
                "%(hours)s hours of service in all; the service consisted of "
                "%(content)s.",
                len(service),
            )
            % {
                "name": volunteer.name,
                "id_number": masked,
                "count": len(service),
                "start": start,
                "end": end,
                "hours": hours,
                "content": content,
            }
        )
        document.fields(
            [
                (_("Full name"), volunteer.name),
                (_("ID type"), _("Resident identity card")),
                (_("ID document number"), masked),
                (_("Volunteer number"), volunteer.number),
                (
                    _("Service period"),
                    _("From %(start)s to %(end)s") % {"start": start, "end": end},
                ),
                (_("Service hours"), _("%(hours)s hours") % {"hours": hours}),
                (_("Service content"), content),
                (_("Issuing body"), issuer),
                (_("Handling officer"), chinese_name(actor)),
            ]
        )
        document.heading(_("Service record"))
        document.table(
            [_("Date"), _("Activity"), _("Organising team"), _("Duration (hours)")],
            [
                [
                    timezone.localtime(p.activity.starts_at).strftime("%Y-%m-%d"),
                    p.activity.title,
                    p.activity.team.name,
                    str(p.hours),
                ]
                for p in service
            ],
        )
        document.paragraph(_("This is hereby certified."))
        rendered = render(document)
    certificate = Certificate(
        serial=serial,
        year=year,
        sequence=sequence,
        volunteer=volunteer,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        activity_count=len(service),
        content=content,
        issuer=issuer,
        issued_on=today,
        issued_by=actor if getattr(actor, "pk", None) else None,
        sha256=rendered.sha256,
    )
    certificate.pdf.save(
        f"{year}-{sequence:04d}-{rendered.sha256[:12]}.pdf",
        ContentFile(rendered.content),
        save=False,
    )
    certificate.save()
    return certificate


def chinese_name(user) -> str:
    """刘洋, not Django's "洋 刘" (family name first, no space)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    return f"{user.last_name}{user.first_name}" or user.get_username()


def settings_prefix() -> str:
    """The word before 〔year〕 in certificate serials (济经志证 by default)."""
    return getattr(settings, "VOLUNTEER_CERTIFICATE_PREFIX", "济经志证")  # i18n: data


# --- imports (xlsx/csv) ---------------------------------------------------------

# The record layouts' column headers (English code or the Chinese label) and the
# values found in the files are data: a file made in any language imports again.
# i18n: data
VOLUNTEER_COLUMNS = {
    "name": "name",
    "姓名": "name",
    "id_number": "id_number",
    "身份证号": "id_number",
    "phone": "phone",
    "联系电话": "phone",
    "is_party_member": "is_party_member",
    "是否党员": "is_party_member",
    "branch": "branch",
    "所属党支部": "branch",
    "skills": "skills",
    "技能特长": "skills",
    "interests": "interests",
    "兴趣爱好": "interests",
}
# i18n: data
MEMBERSHIP_COLUMNS = {
    "id_number": "id_number",
    "身份证号": "id_number",
    "team": "team",
    "服务队": "team",
    "role": "role",
    "职务": "role",
    "joined_on": "joined_on",
    "加入日期": "joined_on",
    "left_on": "left_on",
    "离队日期": "left_on",
}
YES = {"是", "党员", "中共党员", "1", "true", "yes", "y"}  # i18n: data
NO = {"否", "群众", "0", "false", "no", "n", ""}  # i18n: data


def _parse_date(text: str) -> datetime.date:
    """2021-07-01, 2021/7/1, 2021.7.1 or 2021年7月1日 (full-width digits too)."""
    from core.tabular import file_date

    found = file_date(text)
    if found is None:
        raise ValueError(text)
    return found


def _file_id_number(row, errors) -> str | None:
    """The row's ID number as compared (NFKC, no spaces, upper-case X); an ID a
    spreadsheet stored as a number (rounded to 15 digits) is refused."""
    from core.tabular import rounded_number

    if rounded_number(row.raw.get("id_number")):
        errors.add(
            row.number,
            _("ID number"),
            _(
                "The ID number was stored as a number and rounded by the "
                "spreadsheet: format the column as text and type it again."
            ),
        )
        return None
    return re.sub(
        r"\s+", "", unicodedata.normalize("NFKC", row.get("id_number"))
    ).upper()


def volunteers_import(
    *,
    actor,
    rows,
    dry_run: bool = False,
    progress=None,
    skip_invalid: bool = False,
    errors=None,
) -> dict:
    """Import volunteers (upsert by 身份证号) from checked rows, all or nothing.

    Every row is checked first and every bad row is reported by number; nothing
    is written unless all are valid, or, with ``skip_invalid``, the valid rows
    are written and the others counted as ``refused`` (their complaints left in
    ``errors``, a ``core.tabular.RowErrors`` the caller may pass). Returns counts
    of created/updated/unchanged/refused.
    """
    from core.tabular import RowErrors

    errors = errors if errors is not None else RowErrors()
    branches = {b.name: b for b in PartyBranch.objects.all()}
    seen: dict[str, int] = {}
    parsed = []
    for row in rows:
        name = row.get("name").strip()
        number = _file_id_number(row, errors)
        if not name:
            errors.add(row.number, _("Full name"), _("Cannot be empty."))
        try:
            from core.validators import validate_id_number

            if number is None:  # refused above
                raise ValidationError([])
            validate_id_number(number)
        except ValidationError as error:
            if error.messages:
                errors.add(
                    row.number,
                    _("ID number"),
                    join_messages(error.messages),
                )
        else:
            if number in seen:
                errors.add(
                    row.number,
                    _("ID number"),
                    _("Duplicates row %(row)s.") % {"row": seen[number]},
                )
            seen.setdefault(number, row.number)
        party_text = re.sub(
            r"\s+", "", unicodedata.normalize("NFKC", row.get("is_party_member"))
        ).lower()
        if party_text not in YES | NO:
            errors.add(
                row.number,
                _("Party member (yes/no)"),
                _("Cannot recognise “%(value)s” (should be yes/no).")
                % {"value": party_text},
            )
        branch_name = row.get("branch").strip()
        branch = branches.get(branch_name) if branch_name else None
        if branch_name and branch is None:
            errors.add(
                row.number,
                _("Affiliated party branch"),
                _("Party branch “%(name)s” does not exist.") % {"name": branch_name},
            )
        parsed.append(
            {
                "row": row.number,
                "name": name,
                "id_number": number,
                "phone": re.sub(
                    r"[\s-]+", "", unicodedata.normalize("NFKC", row.get("phone"))
                ),
                "is_party_member": party_text in YES,
                "branch": branch,
                "skills": row.get("skills").strip(),
                "interests": row.get("interests").strip(),
            }
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
    if skip_invalid:
        refused = errors.rows()
        parsed = [p for p in parsed if p["row"] not in refused]
        counts["refused"] = len(refused)
    else:
        errors.raise_if_any(_("Volunteer list"))
    for data in parsed:
        del data["row"]
    existing = {
        v.id_number: v
        for v in Volunteer.objects.filter(
            id_number__in=[p["id_number"] for p in parsed]
        )
    }
    with transaction.atomic():
        for data in parsed:
            volunteer = existing.get(data["id_number"])
            if volunteer is None:
                volunteer_create(actor=actor, **data)
                counts["created"] += 1
            elif any(getattr(volunteer, k) != v for k, v in data.items()):
                # Compared with the row as read above: a change since is 412.
                volunteer_update(
                    actor=actor,
                    volunteer=volunteer,
                    expected_version=volunteer.version,
                    **data,
                )
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            if progress:
                progress()
        if dry_run:
            transaction.set_rollback(True)
    return counts


# The role words found in membership files (the labels as staff type them).
# i18n: data
ROLE_WORDS = {
    "队长": MemberRole.LEADER,
    "副队长": MemberRole.DEPUTY,
    "队员": MemberRole.MEMBER,
}


def _role_words() -> dict[str, str]:
    """Role words a file may carry: the codes, the Chinese words, the reader's labels."""
    return (
        {code: code for code in MemberRole.values}
        | {str(label): code for code, label in MemberRole.choices}
        | ROLE_WORDS
    )


def memberships_import(
    *,
    actor,
    rows,
    dry_run: bool = False,
    progress=None,
    skip_invalid: bool = False,
    errors=None,
) -> dict:
    """Import memberships (身份证号, 服务队, 职务, 加入/离队日期), all or nothing.

    A row whose volunteer is already a current member of the team is left as it
    is, or closed when it carries a 离队日期; otherwise a membership is added
    (already closed when a 离队日期 is given), so rerunning a file changes nothing.
    """
    from core.tabular import RowErrors

    errors = errors if errors is not None else RowErrors()
    teams = {t.name: t for t in Team.objects.all()}
    numbers = {
        re.sub(r"\s+", "", unicodedata.normalize("NFKC", row.get("id_number"))).upper()
        for row in rows
    }
    volunteers = {
        v.id_number: v for v in Volunteer.objects.filter(id_number__in=numbers)
    }
    role_words = _role_words()
    seen: dict[tuple, int] = {}
    parsed = []
    for row in rows:
        number = _file_id_number(row, errors)
        volunteer = volunteers.get(number)
        if volunteer is None and number is not None:
            errors.add(
                row.number,
                _("ID number"),
                # The operator's file may be shown to others: never the full ID.
                _("Volunteer “%(number)s” is not registered.")
                % {"number": mask_id(number)},
            )
        team_name = row.get("team").strip()
        team = teams.get(team_name)
        if team is None:
            errors.add(
                row.number,
                _("Team"),
                _("Team “%(name)s” does not exist.") % {"name": team_name},
            )
        role_text = row.get("role").strip() or MemberRole.MEMBER
        role = role_words.get(role_text)
        if role is None:
            errors.add(
                row.number,
                pgettext("team membership", "Position"),
                _(
                    "Cannot recognise “%(value)s” (should be team leader, deputy "
                    "team leader or team member)."
                )
                % {"value": role_text},
            )
        joined_on = left_on = None
        try:
            joined_on = _parse_date(row.get("joined_on"))
        except ValueError:
            errors.add(
                row.number,
                _("Date joined"),
                _("The date must be written as YYYY-MM-DD."),
            )
        if row.get("left_on").strip():
            try:
                left_on = _parse_date(row.get("left_on"))
            except ValueError:
                errors.add(
                    row.number,
                    _("Date left"),
                    _("The date must be written as YYYY-MM-DD."),
                )
        if joined_on and left_on and left_on < joined_on:
            errors.add(
                row.number,
                _("Date left"),
                _("Cannot be earlier than the date joined."),
            )
        key = (number, team_name)
        if key in seen:
            errors.add(
                row.number,
                _("ID number"),
                _("Same member as row %(row)s.") % {"row": seen[key]},
            )
        seen.setdefault(key, row.number)
        parsed.append((row.number, volunteer, team, role, joined_on, left_on))
    counts = {"created": 0, "ended": 0, "unchanged": 0, "refused": 0}
    if skip_invalid:
        refused = errors.rows()
        parsed = [p for p in parsed if p[0] not in refused]
        counts["refused"] = len(refused)
    else:
        errors.raise_if_any(_("Team member list"))
    with transaction.atomic():
        for _number, volunteer, team, role, joined_on, left_on in parsed:
            current = Membership.objects.filter(
                team=team, volunteer=volunteer, left_on__isnull=True
            ).first()
            if current is None:
                membership = membership_add(
                    actor=actor,
                    team=team,
                    volunteer=volunteer,
                    role=role,
                    joined_on=joined_on,
                )
                counts["created"] += 1
                if left_on:
                    membership_end(
                        actor=actor,
                        membership=membership,
                        expected_version=membership.version,
                        left_on=left_on,
                    )
            elif left_on:
                membership_end(
                    actor=actor,
                    membership=current,
                    expected_version=current.version,
                    left_on=left_on,
                )
                counts["ended"] += 1
            else:
                counts["unchanged"] += 1
            if progress:
                progress()
        if dry_run:
            transaction.set_rollback(True)
    return counts
