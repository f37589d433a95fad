"""API shapes of the enforcement register; writes go through ``enforcement.actions``."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api.fields import MaskedField
from core.api.serializers_base import StrictFieldsMixin
from core.models import Department
from enforcement.choices import (
    CASE_VERBS,
    DisposalKind,
    PatrolMethod,
    ReinspectionOutcome,
    ServiceMethod,
    campaign_steps_for,
    case_steps_for,
)
from enforcement.models import (
    Campaign,
    Case,
    Disposal,
    EvidencePhoto,
    Patrol,
    PatrolPhoto,
    RectificationNotice,
    Reinspection,
    Subject,
)


class CampaignSerializer(StrictFieldsMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="campaign-detail")
    lead_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all()
    )
    lead_department_name = serializers.CharField(
        source="lead_department.name", read_only=True
    )
    joint_departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "url",
            "name",
            "lead_department",
            "lead_department_name",
            "joint_departments",
            "area",
            "description",
            "start_date",
            "end_date",
            "status",
            "status_display",
            "version",
            "allowed_transitions",
            "created_at",
        ]
        read_only_fields = ["status", "version"]
        extra_kwargs = {"name": {"validators": []}}

    def get_allowed_transitions(self, obj) -> list[str]:
        """The steps the caller may take now (POST /campaigns/<id>/<step>/)."""
        return [t.verb for t in campaign_steps_for(obj, _user(self))]


class CampaignUpdateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """The fields of a campaign its lead department may edit (never its status)."""

    lead_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all()
    )
    joint_departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "lead_department",
            "joint_departments",
            "area",
            "description",
            "start_date",
            "end_date",
        ]
        extra_kwargs = {"name": {"validators": []}}


class CampaignStepSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CampaignFiguresSerializer(serializers.Serializer):
    """The published figures of a campaign for a date range."""

    date_after = serializers.DateField(allow_null=True)
    date_before = serializers.DateField(allow_null=True)
    officer_dispatches = serializers.IntegerField(
        help_text=gettext_lazy("Officers dispatched (person-times)")
    )
    patrols = serializers.IntegerField(
        help_text=gettext_lazy("Patrol dispatches (times)")
    )
    cases = serializers.IntegerField(help_text=gettext_lazy("Cases registered (cases)"))
    notices_issued = serializers.IntegerField(
        help_text=gettext_lazy("Rectification notices issued (notices)")
    )
    rectified_on_time = serializers.IntegerField(
        help_text=gettext_lazy("Rectified as required on time (notices)")
    )
    waste_piles_cleared = serializers.IntegerField(
        help_text=gettext_lazy("Waste piles cleared (sites)")
    )
    vehicles_removed_by_owner = serializers.IntegerField(
        help_text=gettext_lazy("Removed by their owners (vehicles)")
    )
    vehicles_towed = serializers.IntegerField(
        help_text=gettext_lazy("Towed away by law (vehicles)")
    )
    vehicles_cleared = serializers.IntegerField(
        help_text=gettext_lazy("Illegally parked vehicles cleared in total (vehicles)")
    )


class PatrolSerializer(StrictFieldsMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="patrol-detail")
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), allow_null=True, required=False
    )
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    joint_departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=PatrolMethod.choices), required=False
    )
    methods_display = serializers.SerializerMethodField()
    leader = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Patrol
        fields = [
            "id",
            "url",
            "campaign",
            "department",
            "patrol_date",
            "place",
            "officers",
            "vehicles",
            "methods",
            "methods_display",
            "joint_departments",
            "findings",
            "leader",
            "version",
            "created_at",
        ]
        read_only_fields = ["version"]

    def get_methods_display(self, obj) -> list[str]:
        labels = dict(PatrolMethod.choices)
        return [str(labels.get(m, m)) for m in obj.methods]

    def validate_campaign(self, value):
        return _visible(
            self, value, "campaign_workable", _("The campaign does not exist.")
        )


class PatrolUpdateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=PatrolMethod.choices), required=False
    )

    class Meta:
        model = Patrol
        fields = ["place", "officers", "vehicles", "methods", "findings"]


def _visible(serializer, value, selector_name: str, message: str):
    """A referenced record must be one the caller works on (their department's or
    campaigns'), else it 'does not exist' for them."""
    if value is None:
        return value
    from enforcement import selectors

    user = serializer.context["request"].user
    if not getattr(selectors, selector_name)(user=user).filter(pk=value.pk).exists():
        raise serializers.ValidationError(message, code="does_not_exist")
    return value


class SubjectSerializer(StrictFieldsMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="enforcement-subject-detail")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    id_number = MaskedField(kind="id", required=False, allow_blank=True)
    credit_code = MaskedField(kind="id", required=False, allow_blank=True)
    phone = MaskedField(kind="phone", required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Subject
        fields = [
            "id",
            "url",
            "kind",
            "kind_display",
            "name",
            "id_number",
            "credit_code",
            "representative",
            "phone",
            "address",
            "department",
            "version",
            "created_at",
        ]
        read_only_fields = ["version"]


class SubjectUpdateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """What may be corrected on a 当事人; kind and number identify them and stay."""

    class Meta:
        model = Subject
        fields = ["name", "representative", "phone", "address"]


class NoticeSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationNotice
        fields = ["id", "number", "issued_on", "deadline"]


class CaseSerializer(StrictFieldsMixin, serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="enforcement-case-detail")
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), allow_null=True, required=False
    )
    patrol = serializers.PrimaryKeyRelatedField(
        queryset=Patrol.objects.all(), allow_null=True, required=False
    )
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.all())
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    violation_type_display = serializers.CharField(
        source="get_violation_type_display", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decision_flag_display = serializers.CharField(
        source="get_decision_flag_display", read_only=True
    )
    registered_on = serializers.DateField(required=False)
    notice = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    map_url = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "url",
            "number",
            "campaign",
            "patrol",
            "department",
            "subject",
            "subject_name",
            "violation_type",
            "violation_type_display",
            "facts",
            "address",
            "latitude",
            "longitude",
            "map_url",
            "registered_on",
            "decision_due",
            "decided_on",
            "decision_flag",
            "decision_flag_display",
            "status",
            "status_display",
            "cancel_reason",
            "version",
            "notice",
            "allowed_transitions",
            "created_at",
        ]
        read_only_fields = [
            "number",
            "decision_due",
            "decided_on",
            "decision_flag",
            "status",
            "cancel_reason",
            "version",
        ]

    @extend_schema_field(NoticeSummarySerializer(allow_null=True))
    def get_notice(self, obj):
        notice = getattr(obj, "notice", None) if _has_notice(obj) else None
        return NoticeSummarySerializer(notice).data if notice else None

    def get_allowed_transitions(self, obj) -> list[str]:
        """The steps the caller may start now (POST /cases/<id>/<step with
        hyphens>/): the case workflow's, on a case the caller may change."""
        return [t.verb for t in case_steps_for(obj, _user(self))]

    def validate_campaign(self, value):
        return _visible(
            self, value, "campaign_workable", _("The campaign does not exist.")
        )

    def validate_patrol(self, value):
        return _visible(
            self, value, "patrol_workable", _("The patrol record does not exist.")
        )

    def validate_subject(self, value):
        return _visible(
            self, value, "subject_workable", _("The subject does not exist.")
        )


def _has_notice(case) -> bool:
    try:
        case.notice  # noqa: B018
    except RectificationNotice.DoesNotExist:
        return False
    return True


class NoticeIssueSerializer(StrictFieldsMixin, serializers.Serializer):
    issued_on = serializers.DateField(required=False)
    deadline = serializers.DateField()
    requirements = serializers.CharField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    served_how = serializers.ChoiceField(
        choices=ServiceMethod.choices, default=ServiceMethod.IN_PERSON
    )
    served_to = serializers.CharField()


class ReinspectSerializer(StrictFieldsMixin, serializers.Serializer):
    inspected_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ReinspectionOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseDisposeSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=DisposalKind.choices)
    quantity = serializers.IntegerField(min_value=1)
    disposed_on = serializers.DateField()
    plates = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseCloseSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseCancelSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField()


class RectificationNoticeSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="rectification-notice-detail")
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    case_status = serializers.CharField(source="case.status", read_only=True)
    subject_name = serializers.CharField(source="case.subject.name", read_only=True)
    served_how_display = serializers.CharField(
        source="get_served_how_display", read_only=True
    )
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = RectificationNotice
        fields = [
            "id",
            "url",
            "number",
            "year",
            "serial",
            "case",
            "case_number",
            "case_status",
            "subject_name",
            "issued_on",
            "deadline",
            "requirements",
            "legal_basis",
            "served_how",
            "served_how_display",
            "served_to",
            "department",
            "pdf_sha256",
            "pdf_url",
            "version",
            "created_at",
        ]

    def get_pdf_url(self, obj) -> str:
        return reverse(
            "rectification-notice-pdf",
            args=[obj.pk],
            request=self.context.get("request"),
        )


class ReinspectionSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="reinspection-detail")
    notice = serializers.PrimaryKeyRelatedField(read_only=True)
    outcome_display = serializers.CharField(
        source="get_outcome_display", read_only=True
    )
    inspector = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Reinspection
        fields = [
            "id",
            "url",
            "notice",
            "inspected_on",
            "outcome",
            "outcome_display",
            "note",
            "inspector",
            "created_at",
        ]


class DisposalSerializer(StrictFieldsMixin, serializers.HyperlinkedModelSerializer):
    """Disposals on a patrol are created here; on a case, by POST …/cases/<id>/dispose/."""

    url = serializers.HyperlinkedIdentityField(view_name="disposal-detail")
    patrol = serializers.PrimaryKeyRelatedField(queryset=Patrol.objects.all())
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    department = serializers.PrimaryKeyRelatedField(read_only=True)
    kind = serializers.ChoiceField(choices=DisposalKind.choices)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Disposal
        fields = [
            "id",
            "url",
            "campaign",
            "case",
            "patrol",
            "department",
            "kind",
            "kind_display",
            "quantity",
            "disposed_on",
            "plates",
            "note",
            "created_at",
        ]

    def validate_patrol(self, value):
        return _visible(
            self, value, "patrol_workable", _("The patrol record does not exist.")
        )


class EvidencePhotoSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """An evidence photo (JPEG/PNG/…, at most UPLOAD_MAX_BYTES)."""

    case = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = EvidencePhoto
        fields = ["id", "case", "image", "caption", "taken_at"]

    def validate_image(self, value):
        if value.size > settings.UPLOAD_MAX_BYTES:
            raise serializers.ValidationError(
                _("The photo cannot be larger than %(size)s MB.")
                % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return value


class PatrolPhotoSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    patrol = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = PatrolPhoto
        fields = ["id", "patrol", "image", "caption"]

    def validate_image(self, value):
        return EvidencePhotoSerializer.validate_image(self, value)


class CaseUpdateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """The fields of a case that may be corrected while it is open."""

    class Meta:
        model = Case
        fields = ["violation_type", "facts", "address", "latitude", "longitude"]


VERB_SERIALIZERS = {
    "issue_notice": NoticeIssueSerializer,
    "reinspect": ReinspectSerializer,
    "dispose": CaseDisposeSerializer,
    "close": CaseCloseSerializer,
    "cancel": CaseCancelSerializer,
}
assert set(VERB_SERIALIZERS) == set(CASE_VERBS)
