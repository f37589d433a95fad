"""Filters shared by the registers' FilterSets (pages and API alike).

A query value is refused (a form error on a page, 400 from the API) unless it
is what the schema says the parameter is: ``IntegerFilter`` takes only ASCII
digits (``"0.5"``, ``"²"`` or ``"٣"`` are not whole numbers), ``BooleanFilter``
only ``true`` or ``false`` (django-filter's own took ``null`` or ``unknown``
for "no filter"). An empty value is no filter, as with every filter.
"""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.models import Department, District


def yes_no_widget():
    """A 全部/是/否 select for boolean filters (Django's own shows "未知" for empty)."""
    return forms.Select(
        choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]
    )


_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class StrictIntegerField(forms.IntegerField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not _WHOLE_NUMBER.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class StrictNullBooleanField(forms.NullBooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "true"):
            return True
        if value in (False, "false"):
            return False
        raise forms.ValidationError(
            forms.ChoiceField.default_error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )

    def validate(self, value):
        pass


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number: an id or a year."""

    field_class = StrictIntegerField


class BooleanFilter(django_filters.BooleanFilter):
    """``true`` or ``false`` (a 全部/是/否 select on pages); anything else is refused."""

    field_class = StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", yes_no_widget())
        super().__init__(*args, **kwargs)


class DistrictFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    active = BooleanFilter()

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
