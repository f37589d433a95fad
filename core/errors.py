"""One family of domain errors, raised by actions and mapped once to HTTP and pages.

``core.api.errors.exception_handler`` maps them to the API's error shape;
``core.middleware.DomainErrorMiddleware`` and ``core.views.DomainErrorMixin``
turn them into page messages.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a rule of the register was broken; nothing was written."""

    type = "validation_error"
    status = 400
    default_message = "请求无效"

    def __init__(self, message: str | None = None, *, errors: list | None = None):
        self.message = message or self.default_message
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
    default_message = "对象不存在"


class IllegalTransition(DomainError):
    """The record's current state does not allow this step (409)."""

    type = "illegal_transition"
    status = 409
    default_message = "当前状态不允许此操作"


class Conflict(DomainError):
    type = "conflict"
    status = 409
    default_message = "操作冲突，请稍后重试"


class StaleVersion(DomainError):
    """Someone changed the record since the caller read it (412)."""

    type = "precondition_failed"
    status = 412
    default_message = "记录已被他人修改，请刷新后重试"


class PreconditionRequired(DomainError):
    type = "precondition_required"
    status = 428
    default_message = "缺少 If-Match 请求头"


def check_version(obj, expected) -> None:
    """Optimistic locking: refuse when ``expected`` is given and differs."""
    if expected is None:
        return
    try:
        expected = int(expected)
    except (TypeError, ValueError) as exc:
        raise StaleVersion("版本号格式错误") from exc
    if obj.version != expected:
        raise StaleVersion()
