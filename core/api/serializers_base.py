"""Serializer behaviour every register shares."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail


class StrictFieldsMixin:
    """Unknown or read-only fields in a request body are a 400 naming them (API.md),
    not silently dropped: a partner's typo must not pass for success."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            errors = {}
            for name in sorted(data.keys()):
                field = self.fields.get(name)
                if field is None:
                    errors[name] = [
                        ErrorDetail(_("Unknown field"), code="unknown_field")
                    ]
                elif field.read_only:
                    errors[name] = [
                        ErrorDetail(
                            _("Read-only field; it cannot be submitted."),
                            code="read_only",
                        )
                    ]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    """A plain input serializer that refuses unknown fields."""
