"""API routes of the services register: the catalogue."""

from services.api.catalogue_views import (
    AgreementEntryViewSet,
    AgreementViewSet,
    BundleViewSet,
    MatterViewSet,
)


def register(router) -> None:
    """Add the viewsets to the /api/v1/ router."""
    router.register("matters", MatterViewSet, basename="matter")
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register(
        "agreement-entries", AgreementEntryViewSet, basename="agreement-entry"
    )
    router.register("bundles", BundleViewSet, basename="bundle")


urlpatterns: list = []
