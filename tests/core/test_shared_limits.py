"""Rate limits and the login lockout hold across server processes (issue 13).

Two real servers (gunicorn, one process each) on two loopback ports share the
test database and with it the rate-limit counters and the lockout records, as
the app servers of a deployment behind one reverse proxy would; the rate limit
is tested again with the counters in a Redis the two servers share. Each request carries an
``X-Forwarded-For`` whose left part the client made up and whose last entry the
(one, trusted) proxy appended: only that last entry may count.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.conf import settings
from rest_framework.settings import api_settings

from core import ratelimit
from core.choices import Role
from core.models import RateCounter
from tests.federation.instances import _free_port

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PROGRESS = "/api/v1/application-progress/?number=none&phone_last4=1234"

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = settings.DATABASES["default"]  # during the test: the test database
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _start(port: int, **extra_env: str) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=_database_url(),
        TRUSTED_PROXY_COUNT="1",
        **extra_env,
    )
    return subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.fixture
def servers():
    with _servers() as bases:
        yield bases


@contextmanager
def _servers(**extra_env: str):
    ratelimit.reset()
    ports = [_free_port(), _free_port()]
    processes = [_start(port, **extra_env) for port in ports]
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(f"http://127.0.0.1:{port}/api/v1/", timeout=5)
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline:
                        raise AssertionError(
                            f"server on {port} did not start"
                        ) from None
                    time.sleep(0.3)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(15)
        ratelimit.reset()


def _limit(scope: str) -> int:
    return int(api_settings.DEFAULT_THROTTLE_RATES[scope].split("/")[0])


def test_progress_lookup_limit_holds_exactly_across_two_servers(servers):
    _check_progress_lookup_limit(servers)


def test_progress_lookup_limit_holds_exactly_across_two_servers_on_redis(
    redis_url,
):
    with _servers(CACHE_URL=redis_url) as servers:
        _check_progress_lookup_limit(servers)
    # Counted in Redis, not in the database.
    assert not RateCounter.objects.exists()


def _check_progress_lookup_limit(servers):
    limit = _limit("progress_lookup")

    def lookup(n: int) -> int:
        headers = {"X-Forwarded-For": f"203.0.113.{n % 250}, 198.51.100.7"}
        return requests.get(
            servers[n % 2] + PROGRESS, headers=headers, timeout=60
        ).status_code

    # Concurrently, on both servers, each request claiming another address.
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lookup, range(limit * 4)))
    assert statuses.count(429) == limit * 3, statuses
    assert statuses.count(404) == limit

    # Another real client (another address appended by the proxy) is not affected.
    other = requests.get(
        servers[1] + PROGRESS,
        headers={"X-Forwarded-For": "198.51.100.8"},
        timeout=60,
    )
    assert other.status_code == 404


def _login(session: requests.Session, base: str, username: str, password: str):
    page = session.get(base + "/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return session.post(
        base + "/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1),
        },
        allow_redirects=False,
        timeout=60,
    )


def test_lockout_holds_across_two_servers(servers, staff_factory):
    staff_factory(Role.CLERK, username="clerk9")
    session = requests.Session()
    session.headers["X-Forwarded-For"] = "198.51.100.20"
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert _login(session, servers[n % 2], "clerk9", "wrong").status_code in (
            200,
            429,
        )
    for base in servers:
        # The right password, from another address: the account is locked on both.
        fresh = requests.Session()
        fresh.headers["X-Forwarded-For"] = "198.51.100.21"
        response = _login(fresh, base, "clerk9", "pass-1234-word")
        assert response.status_code == 429
        assert "登录失败次数过多" in response.text
