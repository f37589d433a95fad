"""API: scoping (404), masking, verbs with If-Match, errors, query counts, figures."""

import hashlib
import re
import uuid

import pytest

from core.choices import Role
from enforcement.models import Case, Patrol, Subject
from tests.enforcement.factories import (
    credit_code,
    days_ago,
    issue,
    make_campaign,
    make_case,
    make_patrol,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(officer, zhzf):
    campaign = make_campaign(officer, zhzf)
    patrol = make_patrol(officer, campaign, on=days_ago(30))
    case = make_case(officer, patrol)
    return campaign, patrol, case


@pytest.fixture
def outsider(staff_factory, department):
    return staff_factory(Role.OFFICER, department=department)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/{campaign}/",
        "/api/v1/patrols/{patrol}/",
        "/api/v1/enforcement/cases/{case}/",
        "/api/v1/enforcement/subjects/{subject}/",
        "/api/v1/rectification-notices/{notice}/",
        "/api/v1/reinspections/{reinspection}/",
        "/api/v1/disposals/{disposal}/",
    ],
)
def test_other_departments_records_are_404(path, world, officer, outsider, staff_api):
    from enforcement import actions

    campaign, patrol, case = world
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
        patrol=patrol,
        kind="waste_pile_cleared",
        quantity=2,
        disposed_on=days_ago(1),
    )
    url = path.format(
        campaign=campaign.pk,
        patrol=patrol.pk,
        case=case.pk,
        subject=case.subject_id,
        notice=notice.pk,
        reinspection=reinspection.pk,
        disposal=disposal.pk,
    )
    assert staff_api(officer).get(url).status_code == 200
    response = staff_api(outsider).get(url)
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


def test_joint_department_staff_see_the_campaign(
    world, staff_factory, local_district, staff_api
):
    from core.models import Department

    campaign, _, case = world
    jj = Department.objects.get(district=local_district, code="JJ")
    campaign.joint_departments.add(jj)
    traffic = staff_factory(Role.OFFICER, department=jj)
    assert (
        staff_api(traffic).get(f"/api/v1/enforcement/cases/{case.pk}/").status_code
        == 200
    )


def test_partner_sees_no_enforcement_records(world, partner_api):
    response = partner_api.get("/api/v1/enforcement/cases/")
    assert response.status_code in (403, 404)


def test_subject_numbers_are_masked_without_permission(
    world, officer, staff_api, admin_user
):
    _, _, case = world
    url = f"/api/v1/enforcement/subjects/{case.subject_id}/"
    masked = staff_api(officer).get(url).json()["credit_code"]
    assert "*" in masked and masked != case.subject.credit_code
    admin_user.is_superuser = True
    admin_user.save()
    assert (
        staff_api(admin_user).get(url).json()["credit_code"] == case.subject.credit_code
    )


def test_subject_with_bad_checksum_is_400_and_stores_nothing(officer, staff_api):
    code = credit_code()
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = staff_api(officer).post(
        "/api/v1/enforcement/subjects/",
        {"kind": "enterprise", "name": "某公司", "credit_code": bad},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"][0]["field"] == "credit_code"
    assert body["errors"][0]["code"] == "invalid_checksum"
    assert not Subject.objects.exists()


def test_case_verbs_need_if_match_and_refuse_illegal_transitions(
    world, officer, staff_api
):
    _, _, case = world
    api = staff_api(officer)
    url = f"/api/v1/enforcement/cases/{case.pk}/"
    etag = api.get(url)["ETag"]
    assert etag == f'"{case.version}"'
    assert api.post(url + "close/", {}, format="json").status_code == 428
    assert (
        api.post(url + "close/", {}, format="json", HTTP_IF_MATCH='"99"').status_code
        == 412
    )
    response = api.post(url + "close/", {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert response.json()["type"] == "illegal_transition"


def test_issue_notice_via_api_then_fetch_pdf(world, officer, staff_api):
    _, _, case = world
    api = staff_api(officer)
    url = f"/api/v1/enforcement/cases/{case.pk}/"
    response = api.post(
        url + "issue-notice/",
        {
            "issued_on": days_ago(3).isoformat(),
            "deadline": days_ago(-4).isoformat(),
            "requirements": "移除占道车辆",
            "served_to": "孙某某",
        },
        format="json",
        HTTP_IF_MATCH=f'"{case.version}"',
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "notice_issued"
    assert body["status_display"] == "已下达整改通知"
    assert response["ETag"] == f'"{body["version"]}"'
    notice = api.get(f"/api/v1/rectification-notices/{body['notice']['id']}/").json()
    pdf = api.get(notice["pdf_url"])
    content = b"".join(pdf.streaming_content)
    assert hashlib.sha256(content).hexdigest() == notice["pdf_sha256"]


def test_create_patrol_and_case_via_api_with_idempotency(world, officer, staff_api):
    campaign, _, _ = world
    api = staff_api(officer)
    key = str(uuid.uuid4())
    payload = {
        "campaign": campaign.pk,
        "patrol_date": days_ago(2).isoformat(),
        "place": "吉祥路南段",
        "officers": 9,
        "methods": ["broadcast", "persuasion"],
    }
    first = api.post(
        "/api/v1/patrols/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = api.post(
        "/api/v1/patrols/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Patrol.objects.filter(place="吉祥路南段").count() == 1
    assert first.json()["methods_display"] == ["车辆广播", "宣传劝导"]


def test_case_create_refuses_invisible_subject(world, officer, outsider, staff_api):
    _, patrol, case = world
    response = staff_api(outsider).post(
        "/api/v1/enforcement/cases/",
        {
            "subject": case.subject_id,
            "violation_type": "road_occupation",
            "facts": "占道",
            "address": "吉祥路",
        },
        format="json",
    )
    assert response.status_code == 400
    assert Case.objects.count() == 1


def test_campaign_figures_endpoint(world, officer, staff_api):
    campaign, patrol, _ = world
    api = staff_api(officer)
    body = api.get(f"/api/v1/campaigns/{campaign.pk}/figures/").json()
    assert body["officer_dispatches"] == patrol.officers
    assert body["cases"] == 1
    empty = api.get(
        f"/api/v1/campaigns/{campaign.pk}/figures/?date_before={days_ago(100).isoformat()}"
    ).json()
    assert empty["officer_dispatches"] == 0
    bad = api.get(f"/api/v1/campaigns/{campaign.pk}/figures/?date_after=yesterday")
    assert bad.status_code == 400


@pytest.mark.parametrize("value", ["٢٠٢٦-٠١-٠١", "20260101", "2026-W01-1"])
def test_campaign_figures_refuse_a_date_not_written_yyyy_mm_dd(
    world, officer, staff_api, value
):
    """Django's parse_date read Arabic-Indic digits, fromisoformat "20260101"."""
    campaign, _, _ = world
    response = staff_api(officer).get(
        f"/api/v1/campaigns/{campaign.pk}/figures/", {"date_after": value}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date_after"


def test_campaign_figures_with_an_empty_date_count_everything(
    world, officer, staff_api
):
    campaign, patrol, _ = world
    response = staff_api(officer).get(
        f"/api/v1/campaigns/{campaign.pk}/figures/", {"date_after": ""}
    )
    assert response.json()["officer_dispatches"] == patrol.officers


def test_notice_due_filter(world, officer, staff_api):
    _, patrol, case = world
    due = issue(officer, case, issued=days_ago(20), deadline=days_ago(1))
    later = issue(officer, make_case(officer, patrol), deadline=days_ago(-30))
    results = staff_api(officer).get("/api/v1/rectification-notices/?due=true").json()
    numbers = [r["number"] for r in results["results"]]
    assert due.number in numbers and later.number not in numbers


def test_case_overdue_filter(world, officer, staff_api):
    _, patrol, case = world
    issue(officer, case, issued=days_ago(20), deadline=days_ago(1))
    other = make_case(officer, patrol)
    results = staff_api(officer).get("/api/v1/enforcement/cases/?overdue=true").json()
    ids = [r["id"] for r in results["results"]]
    assert ids == [case.pk] and other.pk not in ids


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/",
        "/api/v1/patrols/",
        "/api/v1/enforcement/cases/",
        "/api/v1/enforcement/subjects/",
        "/api/v1/rectification-notices/",
        "/api/v1/reinspections/",
        "/api/v1/disposals/",
    ],
)
def test_list_query_counts_do_not_grow_with_page_size(
    path, officer, zhzf, staff_api, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enforcement import actions

    for n in range(7):
        campaign = make_campaign(officer, zhzf)
        patrol = make_patrol(officer, campaign, on=days_ago(30))
        case = make_case(officer, patrol)
        issue(officer, case, issued=days_ago(20), deadline=days_ago(10))
        case.refresh_from_db()
        actions.reinspection_record(
            actor=officer,
            case=case,
            expected_version=case.version,
            inspected_on=days_ago(5),
            outcome="failed",
        )
        actions.disposal_record(
            actor=officer,
            patrol=patrol,
            kind="waste_pile_cleared",
            quantity=n + 1,
            disposed_on=days_ago(1),
        )
    api = staff_api(officer)
    api.get(path)  # warm the permission cache of the user
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"{path}?page_size={size}")
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(api.get(f"{path}?page_size=5").json()["results"]) == 5
    assert counts[0] == counts[1] <= 3


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_evidence_photo_upload_and_bad_upload(world, officer, staff_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, _, case = world
    api = staff_api(officer)
    url = f"/api/v1/enforcement/cases/{case.pk}/photos/"
    ok = api.post(
        url,
        {"image": SimpleUploadedFile("a.png", _png(), "image/png"), "caption": "占道"},
        format="multipart",
    )
    assert ok.status_code == 201, ok.json()
    bad = api.post(
        url,
        {"image": SimpleUploadedFile("a.png", b"not an image", "image/png")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "image"
    assert case.photos.count() == 1


def test_a_90_megapixel_evidence_photo_is_refused(world, officer, staff_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import huge_png

    _, _, case = world
    response = staff_api(officer).post(
        f"/api/v1/enforcement/cases/{case.pk}/photos/",
        {"image": SimpleUploadedFile("a.png", huge_png(), "image/png")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "image"
    assert case.photos.count() == 0


def test_unknown_fields_are_refused(world, officer, staff_api):
    _, _, case = world
    response = staff_api(officer).post(
        f"/api/v1/enforcement/cases/{case.pk}/cancel/",
        {"reason": "误登", "status": "closed"},
        format="json",
        HTTP_IF_MATCH=f'"{case.version}"',
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_field"
    case.refresh_from_db()
    assert case.status == "registered"


def test_patch_case_needs_if_match_and_only_open_cases_change(
    world, officer, staff_api
):
    _, _, case = world
    api = staff_api(officer)
    url = f"/api/v1/enforcement/cases/{case.pk}/"
    assert api.patch(url, {"address": "吉祥路北段"}, format="json").status_code == 428
    response = api.patch(
        url, {"address": "吉祥路北段"}, format="json", HTTP_IF_MATCH=f'"{case.version}"'
    )
    assert response.status_code == 200
    assert response.json()["address"] == "吉祥路北段"
    assert response["ETag"] == f'"{case.version + 1}"'
    refused = api.patch(
        url, {"status": "closed"}, format="json", HTTP_IF_MATCH=f'"{case.version + 1}"'
    )
    assert refused.status_code == 400
    assert api.put(url, {}, format="json").status_code == 405


def test_patrol_photo_upload(world, officer, staff_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, patrol, _ = world
    response = staff_api(officer).post(
        f"/api/v1/patrols/{patrol.pk}/photos/",
        {
            "image": SimpleUploadedFile("b.png", _png(), "image/png"),
            "caption": "标语条幅",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert patrol.photos.get().caption == "标语条幅"


def test_an_english_caller_reads_english_but_the_record_stays_chinese(
    world, officer, staff_api
):
    _, _, case = world
    response = staff_api(officer).post(
        f"/api/v1/enforcement/cases/{case.pk}/issue-notice/",
        {
            "issued_on": days_ago(3).isoformat(),
            "deadline": days_ago(-4).isoformat(),
            "requirements": "移除占道车辆",
            "served_to": "孙某某",
        },
        format="json",
        HTTP_IF_MATCH=f'"{case.version}"',
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status_display"] == "Notice issued"
    step = case.steps.get(verb="issue_notice")
    assert "整改期限" in step.note
    assert not re.search("[A-Za-z]", step.note), step.note  # the date too
