"""Template filters of the enforcement pages."""

from django import template

from core.i18n import join_list

register = template.Library()


@register.filter
def department_names(departments, short: bool = False) -> str:
    """The departments' names (short names if ``short``) joined as a list ("、")."""
    names = [(d.short_name or d.name) if short else d.name for d in departments]
    return join_list(names)
