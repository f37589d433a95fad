"""One FilterSet per listed model of the volunteer register, shared by pages and API."""

import django_filters
from django.db.models import Q

from core.filters import yes_no_widget
from volunteers.choices import ActivityStatus, MemberRole, Sector, TeamKind
from volunteers.models import (
    Activity,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    ServiceCategory,
    Team,
    Volunteer,
)
from volunteers.selectors import current_memberships


class PartyBranchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="搜索"
    )
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label="领域")

    class Meta:
        model = PartyBranch
        fields = ["sector", "active"]


class ServiceCategoryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="搜索"
    )

    class Meta:
        model = ServiceCategory
        fields = []


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="搜索"
    )

    class Meta:
        model = Organisation
        fields = []


class TeamFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="队名"
    )
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices, label="类型")
    branch = django_filters.ModelChoiceFilter(
        queryset=PartyBranch.objects.all(), label="党支部"
    )
    category = django_filters.ModelChoiceFilter(
        field_name="categories",
        queryset=ServiceCategory.objects.all(),
        label="服务类别",
    )
    active = django_filters.BooleanFilter(label="有效", widget=yes_no_widget())

    class Meta:
        model = Team
        fields = ["q", "kind", "branch", "category", "active"]


class VolunteerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或身份证号")
    is_party_member = django_filters.BooleanFilter(label="党员", widget=yes_no_widget())
    branch = django_filters.ModelChoiceFilter(
        queryset=PartyBranch.objects.all(), label="党支部"
    )
    team = django_filters.NumberFilter(method="in_team", label="服务队（编号）")

    class Meta:
        model = Volunteer
        fields = ["q", "is_party_member", "branch", "team"]

    def search(self, queryset, name, value):
        value = value.strip()
        if len(value) == 18:
            return queryset.filter(id_number=value.upper())
        return queryset.filter(Q(name__icontains=value))

    def in_team(self, queryset, name, value):
        return queryset.filter(
            pk__in=current_memberships().filter(team=value).values("volunteer")
        )


class MembershipFilterSet(django_filters.FilterSet):
    team = django_filters.NumberFilter(label="服务队")
    volunteer = django_filters.NumberFilter(label="志愿者")
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label="职务")
    current = django_filters.BooleanFilter(
        field_name="left_on", lookup_expr="isnull", label="在队", widget=yes_no_widget()
    )

    class Meta:
        model = Membership
        fields = ["team", "volunteer", "role", "current"]


class AnnualPlanFilterSet(django_filters.FilterSet):
    team = django_filters.NumberFilter(label="服务队")
    year = django_filters.NumberFilter(label="年度")

    class Meta:
        model = AnnualPlan
        fields = ["team", "year"]


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="活动名称"
    )
    team = django_filters.NumberFilter(method="by_team", label="服务队（含协办）")
    branch = django_filters.ModelChoiceFilter(
        field_name="team__branch", queryset=PartyBranch.objects.all(), label="党支部"
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ServiceCategory.objects.all(), label="服务类别"
    )
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label="状态")
    planned = django_filters.BooleanFilter(
        field_name="plan_item",
        lookup_expr="isnull",
        exclude=True,
        label="按计划",
        widget=yes_no_widget(),
    )
    starts_at = django_filters.DateFromToRangeFilter(
        field_name="starts_at__date", label="开始日期"
    )

    class Meta:
        model = Activity
        fields = ["q", "team", "branch", "category", "status", "planned", "starts_at"]

    def by_team(self, queryset, name, value):
        return queryset.filter(Q(team=value) | Q(co_teams=value)).distinct()


class ParticipationFilterSet(django_filters.FilterSet):
    activity = django_filters.NumberFilter(label="活动")
    volunteer = django_filters.NumberFilter(label="志愿者")

    class Meta:
        model = Participation
        fields = ["activity", "volunteer"]


class DonationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="捐赠方或物资")
    team = django_filters.NumberFilter(label="接收队伍")
    activity = django_filters.NumberFilter(label="活动")
    received_on = django_filters.DateFromToRangeFilter(label="接收日期")

    class Meta:
        model = Donation
        fields = ["q", "team", "activity", "received_on"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(donor__icontains=value) | Q(items__icontains=value))


class CertificateFilterSet(django_filters.FilterSet):
    volunteer = django_filters.NumberFilter(label="志愿者")
    year = django_filters.NumberFilter(label="年度")
    serial = django_filters.CharFilter(lookup_expr="icontains", label="编号")

    class Meta:
        model = Certificate
        fields = ["volunteer", "year", "serial"]
