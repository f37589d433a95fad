"""API of the volunteer register: viewsets over the selectors and shared FilterSets.

Writes call ``volunteers.actions``; state changes are POSTs to
``/<collection>/<id>/<verb>/`` with ``If-Match``; creates accept
``Idempotency-Key``.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.concurrency import ETagMixin, expected_version
from core.api.idempotency import idempotent
from core.api.pagination import NumberedPagination
from core.api.permissions import StaffModelPermissions, is_staff_user
from volunteers import actions, filters, selectors
from volunteers.api import serializers as s


class RegisterScope(permissions.BasePermission):
    """Writes only by staff who may see the register (the local district's staff)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return selectors.may_see_register(request.user)


PERMISSIONS = [StaffModelPermissions, RegisterScope]


class ScopedViewSet(viewsets.GenericViewSet):
    permission_classes = PERMISSIONS
    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)


class PartyBranchViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """党支部: a small reference list, paged by number."""

    serializer_class = s.PartyBranchSerializer
    filterset_class = filters.PartyBranchFilterSet
    pagination_class = NumberedPagination
    selector = staticmethod(selectors.branch_list)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("name")

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.branch_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = actions.branch_update(
            actor=self.request.user,
            branch=serializer.instance,
            **serializer.validated_data,
        )


class ServiceCategoryViewSet(
    ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    serializer_class = s.ServiceCategorySerializer
    filterset_class = filters.ServiceCategoryFilterSet
    pagination_class = NumberedPagination
    selector = staticmethod(selectors.category_list)

    def get_queryset(self):
        return super().get_queryset().order_by("id")


class OrganisationViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    serializer_class = s.OrganisationSerializer
    filterset_class = filters.OrganisationFilterSet
    pagination_class = NumberedPagination
    selector = staticmethod(selectors.organisation_list)

    def get_queryset(self):
        return super().get_queryset().order_by("name")

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.organisation_create(
            actor=self.request.user, **serializer.validated_data
        )


class VersionedUpdateMixin(ETagMixin):
    """PATCH with ``If-Match`` through the model's update action."""

    update_action = None
    instance_arg = ""

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        version = expected_version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        instance = type(self).update_action(
            actor=request.user,
            expected_version=version,
            **{self.instance_arg: instance},
            **data,
        )
        self._etag_object = instance
        return Response(self.get_serializer(instance).data)


class TeamViewSet(
    VersionedUpdateMixin,
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """志愿服务队; flag and logo are uploaded as multipart (PNG/JPEG/WebP, ≤ 2 MB)."""

    serializer_class = s.TeamSerializer
    filterset_class = filters.TeamFilterSet
    selector = staticmethod(selectors.team_list)
    update_action = staticmethod(actions.team_update)
    instance_arg = "team"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.team_create(
            actor=self.request.user, **serializer.validated_data
        )


class VolunteerViewSet(
    VersionedUpdateMixin,
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """志愿者; ID and phone numbers are masked unless the caller may see them."""

    serializer_class = s.VolunteerSerializer
    filterset_class = filters.VolunteerFilterSet
    selector = staticmethod(selectors.volunteer_list)
    update_action = staticmethod(actions.volunteer_update)
    instance_arg = "volunteer"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.volunteer_create(
            actor=self.request.user, **serializer.validated_data
        )


class MembershipViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """A volunteer's membership of a team; ``end`` closes it (history is kept)."""

    serializer_class = s.MembershipSerializer
    filterset_class = filters.MembershipFilterSet
    selector = staticmethod(selectors.membership_list)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.membership_add(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=s.MembershipEndSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = self.get_object()
        body = s.MembershipEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = actions.membership_end(
            actor=request.user, membership=membership, **body.validated_data
        )
        return Response(self.get_serializer(membership).data)


class AnnualPlanViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """年度服务计划; POST makes or revises the plan of (team, year) with its items."""

    serializer_class = s.AnnualPlanSerializer
    filterset_class = filters.AnnualPlanFilterSet
    selector = staticmethod(selectors.plan_list)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = actions.plan_save(
            actor=self.request.user,
            team=data["team"],
            year=data["year"],
            items=data.get("items", []),
            made_on=data.get("made_on"),
            note=data.get("note", ""),
        )


class ActivityViewSet(
    VersionedUpdateMixin,
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """志愿活动: create, PATCH (If-Match), hold/cancel/reopen, and hours for all at once."""

    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilterSet
    selector = staticmethod(selectors.activity_list)
    update_action = staticmethod(actions.activity_update)
    instance_arg = "activity"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.activity_create(
            actor=self.request.user, **serializer.validated_data
        )

    def _transition(self, request, verb):
        activity = self.get_object()
        activity = actions.activity_transition(
            actor=request.user,
            activity=activity,
            verb=verb,
            expected_version=expected_version(request),
        )
        self._etag_object = activity
        return Response(self.get_serializer(activity).data)

    @extend_schema(request=None, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._transition(request, "hold")

    @extend_schema(request=None, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, "cancel")

    @extend_schema(request=None, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(request, "reopen")

    @extend_schema(
        request=s.HoursSerializer, responses=s.ParticipationSerializer(many=True)
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def hours(self, request, pk=None):
        """Record the hours of many volunteers at once (all or nothing)."""
        activity = self.get_object()
        body = s.HoursSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = actions.participations_record(
            actor=request.user,
            activity=activity,
            rows=body.validated_data["rows"],
            remove=body.validated_data.get("remove", []),
        )
        return Response(
            s.ParticipationSerializer(
                saved, many=True, context=self.get_serializer_context()
            ).data
        )


class ParticipationViewSet(
    ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """服务时长 records; written through ``/activities/<id>/hours/``."""

    serializer_class = s.ParticipationSerializer
    filterset_class = filters.ParticipationFilterSet
    selector = staticmethod(selectors.participation_list)


class DonationViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    serializer_class = s.DonationSerializer
    filterset_class = filters.DonationFilterSet
    selector = staticmethod(selectors.donation_list)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.donation_record(
            actor=self.request.user, **serializer.validated_data
        )


class CertificateViewSet(
    ScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """志愿服务证明: POST issues one (recorded with its SHA-256); ``pdf`` serves it."""

    serializer_class = s.CertificateSerializer
    filterset_class = filters.CertificateFilterSet
    selector = staticmethod(selectors.certificate_list)

    @extend_schema(
        request=s.CertificateIssueSerializer, responses=s.CertificateSerializer
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = s.CertificateIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        certificate = actions.certificate_issue(
            actor=request.user, **body.validated_data
        )
        return Response(
            self.get_serializer(certificate).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        certificate = self.get_object()
        response = FileResponse(
            certificate.pdf.open("rb"),
            content_type="application/pdf",
            filename=f"certificate-{certificate.year}-{certificate.sequence:04d}.pdf",
        )
        response["X-Content-SHA256"] = certificate.sha256
        return response


# --- reports --------------------------------------------------------------------


class ReportPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return is_staff_user(request.user) and request.user.has_perm(
            "volunteers.view_team"
        )


YEAR = OpenApiParameter(
    "year", int, description=_("Year (by default the latest year with a plan)")
)


def report_year(request) -> int:
    from core.errors import ValidationFailed

    raw = request.query_params.get("year")
    if raw in (None, ""):
        return selectors.default_report_year()
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationFailed.for_fields(
            {"year": gettext("The year must be a whole number from 2000 to 2100.")}
        )
    return year


class ComplianceView(APIView):
    """The register's rules checked for a year, per branch and team (computed)."""

    permission_classes = [ReportPermission]

    @extend_schema(parameters=[YEAR], responses=s.ComplianceSerializer)
    def get(self, request):
        report = selectors.compliance_report(
            user=request.user, year=report_year(request)
        )
        return Response(s.ComplianceSerializer(report).data)


class TotalsView(APIView):
    """Teams, members, activities, hours and donations by month and branch."""

    permission_classes = [ReportPermission]

    @extend_schema(parameters=[YEAR], responses=s.TotalsSerializer)
    def get(self, request):
        totals = selectors.totals_report(user=request.user, year=report_year(request))
        return Response(s.TotalsSerializer(totals).data)
