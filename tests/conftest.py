"""Fixtures shared by every register's tests: districts, staff with roles, clients."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from rest_framework.test import APIClient

from core.actions import partner_key_issue, reference_data_load
from core.choices import DistrictKind, Role
from core.models import Department, District
from tests.factories import UserFactory

# tests.database: the test database cloned from a migrated template, and the demo
# data seeded once per session (docs/testing.md). The sensitive-number gate scans
# every response and log line of a run made by `make gates` (GATES=1); it is not
# yet part of `make test`.
pytest_plugins = ["tests.database"] + (
    ["tests.gates.sensitive"] if os.environ.get("GATES") else []
)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    """Mark tests for the lanes (-m), and run the demo data's tests last.

    By folder: ``gates``, ``federation``, ``browser``. ``slow``: the two-instance
    tests, transactional tests (each empties every table after itself), the tests
    of the demo data (seeded once, 15–20 s) and tests marked so by hand.
    The demo data's tests go last, together (one xdist worker), so the data is
    seeded once and no other test runs beside it (``tests/database.py``).
    """
    for item in items:
        path = str(item.path)
        for folder in ("gates", "federation", "browser"):
            if f"/tests/{folder}/" in path:
                item.add_marker(folder)
        if "federation" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("federation"))
        if "federation" in item.keywords or _is_transactional(item):
            item.add_marker("slow")
        if uses_demo_data(item):
            item.add_marker("slow")
            item.add_marker(pytest.mark.xdist_group("demo"))
    items.sort(key=uses_demo_data)  # stable: the order is otherwise kept


def uses_demo_data(item) -> bool:
    return "demo_data" in item.fixturenames


@pytest.fixture(autouse=True)
def default_language():
    """A request that asked for English leaves English active in the thread (as a
    real server's next request would reset it); start every test from the default."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def local_district(db) -> District:
    reference_data_load()
    return District.objects.get(kind=DistrictKind.LOCAL)


@pytest.fixture
def department(local_district) -> Department:
    return Department.objects.get(district=local_district, code="XZSP")


@pytest.fixture
def other_department(local_district) -> Department:
    return Department.objects.get(district=local_district, code="ZHZF")


@pytest.fixture
def partner_district(db) -> District:
    return District.objects.create(
        code="370790",
        name="潍坊滨海经济技术开发区",
        kind=DistrictKind.PARTNER,
        api_base_url="http://127.0.0.1:8001",
    )


@pytest.fixture
def other_partner(db) -> District:
    return District.objects.create(
        code="371002", name="威海经济技术开发区", kind=DistrictKind.PARTNER
    )


def make_staff(role: Role, department: Department, **fields):
    user = UserFactory(department=department, **fields)
    user.groups.add(Group.objects.get(name=str(role)))
    return user


@pytest.fixture
def staff_factory(department):
    """``staff_factory(Role.CLERK)`` → a user with that role in the 审批局 (or ``department=``)."""

    def build(role: Role, department: Department = department, **fields):
        return make_staff(role, department, **fields)

    return build


@pytest.fixture
def admin_user(staff_factory):
    return staff_factory(Role.DISTRICT_ADMIN)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def staff_api(api_client):
    """``staff_api(user)`` → an APIClient logged in as ``user``."""

    def login(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


@pytest.fixture
def partner_api(partner_district):
    """An APIClient presenting a valid key of ``partner_district``."""
    issued = partner_key_issue(actor=None, district=partner_district)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.secret}")
    client.district = partner_district
    return client
