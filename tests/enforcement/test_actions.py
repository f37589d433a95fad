"""Actions: numbering under concurrency, the workflow rules, the notice PDF."""

import datetime
import re
import threading

import pytest
from django.db import connection
from pypdf import PdfReader

from core.errors import IllegalTransition, StaleVersion, ValidationFailed
from enforcement import actions
from enforcement.models import Case, RectificationNotice
from tests.enforcement.factories import (
    days_ago,
    issue,
    make_campaign,
    make_case,
    make_patrol,
)


@pytest.fixture
def setup(officer, zhzf):
    campaign = make_campaign(officer, zhzf)
    return officer, make_patrol(officer, campaign, on=days_ago(30))


@pytest.mark.django_db(transaction=True)
def test_concurrent_notice_issues_get_distinct_consecutive_numbers(setup):
    officer, patrol = setup
    cases = [make_case(officer, patrol) for _ in range(8)]
    barrier = threading.Barrier(len(cases))
    errors = []

    def run(case):
        try:
            barrier.wait()
            issue(officer, case)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    year = patrol.patrol_date.year
    serials = sorted(
        RectificationNotice.objects.filter(year=year).values_list("serial", flat=True)
    )
    assert serials == list(range(1, len(cases) + 1))
    numbers = set(RectificationNotice.objects.values_list("number", flat=True))
    assert f"济经执整字〔{year}〕第001号" in numbers and len(numbers) == len(cases)


@pytest.mark.django_db
def test_failed_issue_leaves_no_gap(setup):
    officer, patrol = setup
    first, second = make_case(officer, patrol), make_case(officer, patrol)
    with pytest.raises(ValidationFailed):
        issue(officer, first, deadline=first.registered_on - datetime.timedelta(days=1))
    notice = issue(officer, second)
    assert notice.serial == 1


@pytest.mark.django_db
def test_case_numbers_are_sequential_per_year(setup):
    officer, patrol = setup
    a, b = make_case(officer, patrol), make_case(officer, patrol)
    assert (a.serial, b.serial) == (1, 2)
    assert a.number == f"济经执案字〔{a.year}〕第001号"
    assert a.decision_due == a.registered_on + datetime.timedelta(days=90)


@pytest.mark.django_db
def test_stale_version_is_refused(setup):
    officer, patrol = setup
    case = make_case(officer, patrol)
    with pytest.raises(StaleVersion):
        actions.case_cancel(
            actor=officer, case=case, expected_version=case.version + 1, reason="误登"
        )


@pytest.mark.django_db
def test_closing_a_registered_case_is_an_illegal_transition(setup):
    officer, patrol = setup
    case = make_case(officer, patrol)
    with pytest.raises(IllegalTransition):
        actions.case_close(actor=officer, case=case, expected_version=case.version)


@pytest.mark.django_db
def test_towing_before_the_deadline_is_refused(setup):
    officer, patrol = setup
    case = make_case(officer, patrol)
    issue(officer, case, deadline=days_ago(-5))
    case.refresh_from_db()
    with pytest.raises(IllegalTransition):
        actions.disposal_record(
            actor=officer,
            case=case,
            expected_version=case.version,
            kind="vehicle_towed",
            quantity=2,
            disposed_on=days_ago(0),
        )


@pytest.mark.django_db
def test_failed_reinspection_after_deadline_then_towing_enforces(setup):
    officer, patrol = setup
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
    case.refresh_from_db()
    assert case.status == "overdue"
    actions.disposal_record(
        actor=officer,
        case=case,
        expected_version=case.version,
        kind="vehicle_towed",
        quantity=3,
        disposed_on=days_ago(1),
    )
    case.refresh_from_db()
    assert case.status == "enforced" and case.decided_on == days_ago(1)
    assert list(case.steps.values_list("verb", flat=True)) == [
        "register",
        "issue_notice",
        "reinspect",
        "mark_overdue",
        "enforce",
    ]
    overdue = case.steps.get(verb="mark_overdue")
    assert overdue.actor is None  # the deadline rule, not the inspector
    assert case.steps.get(verb="reinspect").actor == officer


@pytest.mark.django_db
def test_passing_reinspection_rectifies(setup):
    officer, patrol = setup
    case = make_case(officer, patrol)
    issue(officer, case)
    case.refresh_from_db()
    actions.reinspection_record(
        actor=officer,
        case=case,
        expected_version=case.version,
        inspected_on=case.notice.deadline,
        outcome="passed",
    )
    case.refresh_from_db()
    assert case.status == "rectified"


@pytest.mark.django_db
def test_notice_pdf_holds_number_subject_deadline_and_checksum(setup, tmp_path):
    import hashlib

    officer, patrol = setup
    case = make_case(officer, patrol)
    notice = issue(officer, case)
    content = notice.pdf.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == notice.pdf_sha256
    path = tmp_path / "n.pdf"
    path.write_bytes(content)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    for expected in (
        notice.number,
        case.subject.name,
        "整改要求",
        f"{notice.deadline.year}年{notice.deadline.month}月{notice.deadline.day}日",
        "综合行政执法局",
    ):
        assert expected in text


@pytest.mark.django_db
def test_notice_pdf_is_in_the_district_language_whatever_the_page_language(
    setup, tmp_path
):
    from django.utils import translation

    officer, patrol = setup
    case = make_case(officer, patrol)
    with translation.override("en"):
        notice = issue(officer, case)
    path = tmp_path / "n.pdf"
    path.write_bytes(notice.pdf.open("rb").read())
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "责令限期整改通知书" in text and "整改要求" in text
    assert "Rectification requirements" not in text


@pytest.mark.django_db
def test_subject_with_bad_id_number_is_refused(officer):
    with pytest.raises(ValidationFailed) as info:
        actions.subject_register(
            actor=officer,
            kind="individual",
            name="杨某某",
            id_number="370811197003121230",
        )
    assert info.value.errors[0]["field"] == "id_number"


@pytest.mark.django_db
def test_cancel_needs_a_reason(setup):
    officer, patrol = setup
    case = make_case(officer, patrol)
    with pytest.raises(ValidationFailed):
        actions.case_cancel(actor=officer, case=case, expected_version=1, reason=" ")
    assert Case.objects.get(pk=case.pk).status == "registered"


@pytest.mark.django_db
def test_step_notes_are_written_in_the_district_language_whatever_the_page_language(
    setup,
):
    from django.utils import translation

    officer, patrol = setup
    with translation.override("en"):
        case = make_case(officer, patrol)
        issue(officer, case)
    notes = list(case.steps.order_by("pk").values_list("note", flat=True))
    assert notes[0] == "立案：占道经营"
    assert "整改期限" in notes[1]
    assert not any(re.search("[A-Za-z]", note) for note in notes), notes
