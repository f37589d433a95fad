"""Encryption of the keys we present to partners, so a database dump never holds them.

The Fernet key comes from ``PARTNER_KEY_ENCRYPTION_KEY`` (a urlsafe-base64 32-byte
key, e.g. from ``python -c "from cryptography.fernet import Fernet;
print(Fernet.generate_key().decode())"``); without it one is derived from
``SECRET_KEY``, which is also kept out of the database.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import ValidationFailed


def _fernet() -> Fernet:
    configured = getattr(settings, "PARTNER_KEY_ENCRYPTION_KEY", "")
    if configured:
        return Fernet(configured.encode())
    derived = hashlib.sha256(b"partner-keys:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValidationFailed(
            _(
                "The partner district's API key cannot be decrypted: "
                "PARTNER_KEY_ENCRYPTION_KEY or SECRET_KEY has changed."
            )
        ) from None
