"""Staff pages: the campaign figures, patrol entry, case registration and workflow."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from enforcement import deadlines
from enforcement.models import Case
from tests.enforcement.factories import (
    days_ago,
    issue,
    make_campaign,
    make_case,
    make_patrol,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(officer, zhzf):
    return make_campaign(officer, zhzf)


def test_campaign_list_shows_figures(client, officer, campaign):
    make_patrol(officer, campaign, officers=17)
    client.force_login(officer)
    response = client.get(reverse("enforcement:campaign-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert campaign.name in html
    assert 'data-figure="officer_dispatches">17<' in html


def test_patrol_entry_creates_the_patrol(client, officer, campaign):
    client.force_login(officer)
    url = reverse("enforcement:patrol-create", args=[campaign.pk])
    response = client.post(
        url,
        {
            "patrol_date": days_ago(1).isoformat(),
            "place": "吉祥路北段",
            "officers": "14",
            "vehicles": "3",
            "methods": ["broadcast", "banner"],
            "findings": "占道停放",
        },
    )
    assert response.status_code == 302
    patrol = campaign.patrols.get()
    assert patrol.officers == 14 and patrol.methods == ["broadcast", "banner"]


def test_case_registration_with_bad_credit_code_shows_field_error(
    client, officer, campaign
):
    patrol = make_patrol(officer, campaign)
    client.force_login(officer)
    response = client.post(
        reverse("enforcement:case-create", args=[patrol.pk]),
        {
            "subject_kind": "sole_trader",
            "subject_name": "某二手车行",
            "credit_code": "92370800MA3C000011",
            "violation_type": "road_occupation",
            "facts": "占道",
            "address": "吉祥路",
            "registered_on": patrol.patrol_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert not Case.objects.exists()


def test_illegal_transition_on_page_keeps_the_state(client, officer, campaign):
    # An error about the case itself redirects to the case (post/redirect/get),
    # so refreshing the page does not post the step again.
    case = make_case(officer, make_patrol(officer, campaign))
    client.force_login(officer)
    response = client.post(
        reverse("enforcement:case-verb", args=[case.pk, "close"]),
        {"version": case.version},
    )
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    page = client.get(response["Location"])
    assert "不能进行“结案”" in page.content.decode()
    case.refresh_from_db()
    assert case.status == "registered"


def test_a_step_with_a_wrong_field_re_renders_the_form_with_the_error(
    client, officer, campaign
):
    # An error about what was typed keeps the form and its input to correct.
    case = make_case(officer, make_patrol(officer, campaign))
    client.force_login(officer)
    response = client.post(
        reverse("enforcement:case-verb", args=[case.pk, "issue-notice"]),
        {
            "version": case.version,
            "issued_on": case.registered_on.isoformat(),
            "deadline": (case.registered_on - datetime.timedelta(days=1)).isoformat(),
            "requirements": "移除占道车辆",
            "served_to": "孙某某",
            "served_how": "in_person",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "整改期限不能早于" in html
    assert "移除占道车辆" in html
    case.refresh_from_db()
    assert case.status == "registered"


def test_case_page_shows_a_step_made_by_the_deadline_check(client, officer, campaign):
    case = make_case(officer, make_patrol(officer, campaign), on=days_ago(20))
    issue(officer, case, issued=days_ago(20), deadline=days_ago(5))
    deadlines.check(now=timezone.now())
    client.force_login(officer)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "逾期未整改</strong>" in html and "· 系统<span" in html


def test_case_detail_shows_transitions_allowed_now(client, officer, campaign):
    case = make_case(officer, make_patrol(officer, campaign))
    client.force_login(officer)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'id="verb-issue_notice"' in html and 'id="verb-cancel"' in html
    assert 'id="verb-close"' not in html


def test_subject_id_is_masked_without_permission(client, officer, campaign):
    case = make_case(officer, make_patrol(officer, campaign))
    client.force_login(officer)
    html = client.get(case.get_absolute_url()).content.decode()
    code = case.subject.credit_code
    assert code not in html
    assert code[:6] + "********" + code[-4:] in html


def test_other_departments_case_is_404(
    client, officer, campaign, staff_factory, department
):
    case = make_case(officer, make_patrol(officer, campaign))
    outsider = staff_factory(Role.OFFICER, department=department)
    client.force_login(outsider)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(campaign.get_absolute_url()).status_code == 404


def test_notice_pdf_is_the_stored_document(client, officer, campaign):
    import hashlib

    case = make_case(officer, make_patrol(officer, campaign))
    notice = issue(officer, case)
    client.force_login(officer)
    response = client.get(reverse("enforcement:notice-pdf", args=[notice.pk]))
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == notice.pdf_sha256


@pytest.mark.parametrize("size", [5, 50])
def test_case_list_query_count_does_not_grow(
    client, officer, campaign, size, django_assert_num_queries
):
    patrol = make_patrol(officer, campaign)
    for _ in range(6):
        issue(officer, make_case(officer, patrol))
    client.force_login(officer)
    url = reverse("enforcement:case-list") + f"?page_size={size}&campaign={campaign.pk}"
    client.get(url)  # warm the session
    with django_assert_num_queries(CASE_LIST_QUERIES):
        assert client.get(url).status_code == 200


def test_notices_due_page_lists_past_deadline_notices(client, officer, campaign):
    patrol = make_patrol(officer, campaign, on=days_ago(20))
    due = issue(officer, make_case(officer, patrol), deadline=days_ago(2))
    later = issue(officer, make_case(officer, patrol), deadline=days_ago(-20))
    client.force_login(officer)
    html = client.get(reverse("enforcement:notice-list")).content.decode()
    assert due.number in html and later.number not in html


# (one of them: the district of the user, which every scope asks)
CASE_LIST_QUERIES = 12
_ = datetime


def test_evidence_photo_upload_on_the_page(client, officer, campaign):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    case = make_case(officer, make_patrol(officer, campaign))
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    client.force_login(officer)
    response = client.post(
        reverse("enforcement:case-photo-add", args=[case.pk]),
        {
            "image": SimpleUploadedFile("p.jpg", buffer.getvalue(), "image/jpeg"),
            "caption": "人行道停车",
        },
    )
    assert response.status_code == 302
    photo = case.photos.get()
    served = client.get(reverse("enforcement:case-photo", args=[case.pk, photo.pk]))
    assert served.status_code == 200
    assert "人行道停车" in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize("extra_campaigns", [1, 6])
def test_campaign_list_queries_do_not_grow_with_campaigns(
    client, officer, zhzf, extra_campaigns, django_assert_num_queries
):
    for _ in range(extra_campaigns):
        c = make_campaign(officer, zhzf)
        make_patrol(officer, c)
    client.force_login(officer)
    url = reverse("enforcement:campaign-list")
    client.get(url)
    with django_assert_num_queries(CAMPAIGN_LIST_QUERIES):
        assert client.get(url).status_code == 200


CAMPAIGN_LIST_QUERIES = 13


def test_patrol_photo_upload_and_bad_file(client, officer, campaign):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    patrol = make_patrol(officer, campaign)
    client.force_login(officer)
    url = reverse("enforcement:patrol-photo-add", args=[patrol.pk])
    bad = client.post(
        url, {"image": SimpleUploadedFile("x.jpg", b"nope", "image/jpeg")}
    )
    assert bad.status_code == 302 and not patrol.photos.exists()
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    client.post(
        url,
        {
            "image": SimpleUploadedFile("x.png", buffer.getvalue(), "image/png"),
            "caption": "车辆广播",
        },
    )
    photo = patrol.photos.get()
    assert (
        client.get(
            reverse("enforcement:patrol-photo", args=[patrol.pk, photo.pk])
        ).status_code
        == 200
    )


# --- campaign steps on the page ---------------------------------------------


def _step(client, campaign, verb="conclude"):
    url = reverse("enforcement:campaign-step", args=[campaign.pk, verb])
    return client.post(url, {"version": campaign.version, "note": ""})


def test_campaign_step_page_concludes_the_lead_departments_campaign(
    client, officer, campaign
):
    client.force_login(officer)
    response = _step(client, campaign)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "concluded"


def test_campaign_step_is_403_for_staff_without_the_permission_before_any_lookup(
    client, campaign, staff_factory, zhzf
):
    """A 只读 officer of the lead department reads the campaign but may not steer it:
    refused before the row is looked up, so a missing campaign answers the same."""
    reader = staff_factory(Role.READ_ONLY, department=zhzf, username="reader")
    client.force_login(reader)
    assert client.get(campaign.get_absolute_url()).status_code == 200
    assert _step(client, campaign).status_code == 403
    ghost = reverse("enforcement:campaign-step", args=[987654321, "conclude"])
    assert client.post(ghost, {"version": 1}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == "active"


def test_campaign_step_is_404_for_other_departments_and_partner_staff(
    client, campaign, staff_factory, department, partner_district
):
    from core.models import Department

    partner_department = Department.objects.create(
        district=partner_district, code="ZF", name="潍坊滨海综合执法局"
    )
    for outsider in (
        staff_factory(Role.OFFICER, department=department, username="o-xzsp"),
        staff_factory(Role.OFFICER, department=partner_department, username="o-wf"),
    ):
        client.force_login(outsider)
        assert _step(client, campaign).status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == "active"
