"""A deliberately leaky page, only for proving the sensitive-number gate works."""

import logging

from django.http import HttpResponse, JsonResponse
from django.urls import path

from core.views import SensitiveRevealView

# Built, not written out, so the source holds no full number to trip other scans.
PLANTED_ID = "110105" + "19491001" + "002" + "3"  # with its valid check character
PLANTED_PHONE = "139" + "0537" + "6688"

logger = logging.getLogger("tests.gates.leak")


def leak(request):
    return JsonResponse({"id_number": PLANTED_ID, "phone": PLANTED_PHONE})


def leak_html(request):
    return HttpResponse(f"<td>{PLANTED_ID}</td>", content_type="text/html")


def leak_log(request):
    logger.warning("looked up applicant %s", PLANTED_PHONE)
    return JsonResponse({"ok": True})


def echo(request):
    return JsonResponse({"you_sent": request.GET.get("q", "")})


urlpatterns = [
    path("leak/", leak),
    path("leak.html", leak_html),
    path("leak-log/", leak_log),
    path("echo/", echo),
    # The real reveal view: the number it answers is the caller's (logged).
    path(
        "reveal/<str:app_label>/<str:model_name>/<int:pk>/<str:field>/",
        SensitiveRevealView.as_view(),
    ),
]
