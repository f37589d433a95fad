"""Payloads of the federation protocol (docs/federation.md)."""

from rest_framework import serializers

from core.api.serializers_base import StrictSerializer
from core.validators import validate_credit_code, validate_id_number
from services.choices import (
    ApplicantKind,
    ApplicationChannel,
    ApplicationStatus,
    DeliveryMethod,
)
from services.models import Application, ApplicationEvent, ApplicationMaterial


class TransferApplicantSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    name = serializers.CharField(max_length=200)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=20)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, data):
        validator = (
            validate_id_number
            if data["kind"] == ApplicantKind.PERSON
            else validate_credit_code
        )
        try:
            validator(data["id_number"])
        except Exception as error:  # django ValidationError
            raise serializers.ValidationError(
                {"id_number": list(getattr(error, "messages", [str(error)]))}
            ) from None
        data["id_number"] = data["id_number"].upper()
        return data


class TransferDeliverySerializer(StrictSerializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TransferEventSerializer(StrictSerializer):
    sequence = serializers.IntegerField(min_value=1)
    verb = serializers.CharField(max_length=30)
    from_status = serializers.CharField(max_length=20, allow_blank=True)
    to_status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    actor_name = serializers.CharField(max_length=100, allow_blank=True, required=False)
    district = serializers.CharField(max_length=12)
    note = serializers.CharField(allow_blank=True, required=False)
    data = serializers.DictField(required=False)
    created_at = serializers.DateTimeField(required=False, allow_null=True)


class TransferMaterialSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    requirement = serializers.CharField(
        max_length=200, allow_blank=True, required=False
    )
    content_type = serializers.ChoiceField(
        choices=["application/pdf", "image/jpeg", "image/png"]
    )
    size = serializers.IntegerField(min_value=1)
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$")
    content_base64 = serializers.CharField()


class TransferSerializer(StrictSerializer):
    """``application.transfer``: the accepting district hands an application over."""

    uuid = serializers.UUIDField()
    number = serializers.CharField(max_length=40)
    matter_code = serializers.CharField(max_length=120)
    matter_name = serializers.CharField(max_length=200, required=False)
    accepting_district = serializers.CharField(max_length=12)
    home_district = serializers.CharField(max_length=12)
    applicant = TransferApplicantSerializer()
    channel = serializers.ChoiceField(choices=ApplicationChannel.choices)
    submitted_at = serializers.DateTimeField()
    received_on = serializers.DateField()
    clock_start = serializers.DateField(required=False, allow_null=True)
    delivery = TransferDeliverySerializer()
    events = TransferEventSerializer(many=True)
    materials = TransferMaterialSerializer(many=True)


class StatusResultSerializer(StrictSerializer):
    certificate_number = serializers.CharField(allow_blank=True, required=False)
    result = serializers.CharField(allow_blank=True, required=False)
    delivery_method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, required=False
    )
    carrier = serializers.CharField(allow_blank=True, required=False)
    tracking_number = serializers.CharField(allow_blank=True, required=False)


class StatusEventSerializer(TransferEventSerializer):
    """``application.status``: one step the home district took."""

    uuid = serializers.UUIDField()
    number = serializers.CharField(max_length=40)
    result = StatusResultSerializer(required=False)


class SharedEventSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code")

    class Meta:
        model = ApplicationEvent
        fields = [
            "sequence",
            "verb",
            "from_status",
            "to_status",
            "actor_name",
            "district",
            "note",
            "created_at",
        ]


class SharedMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationMaterial
        fields = ["name", "content_type", "size", "sha256"]


class SharedApplicationSerializer(serializers.ModelSerializer):
    """What both sides may compare: identity, status and how far each timeline got."""

    matter_code = serializers.CharField(source="matter.code")
    accepting_district = serializers.CharField(source="accepting_district.code")
    home_district = serializers.CharField(source="home_district.code")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Application
        fields = [
            "uuid",
            "number",
            "matter_code",
            "accepting_district",
            "home_district",
            "status",
            "status_display",
            "last_event_sequence",
            "partner_sequence",
            "certificate_number",
            "tracking_number",
            "updated_at",
        ]


class SharedApplicationDetailSerializer(SharedApplicationSerializer):
    events = SharedEventSerializer(many=True)
    materials = SharedMaterialSerializer(many=True)

    class Meta(SharedApplicationSerializer.Meta):
        fields = [*SharedApplicationSerializer.Meta.fields, "events", "materials"]


class ReceiptSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    number = serializers.CharField()
    status = serializers.CharField()
    created = serializers.BooleanField()


class EventReceiptSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    applied = serializers.BooleanField()
    status = serializers.CharField()
    partner_sequence = serializers.IntegerField()
