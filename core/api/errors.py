"""The API's one error shape (see shared/API.md), for DRF and domain errors alike.

{"type": "validation_error", "detail": "...", "errors": [{"field", "code", "message"}]}
"""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError

logger = logging.getLogger(__name__)

DRF_TYPES = {
    exceptions.ParseError: "validation_error",
    exceptions.ValidationError: "validation_error",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.Throttled: "throttled",
}

DETAIL_BY_TYPE = {
    "validation_error": gettext_lazy("The request data is invalid."),
    "not_authenticated": gettext_lazy(
        "Not authenticated, or the credentials are invalid."
    ),
    "permission_denied": gettext_lazy(
        "You do not have permission to perform this action."
    ),
    "not_found": gettext_lazy("The object does not exist."),
    "throttled": gettext_lazy("Too many requests; please try again later."),
}


def flatten_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error dict → a flat list of {field, code, message}."""
    found: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            field = f"{prefix}.{name}" if prefix and name else (prefix or name)
            found.extend(flatten_errors(value, field))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                found.extend(flatten_errors(value, f"{prefix}[{index}]"))
            else:
                found.extend(flatten_errors(value, prefix))
    else:
        found.append(
            {
                "field": prefix or None,
                "code": getattr(detail, "code", "invalid"),
                "message": str(detail),
            }
        )
    return found


def error_body(type_: str, detail: str, errors: list | None = None) -> dict:
    return {"type": type_, "detail": detail, "errors": errors or []}


def payload_too_large() -> dict:
    return error_body(
        "payload_too_large",
        _("The request body is larger than this server accepts."),
    )


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return Response(
            payload_too_large(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, DomainError):
        return Response(
            error_body(exc.type, exc.message, exc.errors), status=exc.status
        )
    if isinstance(exc, DjangoValidationError):
        messages = (
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        )
        exc = exceptions.ValidationError(messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    type_ = next(
        (name for cls, name in DRF_TYPES.items() if isinstance(exc, cls)), "error"
    )
    if isinstance(exc, exceptions.ValidationError | exceptions.ParseError):
        errors = flatten_errors(exc.detail)
        detail = str(DETAIL_BY_TYPE["validation_error"])
        if isinstance(exc, exceptions.ParseError):
            detail = _("The request body cannot be parsed: %(error)s") % {
                "error": exc.detail
            }
    else:
        errors = []
        detail = (
            str(exc.detail) if hasattr(exc, "detail") else DETAIL_BY_TYPE.get(type_)
        )
        detail = DETAIL_BY_TYPE.get(type_, detail) if type_ != "throttled" else detail
        detail = None if detail is None else str(detail)
    response.data = error_body(type_, detail, errors)
    return response


def server_error(request, *args, **kwargs):
    """500 for API paths: a request id to quote, nothing else (details go to the log)."""
    request_id = uuid.uuid4().hex
    logger.error("server error request_id=%s path=%s", request_id, request.path)
    return JsonResponse(
        {
            **error_body("server_error", _("Internal server error")),
            "request_id": request_id,
        },
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
