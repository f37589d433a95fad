"""One FilterSet per listed model, shared by the staff pages and the API."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.filters import BooleanFilter, IntegerFilter
from enforcement import selectors
from enforcement.choices import (
    CampaignStatus,
    CaseStatus,
    DecisionFlag,
    DisposalKind,
    ReinspectionOutcome,
    SubjectKind,
    ViolationType,
)
from enforcement.models import (
    Campaign,
    Case,
    Disposal,
    Patrol,
    RectificationNotice,
    Reinspection,
    Subject,
)


def visible_campaigns(request):
    if request is None:
        return Campaign.objects.none()
    return selectors.campaign_list(user=request.user).order_by("-start_date")


class CampaignFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=CampaignStatus.choices, label=_("Status")
    )

    class Meta:
        model = Campaign
        fields = ["status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(area__icontains=value))


class PatrolFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=visible_campaigns, label=_("Campaign")
    )
    patrol_date = django_filters.DateFromToRangeFilter(label=_("Patrol date"))
    place = django_filters.CharFilter(lookup_expr="icontains", label=_("Place"))

    class Meta:
        model = Patrol
        fields = ["campaign", "patrol_date", "place"]


class SubjectFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SubjectKind.choices, label=_("Category"))
    q = django_filters.CharFilter(
        method="search", label=pgettext_lazy("subject", "Name")
    )

    class Meta:
        model = Subject
        fields = ["kind"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class CaseFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=visible_campaigns, label=_("Campaign")
    )
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("Status"))
    violation_type = django_filters.ChoiceFilter(
        choices=ViolationType.choices, label=_("Violation type")
    )
    overdue = BooleanFilter(
        method="filter_overdue",
        label=_("Overdue, not rectified"),
    )
    decision_flag = django_filters.ChoiceFilter(
        choices=[c for c in DecisionFlag.choices if c[0]], label=_("90-day limit")
    )
    place = django_filters.CharFilter(
        field_name="address", lookup_expr="icontains", label=_("Place")
    )
    registered_on = django_filters.DateFromToRangeFilter(label=_("Registered on"))
    q = django_filters.CharFilter(method="search", label=_("Number or subject"))

    class Meta:
        model = Case
        fields = ["campaign", "status", "violation_type", "place", "registered_on"]

    def filter_overdue(self, queryset, name, value):
        """Overdue now: flagged, or past the notice's deadline awaiting the check."""
        today = timezone.localdate()
        overdue = Q(status=CaseStatus.OVERDUE) | Q(
            status=CaseStatus.NOTICE_ISSUED, notice__deadline__lt=today
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(subject__name__icontains=value)
        )


class RectificationNoticeFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        field_name="case__campaign", queryset=visible_campaigns, label=_("Campaign")
    )
    due = BooleanFilter(method="filter_due", label=_("Due for re-inspection"))
    case_status = django_filters.ChoiceFilter(
        field_name="case__status", choices=CaseStatus.choices, label=_("Case status")
    )
    issued_on = django_filters.DateFromToRangeFilter(label=_("Issued on"))
    deadline = django_filters.DateFromToRangeFilter(label=_("Rectification deadline"))
    year = IntegerFilter(label=_("Year"))

    class Meta:
        model = RectificationNotice
        fields = ["campaign", "year", "issued_on", "deadline"]

    def filter_due(self, queryset, name, value):
        limit = timezone.localdate() + datetime.timedelta(
            days=selectors.REINSPECTION_LEAD_DAYS
        )
        due = Q(
            case__status__in=[CaseStatus.NOTICE_ISSUED, CaseStatus.OVERDUE],
            deadline__lte=limit,
        )
        return queryset.filter(due) if value else queryset.exclude(due)


class ReinspectionFilterSet(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(
        choices=ReinspectionOutcome.choices, label=_("Re-inspection outcome")
    )
    inspected_on = django_filters.DateFromToRangeFilter(label=_("Re-inspection date"))
    notice = IntegerFilter(field_name="notice_id", label=_("Rectification notice"))

    class Meta:
        model = Reinspection
        fields = ["notice", "outcome", "inspected_on"]


class DisposalFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=visible_campaigns, label=_("Campaign")
    )
    kind = django_filters.ChoiceFilter(
        choices=DisposalKind.choices, label=_("Disposal kind")
    )
    disposed_on = django_filters.DateFromToRangeFilter(label=_("Disposal date"))
    case = IntegerFilter(field_name="case_id", label=_("Case"))
    patrol = IntegerFilter(field_name="patrol_id", label=_("Patrol"))

    class Meta:
        model = Disposal
        fields = ["campaign", "kind", "case", "patrol", "disposed_on"]
