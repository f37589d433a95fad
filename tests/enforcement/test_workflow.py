"""The case and campaign workflows on core.workflow, and versions on every
editable enforcement record (issue 11)."""

import pytest
from django.db import InternalError, ProgrammingError, transaction

from core.audit import actor_context
from core.choices import Role
from core.errors import IllegalTransition
from core.models import Department
from enforcement import actions
from enforcement.choices import CASE_WORKFLOW, case_steps_for
from enforcement.models import Campaign, Case
from tests.enforcement.factories import (
    days_ago,
    issue,
    make_campaign,
    make_case,
    make_patrol,
)

pytestmark = pytest.mark.django_db

REFUSED = (InternalError, ProgrammingError)


@pytest.fixture
def world(officer, zhzf):
    campaign = make_campaign(officer, zhzf)
    patrol = make_patrol(officer, campaign, on=days_ago(30))
    return campaign, patrol, make_case(officer, patrol)


# --- campaign status is a workflow, not a field -------------------------------


def test_campaign_status_cannot_be_written_outside_the_workflow(world):
    campaign, _, _ = world
    with pytest.raises(REFUSED), transaction.atomic(), actor_context(None):
        Campaign.objects.filter(pk=campaign.pk).update(status="concluded")
    campaign.refresh_from_db()
    assert campaign.status == "active"


def test_campaign_status_is_not_accepted_by_api_or_admin(
    world, officer, staff_api, client, zhzf
):
    campaign, _, _ = world
    api = staff_api(officer)
    url = f"/api/v1/campaigns/{campaign.pk}/"
    etag = api.get(url)["ETag"]
    patched = api.patch(url, {"status": "concluded"}, format="json", HTTP_IF_MATCH=etag)
    assert patched.status_code == 400
    created = api.post(
        "/api/v1/campaigns/",
        {
            "name": "新行动",
            "lead_department": zhzf.pk,
            "area": "吉祥路",
            "start_date": days_ago(1).isoformat(),
            "status": "concluded",
        },
        format="json",
    )
    assert created.status_code == 400
    assert created.json()["errors"][0]["field"] == "status"
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    client.post(
        f"/admin/enforcement/campaign/{campaign.pk}/change/",
        {
            "name": campaign.name,
            "lead_department": zhzf.pk,
            "area": "吉祥路",
            "start_date": campaign.start_date.isoformat(),
            "status": "concluded",
            "seen_version": campaign.version,
        },
    )
    campaign.refresh_from_db()
    assert campaign.status == "active"


def test_campaign_steps_through_the_api_with_if_match(world, officer, staff_api):
    campaign, _, _ = world
    api = staff_api(officer)
    url = f"/api/v1/campaigns/{campaign.pk}/"
    body = api.get(url).json()
    assert body["allowed_transitions"] == ["conclude"]
    assert api.post(url + "conclude/", {}, format="json").status_code == 428
    stale = api.post(url + "conclude/", {}, format="json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    done = api.post(
        url + "conclude/", {}, format="json", HTTP_IF_MATCH=f'"{body["version"]}"'
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "concluded"
    assert done.json()["end_date"] is not None
    assert done["ETag"] == f'"{body["version"] + 1}"'
    assert done.json()["allowed_transitions"] == ["reopen"]
    no_reason = api.post(url + "reopen/", {}, format="json", HTTP_IF_MATCH=done["ETag"])
    assert no_reason.status_code == 400
    from core.models import StateChange

    assert list(
        StateChange.objects.filter(object_id=campaign.pk).values_list(
            "verb", "from_status", "to_status"
        )
    ) == [("conclude", "active", "concluded")]


def test_only_the_lead_department_changes_the_campaigns_course(
    world, staff_factory, local_district, staff_api, officer
):
    campaign, _, _ = world
    jj = Department.objects.get(district=local_district, code="JJ")
    campaign = actions.campaign_update(
        actor=officer,
        campaign=campaign,
        expected_version=campaign.version,
        joint_departments=[jj],
    )
    traffic = staff_factory(Role.OFFICER, department=jj)
    api = staff_api(traffic)
    url = f"/api/v1/campaigns/{campaign.pk}/"
    assert api.get(url).json()["allowed_transitions"] == []
    response = api.post(
        url + "conclude/", {}, format="json", HTTP_IF_MATCH=f'"{campaign.version}"'
    )
    assert response.status_code == 409
    campaign.refresh_from_db()
    assert campaign.status == "active"


def test_a_campaign_starting_later_is_planned_then_started(officer, zhzf):
    campaign = actions.campaign_create(
        actor=officer,
        name="明年的行动",
        lead_department=zhzf,
        area="吉祥路",
        start_date=days_ago(-30),
    )
    assert campaign.status == "planned"
    campaign = actions.campaign_start(
        actor=officer, campaign=campaign, expected_version=campaign.version
    )
    assert (campaign.status, campaign.version) == ("active", 2)


# --- cases ---------------------------------------------------------------------


def test_case_status_cannot_be_written_outside_the_workflow(world):
    _, _, case = world
    with pytest.raises(REFUSED), transaction.atomic(), actor_context(None):
        Case.objects.filter(pk=case.pk).update(status="closed")


def test_mark_overdue_belongs_to_the_deadline_rule(world, officer):
    _, _, case = world
    issue(officer, case, issued=days_ago(20), deadline=days_ago(10))
    case.refresh_from_db()
    assert "mark_overdue" not in {t.verb for t in CASE_WORKFLOW.allowed(case, officer)}
    with pytest.raises(IllegalTransition):
        actions.case_mark_overdue(actor=officer, case=case)
    case = actions.case_mark_overdue(case=case, note="期限已过")
    assert case.status == "overdue"
    assert case.steps.get(verb="mark_overdue").actor is None


def test_case_buttons_and_allowed_transitions_come_from_the_workflow(
    world, officer, staff_api, staff_factory, department
):
    _, _, case = world
    assert [t.verb for t in case_steps_for(case, officer)] == [
        "issue_notice",
        "dispose",
        "cancel",
    ]
    api = staff_api(officer)
    body = api.get(f"/api/v1/enforcement/cases/{case.pk}/").json()
    assert body["allowed_transitions"] == ["issue_notice", "dispose", "cancel"]
    listed = api.get("/api/v1/enforcement/cases/").json()["results"][0]
    assert listed["allowed_transitions"] == body["allowed_transitions"]
    reader = staff_factory(Role.READ_ONLY, department=department)
    assert case_steps_for(case, reader) == []
    assert (
        staff_api(reader)
        .get(f"/api/v1/enforcement/cases/{case.pk}/")
        .json()["allowed_transitions"]
        == []
    )


def test_a_failed_reinspection_before_the_deadline_is_on_the_timeline(world, officer):
    _, _, case = world
    issue(officer, case, issued=days_ago(5), deadline=days_ago(-5))
    case.refresh_from_db()
    version = case.version
    actions.reinspection_record(
        actor=officer,
        case=case,
        expected_version=version,
        inspected_on=days_ago(1),
        outcome="failed",
        note="车辆仍在",
    )
    case.refresh_from_db()
    assert (case.status, case.version) == ("notice_issued", version + 1)
    step = case.steps.get(verb="reinspect")
    assert (step.from_status, step.to_status, step.actor) == (
        "notice_issued",
        "notice_issued",
        officer,
    )
    assert "车辆仍在" in step.note


# --- versions on every editable record ----------------------------------------


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/campaigns/{campaign}/", {"area": "吉祥路全线"}),
        ("/api/v1/patrols/{patrol}/", {"officers": 12}),
        ("/api/v1/enforcement/subjects/{subject}/", {"address": "吉祥路1号"}),
        ("/api/v1/enforcement/cases/{case}/", {"address": "吉祥路北段"}),
    ],
)
def test_patch_needs_if_match_and_refuses_a_stale_one(
    path, payload, world, officer, staff_api
):
    campaign, patrol, case = world
    url = path.format(
        campaign=campaign.pk, patrol=patrol.pk, subject=case.subject_id, case=case.pk
    )
    api = staff_api(officer)
    etag = api.get(url)["ETag"]
    assert etag == '"1"'
    assert api.patch(url, payload, format="json").status_code == 428
    assert (
        api.patch(url, payload, format="json", HTTP_IF_MATCH='"7"').status_code == 412
    )
    done = api.patch(url, payload, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.json()
    assert done["ETag"] == '"2"'
    field, value = next(iter(payload.items()))
    assert done.json()[field] == value
    again = api.patch(url, payload, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412


def test_notices_carry_an_etag(world, officer, staff_api):
    _, _, case = world
    notice = issue(officer, case)
    response = staff_api(officer).get(f"/api/v1/rectification-notices/{notice.pk}/")
    assert response["ETag"] == f'"{notice.version}"'
