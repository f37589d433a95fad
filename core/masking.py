"""Masking of ID and phone numbers: the one place it happens, on output.

Pages (the ``mask_id``/``mask_phone`` template filters), API serializers
(``core.api.fields.MaskedField``), exports and logs all call these functions.
"""

from __future__ import annotations

# Whoever holds this permission sees ID and phone numbers in full.
VIEW_SENSITIVE_PERMISSION = "core.view_sensitive_data"


def mask_id(value: str | None) -> str:
    """``370802199001011234`` → ``370802********1234``; credit codes alike."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def can_see_sensitive(user) -> bool:
    return bool(
        user and user.is_authenticated and user.has_perm(VIEW_SENSITIVE_PERMISSION)
    )
