"""Statuses and kinds of the enforcement register, and the one allowed-transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
# The one table of allowed case transitions: verb -> (from states, to state).
CASE_TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "issue_notice": (frozenset({S.REGISTERED}), S.NOTICE_ISSUED),
    "rectify": (frozenset({S.NOTICE_ISSUED, S.OVERDUE}), S.RECTIFIED),
    "mark_overdue": (frozenset({S.NOTICE_ISSUED}), S.OVERDUE),
    "enforce": (frozenset({S.OVERDUE}), S.ENFORCED),
    "close": (frozenset({S.RECTIFIED, S.ENFORCED}), S.CLOSED),
    "cancel": (frozenset({S.REGISTERED, S.NOTICE_ISSUED, S.OVERDUE}), S.CANCELLED),
}

# Verbs a person triggers from the case page / API (mark_overdue is the deadline
# check's, rectify follows a passing re-inspection, enforce an enforcing disposal).
CASE_VERB_LABELS = {
    "issue_notice": _("Issue a rectification notice"),
    "reinspect": _("Record a re-inspection"),
    "dispose": _("Record a disposal"),
    "close": _("Close the case"),
    "cancel": _("Cancel the case"),
}

OPEN_STATUSES = frozenset({S.REGISTERED, S.NOTICE_ISSUED, S.OVERDUE})
# States in which the case has reached its decision (for the 90-day limit).
DECIDED_STATUSES = frozenset({S.RECTIFIED, S.ENFORCED, S.CLOSED, S.CANCELLED})


def allowed_verbs(status: str) -> list[str]:
    """What a person may do to a case in ``status`` now, in page order."""
    verbs = []
    if status in CASE_TRANSITIONS["issue_notice"][0]:
        verbs.append("issue_notice")
    if status in {S.NOTICE_ISSUED, S.OVERDUE}:
        verbs.append("reinspect")
    if status in {S.REGISTERED, S.NOTICE_ISSUED, S.OVERDUE, S.ENFORCED}:
        verbs.append("dispose")
    if status in CASE_TRANSITIONS["close"][0]:
        verbs.append("close")
    if status in CASE_TRANSITIONS["cancel"][0]:
        verbs.append("cancel")
    return verbs
