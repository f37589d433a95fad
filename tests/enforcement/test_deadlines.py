"""The deadline check turns cases overdue and flags the 90-day limit, idempotently."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from enforcement import deadlines
from tests.enforcement.factories import (
    days_ago,
    issue,
    make_campaign,
    make_case,
    make_patrol,
)

pytestmark = pytest.mark.django_db


def test_past_deadline_without_passing_reinspection_turns_overdue(officer, zhzf):
    patrol = make_patrol(officer, make_campaign(officer, zhzf), on=days_ago(85))
    late = make_case(officer, patrol)
    issue(officer, late, issued=days_ago(20), deadline=days_ago(1))
    pending = make_case(officer, patrol)
    issue(officer, pending, issued=days_ago(2), deadline=days_ago(-3))
    summary = deadlines.check(now=timezone.now())
    late.refresh_from_db()
    pending.refresh_from_db()
    assert late.status == "overdue" and pending.status == "notice_issued"
    assert "转为逾期未整改 1 件" in summary
    # 85 days since registration: within 10 days of the 90-day limit
    assert late.decision_flag == "near"
    again = deadlines.check(now=timezone.now())
    assert "转为逾期未整改 0 件" in again and "临近90日处理期限 0 件" in again


def test_open_case_past_90_days_is_flagged(officer, zhzf):
    patrol = make_patrol(officer, make_campaign(officer, zhzf), on=days_ago(95))
    case = make_case(officer, patrol)
    call_command("check_deadlines")
    case.refresh_from_db()
    assert case.decision_flag == "overdue"
