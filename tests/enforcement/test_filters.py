"""The shared FilterSets: what each filter keeps."""

import pytest
from django.test import RequestFactory

from enforcement import selectors
from enforcement.filters import CaseFilterSet, RectificationNoticeFilterSet
from tests.enforcement.factories import (
    days_ago,
    issue,
    make_campaign,
    make_case,
    make_patrol,
)

pytestmark = pytest.mark.django_db


def _filter(cls, user, qs, **params):
    request = RequestFactory().get("/", params)
    request.user = user
    fs = cls(request.GET, queryset=qs, request=request)
    assert fs.is_valid(), fs.errors
    return list(fs.qs)


def test_case_filters(officer, zhzf):
    first = make_campaign(officer, zhzf)
    second = make_campaign(officer, zhzf)
    a = make_case(officer, make_patrol(officer, first))
    b = make_case(officer, make_patrol(officer, second))
    issue(officer, b, issued=days_ago(20), deadline=days_ago(2))
    qs = selectors.case_list(user=officer)
    assert _filter(CaseFilterSet, officer, qs, campaign=first.pk) == [a]
    assert _filter(CaseFilterSet, officer, qs, status="notice_issued") == [b]
    assert _filter(CaseFilterSet, officer, qs, overdue="true") == [b]
    assert _filter(CaseFilterSet, officer, qs, overdue="false") == [a]
    assert set(_filter(CaseFilterSet, officer, qs, place="杨李村")) == {a, b}
    assert _filter(CaseFilterSet, officer, qs, place="北段") == []
    assert set(
        _filter(CaseFilterSet, officer, qs, violation_type="road_occupation")
    ) == {a, b}
    assert _filter(CaseFilterSet, officer, qs, q=a.number) == [a]


def test_campaign_choice_is_limited_to_visible_campaigns(
    officer, zhzf, staff_factory, department
):
    from core.choices import Role

    campaign = make_campaign(officer, zhzf)
    outsider = staff_factory(Role.OFFICER, department=department)
    request = RequestFactory().get("/", {"campaign": campaign.pk})
    request.user = outsider
    fs = CaseFilterSet(
        request.GET, queryset=selectors.case_list(user=outsider), request=request
    )
    assert not fs.is_valid()


def test_notice_due_filter_excludes_rectified(officer, zhzf):
    from enforcement import actions

    patrol = make_patrol(officer, make_campaign(officer, zhzf), on=days_ago(30))
    done_case = make_case(officer, patrol)
    done = issue(officer, done_case, issued=days_ago(20), deadline=days_ago(2))
    done_case.refresh_from_db()
    actions.reinspection_record(
        actor=officer,
        case=done_case,
        expected_version=done_case.version,
        inspected_on=days_ago(3),
        outcome="passed",
    )
    open_notice = issue(
        officer, make_case(officer, patrol), issued=days_ago(20), deadline=days_ago(2)
    )
    qs = selectors.notice_list(user=officer)
    assert _filter(RectificationNoticeFilterSet, officer, qs, due="true") == [
        open_notice
    ]
    assert done not in _filter(RectificationNoticeFilterSet, officer, qs, due="true")
