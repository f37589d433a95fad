"""Kinds and statuses of the volunteer register, and the activity transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.errors import IllegalTransition
from core.workflow import Transition, Workflow


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


def _takes_no_hours(activity, actor) -> None:
    """Service hours are recorded only for an activity that took place."""
    # Lists annotate ``has_hours`` (one query for all rows); the engine's locked
    # row has none and asks the database.
    has_hours = getattr(activity, "has_hours", None)
    if has_hours is None:
        has_hours = activity.participations.exists()
    if has_hours:
        raise IllegalTransition(
            _("An activity with recorded service hours cannot be cancelled.")
        )


# The only status changes an activity may make; ``core.workflow`` applies them
# (lock, If-Match, guard, ``core.StateChange``). Recording hours of a planned
# activity takes the ``hold`` step in the same transaction
# (``volunteers.actions.participations_record``).
ACTIVITY_WORKFLOW = Workflow(
    "volunteers.Activity",
    [
        Transition(
            "hold",
            _("Mark as held"),
            [ActivityStatus.PLANNED],
            ActivityStatus.HELD,
            permission="volunteers.change_activity",
        ),
        Transition(
            "cancel",
            _("Cancel the activity"),
            [ActivityStatus.PLANNED],
            ActivityStatus.CANCELLED,
            permission="volunteers.change_activity",
            guard=_takes_no_hours,
        ),
        Transition(
            "reopen",
            _("Reopen"),
            [ActivityStatus.CANCELLED],
            ActivityStatus.PLANNED,
            permission="volunteers.change_activity",
        ),
    ],
)

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
