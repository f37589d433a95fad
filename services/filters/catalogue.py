"""One FilterSet per listed catalogue model, shared by the staff pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import DistrictKind
from core.filters import BooleanFilter
from core.models import Department, District
from services.choices import MatterKind, MatterStatus, TongbanScope
from services.models import Agreement, AgreementMatter, Bundle, Matter


def local_departments(request=None):
    return Department.objects.filter(district__kind=DistrictKind.LOCAL).order_by("code")


class MatterFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or code"))
    kind = django_filters.ChoiceFilter(
        choices=MatterKind.choices, label=_("Matter type")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=local_departments, label=_("Implementing body")
    )
    status = django_filters.ChoiceFilter(
        choices=MatterStatus.choices, label=_("Status")
    )
    tongban = BooleanFilter(
        method="filter_tongban",
        label=_("Offered as a cross-region service"),
    )

    class Meta:
        model = Matter
        fields = ["q", "kind", "department", "status", "tongban"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__istartswith=value))

    def filter_tongban(self, queryset, name, value):
        if value is None:
            return queryset
        on_list = Q(tongban_scope__in=[c for c in TongbanScope.values if c != "none"])
        return queryset.filter(on_list) if value else queryset.exclude(on_list)


class AgreementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title or number"))
    partner = django_filters.ModelChoiceFilter(
        queryset=District.objects.filter(kind=DistrictKind.PARTNER),
        label=_("Partner district"),
    )
    active = BooleanFilter()

    class Meta:
        model = Agreement
        fields = ["q", "partner", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value))


class AgreementMatterFilterSet(django_filters.FilterSet):
    """Filters on a 通办清单 (the list as of a date is chosen by the selector)."""

    q = django_filters.CharFilter(method="search", label=_("Name or code"))
    batch = django_filters.CharFilter(label=_("Batch"))
    kind = django_filters.ChoiceFilter(
        field_name="matter__kind", choices=MatterKind.choices, label=_("Matter type")
    )
    department = django_filters.ModelChoiceFilter(
        field_name="matter__department",
        queryset=local_departments,
        label=_("Implementing body"),
    )

    class Meta:
        model = AgreementMatter
        fields = ["q", "batch", "kind", "department"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(matter__name__icontains=value) | Q(matter__code__istartswith=value)
        )


class BundleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )
    active = BooleanFilter()

    class Meta:
        model = Bundle
        fields = ["q", "active"]
