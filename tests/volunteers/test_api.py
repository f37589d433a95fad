import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import actor_context
from core.choices import Role
from volunteers.choices import ActivityStatus
from volunteers.models import Activity, Certificate, Participation, Team, Volunteer

from .factories import (
    ActivityFactory,
    BranchFactory,
    MembershipFactory,
    ParticipationFactory,
    PlanItemFactory,
    TeamFactory,
    VolunteerFactory,
    category,
    make_id_number,
    png_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff_api, manager):
    return staff_api(manager)


LISTS = {
    "teams": lambda: TeamFactory(leader=VolunteerFactory()),
    "volunteers": lambda: VolunteerFactory(branch=BranchFactory()),
    "memberships": lambda: MembershipFactory(),
    "activities": lambda: ActivityFactory(),
    "participations": lambda: ParticipationFactory(),
    "annual-plans": lambda: PlanItemFactory().plan,
}


# Queries per list call (scope check, rows, prefetches), at page size 5 and 50.
PINNED = {
    "teams": 2,
    "volunteers": 1,
    "memberships": 1,
    "activities": 3,
    "participations": 1,
    "annual-plans": 2,
}


@pytest.mark.parametrize("path", sorted(LISTS))
def test_list_endpoints_issue_a_fixed_number_of_queries(api, path):
    for _ in range(52):
        LISTS[path]()
    api.get(f"/api/v1/{path}/")  # warm the permission cache
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as context:
            response = api.get(f"/api/v1/{path}/", {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        assert "count" not in response.json()
        counts.append(len(context))
    assert counts == [PINNED[path]] * 2


def test_volunteer_with_bad_id_is_a_400_with_the_field(api):
    good = make_id_number()
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    response = api.post(
        "/api/v1/volunteers/", {"name": "张三", "id_number": bad}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"][0]["field"] == "id_number"
    assert not Volunteer.objects.exists()


def test_volunteer_id_number_is_masked_unless_the_caller_may_see_it(
    api, staff_api, admin_user
):
    volunteer = VolunteerFactory()
    shown = api.get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert (
        shown["id_number"]
        == volunteer.id_number[:6] + "********" + volunteer.id_number[-4:]
    )
    assert shown["phone"] == "138****5678"
    assert shown["number"] == volunteer.number
    full = staff_api(admin_user).get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert full["id_number"] == volunteer.id_number


def test_volunteer_create_is_idempotent(api):
    key = str(uuid.uuid4())
    body = {"name": "李四", "id_number": make_id_number(), "is_party_member": True}
    first = api.post(
        "/api/v1/volunteers/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = api.post(
        "/api/v1/volunteers/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Volunteer.objects.count() == 1


def test_patch_needs_if_match_and_a_fresh_version(api):
    volunteer = VolunteerFactory()
    url = f"/api/v1/volunteers/{volunteer.pk}/"
    assert api.patch(url, {"skills": "驾驶"}, format="json").status_code == 428
    assert (
        api.patch(
            url, {"skills": "驾驶"}, format="json", HTTP_IF_MATCH='"7"'
        ).status_code
        == 412
    )
    response = api.patch(url, {"skills": "驾驶"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    volunteer.refresh_from_db()
    assert volunteer.skills == "驾驶"


@pytest.mark.parametrize("header", ['W/"taid"', "abc", '"٣"', '"1_0"', '"+1"', "*"])
def test_an_if_match_that_is_not_an_etag_is_a_400_naming_it(api, header):
    """Was 412, as if stale: a schema-violating header then answered like a
    precondition, and "٣" or "1_0" were read as numbers (found by the fuzzing)."""
    volunteer = VolunteerFactory()
    response = api.patch(
        f"/api/v1/volunteers/{volunteer.pk}/",
        {"skills": "驾驶"},
        format="json",
        HTTP_IF_MATCH=header,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "If-Match"
    volunteer.refresh_from_db()
    assert volunteer.version == 1


@pytest.mark.parametrize("header", ['"1"', 'W/"1"', "1"])
def test_an_if_match_in_any_etag_form_names_the_version(api, header):
    volunteer = VolunteerFactory()
    response = api.patch(
        f"/api/v1/volunteers/{volunteer.pk}/",
        {"skills": "驾驶"},
        format="json",
        HTTP_IF_MATCH=header,
    )
    assert response.status_code == 200


def test_team_created_with_flag_upload(api):
    branch = BranchFactory()
    response = api.post(
        "/api/v1/teams/",
        {
            "name": "经心服务小分队",
            "kind": "party",
            "branch": branch.pk,
            "flag": _upload(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind_display"] == "党员志愿服务队"
    assert Team.objects.get(name="经心服务小分队").flag


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("flag.png", png_bytes(), "image/png")


def test_text_file_as_flag_is_refused(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        "/api/v1/teams/",
        {
            "name": "x",
            "kind": "social",
            "flag": SimpleUploadedFile("flag.png", b"text", "image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "flag"
    assert not Team.objects.exists()


def test_a_90_megapixel_flag_is_refused(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import huge_png

    response = api.post(
        "/api/v1/teams/",
        {
            "name": "巨幅队旗",
            "kind": "social",
            "flag": SimpleUploadedFile("flag.png", huge_png(), "image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "flag"
    assert "9500 × 9500" in error["message"]
    assert not Team.objects.filter(name="巨幅队旗").exists()


def test_activity_state_change_is_a_post_with_if_match(api):
    activity = ActivityFactory()
    url = f"/api/v1/activities/{activity.pk}/hold/"
    assert api.post(url).status_code == 428
    assert api.post(url, HTTP_IF_MATCH='"5"').status_code == 412
    response = api.post(url, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response.json()["status"] == "held"
    assert response.json()["status_display"] == "已开展"
    again = api.post(url, HTTP_IF_MATCH='"2"')
    assert again.status_code == 409
    assert again.json()["type"] == "illegal_transition"


def test_hours_for_many_at_once_all_or_nothing(api):
    activity = ActivityFactory()
    a, b = VolunteerFactory.create_batch(2)
    url = f"/api/v1/activities/{activity.pk}/hours/"
    bad = api.post(
        url,
        {
            "rows": [
                {"volunteer": a.pk, "hours": "2"},
                {"volunteer": b.pk, "hours": "4"},
            ]
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "rows[1].hours"
    assert not Participation.objects.exists()
    good = api.post(
        url,
        {
            "rows": [
                {"volunteer": a.pk, "hours": "2"},
                {"volunteer": b.pk, "hours": "3"},
            ]
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert good.status_code == 200
    assert sorted(r["hours"] for r in good.json()) == ["2.0", "3.0"]


def test_plan_created_with_items_reports_unplanned_months(api):
    team = TeamFactory()
    response = api.post(
        "/api/v1/annual-plans/",
        {
            "team": team.pk,
            "year": 2021,
            "items": [
                {"month": m, "category": category().pk, "title": f"{m}月活动"}
                for m in range(1, 11)
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["unplanned_months"] == [11, 12]


def test_certificate_issued_and_served_as_pdf(api):
    participation = ParticipationFactory(
        activity=ActivityFactory(status=ActivityStatus.HELD)
    )
    response = api.post(
        "/api/v1/certificates/",
        {
            "volunteer": participation.volunteer_id,
            "period_start": "2021-01-01",
            "period_end": "2021-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["hours"] == "2.0"
    certificate = Certificate.objects.get()
    assert body["sha256"] == certificate.sha256
    pdf = api.get(f"/api/v1/certificates/{certificate.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_compliance_and_totals_endpoints(api):
    BranchFactory(name="无队党支部")
    team = TeamFactory()
    held = ActivityFactory(team=team, status=ActivityStatus.HELD)
    ParticipationFactory(activity=held, hours=3)
    compliance = api.get("/api/v1/volunteer-compliance/", {"year": 2021}).json()
    assert len(compliance["branches_without_party_team"]) == 1
    assert compliance["small_party_teams"] == [team.pk]
    assert compliance["months"][2] == {"month": 3, "planned": 0, "held": 1}
    totals = api.get("/api/v1/volunteer-totals/", {"year": 2021}).json()
    assert totals["overall"]["hours"] == "3.0"
    assert totals["by_month"][2]["activities"] == 1
    bad = api.get("/api/v1/volunteer-totals/", {"year": "abc"})
    assert bad.status_code == 400


@pytest.mark.parametrize("year", ["٢٠٢١", "2_021", " 2021"])
def test_a_report_year_not_in_ascii_digits_is_refused(api, year):
    """int() read "٢٠٢١" and "2_021" as 2021."""
    response = api.get("/api/v1/volunteer-totals/", {"year": year})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"


def test_an_empty_report_year_is_the_default_year(api):
    assert api.get("/api/v1/volunteer-compliance/", {"year": ""}).status_code == 200


@pytest.mark.parametrize(
    "path,make",
    [
        ("teams", TeamFactory),
        ("volunteers", VolunteerFactory),
        ("activities", ActivityFactory),
        ("memberships", MembershipFactory),
        ("participations", ParticipationFactory),
    ],
)
def test_partners_staff_get_404(staff_api, partner_manager, path, make):
    obj = make()
    response = staff_api(partner_manager).get(f"/api/v1/{path}/{obj.pk}/")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


def test_partner_key_cannot_read_the_register(partner_api):
    TeamFactory()
    response = partner_api.get("/api/v1/teams/")
    assert response.status_code == 403


def test_read_only_staff_cannot_create(staff_api, staff_factory):
    client = staff_api(staff_factory(Role.READ_ONLY))
    response = client.post(
        "/api/v1/volunteers/",
        {"name": "x", "id_number": make_id_number()},
        format="json",
    )
    assert response.status_code == 403


def test_membership_end_keeps_the_row(api):
    membership = MembershipFactory()
    response = api.post(
        f"/api/v1/memberships/{membership.pk}/end/",
        {"left_on": "2021-06-30"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200
    assert response.json()["left_on"] == "2021-06-30"
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2021, 6, 30)


def test_activity_created_with_co_organisers_and_plan_item(api):
    from volunteers.models import Organisation

    item = PlanItemFactory(month=7)
    charity = Organisation.objects.create(name="济宁市慈善总会")
    helper = TeamFactory()
    response = api.post(
        "/api/v1/activities/",
        {
            "team": item.plan.team_id,
            "plan_item": item.pk,
            "category": category("rescue").pk,
            "title": "驰援河南抗洪救灾",
            "starts_at": "2021-07-27T06:00:00+08:00",
            "ends_at": "2021-07-27T22:00:00+08:00",
            "vehicles": 8,
            "co_organisations": [charity.pk],
            "co_teams": [helper.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["duration_hours"] == "16.0"
    assert body["co_organisations"] == [charity.pk]
    assert body["status"] == "planned"


def test_activity_ending_before_it_starts_is_a_400(api):
    team = TeamFactory()
    response = api.post(
        "/api/v1/activities/",
        {
            "team": team.pk,
            "category": category().pk,
            "title": "x",
            "starts_at": "2021-07-27T10:00:00+08:00",
            "ends_at": "2021-07-27T09:00:00+08:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ends_at"


# --- issue 11: versions, the activity workflow ----------------------------------


def test_hours_need_the_activitys_if_match_and_hold_it_through_the_workflow(
    api, manager
):
    from django.contrib.contenttypes.models import ContentType

    from core.models import StateChange

    activity = ActivityFactory()
    volunteer = VolunteerFactory()
    url = f"/api/v1/activities/{activity.pk}/hours/"
    body = {"rows": [{"volunteer": volunteer.pk, "hours": "2"}]}
    missing = api.post(url, body, format="json")
    assert missing.status_code == 428
    assert missing.json()["type"] == "precondition_required"
    stale = api.post(url, body, format="json", HTTP_IF_MATCH='"3"')
    assert stale.status_code == 412
    activity.refresh_from_db()
    assert (activity.status, activity.version) == ("planned", 1)
    assert not Participation.objects.exists()

    response = api.post(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    activity.refresh_from_db()
    assert (activity.status, activity.version) == ("held", 2)
    step = StateChange.objects.get(
        content_type=ContentType.objects.get_for_model(Activity),
        object_id=activity.pk,
    )
    assert (step.verb, step.from_status, step.to_status, step.actor) == (
        "hold",
        "planned",
        "held",
        manager,
    )
    # Entering the sheet again is the activity's next version.
    again = api.post(
        url,
        {"rows": [{"volunteer": volunteer.pk, "hours": "3"}]},
        format="json",
        HTTP_IF_MATCH='"2"',
    )
    assert again.status_code == 200 and again["ETag"] == '"3"'


def test_activity_status_cannot_be_written_outside_the_workflow():
    from django.db import DatabaseError, transaction

    activity = ActivityFactory()
    with pytest.raises(DatabaseError), transaction.atomic(), actor_context(None):
        Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.HELD)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED


def test_allowed_transitions_come_from_the_workflow(api, staff_api, viewer):
    planned = ActivityFactory()
    with_hours = ParticipationFactory().activity
    cancelled = ActivityFactory(status=ActivityStatus.CANCELLED)

    def verbs(client, activity):
        body = client.get(f"/api/v1/activities/{activity.pk}/").json()
        return [step["verb"] for step in body["allowed_transitions"]]

    assert verbs(api, planned) == ["hold", "cancel"]
    # The cancel guard: an activity with hours cannot be cancelled.
    assert verbs(api, with_hours) == ["hold"]
    assert verbs(api, cancelled) == ["reopen"]
    assert verbs(staff_api(viewer), planned) == []
    listed = {
        row["id"]: [s["verb"] for s in row["allowed_transitions"]]
        for row in api.get("/api/v1/activities/").json()["results"]
    }
    assert listed[with_hours.pk] == ["hold"]


def test_an_hours_sheet_over_the_row_cap_is_refused_before_any_row_is_read(api):
    from django.conf import settings

    activity = ActivityFactory()
    volunteer = VolunteerFactory()
    rows = [{"volunteer": volunteer.pk, "hours": "1"}] * (settings.BULK_MAX_ROWS + 1)
    with CaptureQueriesContext(connection) as counted:
        response = api.post(
            f"/api/v1/activities/{activity.pk}/hours/",
            {"rows": rows},
            format="json",
            HTTP_IF_MATCH='"1"',
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rows"
    assert str(settings.BULK_MAX_ROWS) in response.json()["errors"][0]["message"]
    assert not [
        q for q in counted.captured_queries if "volunteers_volunteer" in q["sql"]
    ]
    assert not Participation.objects.exists()
    removed = api.post(
        f"/api/v1/activities/{activity.pk}/hours/",
        {"rows": [], "remove": [volunteer.pk] * (settings.BULK_MAX_ROWS + 1)},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert removed.status_code == 400
    assert removed.json()["errors"][0]["field"] == "remove"


def test_cancelling_an_activity_with_hours_is_refused(api):
    activity = ParticipationFactory().activity
    response = api.post(
        f"/api/v1/activities/{activity.pk}/cancel/", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 409
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED


def test_party_branch_has_an_etag_and_patch_needs_if_match(api):
    from volunteers.models import PartyBranch

    branch = BranchFactory()
    url = f"/api/v1/party-branches/{branch.pk}/"
    shown = api.get(url)
    assert shown["ETag"] == '"1"' and shown.json()["version"] == 1
    assert api.patch(url, {"secretary": "赵金平"}, format="json").status_code == 428
    stale = api.patch(url, {"secretary": "赵金平"}, format="json", HTTP_IF_MATCH='"2"')
    assert stale.status_code == 412
    assert PartyBranch.objects.get(pk=branch.pk).secretary == ""
    response = api.patch(
        url, {"secretary": "赵金平"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200 and response["ETag"] == '"2"'
    assert PartyBranch.objects.get(pk=branch.pk).secretary == "赵金平"


def test_membership_end_needs_if_match(api):
    membership = MembershipFactory()
    url = f"/api/v1/memberships/{membership.pk}/end/"
    assert api.get(f"/api/v1/memberships/{membership.pk}/")["ETag"] == '"1"'
    missing = api.post(url, {"left_on": "2021-06-30"}, format="json")
    assert missing.status_code == 428
    stale = api.post(url, {"left_on": "2021-06-30"}, format="json", HTTP_IF_MATCH='"4"')
    assert stale.status_code == 412
    membership.refresh_from_db()
    assert membership.left_on is None
    done = api.post(url, {"left_on": "2021-06-30"}, format="json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200 and done["ETag"] == '"2"'


def test_revising_a_plan_needs_its_if_match(api):
    team = TeamFactory()
    body = {
        "team": team.pk,
        "year": 2021,
        "items": [{"month": 1, "category": category().pk, "title": "1月活动"}],
    }
    made = api.post("/api/v1/annual-plans/", body, format="json")
    assert made.status_code == 201 and made.json()["version"] == 1
    body["items"] = [{"month": 2, "category": category().pk, "title": "2月活动"}]
    assert api.post("/api/v1/annual-plans/", body, format="json").status_code == 428
    stale = api.post("/api/v1/annual-plans/", body, format="json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    revised = api.post(
        "/api/v1/annual-plans/", body, format="json", HTTP_IF_MATCH='"1"'
    )
    assert revised.status_code == 201
    assert revised.json()["version"] == 2
    assert revised.json()["unplanned_months"] == list(range(3, 13))
