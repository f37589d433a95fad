"""Login lockout (django-axes): who is counted, what a locked-out client reads,
and the credential checks outside Django's ``authenticate`` that count too.

Failures are counted per account and per client address (``core.net.client_ip``)
in the database, which every worker and server shares. After
``AXES_FAILURE_LIMIT`` failures within ``AXES_COOLOFF_TIME`` the account, or the
address, is refused until the cool-off has passed since the last failure, or an
operator unlocks it (``login_unlock``). A bad staff token or partner key names no
account: those count against the client address only.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from core.logs import security_event
from core.net import client_ip


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Too many failed sign-in attempts: this account or this address is locked "
        "for %(minutes)d minutes. Try again later, or ask an administrator to "
        "unlock it."
    ) % {"minutes": cooloff_minutes()}


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """Per account and per address; per address only when no account is named."""
    username = (credentials or {}).get("username") or getattr(
        request_or_attempt, "username", None
    )
    return ["username", "ip_address"] if username else ["ip_address"]


def lockout_response(request, original_response=None, credentials=None):
    """429 with the Chinese message: the API's error shape under /api/, a page
    elsewhere (the staff login and the admin login)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"type": "throttled", "detail": lockout_message(), "errors": []},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message()},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class LockedOut(exceptions.Throttled):
    default_code = "locked_out"

    def __init__(self):
        super().__init__(detail=lockout_message())


def guard_credential_check(request, kind: str) -> None:
    """Before checking a token or key: refuse a locked-out client address."""
    django_request = getattr(request, "_request", request)
    if not settings.AXES_ENABLED:
        return
    if not AxesProxyHandler.is_allowed(django_request, {"credential": kind}):
        security_event(
            "lockout_refused",
            credential=kind,
            client=django_request.axes_ip_address,
            path=django_request.path,
        )
        raise LockedOut()


def record_credential_failure(
    request, kind: str, prefix: str = "", reason: str = ""
) -> None:
    """A bad token or key (answered 401): logged, and counted against the client
    address as a failed login."""
    django_request = getattr(request, "_request", request)
    user_login_failed.send(
        sender=__name__, credentials={"credential": kind}, request=django_request
    )
    security_event(
        "credential_refused",
        credential=kind,
        key_prefix=prefix,
        reason=reason,
        status=401,
        client=client_ip(django_request),
        path=django_request.path,
    )


@receiver(user_login_failed, dispatch_uid="core.lockout.log_failure")
def log_failure(sender, credentials, request=None, **kwargs):
    if "credential" in (credentials or {}):
        return  # a token or key: record_credential_failure logs it
    security_event(
        "login_failed",
        account=(credentials or {}).get("username"),
        client=getattr(request, "axes_ip_address", None),
        path=getattr(request, "path", None),
    )


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    security_event("lockout", account=username, client=ip_address)
