"""Real concurrency: threads with their own database connections."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core.choices import Role
from services.models import Application, ApplicationEvent
from tests.services.factories_applications import (
    at,
    intake,
    make_matter,
    refresh,
    upload_required,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(barrier, work):
    def runner(index):
        try:
            barrier.wait()
            return work(index)
        finally:
            connection.close()

    return runner


def test_fifty_concurrent_intakes_get_fifty_consecutive_numbers(
    staff_factory, department
):
    clerk = staff_factory(Role.CLERK)
    matter = make_matter(department)
    barrier = threading.Barrier(50)
    now = at(2026, 11, 24)
    runner = _in_thread(barrier, lambda i: intake(clerk, matter, now=now).number)
    with ThreadPoolExecutor(max_workers=50) as pool:
        numbers = list(pool.map(runner, range(50)))
    assert len(set(numbers)) == 50
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, 51))
    assert all(n.startswith("370871-20261124-") for n in numbers)
    assert Application.objects.count() == 50


def test_twenty_concurrent_accepts_make_exactly_one_event(
    staff_factory, department, staff_api
):
    clerk = staff_factory(Role.CLERK)
    matter = make_matter(department)
    app = intake(clerk, matter)
    upload_required(app, clerk)
    app = refresh(app)
    version = app.version
    barrier = threading.Barrier(20)

    def request(index):
        client = staff_api(clerk)
        response = client.post(
            f"/api/v1/applications/{app.pk}/accept/",
            {},
            format="json",
            HTTP_IF_MATCH=f'"{version}"',
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(_in_thread(barrier, request), range(20)))
    assert codes.count(200) == 1
    assert all(code == 412 for code in codes if code != 200)
    assert ApplicationEvent.objects.filter(application=app, verb="accept").count() == 1
    app = refresh(app)
    assert (app.status, app.version) == ("accepted", version + 1)


def test_accept_without_version_is_428_and_changes_nothing(staff_factory, department):
    from core.errors import PreconditionRequired
    from services.actions.applications import application_accept

    clerk = staff_factory(Role.CLERK)
    app = intake(clerk, make_matter(department))
    upload_required(app, clerk)
    with pytest.raises(PreconditionRequired):
        application_accept(actor=clerk, application=refresh(app), expected_version=None)
    assert refresh(app).status == "submitted"


def test_two_concurrent_edits_with_the_same_if_match_one_wins_one_412(
    staff_factory, department, staff_api
):
    """No lost update: both read version v; the second waits for the first's
    lock, then finds v+1 and is refused, so the first's phone is not overwritten
    unseen."""
    clerk = staff_factory(Role.CLERK)
    app = intake(clerk, make_matter(department))
    version = app.version
    phones = ["13900000001", "13900000002"]
    barrier = threading.Barrier(2)

    def request(index):
        response = staff_api(clerk).patch(
            f"/api/v1/applications/{app.pk}/",
            {"applicant_phone": phones[index]},
            format="json",
            HTTP_IF_MATCH=f'"{version}"',
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(_in_thread(barrier, request), range(2)))
    assert sorted(codes) == [200, 412]
    app = refresh(app)
    assert app.version == version + 1
    assert app.applicant_phone == phones[codes.index(200)]
