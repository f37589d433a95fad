"""Viewsets of the enforcement register: ``core.scoping`` scopes (reads within what
the caller may read, writes within what they may write, else 404), FilterSets
filter, actions write; PATCH and every step need ``If-Match``."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import scoping
from core.api.concurrency import etag_for
from core.api.idempotency import idempotent
from core.api.params import iso_date
from core.api.parsers import MultiPartParser
from core.api.viewsets import ScopedViewSetMixin
from core.errors import ValidationFailed
from enforcement import actions, selectors
from enforcement.api import serializers as s
from enforcement.filters import (
    CampaignFilterSet,
    CaseFilterSet,
    DisposalFilterSet,
    PatrolFilterSet,
    RectificationNoticeFilterSet,
    ReinspectionFilterSet,
    SubjectFilterSet,
)
from enforcement.models import Disposal, RectificationNotice, Reinspection, Subject

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_('ETag of the record (its version number), e.g. "3"'),
)


class _Scoped(ScopedViewSetMixin):
    """The model's scope (``enforcement.scopes``) over ``base_queryset`` (its
    joins); ``flag_writable`` marks the rows the caller may change, for the
    ``allowed_transitions`` of a list without a query per row."""

    base_queryset = None
    flag_writable = False

    def get_base_queryset(self):
        return type(self).base_queryset().order_by("-pk")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.flag_writable and self.request.method in ("GET", "HEAD"):
            qs = scoping.flag_writable(qs, self.request.user)
        return qs

    def _patch(self, request, update_serializer, action, field: str):
        """PATCH through ``action`` with the If-Match version; answer the new state."""
        obj = self.get_object()
        version = self.expected_version()
        data = update_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        action(
            actor=request.user,
            expected_version=version,
            **{field: obj},
            **data.validated_data,
        )
        obj = scoping.readable(self.get_base_queryset(), request.user).get(pk=obj.pk)
        self._etag_object = obj
        return Response(self.get_serializer(obj).data)


class CampaignViewSet(
    _Scoped,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """专项整治行动, with their figures for any date range; its status moves by
    POST /<id>/start|conclude|reopen/ with If-Match."""

    base_queryset = selectors.campaign_base
    flag_writable = True
    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        request=s.CampaignUpdateSerializer,
        responses=s.CampaignSerializer,
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        """Edit name, area, dates or departments (lead department; If-Match)."""
        return self._patch(
            request, s.CampaignUpdateSerializer, actions.campaign_update, "campaign"
        )

    def _step(self, request, verb: str):
        campaign = self.get_object()
        version = self.expected_version()
        data = s.CampaignStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.CAMPAIGN_STEP_ACTIONS[verb](
            actor=request.user,
            campaign=campaign,
            expected_version=version,
            **data.validated_data,
        )
        campaign = scoping.flag_writable(
            scoping.readable(self.get_base_queryset(), request.user), request.user
        ).get(pk=campaign.pk)
        self._etag_object = campaign
        return Response(self.get_serializer(campaign).data)

    @extend_schema(
        request=s.CampaignStepSerializer,
        responses=s.CampaignSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """A planned campaign begins."""
        return self._step(request, "start")

    @extend_schema(
        request=s.CampaignStepSerializer,
        responses=s.CampaignSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        """An active campaign ends (its end date is today unless already set)."""
        return self._step(request, "conclude")

    @extend_schema(
        request=s.CampaignStepSerializer,
        responses=s.CampaignSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """A concluded campaign resumes (a note saying why is required)."""
        return self._step(request, "reopen")

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.campaign_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("date_after", OpenApiTypes.DATE),
            OpenApiParameter("date_before", OpenApiTypes.DATE),
        ],
        responses=s.CampaignFiguresSerializer,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def figures(self, request, pk=None):
        campaign = self.get_object()
        bounds = {}
        for name in ("date_after", "date_before"):
            try:
                bounds[name] = iso_date(request.query_params.get(name))
            except ValueError:
                raise ValidationFailed.for_fields(
                    {name: gettext("The date must be written as YYYY-MM-DD.")}
                ) from None
        figures = selectors.campaign_figures(
            campaign_ids=[campaign.pk],
            date_from=bounds["date_after"],
            date_to=bounds["date_before"],
        )[campaign.pk]
        return Response(
            s.CampaignFiguresSerializer({**bounds, **figures.as_dict()}).data
        )


class PatrolViewSet(
    _Scoped,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """巡查出动: officers dispatched, vehicles, methods, findings."""

    base_queryset = selectors.patrol_base
    serializer_class = s.PatrolSerializer
    filterset_class = PatrolFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        request=s.PatrolUpdateSerializer,
        responses=s.PatrolSerializer,
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        """Correct place, officers, vehicles, methods or findings (If-Match)."""
        return self._patch(
            request, s.PatrolUpdateSerializer, actions.patrol_update, "patrol"
        )

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.patrol_record(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request={"multipart/form-data": s.PatrolPhotoSerializer},
        responses={201: s.PatrolPhotoSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser],
        serializer_class=s.PatrolPhotoSerializer,
    )
    @idempotent
    def photos(self, request, pk=None):
        """Attach a patrol photo (multipart: image, caption)."""
        patrol = self.get_object()
        data = s.PatrolPhotoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = actions.patrol_photo_add(
            actor=request.user, patrol=patrol, **data.validated_data
        )
        return Response(
            s.PatrolPhotoSerializer(photo).data, status=status.HTTP_201_CREATED
        )


class SubjectViewSet(
    _Scoped,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """当事人 (each department's own); ID numbers, credit codes and phones are
    masked without the permission. Registering a number the department already
    has returns that record."""

    base_queryset = Subject.objects.all
    serializer_class = s.SubjectSerializer
    filterset_class = SubjectFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        request=s.SubjectUpdateSerializer,
        responses=s.SubjectSerializer,
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        """Correct name, representative, phone or address (If-Match)."""
        return self._patch(
            request, s.SubjectUpdateSerializer, actions.subject_update, "subject"
        )

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.subject_register(
            actor=self.request.user, **serializer.validated_data
        )


class CaseViewSet(
    _Scoped,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """案件 and their workflow; each state change is POST /<id>/<verb>/ with If-Match."""

    base_queryset = selectors.case_base
    flag_writable = True
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.case_register(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request=s.CaseUpdateSerializer,
        responses=s.CaseSerializer,
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        """Correct facts, place, coordinates or violation type (If-Match required)."""
        return self._patch(request, s.CaseUpdateSerializer, actions.case_update, "case")

    def _verb(self, request, verb: str, call):
        case = self.get_object()
        version = self.expected_version()
        data = s.VERB_SERIALIZERS[verb](data=request.data)
        data.is_valid(raise_exception=True)
        call(case, version, data.validated_data)
        case = scoping.flag_writable(
            scoping.readable(self.get_base_queryset(), request.user), request.user
        ).get(pk=case.pk)
        self._etag_object = case
        response = Response(self.get_serializer(case).data, status=status.HTTP_200_OK)
        response["ETag"] = etag_for(case)
        return response

    @extend_schema(
        request={"multipart/form-data": s.EvidencePhotoSerializer},
        responses={201: s.EvidencePhotoSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser],
        serializer_class=s.EvidencePhotoSerializer,
    )
    @idempotent
    def photos(self, request, pk=None):
        """Attach an evidence photo (multipart: image, caption, taken_at)."""
        case = self.get_object()
        data = s.EvidencePhotoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = actions.evidence_photo_add(
            actor=request.user, case=case, **data.validated_data
        )
        return Response(
            s.EvidencePhotoSerializer(photo).data, status=status.HTTP_201_CREATED
        )

    def _user(self):
        return self.request.user

    @extend_schema(
        request=s.NoticeIssueSerializer,
        responses=s.CaseSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path="issue-notice")
    def issue_notice(self, request, pk=None):
        """下达整改通知书 (numbered, rendered to PDF)."""
        return self._verb(
            request,
            "issue_notice",
            lambda case, v, d: actions.notice_issue(
                actor=self._user(), case=case, expected_version=v, **d
            ),
        )

    @extend_schema(
        request=s.ReinspectSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def reinspect(self, request, pk=None):
        """复查: passed → rectified; failed after the deadline → overdue."""
        return self._verb(
            request,
            "reinspect",
            lambda case, v, d: actions.reinspection_record(
                actor=self._user(), case=case, expected_version=v, **d
            ),
        )

    @extend_schema(
        request=s.CaseDisposeSerializer,
        responses=s.CaseSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        """处置 on the case; towing/clearing an overdue case enforces it."""
        return self._verb(
            request,
            "dispose",
            lambda case, v, d: actions.disposal_record(
                actor=self._user(), case=case, expected_version=v, **d
            ),
        )

    @extend_schema(
        request=s.CaseCloseSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._verb(
            request,
            "close",
            lambda case, v, d: actions.case_close(
                actor=self._user(), case=case, expected_version=v, **d
            ),
        )

    @extend_schema(
        request=s.CaseCancelSerializer,
        responses=s.CaseSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._verb(
            request,
            "cancel",
            lambda case, v, d: actions.case_cancel(
                actor=self._user(), case=case, expected_version=v, **d
            ),
        )


class RectificationNoticeViewSet(_Scoped, viewsets.ReadOnlyModelViewSet):
    """整改通知书 (issued through the case's issue-notice verb); ?due=true lists those
    due for re-inspection."""

    base_queryset = RectificationNotice.objects.select_related(
        "case", "case__subject", "case__campaign", "department", "issued_by"
    ).all
    serializer_class = s.RectificationNoticeSerializer
    filterset_class = RectificationNoticeFilterSet

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filterset_class=None)
    def pdf(self, request, pk=None):
        """The notice as issued (PDF); its SHA-256 is in X-Content-SHA256."""
        notice = self.get_object()
        response = FileResponse(
            notice.pdf.open("rb"),
            content_type="application/pdf",
            filename=f"{notice.number}.pdf",
        )
        response["X-Content-SHA256"] = notice.pdf_sha256
        return response


class ReinspectionViewSet(_Scoped, viewsets.ReadOnlyModelViewSet):
    base_queryset = Reinspection.objects.select_related(
        "notice", "notice__case", "inspector"
    ).all
    serializer_class = s.ReinspectionSerializer
    filterset_class = ReinspectionFilterSet


class DisposalViewSet(_Scoped, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """处置记录; POST records a patrol's clearance (case disposals: cases/<id>/dispose/)."""

    base_queryset = Disposal.objects.select_related(
        "campaign", "case", "patrol", "department", "recorded_by"
    ).all
    serializer_class = s.DisposalSerializer
    filterset_class = DisposalFilterSet

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = actions.disposal_record(
            actor=self.request.user, **serializer.validated_data
        )
