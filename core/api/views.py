from rest_framework import viewsets

from core import selectors
from core.api.pagination import NumberedPagination
from core.api.serializers import DepartmentSerializer, DistrictSerializer
from core.filters import DepartmentFilterSet, DistrictFilterSet


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Districts: this one (本区) and its partners. A small list, paged by number."""

    serializer_class = DistrictSerializer
    filterset_class = DistrictFilterSet
    pagination_class = NumberedPagination

    def get_queryset(self):
        return selectors.district_list(user=self.request.user).order_by("code")


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    pagination_class = NumberedPagination

    def get_queryset(self):
        return selectors.department_list(user=self.request.user).order_by(
            "district", "code"
        )
