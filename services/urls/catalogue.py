"""Page routes of the services register: catalogue."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
