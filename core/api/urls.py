from django.urls import path

from core.api.views import DepartmentViewSet, DistrictViewSet, SensitiveRevealView


def register(router) -> None:
    router.register("districts", DistrictViewSet, basename="district")
    router.register("departments", DepartmentViewSet, basename="department")


urlpatterns: list = [
    path("reveals/", SensitiveRevealView.as_view(), name="sensitive-reveal"),
]
