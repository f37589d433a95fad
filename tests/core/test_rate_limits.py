"""Rate limits (issue 13): exact, keyed on the real client address, one round
trip to the shared store for a throttled request and none for any other."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from core import ratelimit
from core.choices import Role
from core.models import RateCounter
from core.net import client_ip

PROGRESS = "/api/v1/application-progress/"
LOOKUP = {"number": "2026-none", "phone_last4": "1234"}


def _limit(scope: str) -> int:
    return int(api_settings.DEFAULT_THROTTLE_RATES[scope].split("/")[0])


def _counter_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "core_ratecounter" in q["sql"]]


def _rates(**rates):
    return override_settings(
        REST_FRAMEWORK={
            **_rest_framework(),
            "DEFAULT_THROTTLE_RATES": {
                **api_settings.DEFAULT_THROTTLE_RATES,
                **rates,
            },
        }
    )


def _rest_framework() -> dict:
    from django.conf import settings

    return settings.REST_FRAMEWORK


def test_progress_lookup_holds_exactly_then_refuses_with_retry_after(db):
    client = APIClient(REMOTE_ADDR="192.0.2.10")
    limit = _limit("progress_lookup")
    statuses = [client.get(PROGRESS, LOOKUP).status_code for _ in range(limit + 2)]
    assert statuses == [404] * limit + [429, 429]
    refused = client.get(PROGRESS, LOOKUP)
    assert refused.json()["type"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another address has its own count.
    assert APIClient(REMOTE_ADDR="192.0.2.11").get(PROGRESS, LOOKUP).status_code == 404


def test_the_window_slides(db):
    client = APIClient(REMOTE_ADDR="192.0.2.12")
    for _ in range(_limit("progress_lookup")):
        client.get(PROGRESS, LOOKUP)
    assert client.get(PROGRESS, LOOKUP).status_code == 429
    # Every counted request now lies more than a minute back: room again.
    row = RateCounter.objects.get(key="progress_lookup:192.0.2.12")
    row.hits = [hit - 61 for hit in row.hits]
    row.save()
    assert client.get(PROGRESS, LOOKUP).status_code == 404


def test_refused_requests_do_not_extend_the_window(db):
    client = APIClient(REMOTE_ADDR="192.0.2.13")
    limit = _limit("progress_lookup")
    for _ in range(limit + 5):
        client.get(PROGRESS, LOOKUP)
    assert len(RateCounter.objects.get(key="progress_lookup:192.0.2.13").hits) == limit


def test_a_throttled_request_costs_one_statement(db):
    client = APIClient(REMOTE_ADDR="192.0.2.14")
    with CaptureQueriesContext(connection) as counted:
        client.get(PROGRESS, LOOKUP)
    assert len(_counter_queries(counted.captured_queries)) == 1
    assert len(counted.captured_queries) == 2  # the counter, the look-up


def test_forwarded_for_is_ignored_without_a_trusted_proxy(db):
    client = APIClient(REMOTE_ADDR="192.0.2.15")
    statuses = [
        client.get(PROGRESS, LOOKUP, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(_limit("progress_lookup") + 1)
    ]
    assert statuses[-1] == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_only_the_entry_it_appended_counts():
    from django.test import RequestFactory

    factory = RequestFactory()
    spoofed = factory.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_ip(spoofed) == "203.0.113.9"
    direct = factory.get("/", REMOTE_ADDR="10.0.0.1")
    assert client_ip(direct) == "10.0.0.1"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="x, y")
    assert client_ip(garbage) == "10.0.0.1"


def test_staff_pages_and_api_touch_no_limit(staff_factory, staff_api):
    clerk = staff_factory(Role.CLERK)
    client = Client()
    client.force_login(clerk)
    api = staff_api(clerk)
    with CaptureQueriesContext(connection) as counted:
        assert client.get("/services/applications/").status_code == 200
        assert client.get("/services/matters/").status_code == 200
        assert api.get("/api/v1/matters/").status_code == 200
        assert api.get("/api/v1/applications/").status_code == 200
    sql = [q["sql"] for q in counted.captured_queries]
    assert _counter_queries(counted.captured_queries) == []
    assert not [s for s in sql if "axes_" in s]
    assert not [s for s in sql if s.lstrip().upper().startswith("UPDATE")]


def test_public_catalogue_is_not_limited_unless_a_rate_is_set(db):
    anonymous = APIClient(REMOTE_ADDR="192.0.2.16")
    with CaptureQueriesContext(connection) as counted:
        assert anonymous.get("/api/v1/matters/").status_code == 200
    assert _counter_queries(counted.captured_queries) == []


def test_public_catalogue_rate_when_set_holds_for_anonymous_callers_only(
    staff_factory, staff_api
):
    with _rates(public="3/min"):
        anonymous = APIClient(REMOTE_ADDR="192.0.2.17")
        with CaptureQueriesContext(connection) as counted:
            assert anonymous.get("/api/v1/matters/").status_code == 200
        assert len(_counter_queries(counted.captured_queries)) == 1
        statuses = [anonymous.get("/api/v1/matters/").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        staff = staff_api(staff_factory(Role.CLERK))
        assert [staff.get("/api/v1/matters/").status_code for _ in range(5)] == [
            200
        ] * 5


def test_throttled_requests_are_logged(db, caplog):
    client = APIClient(REMOTE_ADDR="192.0.2.18")
    with caplog.at_level(logging.WARNING, logger="security"):
        for _ in range(_limit("progress_lookup") + 1):
            client.get(PROGRESS, LOOKUP)
    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert lines == [
        "security event=throttled scope=progress_lookup client=192.0.2.18 "
        f"path={PROGRESS}"
    ]


def test_purge_deletes_only_expired_counters(db):
    ratelimit.hit("test:old", limit=5, duration=60)
    ratelimit.hit("test:new", limit=5, duration=60)
    RateCounter.objects.filter(key="test:old").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    out = io.StringIO()
    call_command("purge_rate_limits", stdout=out)
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["test:new"]
    assert "1" in out.getvalue()


# Redis, when CACHE_URL names one: the same limits, and no database query.


@pytest.fixture
def redis_cache(redis_url):
    setting = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    }
    with override_settings(CACHES=setting):
        ratelimit.reset()
        yield caches["default"]
        ratelimit.reset()


def test_redis_counts_exactly_without_a_database_query(db, redis_cache):
    client = APIClient(REMOTE_ADDR="192.0.2.20")
    limit = _limit("progress_lookup")
    with CaptureQueriesContext(connection) as counted:
        statuses = [client.get(PROGRESS, LOOKUP).status_code for _ in range(limit + 1)]
    assert statuses == [404] * limit + [429]
    assert _counter_queries(counted.captured_queries) == []
    assert not RateCounter.objects.exists()
    assert 0 < int(client.get(PROGRESS, LOOKUP)["Retry-After"]) <= 60


def test_redis_window_slides(redis_cache):
    for _ in range(3):
        assert ratelimit.hit("test:slide", limit=3, duration=60).allowed
    assert not ratelimit.hit("test:slide", limit=3, duration=60).allowed
    # Move every counted request more than a minute back: room again.
    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_key("ratelimit:test:slide")
    for member, score in client.zrange(key, 0, -1, withscores=True):
        client.zadd(key, {member: score - 61})
    assert ratelimit.hit("test:slide", limit=3, duration=60).allowed
