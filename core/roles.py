"""What each role (a Django group) may do, as model permissions.

Rules are (app_label, model or "*", actions). ``roles_sync`` applies them; it
runs after every migrate, so models added later get their permissions too.
"""

from __future__ import annotations

from core.choices import Role

ALL = ("view", "add", "change", "delete")
WRITE = ("view", "add", "change")

ROLE_RULES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    Role.CLERK: [
        ("core", "district", ("view",)),
        ("core", "department", ("view",)),
        ("services", "*", ("view",)),
        ("services", "application", WRITE),
        ("services", "applicationmaterial", WRITE),
        ("services", "evaluation", WRITE),
        ("services", "evaluationfollowup", WRITE),
    ],
    Role.REVIEWER: [
        ("core", "district", ("view",)),
        ("core", "department", ("view",)),
        ("services", "*", ("view",)),
        ("services", "application", ("view", "change")),
        ("services", "evaluationfollowup", WRITE),
    ],
    Role.OFFICER: [
        ("core", "department", ("view",)),
        ("enforcement", "*", WRITE),
    ],
    Role.VOLUNTEER_MANAGER: [
        ("core", "department", ("view",)),
        ("volunteers", "*", ALL),
    ],
    Role.DISTRICT_ADMIN: [
        ("core", "district", WRITE),
        ("core", "department", WRITE),
        ("core", "calendaroverride", ALL),
        ("core", "user", ("view_sensitive_data", "view")),
        ("services", "*", ALL),
        ("services", "matter", ("manage_catalogue",)),
        ("volunteers", "*", ALL),
        ("enforcement", "*", ALL),
        ("enforcement", "campaign", ("view_all_enforcement",)),
    ],
    Role.READ_ONLY: [
        ("core", "district", ("view",)),
        ("core", "department", ("view",)),
        ("services", "*", ("view",)),
        ("volunteers", "*", ("view",)),
        ("enforcement", "*", ("view",)),
        ("enforcement", "campaign", ("view_all_enforcement",)),
    ],
}


def _matches(permission, app_label: str, model: str, actions: tuple[str, ...]) -> bool:
    if permission.content_type.app_label != app_label:
        return False
    if model != "*" and permission.content_type.model != model:
        return False
    for action in actions:
        if "_" in action and permission.codename == action:
            return True
        if permission.codename == f"{action}_{permission.content_type.model}":
            return True
    return False


def roles_sync(Group=None, Permission=None) -> dict[str, int]:
    """Create the role groups and set their permissions; returns counts per role."""
    if Group is None:
        from django.contrib.auth.models import Group, Permission
    permissions = list(Permission.objects.select_related("content_type"))
    counts = {}
    for role, rules in ROLE_RULES.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = [
            perm for perm in permissions if any(_matches(perm, *rule) for rule in rules)
        ]
        group.permissions.set(wanted)
        counts[str(role)] = len(wanted)
    return counts
