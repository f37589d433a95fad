"""Serializer behaviour every register shares."""

from rest_framework import serializers


class StrictFieldsMixin:
    """Unknown fields in a request body are a 400, not silently dropped (API.md)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["未知字段"] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    """A plain input serializer that refuses unknown fields."""
