"""Kinds and statuses of the volunteer register, and the activity transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The field a party branch (党支部) works in."""

    ORGAN = "organ", _("Government")
    RURAL = "rural", _("Rural")
    COMMUNITY = "community", _("Community")
    HEALTH = "health", _("Health")
    WINDOW = "window", _("Service window")
    ENTERPRISE = "enterprise", _("Enterprise")
    SCHOOL = "school", _("School")


class TeamKind(models.TextChoices):
    PARTY = "party", _("Party-member volunteer team")
    SOCIAL = "social", _("Social volunteer organisation")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    DEPUTY = "deputy", _("Deputy team leader")
    MEMBER = "member", _("Team member")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# The only status changes an activity may make: verb → (from states, to state).
ACTIVITY_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "hold": ((ActivityStatus.PLANNED,), ActivityStatus.HELD),
    "cancel": ((ActivityStatus.PLANNED,), ActivityStatus.CANCELLED),
    "reopen": ((ActivityStatus.CANCELLED,), ActivityStatus.PLANNED),
}

# The party-member team rule (每个服务队至少由5名以上党员组成).
MIN_PARTY_MEMBERS = 5

# Standard service categories (code, name). A data migration loaded them in Chinese;
# ``categories_load`` stores the names in the default language, and pages show the
# name in the reader's language (``ServiceCategory.label``).
STANDARD_CATEGORIES = [
    ("labour", _("Voluntary labour")),
    ("mediation", _("Dispute mediation")),
    ("burn_patrol", _("Burning-ban patrol")),
    ("policy", _("Policy briefings")),
    ("culture", _("Cultural outreach")),
    ("clinic", _("Free clinic")),
    ("vaccination", _("Vaccination")),
    ("traffic", _("Traffic safety outreach")),
    ("rescue", _("Emergency rescue")),
    ("environment", _("Sanitation clean-up")),
    ("gov_service", _("Help with government services")),
]
