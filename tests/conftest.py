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

# The sensitive-number gate scans every response and log line of a run with
# GATES=1, which `make test`, `make gates` and `make fuzz` set (docs/testing.md).
pytest_plugins = ["tests.gates.sensitive"] if os.environ.get("GATES") else []


def pytest_collection_modifyitems(config, items):
    """Mark tests by folder, so lanes can be chosen with -m; the schema fuzzing
    gate also as ``fuzz``, which `make test` leaves out until it passes."""
    for item in items:
        path = str(item.path)
        for folder in ("gates", "federation", "browser"):
            if f"/tests/{folder}/" in path:
                item.add_marker(folder)
        if path.endswith("/tests/gates/test_schema_fuzz.py"):
            item.add_marker("fuzz")


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
