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
# data seeded once per session. The sensitive-number gate scans every response and
# log line of a run with GATES=1, which `make test`, `make gates` and `make fuzz`
# set (docs/testing.md).
pytest_plugins = ["tests.database"] + (
    ["tests.gates.sensitive"] if os.environ.get("GATES") else []
)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def _uses_demo_data(item) -> bool:
    return "demo_data" in item.fixturenames


def _in_demo_unit(nodeid: str) -> bool:
    """Tests named for the demo data (parameters aside) run together under -n."""
    return "demo" in nodeid.split("[")[0]


def _run_order(item) -> int:
    """The two-instance tests first (the longest stretch, so with -n it starts at
    once), the demo data's tests last (after them nothing needs it removed)."""
    if "federation" in item.keywords:
        return 0
    if _uses_demo_data(item):
        return 3
    return 2 if _in_demo_unit(item.nodeid) else 1


def pytest_ignore_collect(collection_path, config):
    """Collecting the schema fuzzing gate takes 10–30 s (schemathesis reads the
    schema): skip it when ``-m`` is a conjunction with ``not fuzz`` in it."""
    if collection_path.name != "test_schema_fuzz.py":
        return None
    expression = config.getoption("markexpr") or ""
    if " or " in expression or "(" in expression:
        return None
    if "not fuzz" in (term.strip() for term in expression.split(" and ")):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    """Mark tests for the lanes (-m) and put them in their run order.

    By folder: ``gates``, ``federation``, ``browser``; the schema fuzzing gate also
    ``fuzz``, which `make test` leaves out until it passes. ``slow``: the two-instance
    tests, transactional tests (each empties every table after itself), the tests
    of the demo data (seeded once, 15–20 s; ``tests/database.py``) and tests
    marked so by hand.
    """
    for item in items:
        path = str(item.path)
        for folder in ("gates", "federation", "browser"):
            if f"/tests/{folder}/" in path:
                item.add_marker(folder)
        if path.endswith("/tests/gates/test_schema_fuzz.py"):
            item.add_marker("fuzz")
        if "federation" in item.keywords or _is_transactional(item):
            item.add_marker("slow")
        if _uses_demo_data(item):
            item.add_marker("slow")
            if not _in_demo_unit(item.nodeid):
                raise pytest.UsageError(
                    f"{item.nodeid} uses demo_data: put 'demo' in its name, so "
                    "that -n runs the demo data's tests together (tests/conftest.py)"
                )
    items.sort(key=_run_order)  # stable: the order is otherwise kept


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``-n``: a test module per unit of work, except that all the two-instance
    tests are one unit (one pair of instances) and so are all the demo data's
    tests (named so; one seed); units are handed out in the run order."""
    if config.getvalue("dist") not in ("load", "loadscope"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/federation/"):
                return "federation"
            if _in_demo_unit(nodeid):
                return "demo"
            return super()._split_scope(nodeid)

    config.option.loadscopereorder = False  # keep the run order
    return Scheduling(config, log)


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


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of its own for the run (rate limits with CACHE_URL=redis)."""
    import shutil
    import subprocess
    import time

    from tests.federation.instances import _free_port

    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)
