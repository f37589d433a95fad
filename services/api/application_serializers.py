"""Serializers of applications: output shapes, and input shapes that actions consume."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MaskedField
from core.api.serializers_base import StrictSerializer
from core.models import District, User
from services.choices import (
    ApplicantKind,
    ApplicationChannel,
    DeliveryMethod,
    EvaluationLevel,
    FollowUpOutcome,
)
from services.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Bundle,
    Evaluation,
    EvaluationFollowUp,
    Matter,
    MatterMaterial,
)


class ApplicationEventSerializer(serializers.ModelSerializer):
    verb_display = serializers.CharField(source="label", read_only=True)
    from_status_display = serializers.CharField(
        source="get_from_status_display", read_only=True
    )
    to_status_display = serializers.CharField(
        source="get_to_status_display", read_only=True
    )
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = [
            "id",
            "sequence",
            "verb",
            "verb_display",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "actor_name",
            "district",
            "district_name",
            "note",
            "data",
            "created_at",
        ]


class ApplicationMaterialSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ApplicationMaterial
        fields = [
            "id",
            "application",
            "requirement",
            "name",
            "content_type",
            "size",
            "sha256",
            "status",
            "status_display",
            "problem",
            "uploaded_at",
        ]
        read_only_fields = fields


class MaterialUploadSerializer(StrictSerializer):
    file = serializers.FileField()
    requirement = serializers.PrimaryKeyRelatedField(
        queryset=MatterMaterial.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ApplicationSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="application-detail")
    matter = serializers.PrimaryKeyRelatedField(read_only=True)
    matter_name = serializers.CharField(source="title", read_only=True)
    bundle = serializers.PrimaryKeyRelatedField(read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True)
    accepting_district = serializers.PrimaryKeyRelatedField(read_only=True)
    accepting_district_name = serializers.CharField(
        source="accepting_district.name", read_only=True
    )
    home_district = serializers.PrimaryKeyRelatedField(read_only=True)
    home_district_name = serializers.CharField(
        source="home_district.name", read_only=True
    )
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    proxy_staff = serializers.PrimaryKeyRelatedField(read_only=True)
    applicant_id_number = MaskedField(kind="id", read_only=True)
    applicant_phone = MaskedField(kind="phone", read_only=True)
    applicant_kind_display = serializers.CharField(
        source="get_applicant_kind_display", read_only=True
    )
    channel_display = serializers.CharField(
        source="get_channel_display", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    delivery_method_display = serializers.CharField(
        source="get_delivery_method_display", read_only=True
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "url",
            "uuid",
            "number",
            "matter",
            "matter_name",
            "bundle",
            "parent",
            "applicant_kind",
            "applicant_kind_display",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_address",
            "channel",
            "channel_display",
            "proxy_staff",
            "accepting_district",
            "accepting_district_name",
            "home_district",
            "home_district_name",
            "department",
            "status",
            "status_display",
            "version",
            "submitted_at",
            "received_on",
            "clock_start",
            "deemed_accepted",
            "due_date",
            "due_provisional",
            "is_near_due",
            "is_overdue",
            "result",
            "certificate_number",
            "delivery_method",
            "delivery_method_display",
            "delivery_address",
            "carrier",
            "tracking_number",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    events = ApplicationEventSerializer(many=True, read_only=True)
    materials = ApplicationMaterialSerializer(many=True, read_only=True)
    children = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "children",
            "events",
            "materials",
            "allowed_transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, obj) -> list[str]:
        from services.actions.applications import allowed_transitions

        request = self.context.get("request")
        user = getattr(request, "user", None)
        return [t.verb for t in allowed_transitions(obj, user)]


class ApplicationCreateSerializer(StrictSerializer):
    matter = serializers.PrimaryKeyRelatedField(
        queryset=Matter.objects.all(), required=False, allow_null=True
    )
    bundle = serializers.PrimaryKeyRelatedField(
        queryset=Bundle.objects.all(), required=False, allow_null=True
    )
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=200)
    applicant_id_number = serializers.CharField(max_length=18)
    applicant_phone = serializers.CharField(max_length=20)
    applicant_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    channel = serializers.ChoiceField(choices=ApplicationChannel.choices)
    proxy_staff = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    home_district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    delivery_method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, required=False, default=DeliveryMethod.PICKUP
    )
    delivery_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationUpdateSerializer(StrictSerializer):
    """What may be corrected before acceptance: contact and delivery details."""

    applicant_phone = serializers.CharField(max_length=20, required=False)
    applicant_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )
    delivery_method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, required=False
    )
    delivery_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectionItemSerializer(serializers.Serializer):
    material = serializers.PrimaryKeyRelatedField(
        queryset=ApplicationMaterial.objects.all()
    )
    problem = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CorrectionSerializer(NoteSerializer):
    missing = serializers.PrimaryKeyRelatedField(
        queryset=MatterMaterial.objects.all(), many=True, required=False
    )
    faulty = CorrectionItemSerializer(many=True, required=False)


class ApproveSerializer(NoteSerializer):
    result = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CertificateSerializer(NoteSerializer):
    certificate_number = serializers.CharField(max_length=100)


class DeliverySerializer(NoteSerializer):
    delivery_method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, required=False
    )
    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True)
    tracking_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True
    )
    delivery_address = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )


class EvaluationFollowUpSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    outcome_display = serializers.CharField(
        source="get_outcome_display", read_only=True
    )

    class Meta:
        model = EvaluationFollowUp
        fields = [
            "id",
            "department",
            "due_date",
            "due_provisional",
            "status",
            "status_display",
            "outcome",
            "outcome_display",
            "answer",
            "answered_at",
            "is_overdue",
        ]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    follow_up = EvaluationFollowUpSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "application",
            "level",
            "level_display",
            "comment",
            "created_at",
            "follow_up",
        ]
        read_only_fields = fields


class EvaluationInputSerializer(StrictSerializer):
    level = serializers.ChoiceField(choices=EvaluationLevel.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpAnswerSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    answer = serializers.CharField()


class ProgressEventSerializer(serializers.Serializer):
    label = serializers.CharField()
    to_status_display = serializers.CharField(source="get_to_status_display")
    created_at = serializers.DateTimeField()


class ProgressSerializer(serializers.Serializer):
    """What the public may see: no names, no ID or phone numbers."""

    number = serializers.CharField()
    matter_name = serializers.CharField(source="title")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    accepting_district_name = serializers.CharField(source="accepting_district.name")
    due_date = serializers.DateField(allow_null=True)
    events = ProgressEventSerializer(many=True)
