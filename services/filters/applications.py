"""The one FilterSet of applications, shared by the staff pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import BooleanFilter
from core.models import District
from services.choices import ApplicationChannel, ApplicationStatus
from services.models import Application, Matter


@extend_schema_field(OpenApiTypes.INT)
class DistrictIdFilter(django_filters.ModelChoiceFilter):
    """A district by id, filtered by a method (the schema cannot infer its type)."""


DATE = forms.DateInput(attrs={"type": "date"})


class ApplicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(
        choices=ApplicationStatus.choices, label=_("Status")
    )
    matter = django_filters.ModelChoiceFilter(
        queryset=Matter.objects.all(), label=_("Matter")
    )
    channel = django_filters.ChoiceFilter(
        choices=ApplicationChannel.choices, label=_("Channel")
    )
    accepting_district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), label=_("Accepting district")
    )
    home_district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), label=_("Home district")
    )
    district = DistrictIdFilter(
        queryset=District.objects.all(),
        method="either_district",
        label=_("Accepting or home district"),
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label=_("Submitted from"),
        widget=DATE,
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label=_("Submitted until"),
        widget=DATE,
    )
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label=_("Promised completion from"),
        widget=DATE,
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label=_("Promised completion until"),
        widget=DATE,
    )
    overdue = BooleanFilter(field_name="is_overdue", label=_("Overdue"))
    near_due = BooleanFilter(field_name="is_near_due", label=_("Near due"))

    class Meta:
        model = Application
        fields = ["status", "matter", "channel"]

    def either_district(self, queryset, name, value):
        return queryset.filter(Q(accepting_district=value) | Q(home_district=value))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__startswith=value) | Q(applicant_name__startswith=value)
        )
