"""``Idempotency-Key`` on POSTs that create (shared/API.md, IETF draft).

The first request with a key claims it in its own committed row before any work,
so a concurrent duplicate sees it. The response (2xx–4xx) is stored and replayed;
a 5xx, an exception, or a domain error marked ``retryable`` (a refusal the same
request may overcome later) frees the key so the client may retry.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.response import Response

from core.errors import Conflict, DomainError, ValidationFailed
from core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Location", "ETag")
# The UUID as written in the schema (format: uuid): 8-4-4-4-12 hex digits. The
# uuid module also takes braces, a "urn:uuid:" prefix or no hyphens, which would
# make two spellings of one key.
UUID_FORMAT = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


class IdempotencyMismatch(DomainError):
    type = "idempotency_mismatch"
    status = 422
    default_message = gettext_lazy(
        "The same Idempotency-Key was already used for a different request."
    )


def client_id(request) -> str:
    user = request.user
    district = getattr(user, "district", None)
    if getattr(user, "is_partner", False):
        return f"partner:{district.code}"
    if user and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous"


def request_fingerprint(request) -> str:
    """A hash of method, path and body (JSON normalised; uploads by content)."""
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    content_type = request.content_type or ""
    if content_type.startswith("application/json"):
        try:
            body = json.dumps(json.loads(request.body or b"null"), sort_keys=True)
        except ValueError:
            body = request.body.decode("latin-1")
        digest.update(body.encode())
    else:
        for key in sorted(request.data.keys()):
            for value in (
                request.data.getlist(key)
                if hasattr(request.data, "getlist")
                else [request.data[key]]
            ):
                digest.update(key.encode())
                if hasattr(value, "chunks"):
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.response_status)
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAY_HEADER] = "true"
    return response


def _take_over_abandoned(record: IdempotencyRecord) -> bool:
    """A claim older than IDEMPOTENCY_IN_PROGRESS_TIMEOUT_SECONDS belonged to a
    request that died (a killed worker, a timeout): the retry takes it over."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(
        seconds=settings.IDEMPOTENCY_IN_PROGRESS_TIMEOUT_SECONDS
    )
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS, created_at__lt=cutoff
    ).update(created_at=now)
    return taken == 1


def _error_response(exc) -> Response | None:
    """The error answer the API would give (so a 4xx is stored and replayed too)."""
    from core.api.errors import exception_handler

    return exception_handler(exc, {})


def idempotent(handler):
    """Decorate a viewset method (``create`` or an ``@action``) taking (self, request, ...)."""

    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(self, request, *args, **kwargs)
        if not UUID_FORMAT.fullmatch(key):
            raise ValidationFailed(
                _("The Idempotency-Key must be a UUID."),
                errors=[
                    {
                        "field": HEADER,
                        "code": "invalid",
                        "message": _("Must be a UUID."),
                    }
                ],
            )
        key = key.lower()
        client = client_id(request)
        fingerprint = request_fingerprint(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    client=client,
                    key=key,
                    method=request.method,
                    path=request.path,
                    request_hash=fingerprint,
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(client=client, key=key).first()
            if existing is None:  # the first request failed and freed the key just now
                raise Conflict(
                    _(
                        "A request with the same Idempotency-Key has just failed; "
                        "please retry."
                    )
                ) from None
            if existing.request_hash != fingerprint:
                raise IdempotencyMismatch() from None
            if existing.state == IdempotencyRecord.State.DONE:
                return _replay(existing)
            if not _take_over_abandoned(existing):
                raise Conflict(
                    _("A request with the same Idempotency-Key is still in progress.")
                ) from None
            record = existing

        try:
            response = handler(self, request, *args, **kwargs)
        except Exception as exc:
            response = _error_response(exc)
            if (
                response is None
                or response.status_code >= 500
                or getattr(exc, "retryable", False)
            ):
                record.delete()
                raise
        if response.status_code >= 500:
            record.delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            state=IdempotencyRecord.State.DONE,
            response_status=response.status_code,
            response_body=json.loads(json.dumps(response.data, default=str)),
            response_headers={h: response[h] for h in KEPT_HEADERS if h in response},
        )
        return response

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    wrapper.__wrapped__ = handler
    return wrapper
