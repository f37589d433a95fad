"""Federation endpoints (/api/v1/federation/…): partner keys only."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actions import local_district
from core.api.permissions import IsPartner


class FederationPingView(APIView):
    """Lets a partner (and our own ``partner_check``) verify its key and our address."""

    permission_classes = [IsPartner]

    @extend_schema(
        summary="检查合作地区密钥",
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
