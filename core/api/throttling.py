"""Rate limits, counted in the cache every worker and server shares.

The count is keyed on ``core.net.client_ip`` (the real client address behind the
configured number of trusted proxies, never a header the client controls), and
each check-and-record happens under a lock, so concurrent requests on several
workers cannot both take the last place in the window: PostgreSQL's advisory
lock with the default database cache, a Redis lock with ``CACHE_URL=redis://…``.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.net import client_ip

security_log = logging.getLogger("security")


@contextmanager
def serialised(cache, key: str):
    """Hold a lock on ``key`` shared by every process using ``cache``."""
    if isinstance(cache, DatabaseCache):
        alias = router.db_for_write(cache.cache_model_class)
        lock_id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
        lock_id -= 1 << 63  # a signed bigint
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
            yield
        return
    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client is None:  # a per-process cache (locmem): no other process to race
        yield
        return
    with client(key, write=True).lock(f"lock:{key}", timeout=5, blocking_timeout=5):
        yield


class SharedRateThrottle(SimpleRateThrottle):
    """DRF's sliding-window throttle, keyed on the real client address and
    atomic across workers."""

    @property
    def cache(self):
        # The backend itself, not django.core.cache.cache (a proxy), so that
        # serialised() can tell which lock to take.
        return caches["default"]

    def get_ident(self, request) -> str:
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        with serialised(self.cache, self.key):
            self.history = self.cache.get(self.key, [])
            self.now = self.timer()
            while self.history and self.history[-1] <= self.now - self.duration:
                self.history.pop()
            if len(self.history) >= self.num_requests:
                security_log.warning(
                    "security event=throttled scope=%s client=%s",
                    self.scope,
                    self.get_ident(request),
                )
                return self.throttle_failure()
            return self.throttle_success()


class PublicThrottle(SharedRateThrottle, AnonRateThrottle):
    """Rate limit for the public catalogue and lists, by client address."""

    scope = "public"


class ProgressLookupThrottle(SharedRateThrottle):
    """Stricter limit on progress look-ups (number + phone digits), against guessing.

    Applies to everyone, logged in or not: the look-up is a public door."""

    scope = "progress_lookup"

    def get_cache_key(self, request, view):
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
