"""The client's address, as every limit in the app counts it.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (each appending the address it
received the request from to ``X-Forwarded-For``), the client is the entry that
many places from the right: the entries further left were written by the client
and are never trusted. With no trusted proxy (the default) only ``REMOTE_ADDR``
counts, whatever headers the request carries. Rate limits (core.api.throttling)
and the login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) both use this.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The real client address of ``request`` (a Django or DRF request)."""
    meta = request.META
    remote = _valid(meta.get("REMOTE_ADDR", "")) or "0.0.0.0"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through all of them,
        # so the nearest hop is the only address we know to be real.
        return remote
    return _valid(forwarded[-proxies]) or remote
