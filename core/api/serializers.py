from rest_framework import serializers

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
