import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import Role
from core.models import User
from services.models import Application
from tests.services.factories_applications import (
    advance,
    intake,
    make_bundle,
    make_matter,
    person_id,
    refresh,
    upload_required,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(staff_factory):
    return staff_factory(Role.CLERK)


@pytest.fixture
def matter(department):
    return make_matter(department)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_queue_url_name_is_linked_from_navigation(client, clerk):
    response = signed_in(client, clerk).get("/")
    assert reverse("services:application-queue") in response.content.decode()


@pytest.mark.parametrize("page_size", [5, 50])
def test_queue_page_query_count_is_fixed(client, clerk, matter, page_size):
    for _ in range(55):
        intake(clerk, matter)
    signed_in(client, User.objects.get(pk=clerk.pk))
    url = reverse("services:application-queue") + f"?page_size={page_size}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == page_size
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("COUNT(" in q for q in sql)
    # the same whatever the page size (measured at 5 and at 50)
    assert len(sql) == QUEUE_QUERIES, "\n".join(sql)


# session, user, department, district, 2 perms, role names, the page, district
# name, and the filter form's choices (matters, 3 district lists)
QUEUE_QUERIES = 13


def test_reviewer_queue_shows_only_work_to_review(client, clerk, staff_factory, matter):
    submitted = intake(clerk, matter)
    accepted = intake(clerk, matter)
    upload_required(accepted, clerk)
    accepted = advance(accepted, clerk, "accepted")
    reviewer = staff_factory(Role.REVIEWER)
    response = signed_in(client, reviewer).get(reverse("services:application-queue"))
    numbers = [a.number for a in response.context["object_list"]]
    assert numbers == [accepted.number]
    assert submitted.number not in response.content.decode()


def test_detail_shows_buttons_for_exactly_the_allowed_steps(client, clerk, matter):
    app = intake(clerk, matter)
    response = signed_in(client, clerk).get(app.get_absolute_url())
    verbs = {t.verb for t in response.context["transitions"]}
    assert verbs == {"request_correction", "accept", "reject", "withdraw"}
    html = response.content.decode()
    assert 'data-verb="approve"' not in html
    assert "370802********" in html  # masked ID
    assert (
        reverse("core:record-history", args=["services", "application", app.pk]) in html
    )


def test_other_department_gets_404_on_the_detail_page(
    client, clerk, staff_factory, other_department, matter
):
    app = intake(clerk, matter)
    outsider = staff_factory(Role.CLERK, department=other_department)
    assert signed_in(client, outsider).get(app.get_absolute_url()).status_code == 404


def test_transition_with_stale_version_shows_a_message_and_changes_nothing(
    client, clerk, matter
):
    app = intake(clerk, matter)
    upload_required(app, clerk)
    url = reverse("services:application-transition", args=[app.pk, "accept"])
    response = signed_in(client, clerk).post(url, {"version": "0"}, follow=True)
    assert "记录已被他人修改" in response.content.decode()
    assert refresh(app).status == "submitted"
    version = refresh(app).version
    response = client.post(url, {"version": version}, follow=True)
    assert refresh(app).status == "accepted"
    assert "已受理" in response.content.decode()


def test_illegal_transition_from_the_page_is_a_message(client, clerk, matter):
    app = intake(clerk, matter)
    url = reverse("services:application-transition", args=[app.pk, "close"])
    response = signed_in(client, clerk).post(url, {"version": app.version}, follow=True)
    assert "不能进行“办结”" in response.content.decode()
    assert refresh(app).status == "submitted"


def test_intake_form_for_a_matter(client, clerk, matter):
    signed_in(client, clerk)
    url = reverse("services:application-create")
    assert client.get(url + f"?matter={matter.pk}").status_code == 200
    bad = client.post(
        url,
        {
            "matter": matter.pk,
            "applicant_kind": "person",
            "applicant_name": "李桂兰",
            "applicant_id_number": "370802199001011230",
            "applicant_phone": "13905376789",
            "channel": "window",
            "delivery_method": "pickup",
        },
    )
    assert bad.status_code == 400
    assert "身份证号校验位错误" in bad.content.decode()
    assert Application.objects.count() == 0
    ok = client.post(
        url,
        {
            "matter": matter.pk,
            "applicant_kind": "person",
            "applicant_name": "李桂兰",
            "applicant_id_number": person_id(),
            "applicant_phone": "13905376789",
            "channel": "window",
            "delivery_method": "pickup",
        },
    )
    app = Application.objects.get()
    assert ok.status_code == 302 and ok["Location"] == app.get_absolute_url()


def test_intake_form_for_a_bundle(client, clerk, department):
    bundle = make_bundle(
        [
            make_matter(department, name=n)
            for n in ("残疾人证办理", "困难残疾人生活补贴")
        ]
    )
    signed_in(client, clerk).post(
        reverse("services:application-create"),
        {
            "bundle": bundle.pk,
            "applicant_kind": "person",
            "applicant_name": "李桂兰",
            "applicant_id_number": person_id(),
            "applicant_phone": "13905376789",
            "channel": "proxy",
            "delivery_method": "pickup",
        },
    )
    parent = Application.objects.get(parent=None)
    assert parent.children.count() == 2
    assert parent.proxy_staff == clerk


def test_notice_pdf_page(client, clerk, matter):
    app = advance(intake(clerk, matter), clerk, "needs_correction")
    response = signed_in(client, clerk).get(
        reverse("services:application-document", args=[app.pk, "correction"])
    )
    assert response["Content-Type"] == "application/pdf"


def test_near_due_and_overdue_pages(client, clerk, matter):
    signed_in(client, clerk)
    assert client.get(reverse("services:application-overdue")).status_code == 200
    assert client.get(reverse("services:application-near-due")).status_code == 200


def test_public_progress_page_is_rate_limited(client, clerk, matter):
    app = intake(clerk, matter)
    url = reverse("services:progress-lookup")
    found = client.get(url, {"number": app.number, "phone_last4": "1234"})
    assert found.status_code == 200 and "已提交" in found.content.decode()
    assert "张秀英" not in found.content.decode()
    missing = client.get(url, {"number": app.number, "phone_last4": "9999"})
    assert "未找到该办件" in missing.content.decode()
    codes = [
        client.get(url, {"number": "x", "phone_last4": "1234"}).status_code
        for _ in range(4)
    ]
    assert codes[-1] == 429


def test_material_upload_page_refuses_wrong_type(client, clerk, matter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = intake(clerk, matter)
    url = reverse("services:application-material-upload", args=[app.pk])
    response = signed_in(client, clerk).post(
        url, {"file": SimpleUploadedFile("a.pdf", b"<html>not pdf</html>")}, follow=True
    )
    assert "只接受 PDF、JPEG、PNG" in response.content.decode()
    assert app.materials.count() == 0


def test_bad_evaluation_and_follow_up_answer_from_pages(
    client, clerk, staff_factory, matter
):
    app = intake(clerk, matter)
    signed_in(client, clerk).post(
        reverse("services:application-evaluation", args=[app.pk]),
        {"level": "2", "comment": "材料要求没有一次说清楚"},
    )
    follow_up = app.evaluation.follow_up
    reviewer = staff_factory(Role.REVIEWER)
    page = signed_in(client, reviewer).get(reverse("services:evaluation-followups"))
    assert "材料要求没有一次说清楚" in page.content.decode()
    client.post(
        reverse("services:evaluation-followup-answer", args=[follow_up.pk]),
        {"outcome": "fixed", "answer": "已修订一次性告知清单"},
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "answered" and follow_up.answered_by == reviewer
