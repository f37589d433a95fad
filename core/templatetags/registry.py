"""Template filters shared by every register's pages."""

from django import template

from core import masking

register = template.Library()


@register.simple_tag(takes_context=True)
def masked_id(context, value):
    """An ID or credit code, masked unless the user may see it in full."""
    user = context["request"].user
    return value if masking.can_see_sensitive(user) else masking.mask_id(value)


@register.simple_tag(takes_context=True)
def masked_phone(context, value):
    user = context["request"].user
    return value if masking.can_see_sensitive(user) else masking.mask_phone(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagers)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()
