"""Serializer fields shared by the registers."""

from rest_framework import serializers

from core.masking import can_see_sensitive, mask_id, mask_phone


class MaskedField(serializers.CharField):
    """An ID or phone number, masked unless the caller may see it in full."""

    def __init__(self, *, kind: str = "id", **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_representation(self, value):
        value = super().to_representation(value)
        request = self.context.get("request")
        if request is not None and can_see_sensitive(request.user):
            return value
        return mask_id(value) if self.kind == "id" else mask_phone(value)
