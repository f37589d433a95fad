"""One FilterSet per listed model of the volunteer register, shared by pages and API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.filters import BooleanFilter, IntegerFilter
from core.sensitive import may_search_sensitive
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
        field_name="name", lookup_expr="icontains", label=_("Search by name")
    )
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    active = BooleanFilter()

    class Meta:
        model = PartyBranch
        fields = ["sector", "active"]


class ServiceCategoryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Search by name")
    )

    class Meta:
        model = ServiceCategory
        fields = []


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Search by name")
    )

    class Meta:
        model = Organisation
        fields = []


class TeamFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Team name")
    )
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices, label=_("Team type"))
    branch = django_filters.ModelChoiceFilter(
        queryset=PartyBranch.objects.all(), label=_("Party branch")
    )
    category = django_filters.ModelChoiceFilter(
        field_name="categories",
        queryset=ServiceCategory.objects.all(),
        label=_("Service category"),
    )
    active = BooleanFilter(label=_("Active"))

    class Meta:
        model = Team
        fields = ["q", "kind", "branch", "category", "active"]


class VolunteerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or ID number"))
    is_party_member = BooleanFilter(label=_("Party member"))
    branch = django_filters.ModelChoiceFilter(
        queryset=PartyBranch.objects.all(), label=_("Party branch")
    )
    team = IntegerFilter(method="in_team", label=_("Team (ID)"))

    class Meta:
        model = Volunteer
        fields = ["q", "is_party_member", "branch", "team"]

    def search(self, queryset, name, value):
        value = value.strip()
        # By full ID only for holders of the permission (core.sensitive).
        if len(value) == 18 and may_search_sensitive(self.request):
            return queryset.filter(id_number=value.upper())
        return queryset.filter(Q(name__icontains=value))

    def in_team(self, queryset, name, value):
        return queryset.filter(
            pk__in=current_memberships().filter(team=value).values("volunteer")
        )


class MembershipFilterSet(django_filters.FilterSet):
    team = IntegerFilter(label=_("Team"))
    volunteer = IntegerFilter(label=_("Volunteer"))
    role = django_filters.ChoiceFilter(
        choices=MemberRole.choices, label=pgettext_lazy("team membership", "Position")
    )
    current = BooleanFilter(
        field_name="left_on",
        lookup_expr="isnull",
        label=_("Current member"),
    )

    class Meta:
        model = Membership
        fields = ["team", "volunteer", "role", "current"]


class AnnualPlanFilterSet(django_filters.FilterSet):
    team = IntegerFilter(label=_("Team"))
    year = IntegerFilter(label=_("Year"))

    class Meta:
        model = AnnualPlan
        fields = ["team", "year"]


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Activity name")
    )
    team = IntegerFilter(method="by_team", label=_("Team (including co-organised)"))
    branch = django_filters.ModelChoiceFilter(
        field_name="team__branch",
        queryset=PartyBranch.objects.all(),
        label=_("Party branch"),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ServiceCategory.objects.all(), label=_("Service category")
    )
    status = django_filters.ChoiceFilter(
        choices=ActivityStatus.choices, label=_("Status")
    )
    planned = BooleanFilter(
        field_name="plan_item",
        lookup_expr="isnull",
        exclude=True,
        label=_("In the plan"),
    )
    starts_at = django_filters.DateFromToRangeFilter(
        field_name="starts_at__date", label=_("Start date")
    )

    class Meta:
        model = Activity
        fields = ["q", "team", "branch", "category", "status", "planned", "starts_at"]

    def by_team(self, queryset, name, value):
        return queryset.filter(Q(team=value) | Q(co_teams=value)).distinct()


class ParticipationFilterSet(django_filters.FilterSet):
    activity = IntegerFilter(label=_("Activity"))
    volunteer = IntegerFilter(label=_("Volunteer"))

    class Meta:
        model = Participation
        fields = ["activity", "volunteer"]


class DonationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Donor or goods"))
    team = IntegerFilter(label=_("Receiving team"))
    activity = IntegerFilter(label=_("Activity"))
    received_on = django_filters.DateFromToRangeFilter(
        label=pgettext_lazy("donation", "Date received")
    )

    class Meta:
        model = Donation
        fields = ["q", "team", "activity", "received_on"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(donor__icontains=value) | Q(items__icontains=value))


class CertificateFilterSet(django_filters.FilterSet):
    volunteer = IntegerFilter(label=_("Volunteer"))
    year = IntegerFilter(label=_("Year"))
    serial = django_filters.CharFilter(
        lookup_expr="icontains", label=_("Serial number")
    )

    class Meta:
        model = Certificate
        fields = ["volunteer", "year", "serial"]
