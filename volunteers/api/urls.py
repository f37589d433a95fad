"""This register's API routes: ``register`` adds viewsets to the shared router."""

from django.urls import path

from volunteers.api import views


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router (basenames ``volunteers-*``)."""
    router.register(
        "party-branches", views.PartyBranchViewSet, basename="volunteers-party-branch"
    )
    router.register(
        "service-categories",
        views.ServiceCategoryViewSet,
        basename="volunteers-service-category",
    )
    router.register(
        "organisations", views.OrganisationViewSet, basename="volunteers-organisation"
    )
    router.register("teams", views.TeamViewSet, basename="volunteers-team")
    router.register(
        "volunteers", views.VolunteerViewSet, basename="volunteers-volunteer"
    )
    router.register(
        "memberships", views.MembershipViewSet, basename="volunteers-membership"
    )
    router.register(
        "annual-plans", views.AnnualPlanViewSet, basename="volunteers-annual-plan"
    )
    router.register("activities", views.ActivityViewSet, basename="volunteers-activity")
    router.register(
        "participations",
        views.ParticipationViewSet,
        basename="volunteers-participation",
    )
    router.register("donations", views.DonationViewSet, basename="volunteers-donation")
    router.register(
        "certificates", views.CertificateViewSet, basename="volunteers-certificate"
    )


urlpatterns: list = [
    path(
        "volunteer-compliance/",
        views.ComplianceView.as_view(),
        name="volunteers-compliance",
    ),
    path("volunteer-totals/", views.TotalsView.as_view(), name="volunteers-totals"),
]
