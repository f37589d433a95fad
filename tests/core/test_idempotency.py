"""core.api.idempotency through a partner endpoint: stale claims, stored 4xx, purge."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/federation/applications/"


def _post(client, body, key):
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_4xx_answer_is_stored_and_replayed(partner_api):
    key = str(uuid.uuid4())
    first = _post(partner_api, {"uuid": "nope"}, key)
    assert first.status_code == 400
    again = _post(partner_api, {"uuid": "nope"}, key)
    assert again.status_code == 400 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_claim_in_progress_is_409_until_abandoned_then_taken_over(
    partner_api, settings
):
    key = str(uuid.uuid4())
    _post(partner_api, {"uuid": "nope"}, key)
    record = IdempotencyRecord.objects.get(key=key)
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        state=IdempotencyRecord.State.IN_PROGRESS, response_status=None
    )
    assert _post(partner_api, {"uuid": "nope"}, key).status_code == 409
    settings.IDEMPOTENCY_IN_PROGRESS_TIMEOUT_SECONDS = 60
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    retried = _post(partner_api, {"uuid": "nope"}, key)
    assert retried.status_code == 400  # processed afresh, not 409
    assert IdempotencyRecord.objects.get(pk=record.pk).state == "done"


def test_key_must_be_a_uuid(partner_api):
    response = _post(partner_api, {}, "not-a-uuid")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    "key",
    [
        "",
        # Fixed keys: parameters must be the same in every test worker.
        "5bac391611f049e8af5c7f3cdb863563",  # no hyphens: uuid takes it, the schema not
        "{5bac3916-11f0-49e8-af5c-7f3cdb863563}",
        "urn:uuid:5bac3916-11f0-49e8-af5c-7f3cdb863563",
    ],
)
def test_key_not_written_as_the_schema_says_is_refused(partner_api, key):
    response = _post(partner_api, {}, key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not IdempotencyRecord.objects.exists()


def test_key_in_capitals_is_the_same_key(partner_api):
    key = str(uuid.uuid4())
    first = _post(partner_api, {"uuid": "nope"}, key)
    again = _post(partner_api, {"uuid": "nope"}, key.upper())
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_purge_removes_only_old_records(partner_api, capsys):
    old, new = str(uuid.uuid4()), str(uuid.uuid4())
    _post(partner_api, {"uuid": "x"}, old)
    _post(partner_api, {"uuid": "x"}, new)
    IdempotencyRecord.objects.filter(key=old).update(
        created_at=timezone.now() - datetime.timedelta(hours=100)
    )
    call_command("purge_idempotency_keys")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == [new]
    assert "已删除 1 条" in capsys.readouterr().out
