"""Page routes of the services register: applications."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
