"""Kinds and statuses of the services register."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Role
from core.workflow import Transition, Workflow


class MatterKind(models.TextChoices):
    """National type codes of the implementation list (权力类型)."""

    LICENSING = "1", _("Administrative licensing")
    PENALTY = "2", _("Administrative penalty")
    COERCION = "3", _("Administrative coercion")
    LEVY = "4", _("Administrative levy")
    PAYMENT = "5", _("Administrative payment")
    INSPECTION = "6", _("Administrative inspection")
    CONFIRMATION = "7", _("Administrative confirmation")
    REWARD = "8", _("Administrative reward")
    ADJUDICATION = "9", _("Administrative adjudication")
    OTHER_POWER = "10", _("Other administrative power")
    PUBLIC_SERVICE = "20", _("Public service")


class MatterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUSPENDED = "suspended", _("Suspended")
    RETIRED = "retired", _("Retired")


class OnlineDepth(models.TextChoices):
    """网上办理深度."""

    NONE = "none", _("Not online")
    INFO = "info", _("Online enquiry")
    PRE_REVIEW = "pre_review", _("Online pre-review")
    FULL = "full", _("Fully online")


class HandlingType(models.TextChoices):
    """办件类型."""

    IMMEDIATE = "immediate", _("Immediate")
    PROMISED = "promised", _("Within the promised time")


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    APPROVAL = "approval", _("Approval document")
    OTHER = "other", _("Other")


class TongbanScope(models.TextChoices):
    """通办范围."""

    NONE = "none", _("No cross-region service")
    CITY = "city", _("Citywide")
    PROVINCE = "province", _("Province-wide")
    CROSS_PROVINCE = "cross_province", _("Across provinces")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    ELECTRONIC = "electronic", _("Electronic certificate")


def _publishable(matter, actor) -> None:
    """Guard of 发布: the publishing rules on the matter's content (400 otherwise)."""
    from services.actions.catalogue import matter_publish_check

    matter_publish_check(matter)


# THE table of a matter's status (发布、暂停、废止): core.workflow applies it, and
# the page's buttons and the API's allowed_transitions come from it.
MATTER_WORKFLOW = Workflow(
    "services.Matter",
    [
        Transition(
            "publish",
            _("Publish"),
            [MatterStatus.DRAFT, MatterStatus.SUSPENDED],
            MatterStatus.PUBLISHED,
            permission="services.change_matter",
            guard=_publishable,
        ),
        Transition(
            "suspend",
            _("Suspend"),
            [MatterStatus.PUBLISHED],
            MatterStatus.SUSPENDED,
            permission="services.change_matter",
        ),
        Transition(
            "retire",
            _("Retire"),
            [MatterStatus.DRAFT, MatterStatus.PUBLISHED, MatterStatus.SUSPENDED],
            MatterStatus.RETIRED,
            permission="services.change_matter",
        ),
    ],
)


def matter_verb(current: str, target: str) -> str | None:
    """The step of MATTER_WORKFLOW from ``current`` to ``target``, if there is one."""
    for transition in MATTER_WORKFLOW.transitions_from(current):
        if transition.target == target:
            return transition.verb
    return None


class AgreementMode(models.TextChoices):
    """通办模式 (国办发〔2020〕35号)."""

    ONLINE = "online", _("Fully online")
    PROXY = "proxy", _("Proxy handling in another district")
    JOINT = "joint", _("Joint handling by several districts")


class LiaisonSide(models.TextChoices):
    LOCAL = "local", _("Our district")
    PARTNER = "partner", _("Partner district")


class MatterCodeForm(models.TextChoices):
    """The two ways real catalogues write a 实施编码."""

    NATIONAL = "national", _("National implementation code")
    COUNTY = "county", _("County short code")


# ---------------------------------------------------------------------------
# Applications (办件)
# ---------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_CORRECTION = "needs_correction", _("Awaiting correction")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Acceptance refused")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    ORGANISATION = "organisation", _("Legal person")


class ApplicationChannel(models.TextChoices):
    WINDOW = "window", _("Service window")
    ONLINE = "online", _("Online")
    MAIL = "mail", _("Mail")
    PROXY = "proxy", _("Assisted or proxy service")
    VIDEO = "video", _("Video pre-review")


class DeliveryMethod(models.TextChoices):
    MAIL = "mail", _("Mail")
    PICKUP = "pickup", _("Pick-up at the nearest hall")
    ELECTRONIC = "electronic", _("Electronic certificate")


class MaterialStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    FAULTY = "faulty", _("Needs correction")


class EvaluationLevel(models.IntegerChoices):
    """国办发〔2019〕51号: five levels; the two lowest are 差评."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


BAD_EVALUATION_LEVELS = (
    EvaluationLevel.DISSATISFIED,
    EvaluationLevel.VERY_DISSATISFIED,
)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Awaiting follow-up")
    ANSWERED = "answered", _("Answered")


class FollowUpOutcome(models.TextChoices):
    CALLBACK = "callback", _("Call-back note")
    FIXED = "fixed", _("Fixed")
    EXPLAINED = "explained", _("Cannot be fixed, reason given")


class DocumentKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance notice")
    CORRECTION = "correction", _("One-time notice of what is missing")
    REJECTION = "rejection", _("Notice of refusal to accept")


S = ApplicationStatus

# Statuses in which the applicant may still withdraw (before a decision).
WITHDRAWABLE = (S.SUBMITTED, S.NEEDS_CORRECTION, S.ACCEPTED, S.IN_REVIEW)
# A child of a 一件事 is done in these; the parent closes when every child is.
DONE_STATUSES = (S.CLOSED, S.WITHDRAWN, S.REJECTED)
# The promised-days clock runs in these (once it has started).
CLOCK_RUNNING = (S.SUBMITTED, S.NEEDS_CORRECTION, S.ACCEPTED, S.IN_REVIEW)


def _roles(*names):
    # Role names as stored in the groups; the district admin may do everything.
    return (*names, str(Role.DISTRICT_ADMIN))


CLERK = str(Role.CLERK)
REVIEWER = str(Role.REVIEWER)
CHANGE = "services.change_application"


def _staff_step_guard(application, actor) -> None:
    """Rules on the row for a person's step (imported late: models import this)."""
    from services.actions.applications import guard_step

    guard_step(application, actor)


def _bundle_done_guard(application, actor) -> None:
    from services.actions.applications import guard_bundle_done

    guard_bundle_done(application, actor)


def _record_application_step(application, transition, **kwargs):
    """The application's own timeline (``ApplicationEvent``) records each step."""
    from services.actions.applications import record_step

    return record_step(application, transition, **kwargs)


def _step(verb, label, sources, target, roles, **options):
    return Transition(
        verb,
        label,
        sources,
        target,
        permission=CHANGE,
        roles=roles,
        guard=_staff_step_guard,
        **options,
    )


# THE table: the only way an application's status changes. The home district's
# steps (``partner=True``) are also what a partner reports about an application we
# transferred to it (docs/federation.md); nobody else reports them.
APPLICATION_WORKFLOW = Workflow(
    "services.Application",
    [
        _step(
            "request_correction",
            _("Request correction (one-time notice)"),
            [S.SUBMITTED],
            S.NEEDS_CORRECTION,
            _roles(CLERK),
        ),
        _step(
            "resubmit",
            _("Resubmit after correction"),
            [S.NEEDS_CORRECTION],
            S.SUBMITTED,
            _roles(CLERK),
        ),
        _step("accept", _("Accept"), [S.SUBMITTED], S.ACCEPTED, _roles(CLERK)),
        _step(
            "reject",
            _("Refuse to accept"),
            [S.SUBMITTED],
            S.REJECTED,
            _roles(CLERK),
            note_required=True,
        ),
        _step(
            "start_review",
            _("Start review"),
            [S.ACCEPTED],
            S.IN_REVIEW,
            _roles(REVIEWER),
            partner=True,
        ),
        _step(
            "approve",
            _("Approve"),
            [S.IN_REVIEW],
            S.APPROVED,
            _roles(REVIEWER),
            partner=True,
        ),
        _step(
            "deny",
            _("Deny"),
            [S.IN_REVIEW],
            S.DENIED,
            _roles(REVIEWER),
            note_required=True,
            partner=True,
        ),
        _step(
            "issue_certificate",
            _("Issue certificate"),
            [S.APPROVED],
            S.CERTIFICATE_ISSUED,
            _roles(REVIEWER),
            partner=True,
        ),
        _step(
            "deliver",
            _("Deliver"),
            [S.CERTIFICATE_ISSUED],
            S.DELIVERED,
            _roles(CLERK),
            partner=True,
        ),
        _step(
            "close",
            pgettext_lazy("application step", "Close"),
            [S.DELIVERED, S.DENIED],
            S.CLOSED,
            _roles(CLERK, REVIEWER),
            partner=True,
        ),
        _step(
            "withdraw",
            _("Withdraw"),
            WITHDRAWABLE,
            S.WITHDRAWN,
            _roles(CLERK),
            note_required=True,
            partner=True,
        ),
        # A 一件事 parent's only step: the engine takes it when its last child is done.
        Transition(
            "complete_bundle",
            _("All items of the one-thing bundle closed"),
            [S.SUBMITTED, S.ACCEPTED, S.IN_REVIEW],
            S.CLOSED,
            guard=_bundle_done_guard,
            system=True,
        ),
    ],
    record=_record_application_step,
)

# After the transfer every step is the home district's, withdrawal included (the
# applicant withdraws there), so the two sides never hold different decisions.
HOME_STEPS = frozenset(t.verb for t in APPLICATION_WORKFLOW if t.partner)


# ---------------------------------------------------------------------------
# Outbox messages (跨域投递)
# ---------------------------------------------------------------------------


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting delivery")
    DELIVERED = "delivered", pgettext_lazy("outbox message", "Delivered")
    DEAD = "dead", _("Failed (dead letter)")


OS = OutboxStatus

# The worker delivers or gives up (system steps); staff may send a message again.
OUTBOX_WORKFLOW = Workflow(
    "services.OutboxMessage",
    [
        Transition(
            "mark_delivered",
            pgettext_lazy("outbox message", "Delivered"),
            [OS.PENDING],
            OS.DELIVERED,
            system=True,
        ),
        Transition(
            "dead_letter", _("Failed (dead letter)"), [OS.PENDING], OS.DEAD, system=True
        ),
        Transition(
            "retry",
            _("Deliver again"),
            [OS.PENDING, OS.DEAD],
            OS.PENDING,
            permission="services.change_outboxmessage",
        ),
    ],
)
