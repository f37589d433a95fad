"""One family of domain errors, raised by actions and mapped once to HTTP and pages.

``core.api.errors.exception_handler`` maps them to the API's error shape;
``core.middleware.DomainErrorMiddleware`` and ``core.views.DomainErrorMixin``
turn them into page messages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """Base class: a rule of the register was broken; nothing was written."""

    type = "validation_error"
    status = 400
    default_message = gettext_lazy("The request is invalid.")
    # The same request may succeed later unchanged (something it waits for has
    # not happened yet): an Idempotency-Key answered with it is not kept.
    retryable = False

    def __init__(self, message: str | None = None, *, errors: list | None = None):
        # Rendered now, in the language of the request that raised it.
        self.message = str(message or self.default_message)
        # [{"field": ..., "code": ..., "message": ...}]
        self.errors = errors or []
        super().__init__(self.message)

    @classmethod
    def for_fields(cls, field_messages: dict, message: str | None = None):
        errors = []
        for field, messages in field_messages.items():
            if isinstance(messages, str):
                messages = [messages]
            for text in messages:
                errors.append({"field": field, "code": "invalid", "message": str(text)})
        return cls(message, errors=errors)


class ValidationFailed(DomainError):
    """Input breaks a rule (400)."""


class NotFound(DomainError):
    type = "not_found"
    status = 404
    default_message = gettext_lazy("The object does not exist.")


class Forbidden(DomainError):
    """The caller sees the record but may not do this with it (403)."""

    type = "permission_denied"
    status = 403
    default_message = gettext_lazy("You do not have permission to perform this action.")


class IllegalTransition(DomainError):
    """The record's current state does not allow this step (409)."""

    type = "illegal_transition"
    status = 409
    default_message = gettext_lazy(
        "The record's current state does not allow this operation."
    )


class Conflict(DomainError):
    type = "conflict"
    status = 409
    default_message = gettext_lazy("The operation conflicts; please try again later.")


class StaleVersion(DomainError):
    """Someone changed the record since the caller read it (412)."""

    type = "precondition_failed"
    status = 412
    default_message = gettext_lazy(
        "Someone else has changed the record; please reload and try again."
    )


class PreconditionRequired(DomainError):
    type = "precondition_required"
    status = 428
    default_message = gettext_lazy("The If-Match request header is missing.")


def check_version(obj, expected) -> None:
    """Optimistic locking: refuse when ``expected`` is given and differs."""
    if expected is None:
        return
    try:
        expected = int(expected)
    except (TypeError, ValueError) as exc:
        raise StaleVersion(_("The version number is malformed.")) from exc
    if obj.version != expected:
        raise StaleVersion()
