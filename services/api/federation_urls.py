"""API routes of federation: /api/v1/federation/…, partner keys only."""

from django.urls import path

from services.api.federation_views import FederationPingView


def register(router) -> None:
    """Federation endpoints are plain paths, not router viewsets."""


urlpatterns: list = [
    path("federation/ping/", FederationPingView.as_view(), name="federation-ping"),
]
