from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.api.serializers_base import StrictFieldsMixin
from core.models import Department, District


class DistrictSerializer(serializers.HyperlinkedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = District
        fields = [
            "id",
            "url",
            "code",
            "name",
            "kind",
            "kind_display",
            "api_base_url",
            "active",
        ]
        extra_kwargs = {"url": {"view_name": "district-detail"}}


class DepartmentSerializer(serializers.HyperlinkedModelSerializer):
    district = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Department
        fields = ["id", "url", "code", "name", "short_name", "district"]
        extra_kwargs = {"url": {"view_name": "department-detail"}}


class SensitiveRevealSerializer(StrictFieldsMixin, serializers.Serializer):
    """Which record's full number to reveal and why; the answer adds the value."""

    record = serializers.CharField(
        help_text=gettext_lazy(
            "The record's model as app_label.model_name, e.g. services.application"
        )
    )
    id = serializers.IntegerField(min_value=1)
    field = serializers.CharField(max_length=60)
    reason = serializers.CharField(max_length=200, write_only=True)
    value = serializers.CharField(read_only=True)
