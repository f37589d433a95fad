"""API shapes of the volunteer register (shared/API.md): id, url, *_display, masked IDs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MaskedField
from core.api.serializers_base import StrictFieldsMixin, StrictSerializer
from core.validators import validate_id_number
from volunteers.choices import ACTIVITY_WORKFLOW
from volunteers.models import (
    Activity,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    PlanItem,
    ServiceCategory,
    Team,
    Volunteer,
)


def url_field(name: str):
    return serializers.HyperlinkedIdentityField(view_name=f"volunteers-{name}-detail")


class PartyBranchSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("party-branch")
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)

    class Meta:
        model = PartyBranch
        fields = [
            "id",
            "url",
            "name",
            "sector",
            "sector_display",
            "secretary",
            "active",
            "version",
        ]
        read_only_fields = ["version"]


class ServiceCategorySerializer(serializers.ModelSerializer):
    url = url_field("service-category")

    class Meta:
        model = ServiceCategory
        fields = ["id", "url", "code", "name"]


class OrganisationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("organisation")

    class Meta:
        model = Organisation
        fields = ["id", "url", "name", "contact"]


class TeamSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("team")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    branch = serializers.PrimaryKeyRelatedField(
        queryset=PartyBranch.objects.all(), allow_null=True, required=False
    )
    leader = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), allow_null=True, required=False
    )
    categories = serializers.PrimaryKeyRelatedField(
        queryset=ServiceCategory.objects.all(), many=True, required=False
    )

    class Meta:
        model = Team
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "kind_display",
            "branch",
            "leader",
            "flag",
            "logo",
            "categories",
            "founded_on",
            "description",
            "active",
            "version",
        ]
        read_only_fields = ["version"]
        # Rules live in the actions; the unique name is checked there too.
        validators = []
        extra_kwargs = {"name": {"validators": []}}


class VolunteerSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("volunteer")
    number = serializers.CharField(read_only=True)
    id_number = MaskedField(kind="id", max_length=18, validators=[validate_id_number])
    phone = MaskedField(kind="phone", max_length=20, required=False, allow_blank=True)
    branch = serializers.PrimaryKeyRelatedField(
        queryset=PartyBranch.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "url",
            "number",
            "name",
            "id_number",
            "phone",
            "is_party_member",
            "branch",
            "skills",
            "interests",
            "registered_on",
            "version",
        ]
        read_only_fields = ["registered_on", "version"]


class MembershipSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("membership")
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    joined_on = serializers.DateField(required=False)

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "team",
            "volunteer",
            "volunteer_name",
            "role",
            "role_display",
            "joined_on",
            "left_on",
            "version",
        ]
        read_only_fields = ["left_on", "version"]
        validators = []


class MembershipEndSerializer(StrictSerializer):
    left_on = serializers.DateField(required=False)


class PlanItemSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=ServiceCategory.objects.all()
    )
    category_display = serializers.CharField(source="category.label", read_only=True)
    delete = serializers.BooleanField(required=False, write_only=True, default=False)

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "month",
            "category",
            "category_display",
            "title",
            "expected_participants",
            "delete",
        ]


class AnnualPlanSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("annual-plan")
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    items = PlanItemSerializer(many=True)
    unplanned_months = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "url",
            "team",
            "year",
            "made_on",
            "note",
            "items",
            "unplanned_months",
            "version",
        ]
        read_only_fields = ["version"]
        validators = []

    def get_unplanned_months(self, plan) -> list[int]:
        months = {item.month for item in plan.items.all()}
        return [m for m in range(1, 13) if m not in months]


class TransitionSerializer(serializers.Serializer):
    verb = serializers.CharField()
    label = serializers.CharField()


class ActivitySerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("activity")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    category = serializers.PrimaryKeyRelatedField(
        queryset=ServiceCategory.objects.all()
    )
    category_display = serializers.CharField(source="category.label", read_only=True)
    plan_item = serializers.PrimaryKeyRelatedField(
        queryset=PlanItem.objects.select_related("plan"),
        allow_null=True,
        required=False,
    )
    co_teams = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), many=True, required=False
    )
    co_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    duration_hours = serializers.DecimalField(
        max_digits=6, decimal_places=1, read_only=True
    )
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "team",
            "co_teams",
            "co_organisations",
            "plan_item",
            "category",
            "category_display",
            "title",
            "content",
            "starts_at",
            "ends_at",
            "duration_hours",
            "place",
            "vehicles",
            "status",
            "status_display",
            "allowed_transitions",
            "version",
        ]
        read_only_fields = ["status", "version"]
        validators = []

    @extend_schema_field(TransitionSerializer(many=True))
    def get_allowed_transitions(self, activity) -> list[dict]:
        """The steps the caller may take now (``ACTIVITY_WORKFLOW.allowed``)."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return []
        return [
            {"verb": t.verb, "label": str(t.label)}
            for t in ACTIVITY_WORKFLOW.allowed(activity, user)
        ]


class ParticipationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("participation")
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "url",
            "activity",
            "volunteer",
            "volunteer_name",
            "hours",
            "note",
        ]


class HoursRowSerializer(StrictSerializer):
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal("0.1")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class HoursSerializer(StrictSerializer):
    # At most BULK_MAX_ROWS rows, checked before any row is looked at (each row
    # costs a query): 20,000 rows used to take half a minute, 200,000 a worker.
    rows = HoursRowSerializer(many=True, max_length=settings.BULK_MAX_ROWS)
    remove = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), many=True, required=False
    )

    def to_internal_value(self, data):
        removed = data.get("remove") if hasattr(data, "get") else None
        if isinstance(removed, list) and len(removed) > settings.BULK_MAX_ROWS:
            raise serializers.ValidationError(
                {
                    "remove": [
                        _("At most %(count)d rows in one request.")
                        % {"count": settings.BULK_MAX_ROWS}
                    ]
                },
                code="max_length",
            )
        return super().to_internal_value(data)


class DonationSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("donation")
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False
    )
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Donation
        fields = [
            "id",
            "url",
            "activity",
            "team",
            "donor",
            "items",
            "quantity",
            "unit",
            "value",
            "received_on",
        ]


class CertificateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    url = url_field("certificate")
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=120)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "url",
            "serial",
            "volunteer",
            "volunteer_name",
            "period_start",
            "period_end",
            "hours",
            "activity_count",
            "content",
            "issuer",
            "issued_on",
            "sha256",
            "pdf_url",
        ]
        read_only_fields = [
            "serial",
            "hours",
            "activity_count",
            "content",
            "issued_on",
            "sha256",
        ]

    @extend_schema_field(serializers.URLField())
    def get_pdf_url(self, certificate) -> str:
        from django.urls import reverse

        path = reverse("volunteers-certificate-pdf", args=[certificate.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# --- reports --------------------------------------------------------------------


class MonthCountSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    planned = serializers.IntegerField()
    held = serializers.IntegerField()


class BranchComplianceSerializer(serializers.Serializer):
    branch_id = serializers.IntegerField()
    name = serializers.CharField()
    sector_display = serializers.CharField()
    party_teams = serializers.IntegerField()
    ok = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class TeamComplianceSerializer(serializers.Serializer):
    team_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    branch_id = serializers.IntegerField(allow_null=True)
    party_members = serializers.IntegerField()
    has_plan = serializers.BooleanField()
    unplanned_months = serializers.ListField(child=serializers.IntegerField())
    months = serializers.SerializerMethodField()
    ok = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(MonthCountSerializer(many=True))
    def get_months(self, row) -> list[dict]:
        return [{"month": m, "planned": p, "held": h} for m, p, h in row.month_rows]


class ComplianceSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    branches_without_party_team = serializers.SerializerMethodField()
    small_party_teams = serializers.SerializerMethodField()
    teams_without_plan = serializers.SerializerMethodField()
    teams_with_unplanned_month = serializers.SerializerMethodField()
    months = serializers.SerializerMethodField()
    branches = BranchComplianceSerializer(many=True)
    teams = TeamComplianceSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_branches_without_party_team(self, report) -> list[int]:
        return [b.branch_id for b in report.branches_without_party_team]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_small_party_teams(self, report) -> list[int]:
        return [t.team_id for t in report.small_party_teams]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_teams_without_plan(self, report) -> list[int]:
        return [t.team_id for t in report.teams_without_plan]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_teams_with_unplanned_month(self, report) -> list[int]:
        return [t.team_id for t in report.teams_with_unplanned_month]

    @extend_schema_field(MonthCountSerializer(many=True))
    def get_months(self, report) -> list[dict]:
        return [{"month": m, "planned": p, "held": h} for m, p, h in report.month_rows]


class TotalsRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    teams = serializers.IntegerField()
    members = serializers.IntegerField()
    party_members = serializers.IntegerField()
    activities = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=14, decimal_places=1)
    volunteer_times = serializers.IntegerField()
    donation_value = serializers.DecimalField(max_digits=16, decimal_places=2)


class TotalsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    overall = TotalsRowSerializer()
    by_month = TotalsRowSerializer(many=True)
    by_branch = TotalsRowSerializer(many=True)


class CertificateIssueSerializer(StrictSerializer):
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=120)
