"""The site's routes plus one page that fails, for the 500 page's test."""

from django.urls import path

from config.urls import *  # noqa: F403 (the routes and the error handlers)
from config.urls import urlpatterns as site_urlpatterns
from core.errors import IllegalTransition


def broken_page(request):
    raise RuntimeError("a bug")


def refusing_page(request):
    raise IllegalTransition("这一步现在不能做")  # i18n: data (a test's message)


urlpatterns = [
    path("broken/", broken_page),
    path("refusing/", refusing_page),
    *site_urlpatterns,
]
