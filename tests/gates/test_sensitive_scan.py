"""The sensitive-number gate (tests/gates/sensitive.py) catches what it must.

Each planted leak is found and then claimed here, so it does not fail the run;
if the plugin were not installed or its checks loosened, these tests fail.
"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import UserFactory
from tests.gates import sensitive
from tests.gates.leaky_urls import PLANTED_ID, PLANTED_PHONE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.gates.leaky_urls"),
]


def _claim(path):
    return sensitive.SCANNER.claim(lambda f: path in f.what)


def test_the_plugin_is_installed():
    assert settings.MIDDLEWARE[0] == sensitive.MIDDLEWARE
    assert sensitive.HANDLER in logging.getLogger().handlers


@pytest.mark.parametrize(
    "text, found",
    [
        (f"id {PLANTED_ID} ok", [PLANTED_ID]),
        (f"phone:{PLANTED_PHONE}.", [PLANTED_PHONE]),
        ("110105********0023 and 139****6688", []),  # masked
        (PLANTED_ID[:17] + "9", []),  # wrong check character
        ("order 19491001002312345", []),  # part of a longer number
        ("12905376688", []),  # not a mobile prefix
    ],
)
def test_numbers_are_recognised(text, found):
    assert sensitive.full_numbers(text) == found


def test_a_leak_to_anonymous_is_found():
    Client().get("/leak/")
    Client().get("/leak.html")
    json_findings = _claim("/leak/")
    assert {f.number for f in json_findings} == {PLANTED_ID, PLANTED_PHONE}
    assert all(f.who == "anonymous" and f.where == "response" for f in json_findings)
    assert [f.number for f in _claim("/leak.html")] == [PLANTED_ID]


def test_a_leak_to_staff_without_the_permission_is_found():
    client = Client()
    client.force_login(UserFactory())
    client.get("/leak/")
    assert len(_claim("/leak/")) == 2


def test_staff_with_the_permission_may_see_numbers():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_sensitive_data"))
    client = Client()
    client.force_login(user)
    client.get("/leak/")
    assert _claim("/leak/") == []


def test_a_number_the_caller_sent_is_theirs():
    Client().get("/echo/", {"q": PLANTED_PHONE})
    assert _claim("/echo/") == []


def test_a_number_revealed_in_the_request_is_the_callers_and_only_there(
    staff_factory, local_district
):
    """A volunteer manager serves the volunteer: the reveal answers the full
    phone (logged), which is not a leak; the same number in a later answer that
    revealed nothing is."""
    from core.choices import Role
    from core.models import Department
    from tests.volunteers.factories import VolunteerFactory, make_id_number
    from volunteers.actions import categories_load

    categories_load()
    volunteer = VolunteerFactory(id_number=make_id_number(4243), phone=PLANTED_PHONE)
    manager = staff_factory(
        Role.VOLUNTEER_MANAGER,
        department=Department.objects.get(district=local_district, code="DGB"),
    )
    client = Client()
    client.force_login(manager)
    url = f"/reveal/volunteers/volunteer/{volunteer.pk}/phone/"
    response = client.post(url, {"reason": "通知集合"}, HTTP_ACCEPT="application/json")
    assert response.json()["value"] == PLANTED_PHONE
    assert _claim(url) == []
    client.get("/leak/")
    assert [f.number for f in _claim("/leak/")] == [PLANTED_ID, PLANTED_PHONE]


def test_a_log_line_is_found():
    Client().get("/leak-log/")
    found = sensitive.SCANNER.claim(lambda f: f.what == "tests.gates.leak")
    assert [(f.where, f.number) for f in found] == [("log", PLANTED_PHONE)]
    assert "during GET /leak-log/" in found[0].who


def test_a_log_line_outside_any_request_is_found():
    logging.getLogger("tests.gates.leak").error("applicant %s", PLANTED_ID)
    found = sensitive.SCANNER.claim(lambda f: f.what == "tests.gates.leak")
    assert [f.number for f in found] == [PLANTED_ID]


def test_findings_fail_the_session():
    """The session hook turns a finding into a failed run."""

    class Session:
        exitstatus = pytest.ExitCode.OK
        config = object()

    sensitive.SCANNER.findings.append(
        sensitive.Finding("response", "GET /x", "anonymous", PLANTED_PHONE, "")
    )
    try:
        session = Session()
        sensitive.pytest_sessionfinish(session, pytest.ExitCode.OK)
        assert session.exitstatus == pytest.ExitCode.TESTS_FAILED
    finally:
        sensitive.SCANNER.claim(lambda f: f.what == "GET /x")
