"""Rate limits that every worker and server shares, at one round trip a check.

``hit(key, limit=10, duration=60)`` admits a request when fewer than ``limit``
requests of ``key`` were admitted in the last ``duration`` seconds (a sliding
window, so "10/min" holds over any 60 seconds, not per calendar minute), records
it, and says so; a refused request is not recorded. The check and the record are
one atomic operation on the shared store, so two workers can never both take the
last place:

- **PostgreSQL** (the default, nothing to set up): one ``INSERT … ON CONFLICT DO
  UPDATE … RETURNING`` on ``core_ratecounter`` (an unlogged table, one row per
  client and scope). The row lock taken by the upsert orders concurrent checks;
  the times come from the database's clock, so servers whose clocks differ agree.
  Expired rows are removed by ``purge_rate_limits``, never on a request.
- **Redis**, when ``CACHE_URL`` names one: one Lua script (a sorted set per
  client and scope, expiring by itself).

Nothing here runs for a request no limit applies to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until the oldest counted request leaves the window (refused only).
    retry_after: float = 0.0


# The existing row's hits still inside the window, oldest first. Every
# expression of SET and RETURNING sees the row as it was before this statement
# (SET) or after it (RETURNING); EXCLUDED.hits[1] is "now" on the database clock.
_KEPT = (
    "ARRAY(SELECT h FROM unnest(c.hits) AS h "
    "WHERE h > EXCLUDED.hits[1] - %(duration)s ORDER BY h)"
)
_ROOM = f"cardinality({_KEPT}) < %(limit)s"
_UPSERT = f"""
INSERT INTO core_ratecounter AS c (key, hits, admitted, expires_at)
VALUES (
    %(key)s,
    ARRAY[extract(epoch FROM clock_timestamp())::float8],
    true,
    clock_timestamp() + make_interval(secs => %(duration)s)
)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN {_ROOM} THEN {_KEPT} || EXCLUDED.hits[1] ELSE {_KEPT} END,
    admitted = {_ROOM},
    expires_at = CASE WHEN {_ROOM} THEN EXCLUDED.expires_at ELSE c.expires_at END
RETURNING
    c.admitted,
    c.hits[1] + %(duration)s - extract(epoch FROM clock_timestamp())::float8
"""

_REDIS_SCRIPT = """
local limit = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - duration)
if redis.call('ZCARD', KEYS[1]) < limit then
    redis.call('ZADD', KEYS[1], now, ARGV[3])
    redis.call('PEXPIRE', KEYS[1], math.ceil(duration * 1000))
    return {1, '0'}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tostring(tonumber(oldest[2]) + duration - now)}
"""


def _redis_client():
    """The client of the default cache when it is Redis, else None."""
    cache = caches["default"]
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    if get_client is None or "redis" not in type(cache).__module__:
        return None
    return cache, get_client(write=True)


def hit(key: str, *, limit: int, duration: float) -> Decision:
    """Count one request of ``key`` if it fits; one round trip to the store."""
    redis = _redis_client()
    if redis is not None:
        cache, client = redis
        allowed, retry = client.eval(
            _REDIS_SCRIPT,
            1,
            cache.make_key(f"ratelimit:{key}"),
            limit,
            duration,
            uuid.uuid4().hex,
        )
        return Decision(bool(int(allowed)), max(0.0, float(retry)))
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, {"key": key, "limit": limit, "duration": duration})
        admitted, retry = cursor.fetchone()
    return Decision(admitted, 0.0 if admitted else max(0.0, retry))


def purge_expired() -> int:
    """Delete the PostgreSQL rows whose window has passed; the count deleted."""
    from core.models import RateCounter

    deleted, _ = RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def reset(key: str | None = None) -> None:
    """Forget the counts of ``key`` (every key when None): tests and operators."""
    from core.models import RateCounter

    redis = _redis_client()
    if redis is not None:
        cache, client = redis
        pattern = cache.make_key(f"ratelimit:{key if key else '*'}")
        for name in client.scan_iter(match=pattern):
            client.delete(name)
        return
    rows = RateCounter.objects.all()
    if key:
        rows = rows.filter(key=key)
    rows.delete()


__all__ = ["Decision", "hit", "purge_expired", "reset"]
