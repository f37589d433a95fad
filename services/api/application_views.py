"""API of applications: create, list, detail, one POST per transition, materials,
evaluation, notices, and the public progress look-up."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.concurrency import ETagMixin, expected_version
from core.api.idempotency import idempotent
from core.api.parsers import MultiPartParser
from core.api.permissions import StaffModelPermissions
from core.api.throttling import ProgressLookupThrottle
from core.documents import pdf_response
from core.errors import NotFound
from services.actions import applications as actions
from services.api.application_serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationMaterialSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    ApproveSerializer,
    CertificateSerializer,
    CorrectionSerializer,
    DeliverySerializer,
    EvaluationFollowUpSerializer,
    EvaluationInputSerializer,
    EvaluationSerializer,
    FollowUpAnswerSerializer,
    MaterialUploadSerializer,
    NoteSerializer,
    ProgressSerializer,
)
from services.choices import DocumentKind
from services.filters.applications import ApplicationFilterSet
from services.models import EvaluationFollowUp
from services.selectors import applications as selectors

TRANSITION_ACTIONS = {
    "request_correction",
    "resubmit",
    "accept",
    "reject",
    "start_review",
    "approve",
    "deny",
    "issue_certificate",
    "deliver",
    "close",
    "withdraw",
}


class ApplicationPermissions(StaffModelPermissions):
    """Staff with model perms; a transition needs ``change``, an upload ``add`` of
    materials, an evaluation ``add`` of evaluations."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or view.action == "create":
            return super().has_permission(request, view)
        needed = {
            "materials": "services.add_applicationmaterial",
            "evaluation": "services.add_evaluation",
        }.get(view.action, "services.change_application")
        from core.api.permissions import is_staff_user

        return is_staff_user(request.user) and request.user.has_perm(needed)


def _note_request(serializer_class):
    return extend_schema(
        request=serializer_class,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description=gettext_lazy("The application's ETag (its version)"),
            )
        ],
        responses={200: ApplicationDetailSerializer},
    )


class ApplicationViewSet(
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """办件. List by cursor (no counts); detail with events; state changes by POST."""

    permission_classes = [ApplicationPermissions]
    filterset_class = ApplicationFilterSet

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ApplicationSerializer
        if self.action == "create":
            return ApplicationCreateSerializer
        return ApplicationDetailSerializer

    def get_object(self):
        try:
            obj = selectors.application_get(
                user=self.request.user, pk=int(self.kwargs["pk"])
            )
        except (NotFound, ValueError):
            raise Http404 from None
        self._etag_object = obj
        return obj

    def _detail(self, application, status_code=status.HTTP_200_OK):
        obj = selectors.application_get(user=self.request.user, pk=application.pk)
        self._etag_object = obj
        data = ApplicationDetailSerializer(obj, context={"request": self.request}).data
        return Response(data, status=status_code)

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={201: ApplicationDetailSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = actions.application_intake(
            actor=request.user, **serializer.validated_data
        )
        response = self._detail(application, status.HTTP_201_CREATED)
        response["Location"] = application.get_absolute_url()
        return response

    @extend_schema(
        request=ApplicationUpdateSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description=gettext_lazy("The application's ETag (its version)"),
            )
        ],
        responses={200: ApplicationDetailSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        """Correct contact or delivery details before acceptance (If-Match)."""
        application = self.get_object()
        serializer = ApplicationUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = actions.application_update(
            actor=request.user,
            application=application,
            expected_version=expected_version(request),
            **serializer.validated_data,
        )
        return self._detail(updated)

    def _run(self, request, verb, serializer_class, **extra):
        application = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.update(extra)
        if verb == "request_correction":
            data["faulty"] = [
                (item["material"], item.get("problem", ""))
                for item in data.pop("faulty", [])
            ]
        updated = actions.TRANSITION_ACTIONS[verb](
            actor=request.user,
            application=application,
            expected_version=expected_version(request),
            **data,
        )
        return self._detail(updated)

    @_note_request(CorrectionSerializer)
    @action(detail=True, methods=["post"], url_path="request-correction")
    def request_correction(self, request, pk=None):
        return self._run(request, "request_correction", CorrectionSerializer)

    @_note_request(NoteSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._run(request, "resubmit", NoteSerializer)

    @_note_request(NoteSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(request, "accept", NoteSerializer)

    @_note_request(NoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._run(request, "reject", NoteSerializer)

    @_note_request(NoteSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        return self._run(request, "start_review", NoteSerializer)

    @_note_request(ApproveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._run(request, "approve", ApproveSerializer)

    @_note_request(NoteSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        return self._run(request, "deny", NoteSerializer)

    @_note_request(CertificateSerializer)
    @action(detail=True, methods=["post"], url_path="issue-certificate")
    def issue_certificate(self, request, pk=None):
        return self._run(request, "issue_certificate", CertificateSerializer)

    @_note_request(DeliverySerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._run(request, "deliver", DeliverySerializer)

    @_note_request(NoteSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._run(request, "close", NoteSerializer)

    @_note_request(NoteSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(request, "withdraw", NoteSerializer)

    @extend_schema(
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={201: ApplicationMaterialSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    @idempotent
    def materials(self, request, pk=None):
        """Upload one material (PDF/JPEG/PNG by content, size-limited), SHA-256 recorded."""
        application = self.get_object()
        serializer = MaterialUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        material = actions.material_upload(
            actor=request.user,
            application=application,
            upload=data["file"],
            requirement=data.get("requirement"),
            name=data.get("name", ""),
        )
        return Response(
            ApplicationMaterialSerializer(material).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=EvaluationInputSerializer, responses={201: EvaluationSerializer}
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def evaluation(self, request, pk=None):
        """好差评: one per application; 差评 opens a follow-up."""
        application = self.get_object()
        serializer = EvaluationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = actions.evaluation_submit(
            actor=request.user, application=application, **serializer.validated_data
        )
        return Response(
            EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=DocumentKind.values,
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            # As core.api.schema.ERROR_DESCRIPTIONS (the Error shape is added there).
            409: OpenApiResponse(
                description="illegal_transition: the step the document records "
                "has not happened yet"
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<kind>[a-z_]+)",
        url_name="document",
    )
    def document(self, request, pk=None, kind=None):
        """受理通知书 / 一次性告知书 / 不予受理通知书 as PDF (checksum recorded)."""
        application = self.get_object()
        rendered = actions.application_document_issue(
            actor=request.user, application=application, kind=kind
        )
        return pdf_response(rendered)


class FollowUpViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """差评整改: list, and answer (call-back record, fix or explanation)."""

    serializer_class = EvaluationFollowUpSerializer

    def get_queryset(self):
        return selectors.follow_up_list(user=self.request.user).order_by("-id")

    @extend_schema(
        request=FollowUpAnswerSerializer, responses={200: EvaluationFollowUpSerializer}
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        # DRF's get_object_or_404: an id that is not a number is 404, not 500.
        follow_up = get_object_or_404(self.get_queryset(), pk=pk)
        if not request.user.has_perm("services.change_evaluationfollowup"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()
        serializer = FollowUpAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = actions.evaluation_followup_answer(
            actor=request.user, follow_up=follow_up, **serializer.validated_data
        )
        return Response(EvaluationFollowUpSerializer(answered).data)

    def get_permissions(self):
        if self.action == "answer":
            from core.api.permissions import is_staff_user

            class StaffOnly(permissions.BasePermission):
                def has_permission(self, request, view):
                    return is_staff_user(request.user)

            return [StaffOnly()]
        return super().get_permissions()


class ProgressLookupView(APIView):
    """Public progress look-up: number plus the phone's last four digits; throttled."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ProgressLookupThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("number", OpenApiTypes.STR, required=True),
            OpenApiParameter("phone_last4", OpenApiTypes.STR, required=True),
        ],
        responses={
            200: ProgressSerializer,
            404: OpenApiResponse(description=gettext_lazy("Not found")),
        },
    )
    def get(self, request):
        found = selectors.progress_lookup(
            number=request.query_params.get("number", ""),
            phone_last4=request.query_params.get("phone_last4", ""),
        )
        if found is None:
            raise NotFound(
                _(
                    "No such application; check the application number and the last "
                    "four digits of the mobile number"
                )
            )
        return Response(ProgressSerializer(found).data)


__all__ = [
    "ApplicationViewSet",
    "FollowUpViewSet",
    "ProgressLookupView",
    "EvaluationFollowUp",
]
