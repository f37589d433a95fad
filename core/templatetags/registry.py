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


@register.inclusion_tag("core/_sensitive_value.html", takes_context=True)
def sensitive_value(context, obj, field: str):
    """``obj.<field>`` (an ID or phone number registered in ``core.sensitive``),
    masked unless the user may see it, with a "view in full" form for the staff
    who serve the person on this record (the reveal is logged)."""
    from django.urls import reverse

    from core import sensitive

    request = context["request"]
    user = request.user
    value = getattr(obj, field, "") or ""
    full = masking.can_see_sensitive(user)
    opts = obj._meta
    return {
        "shown": sensitive.shown(user, obj, field),
        "can_reveal": bool(value) and not full and sensitive.can_reveal(user, obj),
        "url": reverse(
            "core:reveal", args=[opts.app_label, opts.model_name, obj.pk, field]
        ),
        "reasons_id": f"reveal-reasons-{opts.model_name}-{obj.pk}-{field}",
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


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
