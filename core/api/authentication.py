"""Partner districts authenticate with ``Authorization: Api-Key <key>``.

Keys are ``core.PartnerAPIKey`` rows (djangorestframework-api-key: hashed at
rest, revocable, with an expiry). A wrong, expired or revoked key is a 401.
Staff scripts use ``Authorization: Token <token>`` (core.StaffToken, hashed at
rest too). A failed token or key counts against the client address like a
failed login (core.lockout) and is logged as a security event; a locked-out
address is refused (429) before any key is looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from core.lockout import guard_credential_check, record_credential_failure
from core.models import District, PartnerAPIKey, StaffToken

KEYWORD = "Api-Key"


@dataclass
class PartnerPrincipal:
    """``request.user`` for a partner system: not a staff user, scoped to a district."""

    district: District
    key_prefix: str
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    is_partner: bool = True
    pk = None

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def __str__(self) -> str:
        return f"partner:{self.district.code}"


def is_partner(user) -> bool:
    return getattr(user, "is_partner", False)


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(KEYWORD + " "):
            return None
        guard_credential_check(request, "api_key")
        key = header[len(KEYWORD) + 1 :].strip()
        try:
            return self.check_key(key)
        except exceptions.AuthenticationFailed as error:
            prefix = key.partition(".")[0][:8]
            record_credential_failure(request, "api_key", prefix, str(error.detail))
            raise

    def check_key(self, key: str):
        if not key:
            raise exceptions.AuthenticationFailed(_("The API key is missing."))
        try:
            api_key = PartnerAPIKey.objects.get_from_key(key)
        except PartnerAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                _("The API key is invalid.")
            ) from None
        if not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed(_("The API key is invalid."))
        if api_key.revoked:
            raise exceptions.AuthenticationFailed(_("The API key has been revoked."))
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("The API key has expired."))
        if not api_key.district.active:
            raise exceptions.AuthenticationFailed(
                _("The partner district has been deactivated.")
            )
        return PartnerPrincipal(
            district=api_key.district, key_prefix=api_key.prefix
        ), api_key

    def authenticate_header(self, request):
        return KEYWORD


TOKEN_KEYWORD = "Token"


class StaffTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <prefix>.<secret>``: a staff member's personal token
    (core.StaffToken: hashed at rest, expiring, revocable by its owner). It acts
    as its owner; an inactive owner's token is refused."""

    def authenticate(self, request):
        auth = authentication.get_authorization_header(request).split()
        if not auth or auth[0].lower() != TOKEN_KEYWORD.lower().encode():
            return None
        guard_credential_check(request, "token")
        try:
            return self.check_token(auth)
        except exceptions.AuthenticationFailed as error:
            prefix = auth[1][:8].decode("latin-1") if len(auth) == 2 else ""
            record_credential_failure(request, "token", prefix, str(error.detail))
            raise

    def check_token(self, auth: list[bytes]):
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("The token is missing."))
        try:
            key = auth[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is invalid.")) from None
        prefix, _dot, _secret = key.partition(".")
        token = StaffToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not token.is_valid(key):
            raise exceptions.AuthenticationFailed(_("The token is invalid."))
        if token.revoked:
            raise exceptions.AuthenticationFailed(_("The token has been revoked."))
        if token.has_expired:
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account is disabled."))
        return token.user, token

    def authenticate_header(self, request):
        return TOKEN_KEYWORD
