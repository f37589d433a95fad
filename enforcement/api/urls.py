"""This register's API routes: ``register`` adds viewsets to the shared router."""

from enforcement.api import views


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router (paths per shared/API.md)."""
    router.register("campaigns", views.CampaignViewSet, basename="campaign")
    router.register("patrols", views.PatrolViewSet, basename="patrol")
    router.register(
        "enforcement/subjects", views.SubjectViewSet, basename="enforcement-subject"
    )
    router.register("enforcement/cases", views.CaseViewSet, basename="enforcement-case")
    router.register(
        "rectification-notices",
        views.RectificationNoticeViewSet,
        basename="rectification-notice",
    )
    router.register("reinspections", views.ReinspectionViewSet, basename="reinspection")
    router.register("disposals", views.DisposalViewSet, basename="disposal")


urlpatterns: list = []
