"""API routes of federation: /api/v1/federation/…, partner keys only."""

from django.urls import path

from services.api.federation_views import (
    FederationApplicationViewSet,
    FederationPingView,
)


def register(router) -> None:
    router.register(
        "federation/applications",
        FederationApplicationViewSet,
        basename="federation-application",
    )


urlpatterns: list = [
    path("federation/ping/", FederationPingView.as_view(), name="federation-ping"),
]
