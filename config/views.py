"""Error handlers: JSON for the API, the plain page elsewhere.

Every answer under ``/api/`` has the API's one error shape, whatever raised it:
a path no route matches (``/api/v1/activities/0.5/cancel/``), a malformed
request Django refuses before any view (413 for an over-size body), a
permission error outside DRF.

Elsewhere the 403 and 404 pages are in the site's layout (the staff one when
signed in, the public one otherwise) with a way back; the 500 page stands alone
(no database, no context processors), since whatever failed may fail again.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views import defaults

from core.api.errors import DETAIL_BY_TYPE, error_body, payload_too_large
from core.api.errors import server_error as api_server_error
from core.i18n import district_language
from core.navigation import back_url as back_url_to


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(type_: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(type_, str(DETAIL_BY_TYPE[type_])), status=status)


def _error_page(request, template_name: str, status: int):
    """``template_name`` in the layout for who is asking, linking back to the page
    they came from when it is on this site."""
    referer = request.META.get("HTTP_REFERER", "")
    back_url = referer if referer and back_url_to(request) == referer else ""
    user = getattr(request, "user", None)
    layout = (
        "base.html"
        if user is not None and user.is_authenticated
        else "public_base.html"
    )
    context = {"layout": layout, "back_url": back_url}
    return render(request, template_name, context, status=status)


def server_error(request, *args, **kwargs):
    if _is_api(request):
        return api_server_error(request)
    try:
        stylesheet = static("css/app.css")
    except ValueError:  # a manifest without it: the page still renders, unstyled
        stylesheet = ""
    with district_language():
        body = loader.get_template("500.html").render({"stylesheet": stylesheet})
    return HttpResponseServerError(body)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _api_error("not_found", 404)
    return _error_page(request, "404.html", 404)


def bad_request(request, exception=None, *args, **kwargs):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return JsonResponse(payload_too_large(), status=413)
    return _api_error("validation_error", 400)


def permission_denied(request, exception=None):
    if _is_api(request):
        return _api_error("permission_denied", 403)
    return _error_page(request, "403.html", 403)
