"""Error handlers: JSON for the API, the plain page elsewhere."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as page_bad_request
from django.views.defaults import server_error as page_server_error

from core.api.errors import error_body, payload_too_large
from core.api.errors import server_error as api_server_error


def bad_request(request, exception, *args, **kwargs):
    """400 (and 413 for an over-size body) in the API's shape under /api/."""
    if not request.path.startswith("/api/"):
        return page_bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return JsonResponse(payload_too_large(), status=413)
    return JsonResponse(
        error_body("validation_error", _("The request data is invalid.")), status=400
    )


def server_error(request, *args, **kwargs):
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return page_server_error(request)
