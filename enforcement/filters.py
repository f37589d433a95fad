"""One FilterSet per listed model, shared by the staff pages and the API."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from core.filters import yes_no_widget
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
    q = django_filters.CharFilter(method="search", label="搜索")
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices, label="状态")

    class Meta:
        model = Campaign
        fields = ["status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(area__icontains=value))


class PatrolFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=visible_campaigns, label="专项整治行动"
    )
    patrol_date = django_filters.DateFromToRangeFilter(label="巡查日期")
    place = django_filters.CharFilter(lookup_expr="icontains", label="地点")

    class Meta:
        model = Patrol
        fields = ["campaign", "patrol_date", "place"]


class SubjectFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SubjectKind.choices, label="类别")
    q = django_filters.CharFilter(method="search", label="名称")

    class Meta:
        model = Subject
        fields = ["kind"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class CaseFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=visible_campaigns, label="专项整治行动"
    )
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label="状态")
    violation_type = django_filters.ChoiceFilter(
        choices=ViolationType.choices, label="违法类型"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="逾期未整改", widget=yes_no_widget()
    )
    decision_flag = django_filters.ChoiceFilter(
        choices=[c for c in DecisionFlag.choices if c[0]], label="90日期限"
    )
    place = django_filters.CharFilter(
        field_name="address", lookup_expr="icontains", label="地点"
    )
    registered_on = django_filters.DateFromToRangeFilter(label="立案日期")
    q = django_filters.CharFilter(method="search", label="编号/当事人")

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
        field_name="case__campaign", queryset=visible_campaigns, label="专项整治行动"
    )
    due = django_filters.BooleanFilter(
        method="filter_due", label="待复查", widget=yes_no_widget()
    )
    case_status = django_filters.ChoiceFilter(
        field_name="case__status", choices=CaseStatus.choices, label="案件状态"
    )
    issued_on = django_filters.DateFromToRangeFilter(label="下达日期")
    deadline = django_filters.DateFromToRangeFilter(label="整改期限")
    year = django_filters.NumberFilter(label="年度")

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
        choices=ReinspectionOutcome.choices, label="复查结果"
    )
    inspected_on = django_filters.DateFromToRangeFilter(label="复查日期")
    notice = django_filters.NumberFilter(field_name="notice_id", label="整改通知书")

    class Meta:
        model = Reinspection
        fields = ["notice", "outcome", "inspected_on"]


class DisposalFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=visible_campaigns, label="专项整治行动"
    )
    kind = django_filters.ChoiceFilter(choices=DisposalKind.choices, label="处置类别")
    disposed_on = django_filters.DateFromToRangeFilter(label="处置日期")
    case = django_filters.NumberFilter(field_name="case_id", label="案件")
    patrol = django_filters.NumberFilter(field_name="patrol_id", label="巡查")

    class Meta:
        model = Disposal
        fields = ["campaign", "kind", "case", "patrol", "disposed_on"]
