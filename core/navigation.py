"""The registers in the staff navigation; an entry shows once its page exists."""

from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# (url name, label, description, permission needed to see it)
REGISTRY_NAV = [
    (
        "services:matter-list",
        _("Service matters"),
        _("Matter catalogue, cross-region lists, one-thing bundles"),
        "services.view_matter",
    ),
    (
        "services:application-queue",
        _("Applications"),
        _("Intake, correction, review, certificates, delivery"),
        "services.view_application",
    ),
    (
        "services:outbox-list",
        _("Cross-region delivery"),
        _("Messages to partner districts and their delivery"),
        "services.view_outboxmessage",
    ),
    (
        "volunteers:team-list",
        _("Volunteers"),
        _("Party-member teams, activities, service hours"),
        "volunteers.view_team",
    ),
    (
        "enforcement:campaign-list",
        _("Enforcement"),
        _("Campaigns, patrols, cases, rectification notices"),
        "enforcement.view_campaign",
    ),
]


def registry_nav(user) -> list[dict]:
    items = []
    for url_name, label, description, permission in REGISTRY_NAV:
        if not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "description": description})
    return items


def back_url(request) -> str:
    """The page the request came from, if it is another page of this site; else
    the workbench (the failing URL itself would post again or loop)."""
    referer = request.META.get("HTTP_REFERER", "")
    if (
        referer
        and url_has_allowed_host_and_scheme(
            referer,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
        and referer != request.build_absolute_uri()
    ):
        return referer
    return resolve_url("home")
