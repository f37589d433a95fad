"""Statuses and kinds of the enforcement register, and its workflow tables
(cases, campaigns), applied by ``core.workflow``."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import scoping
from core.workflow import Transition, Workflow


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("campaign status", "Planned")
    ACTIVE = "active", _("In progress")
    CONCLUDED = "concluded", _("Concluded")


class PatrolMethod(models.TextChoices):
    BROADCAST = "broadcast", _("Vehicle loudspeaker")
    BANNER = "banner", _("Banners and slogans")
    PERSUASION = "persuasion", _("Publicity and persuasion")
    LEAFLET = "leaflet", _("Leaflets handed out")
    JOINT = "joint", _("Joint enforcement")


class SubjectKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    SOLE_TRADER = "sole_trader", _("Sole trader")
    ENTERPRISE = "enterprise", _("Enterprise")


class ViolationType(models.TextChoices):
    ROAD_OCCUPATION = "road_occupation", _("Occupying the road for business")
    ILLEGAL_PARKING = "illegal_parking", _("Disorderly parking")
    WASTE_PILING = "waste_piling", _("Piling waste from dismantled vehicles")
    SCRAP_VEHICLE = "scrap_vehicle", _("Parking scrapped motor vehicles")
    ILLEGAL_SIGN = "illegal_sign", _("Unauthorised outdoor advertising")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    NOTICE_ISSUED = "notice_issued", _("Notice issued")
    RECTIFIED = "rectified", _("Rectified")
    OVERDUE = "overdue", _("Overdue, not rectified")
    ENFORCED = "enforced", _("Cleared by force")
    CLOSED = "closed", _("Case closed")
    CANCELLED = "cancelled", _("Case cancelled")


class DecisionFlag(models.TextChoices):
    """Where a case stands against the 90-day limit of 行政处罚法 art. 60."""

    NONE = "", _("Normal")
    NEAR = "near", _("Near the 90-day limit")
    OVERDUE = "overdue", _("Past the 90-day limit")


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Served in person")
    LEFT_AT_PREMISES = "left", _("Left at the premises")
    POSTED = "posted", _("Served by posting")
    MAIL = "mail", _("Served by mail")


class ReinspectionOutcome(models.TextChoices):
    PASSED = "passed", _("Rectified as required")
    FAILED = "failed", _("Not rectified as required")


class DisposalKind(models.TextChoices):
    WASTE_PILE_CLEARED = (
        "waste_pile_cleared",
        _("Piles of vehicle-dismantling waste cleared (sites)"),
    )
    VEHICLE_REMOVED_BY_OWNER = (
        "vehicle_removed_by_owner",
        _("Vehicles removed by their owners (vehicles)"),
    )
    VEHICLE_TOWED = "vehicle_towed", _("Vehicles towed away by law (vehicles)")
    GOODS_SEIZED = "goods_seized", _("Goods seized (items)")
    OTHER = "other", _("Other disposal")


# Disposals done by the authority against the subject's will: on a case they need an
# overdue (or already enforced) case and move it to enforced.
ENFORCING_DISPOSALS = frozenset(
    {
        DisposalKind.WASTE_PILE_CLEARED,
        DisposalKind.VEHICLE_TOWED,
        DisposalKind.GOODS_SEIZED,
    }
)

S = CaseStatus


def _record_case_step(case, transition, *, actor, from_status, note, data):
    """Each case step lands on the case's own timeline (``CaseStep``)."""
    from django.utils import timezone

    from enforcement.models import CaseStep

    return CaseStep.objects.create(
        case=case,
        verb=transition.verb,
        from_status=from_status,
        to_status=transition.target or from_status,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        effective_on=(data or {}).get("on") or timezone.localdate(),
        note=note,
    )


# The one table of a case's steps (shared by pages, API, admin and the deadline
# check). ``reinspect`` and ``dispose`` are recorded without moving the status;
# a passing re-inspection takes ``rectify`` instead, an enforcing disposal of an
# overdue case ``enforce``. ``mark_overdue`` belongs to the deadline rule alone.
CASE_WORKFLOW = Workflow(
    "enforcement.Case",
    [
        Transition(
            "issue_notice",
            _("Issue a rectification notice"),
            [S.REGISTERED],
            S.NOTICE_ISSUED,
            permission="enforcement.add_rectificationnotice",
        ),
        Transition(
            "reinspect",
            _("Record a re-inspection"),
            [S.NOTICE_ISSUED, S.OVERDUE],
            None,
            permission="enforcement.add_reinspection",
        ),
        Transition(
            "rectify",
            _("Confirm the rectification"),
            [S.NOTICE_ISSUED, S.OVERDUE],
            S.RECTIFIED,
            permission="enforcement.add_reinspection",
        ),
        Transition(
            "mark_overdue",
            _("Mark overdue"),
            [S.NOTICE_ISSUED],
            S.OVERDUE,
            system=True,
        ),
        Transition(
            "dispose",
            _("Record a disposal"),
            [S.REGISTERED, S.NOTICE_ISSUED, S.OVERDUE, S.ENFORCED],
            None,
            permission="enforcement.add_disposal",
        ),
        Transition(
            "enforce",
            _("Clear by force"),
            [S.OVERDUE],
            S.ENFORCED,
            permission="enforcement.add_disposal",
        ),
        Transition(
            "close",
            _("Close the case"),
            [S.RECTIFIED, S.ENFORCED],
            S.CLOSED,
            permission="enforcement.change_case",
        ),
        Transition(
            "cancel",
            _("Cancel the case"),
            [S.REGISTERED, S.NOTICE_ISSUED, S.OVERDUE],
            S.CANCELLED,
            permission="enforcement.change_case",
            note_required=True,
        ),
    ],
    record=_record_case_step,
)

# The steps a person starts from the case page or API, each with its form and
# endpoint (``rectify`` and ``enforce`` follow from a re-inspection or disposal).
CASE_VERBS = ("issue_notice", "reinspect", "dispose", "close", "cancel")
CASE_VERB_LABELS = {verb: CASE_WORKFLOW[verb].label for verb in CASE_VERBS}

OPEN_STATUSES = frozenset({S.REGISTERED, S.NOTICE_ISSUED, S.OVERDUE})
# States in which the case has reached its decision (for the 90-day limit).
DECIDED_STATUSES = frozenset({S.RECTIFIED, S.ENFORCED, S.CLOSED, S.CANCELLED})


def steps_for(workflow: Workflow, obj, actor, verbs=None) -> list:
    """The steps ``actor`` may start on ``obj`` now (page buttons, the API's
    ``allowed_transitions``): the workflow's, on a record the actor may change."""
    if actor is None or not scoping.may_write(actor, obj):
        return []
    return [t for t in workflow.allowed(obj, actor) if verbs is None or t.verb in verbs]


def case_steps_for(case, actor) -> list:
    return steps_for(CASE_WORKFLOW, case, actor, CASE_VERBS)


def campaign_steps_for(campaign, actor) -> list:
    return steps_for(CAMPAIGN_WORKFLOW, campaign, actor)


def _lead_department_only(campaign, actor) -> None:
    """A campaign's course is set by its lead department (joint ones take part)."""
    if actor is None or actor.is_superuser:
        return
    if getattr(actor, "department_id", None) != campaign.lead_department_id:
        from core.errors import IllegalTransition

        raise IllegalTransition(
            _("Only the lead department may change the course of the campaign.")
        )


C = CampaignStatus
CAMPAIGN_WORKFLOW = Workflow(
    "enforcement.Campaign",
    [
        Transition(
            "start",
            _("Start the campaign"),
            [C.PLANNED],
            C.ACTIVE,
            permission="enforcement.change_campaign",
            guard=_lead_department_only,
        ),
        Transition(
            "conclude",
            _("Conclude the campaign"),
            [C.ACTIVE],
            C.CONCLUDED,
            permission="enforcement.change_campaign",
            guard=_lead_department_only,
        ),
        Transition(
            "reopen",
            _("Reopen the campaign"),
            [C.CONCLUDED],
            C.ACTIVE,
            permission="enforcement.change_campaign",
            guard=_lead_department_only,
            note_required=True,
        ),
    ],
)
