"""API of the volunteer register: viewsets over the selectors and shared FilterSets.

Writes call ``volunteers.actions``; state changes are POSTs to
``/<collection>/<id>/<verb>/`` with ``If-Match``; creates accept
``Idempotency-Key``.
"""

from __future__ import annotations

import re

from django.http import FileResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.concurrency import optional_expected_version
from core.api.idempotency import idempotent
from core.api.pagination import NumberedPagination
from core.api.parsers import JSONParser, MultiPartParser
from core.api.permissions import StaffModelPermissions, is_staff_user
from core.api.viewsets import ActionCreateMixin, ScopedViewSetMixin
from volunteers import actions, filters, selectors
from volunteers.api import serializers as s
from volunteers.scopes import may_add

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=_("The object's ETag (its version) as last read"),
)
IF_MATCH_TO_REVISE = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=_("The plan's ETag; required when the team's plan for the year exists"),
)


class MayAdd(permissions.BasePermission):
    """A POST to a collection needs a scope that writes some of its rows
    (``volunteers.scopes.may_add``): a partner district's staff may not add."""

    def has_permission(self, request, view):
        if request.method != "POST" or view.detail:
            return True
        return may_add(request.user, view.get_base_queryset().model)


class RegisterViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Reads through the scopes (``volunteers.scopes``), writes through actions."""

    permission_classes = [StaffModelPermissions, MayAdd]
    base_queryset = None

    def get_base_queryset(self):
        return type(self).base_queryset()


class VersionedUpdateMixin:
    """PATCH with ``If-Match`` through the model's update action."""

    update_action = None
    instance_arg = ""

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        version = self.expected_version()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        instance = type(self).update_action(
            actor=request.user,
            expected_version=version,
            **{self.instance_arg: instance},
            **serializer.validated_data,
        )
        self._etag_object = instance
        return Response(self.get_serializer(instance).data)


class PartyBranchViewSet(
    VersionedUpdateMixin,
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    """党支部: a small reference list, paged by number; PATCH with ``If-Match``."""

    serializer_class = s.PartyBranchSerializer
    filterset_class = filters.PartyBranchFilterSet
    pagination_class = NumberedPagination
    base_queryset = staticmethod(selectors.branch_queryset)
    create_action = staticmethod(actions.branch_create)
    update_action = staticmethod(actions.branch_update)
    instance_arg = "branch"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by("name")


class ServiceCategoryViewSet(
    RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    serializer_class = s.ServiceCategorySerializer
    filterset_class = filters.ServiceCategoryFilterSet
    pagination_class = NumberedPagination
    base_queryset = staticmethod(selectors.category_queryset)

    def get_queryset(self):
        return super().get_queryset().order_by("id")


class OrganisationViewSet(
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    serializer_class = s.OrganisationSerializer
    filterset_class = filters.OrganisationFilterSet
    pagination_class = NumberedPagination
    base_queryset = staticmethod(selectors.organisation_queryset)
    create_action = staticmethod(actions.organisation_create)

    def get_queryset(self):
        return super().get_queryset().order_by("name")


class TeamViewSet(
    VersionedUpdateMixin,
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    """志愿服务队; flag and logo are uploaded as multipart (PNG/JPEG/WebP, ≤ 2 MB)."""

    serializer_class = s.TeamSerializer
    filterset_class = filters.TeamFilterSet
    parser_classes = [JSONParser, MultiPartParser]
    base_queryset = staticmethod(selectors.team_queryset)
    create_action = staticmethod(actions.team_create)
    update_action = staticmethod(actions.team_update)
    instance_arg = "team"
    http_method_names = ["get", "post", "patch", "head", "options"]


class VolunteerViewSet(
    VersionedUpdateMixin,
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    """志愿者; ID and phone numbers are masked unless the caller may see them."""

    serializer_class = s.VolunteerSerializer
    filterset_class = filters.VolunteerFilterSet
    base_queryset = staticmethod(selectors.volunteer_queryset)
    create_action = staticmethod(actions.volunteer_create)
    update_action = staticmethod(actions.volunteer_update)
    instance_arg = "volunteer"
    http_method_names = ["get", "post", "patch", "head", "options"]


class MembershipViewSet(
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    """A volunteer's membership of a team; ``end`` (with ``If-Match``) closes it."""

    serializer_class = s.MembershipSerializer
    filterset_class = filters.MembershipFilterSet
    base_queryset = staticmethod(selectors.membership_queryset)
    create_action = staticmethod(actions.membership_add)

    @extend_schema(
        request=s.MembershipEndSerializer,
        responses=s.MembershipSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = self.get_object()
        version = self.expected_version()
        body = s.MembershipEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = actions.membership_end(
            actor=request.user,
            membership=membership,
            expected_version=version,
            **body.validated_data,
        )
        self._etag_object = membership
        return Response(self.get_serializer(membership).data)


class AnnualPlanViewSet(
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    """年度服务计划; POST makes the plan of (team, year) with its items, or revises
    it with the plan's ``If-Match``."""

    serializer_class = s.AnnualPlanSerializer
    filterset_class = filters.AnnualPlanFilterSet
    base_queryset = staticmethod(selectors.plan_queryset)

    @extend_schema(parameters=[IF_MATCH_TO_REVISE])
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
            expected_version=optional_expected_version(self.request),
        )
        self._etag_object = serializer.instance


class ActivityViewSet(
    VersionedUpdateMixin,
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    """志愿活动: create, PATCH, hold/cancel/reopen and the hours sheet, all but
    create with ``If-Match``; ``allowed_transitions`` lists the caller's steps."""

    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilterSet
    base_queryset = staticmethod(selectors.activity_queryset)
    create_action = staticmethod(actions.activity_create)
    update_action = staticmethod(actions.activity_update)
    instance_arg = "activity"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _transition(self, request, verb):
        activity = self.get_object()
        activity = actions.activity_transition(
            actor=request.user,
            activity=activity,
            verb=verb,
            expected_version=self.expected_version(),
        )
        self._etag_object = activity
        return Response(self.get_serializer(activity).data)

    @extend_schema(request=None, responses=s.ActivitySerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._transition(request, "hold")

    @extend_schema(request=None, responses=s.ActivitySerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, "cancel")

    @extend_schema(request=None, responses=s.ActivitySerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(request, "reopen")

    @extend_schema(
        request=s.HoursSerializer,
        responses=s.ParticipationSerializer(many=True),
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def hours(self, request, pk=None):
        """Record the hours of many volunteers at once (all or nothing).

        The sheet belongs to the activity: ``If-Match`` names the activity's
        version; the answer's ``ETag`` is its next one (a planned activity is
        then held).
        """
        activity = self.get_object()
        version = self.expected_version()
        body = s.HoursSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = actions.participations_record(
            actor=request.user,
            activity=activity,
            rows=body.validated_data["rows"],
            remove=body.validated_data.get("remove", []),
            expected_version=version,
        )
        activity.refresh_from_db(fields=["status", "version"])
        self._etag_object = activity
        return Response(
            s.ParticipationSerializer(
                saved, many=True, context=self.get_serializer_context()
            ).data
        )


class ParticipationViewSet(
    RegisterViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """服务时长 records; written through ``/activities/<id>/hours/``."""

    serializer_class = s.ParticipationSerializer
    filterset_class = filters.ParticipationFilterSet
    base_queryset = staticmethod(selectors.participation_queryset)


class DonationViewSet(
    ActionCreateMixin,
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
):
    serializer_class = s.DonationSerializer
    filterset_class = filters.DonationFilterSet
    base_queryset = staticmethod(selectors.donation_queryset)
    create_action = staticmethod(actions.donation_record)


class CertificateViewSet(
    RegisterViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """志愿服务证明: POST issues one (recorded with its SHA-256); ``pdf`` serves it."""

    serializer_class = s.CertificateSerializer
    filterset_class = filters.CertificateFilterSet
    base_queryset = staticmethod(selectors.certificate_queryset)

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
    # ASCII digits only: int() also reads "٢٠٢٦" or "2_026".
    year = int(raw) if re.fullmatch(r"[0-9]{4}", raw) else 0
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
