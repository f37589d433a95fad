"""Staff API tokens (issue 13): hashed at rest, expiring, listed and revoked by
their owner on a page; a bad one is refused, counted and logged."""

import datetime
import logging

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.actions import staff_token_issue
from core.choices import Role
from core.errors import ValidationFailed
from core.models import StaffToken


@pytest.fixture
def clerk(staff_factory):
    return staff_factory(Role.CLERK, username="clerk-t")


def _api(secret: str, address: str = "10.9.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_only_a_hash_of_the_token_is_stored(clerk):
    issued = staff_token_issue(actor=clerk, name="nightly export")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_stafftoken")
        row = " ".join(str(value) for value in cursor.fetchone())
    secret_part = issued.secret.partition(".")[2]
    assert secret_part and secret_part not in row
    assert issued.key.expiry_date > timezone.now() + datetime.timedelta(days=89)


def test_a_token_acts_as_its_owner_until_it_expires_or_is_revoked(clerk):
    issued = staff_token_issue(actor=clerk, name="script", days_valid=1)
    response = _api(issued.secret).get("/api/v1/applications/")
    assert response.status_code == 200
    StaffToken.objects.filter(pk=issued.key.pk).update(
        expiry_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = _api(issued.secret, "10.9.0.2").get("/api/v1/applications/")
    assert expired.status_code == 401
    assert expired.json()["type"] == "not_authenticated"
    other = staff_token_issue(actor=clerk, name="other")
    StaffToken.objects.filter(pk=other.key.pk).update(revoked=True)
    assert _api(other.secret, "10.9.0.3").get("/api/v1/districts/").status_code == 401


def test_an_inactive_owners_token_is_refused(clerk):
    issued = staff_token_issue(actor=clerk, name="script")
    clerk.is_active = False
    clerk.save()
    assert _api(issued.secret).get("/api/v1/districts/").status_code == 401


def test_the_expiry_is_bounded(clerk, settings):
    with pytest.raises(ValidationFailed) as error:
        staff_token_issue(
            actor=clerk, name="forever", days_valid=settings.STAFF_TOKEN_MAX_DAYS + 1
        )
    assert error.value.errors[0]["field"] == "days_valid"
    with pytest.raises(ValidationFailed):
        staff_token_issue(actor=clerk, name=" ")


def test_a_bad_token_is_logged_without_its_secret(clerk, caplog):
    issued = staff_token_issue(actor=clerk, name="script")
    wrong = issued.secret[:-4] + "zzzz"
    with caplog.at_level(logging.WARNING, logger="security"):
        assert _api(wrong, "10.9.0.4").get("/api/v1/districts/").status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert len(lines) == 1
    assert "event=credential_refused credential=token" in lines[0]
    assert f"key_prefix={issued.key.prefix}" in lines[0]
    assert "status=401 client=10.9.0.4" in lines[0]
    assert wrong.partition(".")[2] not in lines[0]


def test_the_owner_creates_lists_and_revokes_tokens_on_a_page(clerk, staff_factory):
    someone = staff_factory(Role.CLERK, username="someone-else")
    theirs = staff_token_issue(actor=someone, name="their script")
    client = Client()
    client.force_login(clerk)
    url = reverse("core:token-list")
    created = client.post(url, {"name": "月报脚本", "days_valid": 30})
    assert created.status_code == 201
    secret = created.context["issued"].secret
    assert secret in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    token = StaffToken.objects.get(user=clerk)
    assert token.expiry_date.date() == (timezone.now() + datetime.timedelta(30)).date()

    page = client.get(url).content.decode()
    assert "月报脚本" in page and token.prefix in page
    assert secret not in page  # shown once only
    assert "their script" not in page and theirs.key.prefix not in page

    # Another's token cannot be revoked (404); one's own can.
    other = client.post(reverse("core:token-revoke", args=[theirs.key.prefix]))
    assert other.status_code == 404
    assert not StaffToken.objects.get(pk=theirs.key.pk).revoked
    revoked = client.post(reverse("core:token-revoke", args=[token.prefix]))
    assert revoked.status_code == 302
    assert StaffToken.objects.get(pk=token.pk).revoked
    assert _api(secret).get("/api/v1/districts/").status_code == 401


def test_the_page_refuses_a_longer_expiry_than_allowed(clerk, settings):
    client = Client()
    client.force_login(clerk)
    response = client.post(
        reverse("core:token-list"),
        {"name": "x", "days_valid": settings.STAFF_TOKEN_MAX_DAYS + 1},
    )
    assert response.status_code == 400
    assert not StaffToken.objects.exists()
