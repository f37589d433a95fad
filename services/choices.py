"""Kinds and statuses of the services register."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Role


class MatterKind(models.TextChoices):
    """National type codes of the implementation list (权力类型)."""

    LICENSING = "1", "行政许可"
    PENALTY = "2", "行政处罚"
    COERCION = "3", "行政强制"
    LEVY = "4", "行政征收"
    PAYMENT = "5", "行政给付"
    INSPECTION = "6", "行政检查"
    CONFIRMATION = "7", "行政确认"
    REWARD = "8", "行政奖励"
    ADJUDICATION = "9", "行政裁决"
    OTHER_POWER = "10", "其他行政权力"
    PUBLIC_SERVICE = "20", "公共服务"


class MatterStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    SUSPENDED = "suspended", "暂停"
    RETIRED = "retired", "已废止"


class OnlineDepth(models.TextChoices):
    """网上办理深度."""

    NONE = "none", "不能网办"
    INFO = "info", "网上咨询"
    PRE_REVIEW = "pre_review", "网上预审"
    FULL = "full", "全程网办"


class HandlingType(models.TextChoices):
    """办件类型."""

    IMMEDIATE = "immediate", "即办件"
    PROMISED = "promised", "承诺件"


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", "证照"
    APPROVAL = "approval", "批文"
    OTHER = "other", "其他"


class TongbanScope(models.TextChoices):
    """通办范围."""

    NONE = "none", "不通办"
    CITY = "city", "全市通办"
    PROVINCE = "province", "全省通办"
    CROSS_PROVINCE = "cross_province", "跨省通办"


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ELECTRONIC = "electronic", "电子证照"


# Which status a matter may move to from which (发布、暂停、废止); the only table.
MATTER_TRANSITIONS: dict[str, set[str]] = {
    MatterStatus.DRAFT: {MatterStatus.PUBLISHED, MatterStatus.RETIRED},
    MatterStatus.PUBLISHED: {MatterStatus.SUSPENDED, MatterStatus.RETIRED},
    MatterStatus.SUSPENDED: {MatterStatus.PUBLISHED, MatterStatus.RETIRED},
    MatterStatus.RETIRED: set(),
}


class AgreementMode(models.TextChoices):
    """通办模式 (国办发〔2020〕35号)."""

    ONLINE = "online", "全程网办"
    PROXY = "proxy", "异地代收代办"
    JOINT = "joint", "多地联办"


class LiaisonSide(models.TextChoices):
    LOCAL = "local", "本区"
    PARTNER = "partner", "合作地区"


class MatterCodeForm(models.TextChoices):
    """The two ways real catalogues write a 实施编码."""

    NATIONAL = "national", "国家实施编码"
    COUNTY = "county", "县级简码"


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


class Transition:
    """One allowed step: its verb, the statuses it starts from, where it goes, who."""

    def __init__(self, verb, label, sources, target, roles, *, note_required=False):
        self.verb = verb
        self.label = label
        self.sources = tuple(sources)
        self.target = target
        self.roles = tuple(roles)
        self.note_required = note_required

    def __repr__(self) -> str:
        return f"Transition({self.verb}: {self.sources} → {self.target})"


def _roles(*names):
    # Role names as stored in the groups; the district admin may do everything.
    return (*names, str(Role.DISTRICT_ADMIN))


CLERK = str(Role.CLERK)
REVIEWER = str(Role.REVIEWER)

# THE table: the only way an application's status changes.
APPLICATION_TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in [
        Transition(
            "request_correction",
            _("Request correction (one-time notice)"),
            [S.SUBMITTED],
            S.NEEDS_CORRECTION,
            _roles(CLERK),
        ),
        Transition(
            "resubmit",
            _("Resubmit after correction"),
            [S.NEEDS_CORRECTION],
            S.SUBMITTED,
            _roles(CLERK),
        ),
        Transition("accept", _("Accept"), [S.SUBMITTED], S.ACCEPTED, _roles(CLERK)),
        Transition(
            "reject",
            _("Refuse to accept"),
            [S.SUBMITTED],
            S.REJECTED,
            _roles(CLERK),
            note_required=True,
        ),
        Transition(
            "start_review",
            _("Start review"),
            [S.ACCEPTED],
            S.IN_REVIEW,
            _roles(REVIEWER),
        ),
        Transition(
            "approve", _("Approve"), [S.IN_REVIEW], S.APPROVED, _roles(REVIEWER)
        ),
        Transition(
            "deny",
            _("Deny"),
            [S.IN_REVIEW],
            S.DENIED,
            _roles(REVIEWER),
            note_required=True,
        ),
        Transition(
            "issue_certificate",
            _("Issue certificate"),
            [S.APPROVED],
            S.CERTIFICATE_ISSUED,
            _roles(REVIEWER),
        ),
        Transition(
            "deliver", _("Deliver"), [S.CERTIFICATE_ISSUED], S.DELIVERED, _roles(CLERK)
        ),
        Transition(
            "close",
            pgettext_lazy("application step", "Close"),
            [S.DELIVERED, S.DENIED],
            S.CLOSED,
            _roles(CLERK, REVIEWER),
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            WITHDRAWABLE,
            S.WITHDRAWN,
            _roles(CLERK),
            note_required=True,
        ),
        # System step for a 一件事 parent: taken when its last child is done.
        Transition(
            "complete_bundle",
            _("All items of the one-thing bundle closed"),
            [S.SUBMITTED, S.ACCEPTED, S.IN_REVIEW],
            S.CLOSED,
            (),
        ),
    ]
}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in APPLICATION_TRANSITIONS.values() if status in t.sources]
