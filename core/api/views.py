from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from core import selectors, sensitive
from core.api.authentication import StaffTokenAuthentication
from core.api.pagination import NumberedPagination
from core.api.permissions import is_staff_user
from core.api.serializers import (
    DepartmentSerializer,
    DistrictSerializer,
    SensitiveRevealSerializer,
)
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


class StaffOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        return is_staff_user(request.user)


class SensitiveRevealView(APIView):
    """Reveal a person's full ID or phone number on one record (logged).

    For staff who may read the record (else 404) and hold the permission to view
    sensitive data or serve the person on it (else 403); the reason is required.
    The reveal appears in the record's history. Nothing is created for the
    client to fetch again, so the answer is 200 and no Idempotency-Key applies.
    """

    # Staff only: a partner's key is not accepted here (401).
    authentication_classes = [StaffTokenAuthentication, SessionAuthentication]
    permission_classes = [StaffOnly]

    @extend_schema(
        summary=gettext_lazy("Reveal a full ID or phone number"),
        request=SensitiveRevealSerializer,
        responses={
            200: SensitiveRevealSerializer,
            400: OpenApiResponse(description=gettext_lazy("Invalid request")),
            401: OpenApiResponse(description=gettext_lazy("Not authenticated")),
            403: OpenApiResponse(description=gettext_lazy("Permission denied")),
            404: OpenApiResponse(description=gettext_lazy("Not found")),
        },
    )
    def post(self, request):
        incoming = SensitiveRevealSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        obj = sensitive.revealable(
            user=request.user, label=data["record"], pk=data["id"]
        )
        model = type(obj)
        value = sensitive.reveal(
            user=request.user, obj=obj, field=data["field"], reason=data["reason"]
        )
        return Response(
            SensitiveRevealSerializer(
                {
                    "record": model._meta.label_lower,
                    "id": obj.pk,
                    "field": data["field"],
                    "value": value,
                }
            ).data
        )
