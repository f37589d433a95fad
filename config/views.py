"""Error handlers: JSON for the API, the plain page elsewhere.

Every answer under ``/api/`` has the API's one error shape, whatever raised it:
a path no route matches (``/api/v1/activities/0.5/cancel/``), a malformed
request Django refuses before any view (413 for an over-size body), a
permission error outside DRF.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.views import defaults

from core.api.errors import DETAIL_BY_TYPE, error_body, payload_too_large
from core.api.errors import server_error as api_server_error


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(type_: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(type_, str(DETAIL_BY_TYPE[type_])), status=status)


def server_error(request, *args, **kwargs):
    if _is_api(request):
        return api_server_error(request)
    return defaults.server_error(request)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _api_error("not_found", 404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None, *args, **kwargs):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return JsonResponse(payload_too_large(), status=413)
    return _api_error("validation_error", 400)


def permission_denied(request, exception=None):
    if _is_api(request):
        return _api_error("permission_denied", 403)
    return defaults.permission_denied(request, exception)
