import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from core.errors import IllegalTransition, StaleVersion, ValidationFailed
from volunteers import actions
from volunteers.choices import ActivityStatus, MemberRole, TeamKind
from volunteers.models import Certificate, Membership, Participation, PlanItem, Team

from .factories import (
    ActivityFactory,
    BranchFactory,
    MembershipFactory,
    PlanItemFactory,
    TeamFactory,
    VolunteerFactory,
    category,
    make_id_number,
    png_bytes,
)

pytestmark = pytest.mark.django_db


def test_party_team_without_branch_is_refused(manager):
    with pytest.raises(ValidationFailed) as info:
        actions.team_create(actor=manager, name="无支部队", kind=TeamKind.PARTY)
    assert info.value.errors[0]["field"] == "branch"
    assert not Team.objects.filter(name="无支部队").exists()


def test_team_with_flag_and_logo_is_stored(manager, media_root):
    branch = BranchFactory()
    team = actions.team_create(
        actor=manager,
        name="后赵村党员志愿者服务队",
        kind=TeamKind.PARTY,
        branch=branch,
        flag=SimpleUploadedFile("flag.png", png_bytes(), "image/png"),
        logo=SimpleUploadedFile("logo.png", png_bytes((40, 40)), "image/png"),
        categories=[category("labour")],
    )
    team.refresh_from_db()
    assert team.flag.name.startswith("volunteers/flags/")
    assert (media_root / team.flag.name).is_file()
    assert list(team.categories.values_list("code", flat=True)) == ["labour"]


def test_flag_that_is_not_an_image_is_refused(manager):
    with pytest.raises(ValidationFailed) as info:
        actions.team_create(
            actor=manager,
            name="坏队旗",
            kind=TeamKind.SOCIAL,
            flag=SimpleUploadedFile("flag.png", b"not an image", "image/png"),
        )
    assert info.value.errors[0]["field"] == "flag"
    assert not Team.objects.filter(name="坏队旗").exists()


def test_oversized_flag_is_refused(manager, settings):
    settings.VOLUNTEER_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as info:
        actions.team_create(
            actor=manager,
            name="大队旗",
            kind=TeamKind.SOCIAL,
            flag=SimpleUploadedFile("flag.png", png_bytes((400, 400)), "image/png"),
        )
    assert "不能超过" in info.value.errors[0]["message"]


def test_volunteer_with_bad_id_checksum_is_refused(manager):
    good = make_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as info:
        actions.volunteer_create(actor=manager, name="张三", id_number=bad)
    assert info.value.errors[0]["field"] == "id_number"
    assert "校验位" in info.value.errors[0]["message"]


def test_volunteer_update_with_stale_version_is_refused(manager):
    volunteer = VolunteerFactory()
    with pytest.raises(StaleVersion):
        actions.volunteer_update(
            actor=manager, volunteer=volunteer, expected_version=9, name="李四"
        )


def test_joining_twice_is_refused_and_history_is_kept(manager):
    team = TeamFactory()
    volunteer = VolunteerFactory()
    first = actions.membership_add(
        actor=manager,
        team=team,
        volunteer=volunteer,
        joined_on=datetime.date(2021, 1, 4),
    )
    with pytest.raises(ValidationFailed):
        actions.membership_add(actor=manager, team=team, volunteer=volunteer)
    actions.membership_end(
        actor=manager,
        membership=first,
        expected_version=first.version,
        left_on=datetime.date(2021, 6, 30),
    )
    again = actions.membership_add(
        actor=manager,
        team=team,
        volunteer=volunteer,
        joined_on=datetime.date(2021, 9, 1),
    )
    rows = list(
        Membership.objects.filter(team=team, volunteer=volunteer)
        .order_by("joined_on")
        .values_list("joined_on", "left_on")
    )
    assert rows == [
        (datetime.date(2021, 1, 4), datetime.date(2021, 6, 30)),
        (datetime.date(2021, 9, 1), None),
    ]
    assert again.pk != first.pk


def test_leaving_twice_is_an_illegal_transition(manager):
    membership = MembershipFactory()
    actions.membership_end(actor=manager, membership=membership, expected_version=1)
    with pytest.raises(IllegalTransition):
        actions.membership_end(actor=manager, membership=membership, expected_version=2)


def test_new_leader_becomes_team_leader(manager):
    team = TeamFactory()
    volunteer = VolunteerFactory()
    actions.membership_add(
        actor=manager, team=team, volunteer=volunteer, role=MemberRole.LEADER
    )
    team.refresh_from_db()
    assert team.leader == volunteer


def test_plan_save_makes_items_and_refuses_bad_month(manager):
    team = TeamFactory()
    items = [
        {"month": m, "category": category("labour"), "title": f"{m}月义务劳动"}
        for m in range(1, 13)
    ]
    plan = actions.plan_save(actor=manager, team=team, year=2021, items=items)
    assert sorted(plan.items.values_list("month", flat=True)) == list(range(1, 13))
    with pytest.raises(ValidationFailed) as info:
        actions.plan_save(
            actor=manager,
            team=team,
            year=2021,
            items=[{"month": 13, "category": category("labour"), "title": "x"}],
            expected_version=plan.version,
        )
    assert info.value.errors[0]["field"].startswith("items[0]")
    assert plan.items.count() == 12


def test_plan_item_with_activities_cannot_be_deleted(manager):
    item = PlanItemFactory()
    ActivityFactory(team=item.plan.team, plan_item=item)
    with pytest.raises(ValidationFailed):
        actions.plan_save(
            actor=manager,
            team=item.plan.team,
            year=2021,
            items=[{"id": item.pk, "delete": True}],
            expected_version=item.plan.version,
        )
    assert PlanItem.objects.filter(pk=item.pk).exists()


def test_activity_with_another_teams_plan_item_is_refused(manager):
    item = PlanItemFactory()
    other = TeamFactory()
    activity = ActivityFactory.build(team=other, plan_item=item)
    with pytest.raises(ValidationFailed) as info:
        actions.activity_create(
            actor=manager,
            team=other,
            title="x",
            category=category(),
            plan_item=item,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
        )
    assert info.value.errors[0]["field"] == "plan_item"


def test_thirty_participants_recorded_at_once_and_activity_marked_held(manager):
    activity = ActivityFactory()  # three hours
    volunteers = VolunteerFactory.create_batch(30)
    rows = [{"volunteer": v, "hours": Decimal("3")} for v in volunteers]
    saved = actions.participations_record(
        actor=manager, activity=activity, rows=rows, expected_version=1
    )
    assert len(saved) == 30
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD
    assert Participation.objects.filter(activity=activity).count() == 30


def test_hours_over_duration_refuse_the_whole_entry(manager):
    activity = ActivityFactory()
    a, b = VolunteerFactory.create_batch(2)
    with pytest.raises(ValidationFailed) as info:
        actions.participations_record(
            actor=manager,
            activity=activity,
            rows=[{"volunteer": a, "hours": 2}, {"volunteer": b, "hours": "3.5"}],
            expected_version=1,
        )
    assert info.value.errors[0]["field"] == "rows[1].hours"
    assert not Participation.objects.filter(activity=activity).exists()


def test_same_volunteer_twice_in_one_entry_is_refused(manager):
    activity = ActivityFactory()
    volunteer = VolunteerFactory()
    with pytest.raises(ValidationFailed) as info:
        actions.participations_record(
            actor=manager,
            activity=activity,
            rows=[
                {"volunteer": volunteer, "hours": 1},
                {"volunteer": volunteer, "hours": 2},
            ],
            expected_version=1,
        )
    assert info.value.errors[0]["field"] == "rows[1].volunteer"


def test_reentering_hours_updates_and_removes(manager):
    activity = ActivityFactory()
    a, b = VolunteerFactory.create_batch(2)
    actions.participations_record(
        actor=manager,
        activity=activity,
        rows=[{"volunteer": a, "hours": 1}, {"volunteer": b, "hours": 1}],
        expected_version=1,
    )
    actions.participations_record(
        actor=manager,
        activity=activity,
        rows=[{"volunteer": a, "hours": 2}],
        remove=[b],
        expected_version=2,
    )
    assert list(activity.participations.values_list("volunteer", "hours")) == [
        (a.pk, Decimal("2.0"))
    ]


def test_cancelled_activity_takes_no_hours(manager):
    activity = ActivityFactory()
    actions.activity_transition(
        actor=manager, activity=activity, verb="cancel", expected_version=1
    )
    with pytest.raises(IllegalTransition):
        actions.participations_record(
            actor=manager,
            activity=activity,
            rows=[{"volunteer": VolunteerFactory(), "hours": 1}],
            expected_version=2,
        )


def test_held_activity_cannot_be_held_again(manager):
    activity = ActivityFactory()
    actions.activity_transition(
        actor=manager, activity=activity, verb="hold", expected_version=1
    )
    with pytest.raises(IllegalTransition):
        actions.activity_transition(
            actor=manager, activity=activity, verb="hold", expected_version=2
        )


def test_shortening_below_recorded_hours_is_refused(manager):
    activity = ActivityFactory()
    actions.participations_record(
        actor=manager,
        activity=activity,
        rows=[{"volunteer": VolunteerFactory(), "hours": 3}],
        expected_version=1,
    )
    with pytest.raises(ValidationFailed) as info:
        actions.activity_update(
            actor=manager,
            activity=activity,
            expected_version=2,
            ends_at=activity.starts_at + datetime.timedelta(hours=2),
        )
    assert info.value.errors[0]["field"] == "ends_at"


def test_donation_takes_the_activitys_team(manager):
    activity = ActivityFactory()
    donation = actions.donation_record(
        actor=manager,
        activity=activity,
        donor="济宁市慈善总会",
        items="饮用水",
        quantity=Decimal("100"),
        unit="箱",
        value=Decimal("3000"),
        received_on=datetime.date(2021, 7, 26),
    )
    assert donation.team == activity.team


def test_negative_donation_value_is_refused(manager):
    with pytest.raises(ValidationFailed):
        actions.donation_record(
            actor=manager,
            team=TeamFactory(),
            donor="x",
            items="y",
            quantity=Decimal("1"),
            value=Decimal("-1"),
            received_on=datetime.date(2021, 7, 26),
        )


def _served(volunteer, hours_list):
    for day, hours in hours_list:
        activity = ActivityFactory(
            starts_at=datetime.datetime(2021, 7, day, 1, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2021, 7, day, 9, tzinfo=datetime.UTC),
            status=ActivityStatus.HELD,
            category=category("rescue"),
            title=f"7月{day}日应急救援",
        )
        Participation.objects.create(
            activity=activity, volunteer=volunteer, hours=hours
        )


def test_certificate_states_hours_and_masked_id_and_records_checksum(manager):
    volunteer = VolunteerFactory(name="司秋英")
    _served(volunteer, [(26, Decimal("4.5")), (27, Decimal("8"))])
    certificate = actions.certificate_issue(
        actor=manager,
        volunteer=volunteer,
        period_start=datetime.date(2021, 7, 1),
        period_end=datetime.date(2021, 7, 31),
    )
    content = certificate.pdf.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == certificate.sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "志愿服务证明" in text
    assert "司秋英" in text
    assert volunteer.id_number not in text
    assert volunteer.id_number[:6] + "********" + volunteer.id_number[-4:] in text
    assert "12.5小时" in text
    assert "应急救援" in text
    assert certificate.serial in text
    assert certificate.issuer == "济宁经济技术开发区党群工作部"
    assert certificate.hours == Decimal("12.5") and certificate.activity_count == 2


def test_certificate_serials_run_in_sequence(manager):
    volunteer = VolunteerFactory()
    _served(volunteer, [(5, Decimal("2"))])
    serials = [
        actions.certificate_issue(
            actor=manager,
            volunteer=volunteer,
            period_start=datetime.date(2021, 7, 1),
            period_end=datetime.date(2021, 7, 31),
        ).serial
        for _ in range(2)
    ]
    assert serials[0].endswith("第0001号") and serials[1].endswith("第0002号")
    assert Certificate.objects.count() == 2


def test_certificate_for_a_period_without_service_is_refused(manager):
    volunteer = VolunteerFactory()
    with pytest.raises(ValidationFailed):
        actions.certificate_issue(
            actor=manager,
            volunteer=volunteer,
            period_start=datetime.date(2021, 1, 1),
            period_end=datetime.date(2021, 12, 31),
        )
    assert not Certificate.objects.exists()
