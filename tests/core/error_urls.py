"""The site's routes plus one page that fails, for the 500 page's test."""

from django.urls import path

from config.urls import *  # noqa: F403 (the routes and the error handlers)
from config.urls import urlpatterns as site_urlpatterns


def broken_page(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken_page), *site_urlpatterns]
