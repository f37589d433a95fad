import pytest

from core.choices import Role


@pytest.fixture
def zhzf(other_department):
    """综合行政执法局 (the lead department of campaigns)."""
    return other_department


@pytest.fixture
def officer(staff_factory, zhzf):
    return staff_factory(Role.OFFICER, department=zhzf)
