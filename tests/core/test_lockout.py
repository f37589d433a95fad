"""Login lockout (issue 13): the staff login, the admin login, staff tokens and
partner keys all count failures, per account and per client address; a locked
client reads a Chinese message; an operator command lifts the lock."""

import io
import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from core.actions import partner_key_issue, staff_token_issue
from core.choices import Role

LIMIT = settings.AXES_FAILURE_LIMIT
PASSWORD = "pass-1234-word"


def _login(client, username, password, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


@pytest.fixture
def clerk(staff_factory):
    return staff_factory(Role.CLERK, username="clerk1")


def test_staff_login_locks_the_account_after_the_limit(clerk):
    for _ in range(LIMIT):
        _login(Client(REMOTE_ADDR="10.1.0.1"), "clerk1", "wrong")
    # The right password, even from another address, is refused while locked.
    response = _login(Client(REMOTE_ADDR="10.1.0.2"), "clerk1", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多" in text
    assert f"{settings.AXES_COOLOFF_TIME.seconds // 60} 分钟" in text
    assert "_auth_user_id" not in Client().session


def test_failures_below_the_limit_do_not_lock(clerk):
    client = Client(REMOTE_ADDR="10.1.0.3")
    for _ in range(LIMIT - 1):
        assert _login(client, "clerk1", "wrong").status_code == 200
    assert _login(client, "clerk1", PASSWORD).status_code == 302


def test_one_address_is_locked_across_accounts(staff_factory):
    staff_factory(Role.CLERK, username="victim")
    for n in range(LIMIT):
        _login(Client(REMOTE_ADDR="10.2.0.1"), f"guess{n}", "wrong")
    response = _login(Client(REMOTE_ADDR="10.2.0.1"), "victim", PASSWORD)
    assert response.status_code == 429
    # Another address may still sign in to that account.
    assert _login(Client(REMOTE_ADDR="10.2.0.2"), "victim", PASSWORD).status_code == 302


def test_admin_login_counts_and_locks(staff_factory):
    staff_factory(Role.DISTRICT_ADMIN, username="boss", is_staff=True)
    client = Client(REMOTE_ADDR="10.3.0.1")
    for _ in range(LIMIT):
        _login(client, "boss", "wrong", "/admin/login/")
    response = _login(Client(REMOTE_ADDR="10.3.0.9"), "boss", PASSWORD, "/admin/login/")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_bad_staff_tokens_lock_the_address(clerk):
    token = staff_token_issue(actor=clerk, name="script").secret
    client = APIClient(REMOTE_ADDR="10.4.0.1")
    for n in range(LIMIT):
        client.credentials(HTTP_AUTHORIZATION=f"Token wrong{n}")
        assert client.get("/api/v1/districts/").status_code in (401, 429)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/districts/")
    assert response.status_code == 429
    assert response.json()["type"] == "throttled"
    assert "登录失败次数过多" in response.json()["detail"]
    # The token itself is fine from another address.
    other = APIClient(REMOTE_ADDR="10.4.0.2")
    other.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert other.get("/api/v1/districts/").status_code == 200


def test_bad_partner_keys_lock_the_client_address(local_district, partner_district):
    issued = partner_key_issue(actor=None, district=partner_district)
    client = APIClient(REMOTE_ADDR="10.5.0.1")
    for n in range(LIMIT):
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key bad.key{n}")
        assert client.get("/api/v1/federation/ping/").status_code in (401, 429)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.secret}")
    assert client.get("/api/v1/federation/ping/").status_code == 429
    other = APIClient(REMOTE_ADDR="10.5.0.2")
    other.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.secret}")
    assert other.get("/api/v1/federation/ping/").status_code == 200


def test_lockout_is_logged(clerk, caplog):
    with caplog.at_level(logging.WARNING, logger="security"):
        for _ in range(LIMIT):
            _login(Client(REMOTE_ADDR="10.6.0.1"), "clerk1", "wrong")
    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert any("event=login_failed account=clerk1" in line for line in lines)
    assert any("event=lockout account=clerk1 client=10.6.0.1" in line for line in lines)


def test_operator_unlocks_an_account(clerk):
    for _ in range(LIMIT):
        _login(Client(REMOTE_ADDR="10.7.0.1"), "clerk1", "wrong")
    assert _login(Client(REMOTE_ADDR="10.7.0.2"), "clerk1", PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("login_unlock", "--username", "clerk1", stdout=out)
    assert "已清除" in out.getvalue()
    assert not AccessAttempt.objects.filter(username="clerk1").exists()
    assert _login(Client(REMOTE_ADDR="10.7.0.2"), "clerk1", PASSWORD).status_code == 302


def test_the_lock_expires_after_the_cool_off(clerk):
    for _ in range(LIMIT):
        _login(Client(REMOTE_ADDR="10.8.0.1"), "clerk1", "wrong")
    assert _login(Client(REMOTE_ADDR="10.8.0.1"), "clerk1", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    assert _login(Client(REMOTE_ADDR="10.8.0.1"), "clerk1", PASSWORD).status_code == 302
