"""Serializer fields shared by the registers."""

from rest_framework import serializers

from core.masking import can_see_sensitive, mask_id, mask_phone


class MaskedField(serializers.CharField):
    """An ID or phone number, masked unless the caller may see it in full.

    Written back unchanged (the masked text a caller without the permission
    read), it keeps the stored number instead of storing the stars.
    """

    def __init__(self, *, kind: str = "id", **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def mask(self, value):
        return mask_id(value) if self.kind == "id" else mask_phone(value)

    def to_representation(self, value):
        value = super().to_representation(value)
        request = self.context.get("request")
        if request is not None and can_see_sensitive(request.user):
            return value
        return self.mask(value)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        instance = getattr(self.parent, "instance", None)
        source = self.source if self.source and self.source != "*" else None
        stored = getattr(instance, source, None) if instance is not None else None
        if (
            stored
            and not isinstance(instance, list | tuple)
            and value == self.mask(stored)
        ):
            return stored
        return value
