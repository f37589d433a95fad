"""Domain errors raised from staff pages become a message and a redirect back;
security headers and the staff session's idle and absolute limits."""

import time

import pghistory
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.core.handlers.wsgi import WSGIRequest
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from pghistory import config as pghistory_config
from pghistory import middleware as pghistory_middleware
from pghistory.middleware import HistoryMiddleware

from core.audit import audit_identity
from core.errors import DomainError
from core.i18n import join_messages
from core.navigation import back_url


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        messages.error(request, domain_error_text(exception))
        return redirect(back_url(request))


def domain_error_text(error: DomainError) -> str:
    details = join_messages(
        item["message"] for item in error.errors if item.get("message")
    )
    if not details:
        return error.message
    return _("%(message)s: %(details)s") % {
        "message": error.message,
        "details": details,
    }


class AuditedRequest(pghistory_middleware.WSGIRequest):
    """pghistory's request, which puts ``request.user`` in the audit context
    when DRF sets it in the view (a token user, a partner's system): by name,
    and for a partner by district, not only by number."""

    def __setattr__(self, attr, value):
        if attr == "user":
            pghistory.context(**audit_identity(value))
        elif attr == "auth" and getattr(value, "prefix", None):
            # The token or key it came with, by its public prefix.
            pghistory.context(credential=value.prefix)
        super().__setattr__(attr, value)


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, also recording who acts by name (the history
    pages show it): a signed-in user, or, once DRF has authenticated it, a
    staff token's owner or a partner district's system."""

    def get_context(self, request):
        context = super().get_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context.update(audit_identity(user))
        return context

    def __call__(self, request):
        if request.method not in pghistory_config.middleware_methods():
            return self.get_response(request)
        with pghistory.context(**self.get_context(request)):
            if isinstance(request, WSGIRequest):
                request.__class__ = AuditedRequest
            return self.get_response(request)


class SecurityHeadersMiddleware:
    """What every answer carries beyond Django's own security headers:
    ``Permissions-Policy`` (no camera, microphone, location… for any page), and
    ``Cache-Control: no-store`` on every API answer and every page served to a
    signed-in user, so no browser or proxy keeps personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response


SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN_AT = "_last_seen_at"


def stamp_session_at_login(sender, request, user, **kwargs):
    """user_logged_in: start both clocks in the session being saved anyway."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """A staff session ends after ``SESSION_IDLE_TIMEOUT`` without a request and,
    whatever the activity, ``SESSION_COOKIE_AGE`` after sign-in (an office day).

    The clocks start at sign-in (``stamp_session_at_login``), when the session is
    written anyway; activity is recorded at most every ``TOUCH_SECONDS``, so a
    request costs no write of its own, and nothing at all without a session."""

    TOUCH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) is not None:
            now = int(time.time())
            started = session.get(SIGNED_IN_AT)
            last_seen = session.get(LAST_SEEN_AT)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            if started is None or last_seen is None:
                # A session signed in before these limits existed: start now.
                session[SIGNED_IN_AT] = started or now
                session[LAST_SEEN_AT] = now
            elif now - last_seen > idle or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif now - last_seen >= self.TOUCH_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


class RequestSanityMiddleware:
    """A NUL character in the query string or a form field is refused with 400
    (PostgreSQL cannot store or compare it, so it used to fail as a 500 deep in a
    query); under /api/ in the API's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or _has_nul(request.GET):
            return bad_request_response(
                request, _("The request contains a NUL character.")
            )
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query.lists()
    )


def bad_request_response(request, message: str):
    from django.http import HttpResponseBadRequest, JsonResponse

    from core.api.errors import error_body

    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("validation_error", message),
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
