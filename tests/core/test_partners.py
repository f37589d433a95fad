import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from core.actions import partner_add, partner_key_rotate, partner_outbound_key_set
from core.errors import ValidationFailed
from core.models import District, PartnerAPIKey

pytestmark = pytest.mark.django_db


def _status(secret: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    # districts are staff-only: an accepted key gets 403, a refused one 401
    return client.get("/api/v1/districts/").status_code


def test_partner_add_stores_outbound_key_encrypted(local_district):
    issued = partner_add(
        actor=None,
        code="370790",
        name="潍坊滨海经济技术开发区",
        api_base_url="http://127.0.0.1:8001/",
        outbound_key="their-secret-key",
    )
    district = District.objects.get(code="370790")
    assert district.api_base_url == "http://127.0.0.1:8001"
    assert "their-secret-key" not in district.outbound_key_encrypted
    assert district.outbound_key() == "their-secret-key"
    assert _status(issued.secret) == 403


def test_outbound_key_from_environment(local_district, monkeypatch):
    partner_add(actor=None, code="370790", name="滨海", outbound_key_env="BINHAI_KEY")
    monkeypatch.setenv("BINHAI_KEY", "from-env")
    district = District.objects.get(code="370790")
    assert district.outbound_key() == "from-env"
    assert district.outbound_key_encrypted == ""


def test_partner_add_refuses_bad_input_and_stores_nothing(local_district):
    with pytest.raises(ValidationFailed) as info:
        partner_add(actor=None, code="37A", name="", api_base_url="ftp://x")
    fields = {item["field"] for item in info.value.errors}
    assert fields == {"code", "name", "api_base_url"}
    assert not District.objects.filter(kind="partner").exists()


def test_rotation_keeps_old_key_for_the_grace_period(partner_district):
    first = partner_add(actor=None, code="370791", name="寿光", outbound_key="k")
    district = first.key.district
    second = partner_key_rotate(actor=None, district=district, grace_hours=2)
    assert _status(first.secret) == 403 and _status(second.secret) == 403
    old = PartnerAPIKey.objects.get(pk=first.key.pk)
    assert old.expiry_date <= timezone.now() + datetime.timedelta(hours=2)
    # after the grace period the old key is refused, the new one still works
    old.expiry_date = timezone.now() - datetime.timedelta(seconds=1)
    old.save()
    assert _status(first.secret) == 401 and _status(second.secret) == 403


def test_outbound_key_update_needs_exactly_one_source(partner_district):
    with pytest.raises(ValidationFailed):
        partner_outbound_key_set(
            actor=None, district=partner_district, key="a", env_var="B"
        )


def test_commands_add_and_rotate(local_district, capsys):
    call_command(
        "partner_add",
        "370790",
        "潍坊滨海经济技术开发区",
        "--url",
        "http://127.0.0.1:8001",
    )
    out = capsys.readouterr().out
    secret = out.strip().splitlines()[-1]
    assert _status(secret) == 403
    call_command("partner_rotate_key", "370790", "--grace-hours", "0")
    new_secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert _status(new_secret) == 403 and _status(secret) == 401
    with pytest.raises(CommandError):
        call_command("partner_rotate_key", "999999")
