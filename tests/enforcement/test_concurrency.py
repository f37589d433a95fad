"""No lost update on a case edit: real PostgreSQL transactions in two threads."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from enforcement.models import Case
from tests.enforcement.factories import days_ago, make_campaign, make_case, make_patrol

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(barrier, work):
    def runner(index):
        try:
            barrier.wait()
            return work(index)
        finally:
            connection.close()

    return runner


def test_two_edits_with_the_same_if_match_one_wins_one_is_412(officer, zhzf, staff_api):
    case = make_case(officer, make_patrol(officer, make_campaign(officer, zhzf)))
    version = case.version
    barrier = threading.Barrier(2)
    places = ["吉祥路北段", "吉祥路南段"]

    def edit(index):
        response = staff_api(officer).patch(
            f"/api/v1/enforcement/cases/{case.pk}/",
            {"address": places[index]},
            format="json",
            HTTP_IF_MATCH=f'"{version}"',
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(_in_thread(barrier, edit), range(2)))
    assert sorted(codes) == [200, 412]
    case = Case.objects.get(pk=case.pk)
    assert case.version == version + 1
    assert case.address == places[codes.index(200)]


def test_concurrent_cancel_and_issue_take_exactly_one_step(officer, zhzf, staff_api):
    case = make_case(officer, make_patrol(officer, make_campaign(officer, zhzf)))
    version = case.version
    barrier = threading.Barrier(2)
    url = f"/api/v1/enforcement/cases/{case.pk}/"
    requests = [
        ("cancel/", {"reason": "误登"}),
        (
            "issue-notice/",
            {
                "issued_on": days_ago(0).isoformat(),
                "deadline": days_ago(-7).isoformat(),
                "requirements": "移除占道车辆",
                "served_to": "孙某某",
            },
        ),
    ]

    def step(index):
        path, body = requests[index]
        return (
            staff_api(officer)
            .post(url + path, body, format="json", HTTP_IF_MATCH=f'"{version}"')
            .status_code
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(_in_thread(barrier, step), range(2)))
    assert sorted(codes) == [200, 412]
    case = Case.objects.get(pk=case.pk)
    assert case.version == version + 1
    assert case.status == ("cancelled" if codes[0] == 200 else "notice_issued")
    assert case.steps.exclude(verb="register").count() == 1
