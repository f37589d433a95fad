"""Fixtures of the volunteer register's tests."""

from __future__ import annotations

import pytest
from django.test import override_settings

from core.choices import Role
from core.models import Department


@pytest.fixture(autouse=True)
def media_root(tmp_path):
    """Uploaded flags, logos and certificates go to a temporary folder."""
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield tmp_path / "media"


@pytest.fixture
def manager(staff_factory, local_district):
    department = Department.objects.get(district=local_district, code="DGB")
    return staff_factory(
        Role.VOLUNTEER_MANAGER, department=department, last_name="刘", first_name="洋"
    )


@pytest.fixture
def viewer(staff_factory):
    return staff_factory(Role.READ_ONLY)


@pytest.fixture
def partner_manager(staff_factory, partner_district):
    """A volunteer manager of a partner district: the register is not theirs to see."""
    department = Department.objects.create(
        district=partner_district, code="DGB", name="潍坊滨海经济技术开发区党群工作部"
    )
    return staff_factory(Role.VOLUNTEER_MANAGER, department=department)


@pytest.fixture(autouse=True)
def service_categories(db):
    """The standard categories (a migration loads them; transactional tests flush them)."""
    from volunteers.actions import categories_load

    categories_load()
