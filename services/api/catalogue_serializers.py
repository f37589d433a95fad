"""Serializers of the catalogue API: output shapes and input validation only.

Writes go through services.actions.catalogue; rules are not repeated here.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import scoping
from core.api.fields import MaskedField
from core.api.serializers_base import StrictFieldsMixin
from core.choices import DistrictKind
from core.models import Department, District
from services.choices import (
    MATTER_WORKFLOW,
    AgreementMode,
    HandlingType,
    LiaisonSide,
    MatterKind,
    OnlineDepth,
    ResultType,
    TongbanScope,
)
from services.models import (
    Agreement,
    AgreementMatter,
    Bundle,
    BundleMatter,
    LiaisonOfficer,
    Matter,
    MatterMaterial,
)


class MatterMaterialSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    form_display = serializers.CharField(source="get_form_display", read_only=True)

    class Meta:
        model = MatterMaterial
        fields = [
            "position",
            "name",
            "required",
            "form",
            "form_display",
            "copies",
            "source",
            "notes",
            "version",
        ]
        read_only_fields = ["position", "version"]


class MatterSerializer(serializers.HyperlinkedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    code_form_display = serializers.CharField(
        source="get_code_form_display", read_only=True
    )
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    handling_type_display = serializers.CharField(
        source="get_handling_type_display", read_only=True
    )
    online_depth_display = serializers.CharField(
        source="get_online_depth_display", read_only=True
    )
    result_type_display = serializers.CharField(
        source="get_result_type_display", read_only=True
    )
    tongban_scope_display = serializers.CharField(
        source="get_tongban_scope_display", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    materials = MatterMaterialSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        fields = [
            "id",
            "url",
            "code",
            "code_form",
            "code_form_display",
            "name",
            "kind",
            "kind_display",
            "department",
            "department_name",
            "body_code",
            "legal_basis",
            "conditions",
            "procedure",
            "handling_type",
            "handling_type_display",
            "statutory_days",
            "promised_days",
            "visits",
            "visits_reason",
            "fee",
            "fee_basis",
            "online_depth",
            "online_depth_display",
            "mail_supported",
            "result_name",
            "result_type",
            "result_type_display",
            "tongban_scope",
            "tongban_scope_display",
            "location",
            "contact_phone",
            "theme",
            "guide_url",
            "status",
            "status_display",
            "version",
            "published_at",
            "updated_at",
            "materials",
            "allowed_transitions",
        ]
        read_only_fields = fields
        extra_kwargs = {"url": {"view_name": "matter-detail"}}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, obj) -> list[str]:
        """The steps of MATTER_WORKFLOW the caller may take on the matter now."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return []
        steps = MATTER_WORKFLOW.allowed(obj, user)
        if not steps:
            return []
        writable = self.context.get("writable")
        in_scope = (
            obj in writable if writable is not None else scoping.can_write(user, obj)
        )
        return [step.verb for step in steps] if in_scope else []


class MatterWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    """Input of POST /matters/ and PATCH /matters/{id}/ (a new matter is a draft)."""

    code = serializers.CharField(max_length=120)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=MatterKind.choices)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(district__kind=DistrictKind.LOCAL)
    )
    body_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    conditions = serializers.CharField(required=False, allow_blank=True)
    procedure = serializers.CharField(required=False, allow_blank=True)
    handling_type = serializers.ChoiceField(
        choices=HandlingType.choices, required=False
    )
    # A draft may leave the limits blank; publishing needs them.
    statutory_days = serializers.IntegerField(
        min_value=0, max_value=3650, required=False, allow_null=True
    )
    promised_days = serializers.IntegerField(
        min_value=0, max_value=3650, required=False, allow_null=True
    )
    visits = serializers.IntegerField(min_value=0, max_value=2, required=False)
    visits_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )
    fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False
    )
    fee_basis = serializers.CharField(max_length=300, required=False, allow_blank=True)
    online_depth = serializers.ChoiceField(choices=OnlineDepth.choices, required=False)
    mail_supported = serializers.BooleanField(required=False)
    result_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    result_type = serializers.ChoiceField(choices=ResultType.choices, required=False)
    tongban_scope = serializers.ChoiceField(
        choices=TongbanScope.choices, required=False
    )
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contact_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True
    )
    theme = serializers.CharField(max_length=100, required=False, allow_blank=True)
    guide_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    materials = MatterMaterialSerializer(many=True, required=False)


class TransitionResultSerializer(serializers.Serializer):
    """Empty body for state changes; If-Match carries the version."""


class LiaisonOfficerSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    side = serializers.ChoiceField(choices=LiaisonSide.choices)
    side_display = serializers.CharField(source="get_side_display", read_only=True)
    phone = MaskedField(kind="phone", max_length=20)

    class Meta:
        model = LiaisonOfficer
        fields = ["side", "side_display", "name", "department", "phone", "version"]
        read_only_fields = ["version"]


class AgreementSerializer(serializers.HyperlinkedModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    modes = serializers.ListField(
        child=serializers.ChoiceField(choices=AgreementMode.choices), read_only=True
    )
    modes_display = serializers.ListField(child=serializers.CharField(), read_only=True)
    liaisons = LiaisonOfficerSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "code",
            "title",
            "partner",
            "partner_name",
            "modes",
            "modes_display",
            "signed_on",
            "effective_on",
            "summary",
            "active",
            "version",
            "liaisons",
        ]
        read_only_fields = fields
        extra_kwargs = {"url": {"view_name": "agreement-detail"}}


class AgreementWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    partner = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.filter(kind=DistrictKind.PARTNER)
    )
    modes = serializers.ListField(
        child=serializers.ChoiceField(choices=AgreementMode.choices), min_length=1
    )
    signed_on = serializers.DateField()
    effective_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)
    liaisons = LiaisonOfficerSerializer(many=True, required=False)


class AgreementMatterSerializer(serializers.ModelSerializer):
    """One entry of a 通办清单 with the matter's essentials for display."""

    agreement = serializers.PrimaryKeyRelatedField(read_only=True)
    matter = serializers.PrimaryKeyRelatedField(read_only=True)
    matter_code = serializers.CharField(source="matter.code", read_only=True)
    matter_name = serializers.CharField(source="matter.name", read_only=True)
    matter_kind = serializers.CharField(source="matter.kind", read_only=True)
    matter_kind_display = serializers.CharField(
        source="matter.get_kind_display", read_only=True
    )
    department_name = serializers.CharField(
        source="matter.department.name", read_only=True
    )
    promised_days = serializers.IntegerField(
        source="matter.promised_days", read_only=True
    )
    matter_url = serializers.HyperlinkedRelatedField(
        source="matter", view_name="matter-detail", read_only=True
    )

    class Meta:
        model = AgreementMatter
        fields = [
            "id",
            "agreement",
            "matter",
            "matter_url",
            "matter_code",
            "matter_name",
            "matter_kind",
            "matter_kind_display",
            "department_name",
            "promised_days",
            "batch",
            "effective_from",
            "effective_to",
            "removal_reason",
            "version",
        ]
        read_only_fields = fields


class AgreementEntrySerializer(AgreementMatterSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="agreement-entry-detail")

    class Meta(AgreementMatterSerializer.Meta):
        fields = ["url", *AgreementMatterSerializer.Meta.fields]
        read_only_fields = fields


class AgreementMatterAddSerializer(StrictFieldsMixin, serializers.Serializer):
    matter = serializers.PrimaryKeyRelatedField(queryset=Matter.objects.all())
    batch = serializers.CharField(max_length=40)
    effective_from = serializers.DateField()


class AgreementMatterRemoveSerializer(StrictFieldsMixin, serializers.Serializer):
    effective_to = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class BundleMatterSerializer(serializers.ModelSerializer):
    matter = serializers.PrimaryKeyRelatedField(read_only=True)
    matter_code = serializers.CharField(source="matter.code", read_only=True)
    matter_name = serializers.CharField(source="matter.name", read_only=True)
    department_name = serializers.CharField(
        source="matter.department.name", read_only=True
    )

    class Meta:
        model = BundleMatter
        fields = ["position", "matter", "matter_code", "matter_name", "department_name"]
        read_only_fields = fields


class BundleSerializer(serializers.HyperlinkedModelSerializer):
    items = BundleMatterSerializer(many=True, read_only=True)

    class Meta:
        model = Bundle
        fields = [
            "id",
            "url",
            "code",
            "name",
            "description",
            "window",
            "active",
            "version",
            "items",
        ]
        read_only_fields = fields
        extra_kwargs = {"url": {"view_name": "bundle-detail"}}


class BundleWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    window = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)
    matters = serializers.PrimaryKeyRelatedField(
        queryset=Matter.objects.all(), many=True
    )
