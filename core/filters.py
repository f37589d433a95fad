import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import Department, District


class DistrictFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = District
        fields = ["kind", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(
            code__startswith=value
        )


class DepartmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Search")
    )

    class Meta:
        model = Department
        fields = ["district"]


def yes_no_widget():
    """A 全部/是/否 select for boolean filters (Django's own shows "未知" for empty)."""
    from django import forms

    return forms.Select(
        choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]
    )
