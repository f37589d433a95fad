"""API routes of the services register: applications."""

from django.urls import path

from services.api.application_views import (
    ApplicationViewSet,
    FollowUpViewSet,
    ProgressLookupView,
)


def register(router) -> None:
    """Add the viewsets to the /api/v1/ router."""
    router.register("applications", ApplicationViewSet, basename="application")
    router.register(
        "evaluation-follow-ups", FollowUpViewSet, basename="evaluation-follow-up"
    )


urlpatterns: list = [
    path(
        "application-progress/",
        ProgressLookupView.as_view(),
        name="application-progress",
    ),
]
