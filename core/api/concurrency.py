"""``ETag`` / ``If-Match`` for records with a ``version`` (optimistic locking).

GET returns ``ETag: "<version>"``. PATCH and state changes must send
``If-Match``: missing is 428, stale is 412 (``core.errors``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import PreconditionRequired, StaleVersion
from core.versioning import parse_version


def etag_for(obj) -> str:
    return f'"{obj.version}"'


def expected_version(request) -> int:
    """The version the client last saw, from ``If-Match`` (428 when absent)."""
    header = request.headers.get("If-Match")
    if not header or not header.strip():
        raise PreconditionRequired()
    try:
        return parse_version(header)
    except StaleVersion:
        raise StaleVersion(
            _("The If-Match header is malformed; send the object's ETag.")
        ) from None


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
