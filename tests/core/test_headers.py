"""Response headers and staff-session limits (issue 13)."""

import json
import subprocess
import sys
import time

from django.conf import settings
from django.test import Client

from core.choices import Role
from tests.core.test_settings import BASE, _database_url

PRODUCTION_PROBE = """
import json
from django.test import Client
client = Client()
out = {}
for path in ("/", "/api/v1/"):
    response = client.get(path, secure=True, HTTP_HOST="registry.example.gov.cn")
    out[path] = {"status": response.status_code, **dict(response.headers)}
print(json.dumps(out))
"""


def test_production_response_headers_are_pinned():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-production-key-" + "q7Zp" * 12,
        "ALLOWED_HOSTS": "registry.example.gov.cn",
        "DATABASE_URL": _database_url(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_PROBE],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for path, headers in answers.items():
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp, path
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in headers["Permissions-Policy"]
        assert "geolocation=()" in headers["Permissions-Policy"]
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in answers["/api/v1/"]["Cache-Control"]


def test_pages_and_api_answers_for_signed_in_staff_are_not_stored(staff_factory):
    client = Client()
    client.force_login(staff_factory(Role.CLERK))
    for path in ("/", "/services/applications/", "/api/v1/districts/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_public_api_answers_are_not_stored(db):
    response = Client().get("/api/v1/application-progress/?number=x&phone_last4=1")
    assert "no-store" in response["Cache-Control"]


def test_no_template_carries_inline_script_or_style():
    import re

    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style")
    offenders = []
    for folder in ("templates", "core", "services", "volunteers", "enforcement"):
        for path in (BASE / folder).rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(BASE)}:{number}")
    assert offenders == []


def _signed_in(staff_factory) -> Client:
    client = Client()
    client.force_login(staff_factory(Role.CLERK))
    assert client.get("/").status_code == 200
    return client


def _age_session(client: Client, **seconds_ago) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_session_ends_after_the_idle_timeout(staff_factory):
    client = _signed_in(staff_factory)
    idle = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
    _age_session(client, _last_seen_at=idle - 30)
    assert client.get("/").status_code == 200
    _age_session(client, _last_seen_at=idle + 1)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_ends_after_the_absolute_limit_despite_activity(staff_factory):
    client = _signed_in(staff_factory)
    _age_session(client, _signed_in_at=settings.SESSION_COOKIE_AGE + 1, _last_seen_at=5)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_limits_suit_an_office_day():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_signed_in_requests_write_the_session_at_most_once_a_minute(staff_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(staff_factory(Role.CLERK))
    with CaptureQueriesContext(connection) as first:
        for _ in range(3):
            assert client.get("/").status_code == 200
    assert _session_writes(first.captured_queries) == []
    # A minute later, the next request records the activity: one write.
    _age_session(client, _last_seen_at=61)
    with CaptureQueriesContext(connection) as later:
        assert client.get("/").status_code == 200
    assert len(_session_writes(later.captured_queries)) == 1
    assert int(time.time()) - client.session["_last_seen_at"] < 5
