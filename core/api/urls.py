from core.api.views import DepartmentViewSet, DistrictViewSet


def register(router) -> None:
    router.register("districts", DistrictViewSet, basename="district")
    router.register("departments", DepartmentViewSet, basename="department")


urlpatterns: list = []
