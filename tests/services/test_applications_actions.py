import datetime

import pytest
from django.test import override_settings

from core.choices import Role
from core.errors import IllegalTransition, StaleVersion, ValidationFailed
from core.models import CalendarOverride
from services.actions import applications as actions
from services.choices import (
    APPLICATION_WORKFLOW,
    ApplicationStatus,
    FollowUpStatus,
    MaterialStatus,
)
from services.models import Application, ApplicationEvent, EvaluationFollowUp
from tests.services.factories_applications import (
    JPEG_BYTES,
    PATHS,
    PNG_BYTES,
    advance,
    at,
    credit_code,
    intake,
    make_bundle,
    make_matter,
    refresh,
    run,
    upload,
    upload_required,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(staff_factory):
    return staff_factory(Role.DISTRICT_ADMIN)


@pytest.fixture
def clerk(staff_factory):
    return staff_factory(Role.CLERK)


@pytest.fixture
def reviewer(staff_factory):
    return staff_factory(Role.REVIEWER)


@pytest.fixture
def matter(department):
    return make_matter(department)


def ready(actor, matter, **kw):
    app = intake(actor, matter, **kw)
    upload_required(app, actor)
    return refresh(app)


# --- intake and numbers -------------------------------------------------------


def test_intake_numbers_are_consecutive_per_district_and_day(admin, matter):
    first = intake(admin, matter, now=at(2026, 11, 24))
    second = intake(admin, matter, now=at(2026, 11, 24, 15))
    next_day = intake(admin, matter, now=at(2026, 11, 25))
    assert first.number == "370871-20261124-00001"
    assert second.number == "370871-20261124-00002"
    assert next_day.number == "370871-20261125-00001"
    assert first.events.get().verb == "create"
    assert first.accepting_district == first.home_district
    assert first.department == matter.department


def test_intake_refuses_bad_id_and_unpublished_matter(admin, matter, department):
    with pytest.raises(ValidationFailed) as error:
        intake(admin, matter, applicant_id_number="370802199001011230")
    assert error.value.errors[0]["field"] == "applicant_id_number"
    draft = make_matter(department, status="draft")
    with pytest.raises(ValidationFailed):
        intake(admin, draft)
    assert Application.objects.count() == 0


def test_organisation_applicant_needs_a_valid_credit_code(admin, matter):
    app = intake(
        admin, matter, applicant_kind="organisation", applicant_id_number=credit_code()
    )
    assert app.applicant_kind == "organisation"
    with pytest.raises(ValidationFailed):
        intake(
            admin,
            matter,
            applicant_kind="organisation",
            applicant_id_number="91370800MA3C000001",
        )


def test_failed_intake_leaves_no_gap_in_numbers(admin, matter):
    intake(admin, matter, now=at(2026, 11, 24))
    with pytest.raises(ValidationFailed):
        intake(admin, matter, now=at(2026, 11, 24), delivery_method="mail")
    third = intake(admin, matter, now=at(2026, 11, 24))
    assert third.number.endswith("-00002")


# --- the transition table -----------------------------------------------------


@pytest.mark.parametrize("status", list(PATHS))
def test_every_status_is_reachable_with_one_event_per_step(admin, matter, status):
    app = advance(ready(admin, matter), admin, status)
    assert app.status == status
    events = list(app.events.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(PATHS[status]) + 2))
    assert [e.verb for e in events[1:]] == PATHS[status]
    assert app.last_event_sequence == len(events)
    assert app.version == 1 + len(PATHS[status])


def test_resubmit_after_correction(admin, matter):
    app = advance(ready(admin, matter), admin, "needs_correction")
    app = run("resubmit", app, admin)
    assert app.status == ApplicationStatus.SUBMITTED
    app = run("accept", app, admin)
    assert app.status == ApplicationStatus.ACCEPTED


ILLEGAL = [
    ("submitted", "approve"),
    ("submitted", "close"),
    ("needs_correction", "accept"),
    ("accepted", "accept"),
    ("in_review", "deliver"),
    ("approved", "withdraw"),
    ("denied", "issue_certificate"),
    ("closed", "withdraw"),
    ("withdrawn", "resubmit"),
    ("rejected", "accept"),
]


@pytest.mark.parametrize("status,verb", ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(admin, matter, status, verb):
    app = advance(ready(admin, matter), admin, status)
    before = (app.status, app.version, app.events.count())
    assert status not in APPLICATION_WORKFLOW[verb].sources
    extra = (
        {"note": "理由", "certificate_number": "X1"}
        if verb
        in (
            "withdraw",
            "issue_certificate",
        )
        else {}
    )
    if verb == "issue_certificate":
        extra.pop("note")
    if verb == "withdraw":
        extra.pop("certificate_number")
    with pytest.raises(IllegalTransition):
        run(verb, app, admin, **extra)
    app = refresh(app)
    assert (app.status, app.version, app.events.count()) == before


def test_stale_version_is_refused(admin, matter):
    app = ready(admin, matter)
    with pytest.raises(StaleVersion):
        actions.application_accept(
            actor=admin, application=app, expected_version=app.version + 5
        )
    assert refresh(app).status == ApplicationStatus.SUBMITTED


def test_role_decides_who_may_take_a_step(clerk, reviewer, matter):
    app = ready(clerk, matter)
    with pytest.raises(IllegalTransition):
        run("accept", app, reviewer)
    app = run("accept", app, clerk)
    with pytest.raises(IllegalTransition):
        run("start_review", app, clerk)
    assert [t.verb for t in actions.allowed_transitions(refresh(app), reviewer)] == [
        "start_review"
    ]
    assert {t.verb for t in actions.allowed_transitions(refresh(app), clerk)} == {
        "withdraw"
    }


def test_reject_needs_a_reason(admin, matter):
    app = ready(admin, matter)
    with pytest.raises(ValidationFailed):
        run("reject", app, admin, note="")


def test_mail_delivery_needs_a_tracking_number(admin, matter):
    app = advance(ready(admin, matter), admin, "certificate_issued")
    with pytest.raises(ValidationFailed) as error:
        run("deliver", app, admin, delivery_method="mail", carrier="EMS")
    assert {e["field"] for e in error.value.errors} == {
        "tracking_number",
        "delivery_address",
    }
    app = run("deliver", app, admin, delivery_method="pickup")
    assert app.status == "delivered" and app.delivered_at


# --- materials ----------------------------------------------------------------


def test_acceptance_needs_every_required_material(admin, matter):
    app = intake(admin, matter)
    photo = matter.materials.get(name="近期免冠照片")
    upload(app, admin, matter.materials.get(name="居民身份证"))
    with pytest.raises(ValidationFailed) as error:
        run("accept", app, admin)
    assert error.value.errors[0]["message"] == "缺少：近期免冠照片"
    upload(app, admin, photo, content=PNG_BYTES, name="p.png")
    assert run("accept", app, admin).status == "accepted"


def test_upload_checks_content_not_name(admin, matter):
    app = intake(admin, matter)
    with pytest.raises(ValidationFailed) as error:
        upload(app, admin, content=b"MZ\x90\x00 not a pdf", name="virus.pdf")
    assert error.value.errors[0]["code"] == "bad_type"
    material = upload(app, admin, content=JPEG_BYTES, name="photo.txt")
    assert material.content_type == "image/jpeg"
    assert len(material.sha256) == 64
    assert material.size == len(JPEG_BYTES)


@override_settings(UPLOAD_MAX_BYTES=100)
def test_upload_size_limit(admin, matter):
    app = intake(admin, matter)
    with pytest.raises(ValidationFailed) as error:
        upload(app, admin, content=b"%PDF-" + b"0" * 200)
    assert error.value.errors[0]["code"] == "too_large"
    assert app.materials.count() == 0
    upload(app, admin, content=b"%PDF-" + b"0" * 95)
    assert app.materials.count() == 1


def test_upload_refuses_a_90_megapixel_image(admin, matter):
    from tests.factories import huge_png

    app = intake(admin, matter)
    with pytest.raises(ValidationFailed) as error:
        upload(app, admin, content=huge_png(), name="scan.png")
    assert error.value.errors[0]["code"] == "image_too_large"
    assert app.materials.count() == 0


def test_upload_refuses_another_matters_requirement(admin, matter, department):
    other = make_matter(department, name="困难残疾人生活补贴")
    app = intake(admin, matter)
    with pytest.raises(ValidationFailed):
        upload(app, admin, other.materials.first())


def test_correction_marks_faulty_material_and_lists_everything(admin, matter):
    app = ready(admin, matter)
    faulty = app.materials.first()
    missing = matter.materials.get(name="其他证明")
    app = actions.application_request_correction(
        actor=admin,
        application=app,
        expected_version=app.version,
        missing=[missing],
        faulty=[(faulty, "照片模糊")],
        note="请一次补齐",
    )
    event = app.events.get(verb="request_correction")
    assert [i["problem"] for i in event.data["items"]] == ["缺少", "照片模糊"]
    faulty.refresh_from_db()
    assert faulty.status == MaterialStatus.FAULTY
    app = run("resubmit", app, admin)
    with pytest.raises(ValidationFailed):
        run("accept", app, admin)  # the faulty one no longer counts


# --- deadlines ----------------------------------------------------------------


def test_due_date_skips_the_national_day_week(admin, department):
    matter = make_matter(department, promised_days=5)
    app = ready(admin, matter, now=at(2026, 9, 28))
    app = run("accept", app, admin, now=at(2026, 9, 29))
    # 30 Sep, then 8, 9, 10 (make-up Saturday), 12 Oct.
    assert app.clock_start == D(2026, 9, 29)
    assert app.due_date == D(2026, 10, 12)
    assert app.due_provisional is False


def test_deemed_accepted_after_five_working_days_without_correction(admin, matter):
    # Received Wed 30 Sep 2026; window: 8, 9, 10, 12, 13 Oct.
    app = ready(admin, matter, now=at(2026, 9, 30))
    actions.application_deadlines_refresh(now=at(2026, 10, 13))
    assert refresh(app).deemed_accepted is False
    actions.application_deadlines_refresh(now=at(2026, 10, 14))
    app = refresh(app)
    assert app.deemed_accepted is True
    assert app.clock_start == D(2026, 9, 30)
    # 5 promised working days from 30 Sep: 8, 9, 10, 12, 13 Oct.
    assert app.due_date == D(2026, 10, 13)
    assert app.is_overdue is True
    app = run("accept", app, admin, now=at(2026, 10, 15))
    assert app.clock_start == D(2026, 9, 30)
    assert app.events.get(verb="accept").data["deemed"] is True


def test_correction_pauses_a_running_clock(admin, matter):
    app = ready(admin, matter, now=at(2026, 9, 30))
    actions.application_deadlines_refresh(now=at(2026, 10, 14))
    app = refresh(app)
    assert app.due_date == D(2026, 10, 13)
    # Late correction request on Wed 14 Oct; resubmitted Mon 19 Oct: 15, 16, 19 paused.
    app = run(
        "request_correction",
        app,
        admin,
        now=at(2026, 10, 14),
        missing=[matter.materials.get(name="其他证明")],
    )
    assert app.pause_started_on == D(2026, 10, 14)
    app = run("resubmit", app, admin, now=at(2026, 10, 19))
    assert app.paused_working_days == 3
    # 13 Oct + 3 working days = 16 Oct.
    assert app.due_date == D(2026, 10, 16)


def test_correction_before_acceptance_restarts_the_window(admin, matter):
    app = ready(admin, matter, now=at(2026, 9, 28))
    app = run(
        "request_correction",
        app,
        admin,
        now=at(2026, 9, 29),
        missing=[matter.materials.get(name="其他证明")],
    )
    app = run("resubmit", app, admin, now=at(2026, 10, 9))
    assert app.received_on == D(2026, 10, 9)
    assert app.clock_start is None
    app = run("accept", app, admin, now=at(2026, 10, 12))
    assert (app.clock_start, app.deemed_accepted) == (D(2026, 10, 12), False)
    # 13, 14, 15, 16, 19 Oct.
    assert app.due_date == D(2026, 10, 19)


def test_near_due_and_overdue_flags_and_idempotent_check(admin, matter):
    app = ready(admin, matter, now=at(2026, 11, 2))
    app = run("accept", app, admin, now=at(2026, 11, 2))
    assert app.due_date == D(2026, 11, 9)
    counts = actions.application_deadlines_refresh(now=at(2026, 11, 5))
    app = refresh(app)
    assert (app.is_near_due, app.is_overdue) == (True, False)
    assert counts["changed"] == 1  # became near-due on 5 Nov
    again = actions.application_deadlines_refresh(now=at(2026, 11, 5))
    assert again["changed"] == 0
    actions.application_deadlines_refresh(now=at(2026, 11, 10))
    app = refresh(app)
    assert (app.is_near_due, app.is_overdue) == (False, True)
    assert app.version == 2  # flags never bump the version


def test_decision_before_due_date_is_never_overdue(admin, matter):
    app = ready(admin, matter, now=at(2026, 11, 2))
    app = advance(app, admin, "approved", now=at(2026, 11, 3))
    actions.application_deadlines_refresh(now=at(2026, 12, 30))
    assert refresh(app).is_overdue is False


def test_due_date_in_an_unpublished_year_is_provisional(admin, matter):
    app = ready(admin, matter, now=at(2026, 12, 28))
    app = run("accept", app, admin, now=at(2026, 12, 29))
    assert app.due_date == D(2027, 1, 5)
    assert app.due_provisional is True
    CalendarOverride.objects.create(date=D(2027, 1, 1), kind="holiday")
    app2 = ready(admin, matter, now=at(2026, 12, 28))
    app2 = run("accept", app2, admin, now=at(2026, 12, 29))
    assert app2.due_provisional is False


# --- 一件事 ---------------------------------------------------------------------


def test_bundle_makes_a_parent_and_a_child_per_matter(admin, department):
    matters = [
        make_matter(department, name=name)
        for name in ("残疾人证办理", "困难残疾人生活补贴", "重度残疾人护理补贴")
    ]
    parent = intake(admin, bundle=make_bundle(matters))
    children = list(parent.children.order_by("pk"))
    assert [c.matter for c in children] == matters
    numbers = [parent.number] + [c.number for c in children]
    assert [n[-5:] for n in numbers] == ["00001", "00002", "00003", "00004"]
    assert {c.applicant_id_number for c in children} == {parent.applicant_id_number}
    # Common materials uploaded once to the parent count for every child.
    for requirement in matters[0].materials.filter(required=True):
        upload(parent, admin, requirement)
    assert actions.missing_requirements(children[1]) == []
    with pytest.raises(IllegalTransition):
        run("withdraw", parent, admin, note="x")
    advance(children[0], admin, "closed")
    advance(children[1], admin, "rejected")
    assert refresh(parent).status == ApplicationStatus.SUBMITTED
    advance(children[2], admin, "withdrawn")
    parent = refresh(parent)
    assert parent.status == ApplicationStatus.CLOSED
    assert parent.events.last().verb == "complete_bundle"


# --- 好差评 and documents -------------------------------------------------------


def test_bad_evaluation_opens_a_follow_up_with_working_day_deadline(admin, matter):
    app = advance(ready(admin, matter), admin, "closed")
    evaluation = actions.evaluation_submit(
        actor=admin,
        application=app,
        level=2,
        comment="等待时间太长",
        now=at(2026, 9, 30),
    )
    follow_up = evaluation.follow_up
    assert follow_up.due_date == D(2026, 10, 13)
    assert follow_up.department == matter.department
    with pytest.raises(IllegalTransition):
        actions.evaluation_submit(actor=admin, application=app, level=5)
    actions.application_deadlines_refresh(now=at(2026, 10, 14))
    follow_up.refresh_from_db()
    assert follow_up.is_overdue is True
    answered = actions.evaluation_followup_answer(
        actor=admin, follow_up=follow_up, outcome="callback", answer="已电话回访并致歉"
    )
    assert answered.status == FollowUpStatus.ANSWERED
    with pytest.raises(IllegalTransition):
        actions.evaluation_followup_answer(
            actor=admin, follow_up=follow_up, outcome="fixed", answer="again"
        )


def test_good_evaluation_opens_no_follow_up(admin, matter):
    app = ready(admin, matter)
    actions.evaluation_submit(actor=admin, application=app, level=5)
    assert EvaluationFollowUp.objects.count() == 0
    with pytest.raises(ValidationFailed):
        actions.evaluation_submit(
            actor=admin, application=ready(admin, matter), level=9
        )


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    "status,kind,title",
    [
        ("accepted", "acceptance", "受理通知书"),
        ("needs_correction", "correction", "一次性告知书"),
        ("rejected", "rejection", "不予受理通知书"),
    ],
)
def test_notices_carry_number_and_district_name(admin, matter, status, kind, title):
    app = advance(ready(admin, matter), admin, status)
    rendered = actions.application_document_issue(
        actor=admin, application=app, kind=kind
    )
    text = _pdf_text(rendered.content)
    assert title in text
    assert app.number in text
    assert "济宁经济技术开发区" in text
    assert app.documents.get().sha256 == rendered.sha256
    if kind == "correction":
        assert "其他证明" in text


def test_viewing_a_notice_records_it_once_and_never_for_a_read_only_user(
    admin, matter, staff_factory
):
    from services.models import ApplicationDocument

    app = advance(ready(admin, matter), admin, "accepted")
    viewer = staff_factory(Role.READ_ONLY)
    seen = actions.application_document_issue(
        actor=viewer, application=app, kind="acceptance"
    )
    assert seen.content.startswith(b"%PDF")
    assert not ApplicationDocument.objects.exists()
    first = actions.application_document_issue(
        actor=admin, application=app, kind="acceptance"
    )
    again = actions.application_document_issue(
        actor=admin, application=app, kind="acceptance"
    )
    # The same notice, the same bytes: one record of it.
    assert first.sha256 == again.sha256 == seen.sha256
    assert ApplicationDocument.objects.filter(application=app).count() == 1


def test_notice_before_its_step_is_refused(admin, matter):
    app = ready(admin, matter)
    with pytest.raises(IllegalTransition):
        actions.application_document_issue(
            actor=admin, application=app, kind="acceptance"
        )


def test_events_record_actor_and_district(clerk, matter):
    app = run("accept", ready(clerk, matter), clerk)
    event = ApplicationEvent.objects.get(application=app, verb="accept")
    assert event.actor == clerk
    assert event.district.code == "370871"
    assert (event.from_status, event.to_status) == ("submitted", "accepted")
