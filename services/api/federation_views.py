"""Federation endpoints (/api/v1/federation/…): partner keys only.

A partner sees and touches only the applications it is a party to: any other
uuid answers 404. POSTs carry an Idempotency-Key; replays return the first answer.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core import scoping
from core.actions import local_district
from core.api.idempotency import idempotent
from core.api.permissions import IsPartner
from core.errors import ValidationFailed
from services.actions.federation import (
    application_apply_partner_event,
    application_receive,
)
from services.api import federation_serializers as fs
from services.selectors.federation import shared_application_list


class FederationPingView(APIView):
    """Lets a partner (and our own ``partner_check``) verify its key and our address."""

    permission_classes = [IsPartner]

    @extend_schema(
        summary=gettext_lazy("Check the partner district's key"),
        responses=inline_serializer(
            "FederationPing",
            {
                "district": serializers.CharField(),
                "district_name": serializers.CharField(),
                "partner": serializers.CharField(),
            },
        ),
    )
    def get(self, request):
        here = local_district()
        return Response(
            {
                "district": here.code,
                "district_name": here.name,
                "partner": request.user.district.code,
            }
        )


class FederationApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Applications shared with the calling partner: list, read, receive, report steps."""

    permission_classes = [IsPartner]
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    filterset_class = None
    filter_backends: list = []

    def get_queryset(self):
        # What the partner may read; a step it reports is looked up again among
        # the applications it may report on (core.scoping, in the action).
        queryset = scoping.readable(
            shared_application_list(partner=self.request.user.district),
            self.request.user,
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events__district", "materials")
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return fs.SharedApplicationDetailSerializer
        if self.action == "create":
            return fs.TransferSerializer
        if self.action == "events":
            return fs.StatusEventSerializer
        return fs.SharedApplicationSerializer

    @extend_schema(
        summary=gettext_lazy("Receive an application a partner district accepted"),
        request=fs.TransferSerializer,
        responses={201: fs.ReceiptSerializer, 200: fs.ReceiptSerializer},
    )
    @idempotent
    def create(self, request):
        incoming = fs.TransferSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        application, created = application_receive(
            partner=request.user.district, data=incoming.validated_data
        )
        body = {
            "uuid": application.uuid,
            "number": application.number,
            "status": application.status,
            "created": created,
        }
        return Response(
            fs.ReceiptSerializer(body).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary=gettext_lazy("Receive a progress report from the home district"),
        request=fs.StatusEventSerializer,
        responses=fs.EventReceiptSerializer,
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def events(self, request, uuid=None):
        application = get_object_or_404(self.get_queryset(), uuid=uuid)
        incoming = fs.StatusEventSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if incoming.validated_data["uuid"] != application.uuid:
            raise ValidationFailed(
                _("The uuid in the message does not match the path"),
                errors=[
                    {
                        "field": "uuid",
                        "code": "mismatch",
                        "message": _("Does not match the path"),
                    }
                ],
            )
        application, applied = application_apply_partner_event(
            actor=request.user,
            application=application,
            data=incoming.validated_data,
        )
        return Response(
            fs.EventReceiptSerializer(
                {
                    "uuid": application.uuid,
                    "applied": applied,
                    "status": application.status,
                    "partner_sequence": application.partner_sequence,
                }
            ).data
        )
