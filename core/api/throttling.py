"""Rate limits, counted in the store every worker and server shares.

The count is keyed on ``core.net.client_ip`` (the real client address behind the
configured number of trusted proxies, never a header the client controls) and
kept by ``core.ratelimit``: one atomic statement per throttled request, in
PostgreSQL by default or in Redis when ``CACHE_URL`` names one. A request no
limit applies to (a signed-in user on the public catalogue, a scope whose rate is
not set) costs nothing.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core import ratelimit
from core.logs import security_event
from core.net import client_ip


class SharedRateThrottle(SimpleRateThrottle):
    """A sliding-window limit per client address and scope, atomic across
    workers and servers; ``None`` as the scope's rate switches it off."""

    def get_rate(self) -> str | None:
        # Read when the throttle is made, not when the module was imported.
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No rate set for the scope {self.scope!r}")
        return rates[self.scope] or None

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request, view):
        return f"{self.scope}:{self.get_ident(request)}"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        decision = ratelimit.hit(key, limit=self.num_requests, duration=self.duration)
        self.retry_after = decision.retry_after
        if not decision.allowed:
            security_event(
                "throttled",
                scope=self.scope,
                client=self.get_ident(request),
                path=request.path,
            )
        return decision.allowed

    def wait(self) -> float:
        return self.retry_after


class PublicThrottle(SharedRateThrottle):
    """The public catalogue and 通办 lists, for callers who are not signed in
    (staff and partner districts are not limited). Off unless
    ``PUBLIC_THROTTLE_RATE`` is set: the catalogue is published data, and a
    flood of it is the reverse proxy's to stop (SECURITY.md)."""

    scope = "public"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class ProgressLookupThrottle(SharedRateThrottle):
    """Stricter limit on progress look-ups (number + phone digits), against guessing.

    Applies to everyone, logged in or not: the look-up is a public door."""

    scope = "progress_lookup"
