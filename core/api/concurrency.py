"""``ETag`` / ``If-Match`` for records with a ``version`` (optimistic locking).

GET returns ``ETag: "<version>"``. PATCH and state changes must send
``If-Match``: missing is 428, stale is 412 (``core.errors``), and one that is
not an ETag at all (``"abc"``, ``W/"٣"``) is 400 naming the header, as the
schema's pattern for it says.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.errors import PreconditionRequired, ValidationFailed

# core.api.schema.IF_MATCH says the same: "3", W/"3" or 3, in ASCII digits.
ETAG = re.compile(r'(?:W/)?"?([0-9]+)"?')


def etag_for(obj) -> str:
    return f'"{obj.version}"'


def expected_version(request) -> int:
    """The version the client last saw, from ``If-Match`` (428 when absent)."""
    version = optional_expected_version(request)
    if version is None:
        raise PreconditionRequired()
    return version


def optional_expected_version(request) -> int | None:
    """The version in ``If-Match``, or None where the header may be left out."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        return None
    match = ETAG.fullmatch(header.strip())
    if match is None:
        message = _("The If-Match header is malformed; send the object's ETag.")
        raise ValidationFailed(
            message,
            errors=[{"field": "If-Match", "code": "invalid", "message": message}],
        )
    return int(match.group(1))


class ETagMixin:
    """Adds the ETag header to retrieve/update responses of a versioned model."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "_etag_object", None)
        if obj is not None and response.status_code < 300 and hasattr(obj, "version"):
            response["ETag"] = etag_for(obj)
        return response

    def get_object(self):
        obj = super().get_object()
        self._etag_object = obj
        return obj
