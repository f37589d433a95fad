"""Template filters of the enforcement pages."""

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def department_names(departments, short: bool = False) -> str:
    """The departments' names (short names if ``short``) joined as a list ("、")."""
    names = [(d.short_name or d.name) if short else d.name for d in departments]
    return pgettext("list separator", ", ").join(names)
