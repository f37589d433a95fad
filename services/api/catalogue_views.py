"""API of the catalogue: matters, 通办 agreements and their lists, 一件事 bundles.

Who reads and writes which rows is ``services.scopes_catalogue`` (through
``ScopedViewSetMixin``): everyone reads what is published (partners also their
own agreements' lists); staff with the model permission write rows in their
scope, through the actions. Every object carries an ETag; PATCH and every state
change need If-Match (428 missing, 412 stale).
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core import scoping
from core.api.idempotency import idempotent
from core.api.pagination import NumberedPagination
from core.api.params import iso_date
from core.api.permissions import ReadOnlyOrStaffModelPermissions
from core.api.throttling import PublicThrottle
from core.api.viewsets import ScopedViewSetMixin
from core.errors import ValidationFailed
from services.actions import catalogue as actions
from services.api.catalogue_serializers import (
    AgreementEntrySerializer,
    AgreementMatterAddSerializer,
    AgreementMatterRemoveSerializer,
    AgreementMatterSerializer,
    AgreementSerializer,
    AgreementWriteSerializer,
    BundleSerializer,
    BundleWriteSerializer,
    MatterSerializer,
    MatterWriteSerializer,
)
from services.filters.catalogue import (
    AgreementFilterSet,
    AgreementMatterFilterSet,
    BundleFilterSet,
    MatterFilterSet,
)
from services.models import (
    Agreement,
    AgreementMatter,
    Bundle,
    BundleMatter,
    LiaisonOfficer,
    Matter,
    MatterMaterial,
)
from services.selectors import catalogue as selectors


def parse_as_of(value: str | None) -> datetime.date:
    try:
        return iso_date(value) or timezone.localdate()
    except ValueError:
        raise ValidationFailed(
            gettext("The date format is wrong."),
            errors=[
                {
                    "field": "as_of",
                    "code": "invalid",
                    "message": gettext("Should be YYYY-MM-DD."),
                }
            ],
        ) from None


def require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied()


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=_("The object's ETag as last read (428 when missing, 412 when stale)"),
)


class CatalogueViewSetMixin(ScopedViewSetMixin):
    permission_classes = [ReadOnlyOrStaffModelPermissions]
    throttle_classes = [PublicThrottle]
    http_method_names = ["get", "post", "patch", "head", "options"]


@extend_schema_view(
    list=extend_schema(
        summary=_(
            "Matter catalogue (the public and partner districts see only "
            "published matters)"
        )
    ),
    retrieve=extend_schema(summary=_("Matter details with the application materials")),
)
class MatterViewSet(CatalogueViewSetMixin, viewsets.ModelViewSet):
    serializer_class = MatterSerializer
    filterset_class = MatterFilterSet

    def get_base_queryset(self):
        return Matter.objects.select_related("department").prefetch_related(
            Prefetch("materials", queryset=MatterMaterial.objects.order_by("position"))
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["writable"] = WritableRows(Matter, self.request.user)
        return context

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:
            # One query for the page's write scope, not one per row.
            objects = list(args[0])
            context = self.get_serializer_context()
            context["writable"].prime(objects)
            kwargs["context"] = context
            args = (objects, *args[1:])
        return super().get_serializer(*args, **kwargs)

    def _write_data(self, serializer) -> tuple[dict, list | None]:
        data = dict(serializer.validated_data)
        materials = data.pop("materials", None)
        return data, [dict(m) for m in materials] if materials is not None else None

    @extend_schema(request=MatterWriteSerializer, responses={201: MatterSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = MatterWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, materials = self._write_data(serializer)
        matter = actions.matter_create(
            actor=request.user, data=data, materials=materials
        )
        self._etag_object = matter
        body = MatterSerializer(matter, context=self.get_serializer_context()).data
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]}
        )

    @extend_schema(
        request=MatterWriteSerializer,
        responses={200: MatterSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        matter = self.get_object()
        version = self.expected_version()
        serializer = MatterWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data, materials = self._write_data(serializer)
        matter = actions.matter_update(
            actor=request.user,
            matter=matter,
            data=data,
            materials=materials,
            expected_version=version,
        )
        self._etag_object = matter
        return Response(self._fresh(matter))

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.partial_update(request, *args, **kwargs)

    def _fresh(self, matter):
        matter = scoping.readable(self.get_base_queryset(), self.request.user).get(
            pk=matter.pk
        )
        return MatterSerializer(matter, context=self.get_serializer_context()).data

    def _transition(self, request, verb: str):
        require_perm(request, "services.change_matter")
        matter = self.get_object()
        version = self.expected_version()
        matter = actions.matter_transition(
            actor=request.user, matter=matter, verb=verb, expected_version=version
        )
        self._etag_object = matter
        return Response(self._fresh(matter))

    @extend_schema(
        request=None,
        responses={200: MatterSerializer},
        parameters=[IF_MATCH],
        summary=_(
            "Publish (checks the publishing rules; if they are not met, returns "
            "every problem)"
        ),
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, "publish")

    @extend_schema(
        request=None,
        responses={200: MatterSerializer},
        parameters=[IF_MATCH],
        summary=_("Suspend"),
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._transition(request, "suspend")

    @extend_schema(
        request=None,
        responses={200: MatterSerializer},
        parameters=[IF_MATCH],
        summary=_("Retire"),
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        return self._transition(request, "retire")


class AgreementViewSet(CatalogueViewSetMixin, viewsets.ModelViewSet):
    """通办协议; partners see only their own."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    pagination_class = NumberedPagination

    def get_base_queryset(self):
        return (
            Agreement.objects.select_related("partner")
            .prefetch_related(
                Prefetch(
                    "liaisons", queryset=LiaisonOfficer.objects.order_by("side", "id")
                )
            )
            .order_by("-effective_on", "code")
        )

    def _fresh(self, agreement):
        agreement = scoping.readable(self.get_base_queryset(), self.request.user).get(
            pk=agreement.pk
        )
        return AgreementSerializer(
            agreement, context=self.get_serializer_context()
        ).data

    @extend_schema(
        request=AgreementWriteSerializer, responses={201: AgreementSerializer}
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = AgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        liaisons = [dict(item) for item in data.pop("liaisons", [])]
        agreement = actions.agreement_create(
            actor=request.user, data=data, liaisons=liaisons
        )
        self._etag_object = agreement
        body = self._fresh(agreement)
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]}
        )

    @extend_schema(
        request=AgreementWriteSerializer,
        responses={200: AgreementSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        agreement = self.get_object()
        version = self.expected_version()
        serializer = AgreementWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        liaisons = data.pop("liaisons", None)
        agreement = actions.agreement_update(
            actor=request.user,
            agreement=agreement,
            data=data,
            liaisons=[dict(item) for item in liaisons]
            if liaisons is not None
            else None,
            expected_version=version,
        )
        self._etag_object = agreement
        return Response(self._fresh(agreement))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary=_("The cross-region list on a date (today by default)"),
        parameters=[
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description=_("Date YYYY-MM-DD")
            ),
            OpenApiParameter("q", str),
            OpenApiParameter("batch", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("department", int),
        ],
        responses={200: AgreementMatterSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def entries(self, request, pk=None):
        agreement = self.get_object()
        on = parse_as_of(request.query_params.get("as_of"))
        qs = selectors.agreement_list_as_of(
            agreement=agreement, on=on, user=request.user
        )
        filterset = AgreementMatterFilterSet(request.query_params, queryset=qs)
        if not filterset.is_valid():
            raise ValidationFailed.for_fields(
                filterset.errors, gettext("The filters are not valid.")
            )
        page = self.paginate_queryset(filterset.qs)
        serializer = AgreementMatterSerializer(
            page, many=True, context=self.get_serializer_context()
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        request=AgreementMatterAddSerializer,
        responses={201: AgreementEntrySerializer},
        summary=_("Put a published matter on the cross-region list (add)"),
    )
    @action(detail=True, methods=["post"], url_path="add-matter")
    @idempotent
    def add_matter(self, request, pk=None):
        require_perm(request, "services.add_agreementmatter")
        agreement = self.get_object()
        serializer = AgreementMatterAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        matter = serializer.validated_data["matter"]
        if not selectors.matter_list(user=request.user).filter(pk=matter.pk).exists():
            raise ValidationFailed.for_fields(
                {"matter": gettext("The matter does not exist.")}
            )
        entry = actions.agreement_matter_add(
            actor=request.user, agreement=agreement, **serializer.validated_data
        )
        return Response(
            AgreementEntrySerializer(entry, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class AgreementEntryViewSet(CatalogueViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Every list entry (with its period) of the agreements the caller may see."""

    serializer_class = AgreementEntrySerializer
    filterset_class = AgreementMatterFilterSet

    def get_base_queryset(self):
        return AgreementMatter.objects.select_related(
            "agreement", "matter", "matter__department"
        )

    @extend_schema(
        request=AgreementMatterRemoveSerializer,
        responses={200: AgreementEntrySerializer},
        parameters=[IF_MATCH],
        summary=_("Take a matter off the cross-region list (a reason is required)"),
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        require_perm(request, "services.change_agreementmatter")
        entry = self.get_object()
        version = self.expected_version()
        serializer = AgreementMatterRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = actions.agreement_matter_remove(
            actor=request.user,
            entry=entry,
            expected_version=version,
            **serializer.validated_data,
        )
        self._etag_object = entry
        return Response(
            AgreementEntrySerializer(entry, context=self.get_serializer_context()).data
        )


class BundleViewSet(CatalogueViewSetMixin, viewsets.ModelViewSet):
    """一件事: ordered matters taken in one application."""

    serializer_class = BundleSerializer
    filterset_class = BundleFilterSet
    pagination_class = NumberedPagination

    def get_base_queryset(self):
        return Bundle.objects.prefetch_related(
            Prefetch(
                "items",
                queryset=BundleMatter.objects.select_related(
                    "matter", "matter__department"
                ).order_by("position"),
            )
        ).order_by("code")

    def _matters(self, request, matters):
        visible = set(
            selectors.matter_list(user=request.user)
            .filter(pk__in=[m.pk for m in matters])
            .values_list("pk", flat=True)
        )
        if len(visible) != len({m.pk for m in matters}):
            raise ValidationFailed.for_fields(
                {"matters": gettext("Some of the matters do not exist.")}
            )
        return matters

    def _body(self, bundle):
        bundle = scoping.readable(self.get_base_queryset(), self.request.user).get(
            pk=bundle.pk
        )
        self._etag_object = bundle
        return BundleSerializer(bundle, context=self.get_serializer_context()).data

    @extend_schema(request=BundleWriteSerializer, responses={201: BundleSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = BundleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        matters = self._matters(request, data.pop("matters"))
        bundle = actions.bundle_create(actor=request.user, data=data, matters=matters)
        body = self._body(bundle)
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]}
        )

    @extend_schema(
        request=BundleWriteSerializer,
        responses={200: BundleSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        bundle = self.get_object()
        version = self.expected_version()
        serializer = BundleWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        matters = data.pop("matters", None)
        if matters is not None:
            matters = self._matters(request, matters)
        bundle = actions.bundle_update(
            actor=request.user,
            bundle=bundle,
            data=data,
            matters=matters,
            expected_version=version,
        )
        return Response(self._body(bundle))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class WritableRows:
    """Which of the serialized rows the caller may change, asked once per page
    (allowed_transitions must not offer a step on a row outside their scope)."""

    def __init__(self, model, user):
        self.model, self.user, self._ids = model, user, None
        self._asked: set = set()

    def __contains__(self, obj) -> bool:
        if self._ids is None or obj.pk not in self._asked:
            return scoping.can_write(self.user, obj)
        return obj.pk in self._ids

    def prime(self, objects) -> None:
        pks = {obj.pk for obj in objects}
        self._asked = pks
        self._ids = set(
            scoping.writable(self.model, self.user)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
