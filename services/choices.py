"""Kinds and statuses of the services register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


# Which status a matter may move to from which (发布、暂停、废止); the only table.
MATTER_TRANSITIONS: dict[str, set[str]] = {
    MatterStatus.DRAFT: {MatterStatus.PUBLISHED, MatterStatus.RETIRED},
    MatterStatus.PUBLISHED: {MatterStatus.SUSPENDED, MatterStatus.RETIRED},
    MatterStatus.SUSPENDED: {MatterStatus.PUBLISHED, MatterStatus.RETIRED},
    MatterStatus.RETIRED: set(),
}


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
    SUBMITTED = "submitted", "已提交"
    NEEDS_CORRECTION = "needs_correction", "待补正"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    IN_REVIEW = "in_review", "审查中"
    APPROVED = "approved", "准予许可"
    DENIED = "denied", "不予许可"
    CERTIFICATE_ISSUED = "certificate_issued", "已制证"
    DELIVERED = "delivered", "已送达"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人"


class ApplicationChannel(models.TextChoices):
    WINDOW = "window", "窗口"
    ONLINE = "online", "网上"
    MAIL = "mail", "邮寄"
    PROXY = "proxy", "帮办代办"
    VIDEO = "video", "视频预审"


class DeliveryMethod(models.TextChoices):
    MAIL = "mail", "邮寄"
    PICKUP = "pickup", "就近取照"
    ELECTRONIC = "electronic", "电子证照"


class MaterialStatus(models.TextChoices):
    VALID = "valid", "有效"
    FAULTY = "faulty", "需补正"


class EvaluationLevel(models.IntegerChoices):
    """国办发〔2019〕51号: five levels; the two lowest are 差评."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


BAD_EVALUATION_LEVELS = (
    EvaluationLevel.DISSATISFIED,
    EvaluationLevel.VERY_DISSATISFIED,
)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "待整改"
    ANSWERED = "answered", "已回复"


class FollowUpOutcome(models.TextChoices):
    CALLBACK = "callback", "回访说明"
    FIXED = "fixed", "已整改"
    EXPLAINED = "explained", "无法整改并说明理由"


class DocumentKind(models.TextChoices):
    ACCEPTANCE = "acceptance", "受理通知书"
    CORRECTION = "correction", "一次性告知书"
    REJECTION = "rejection", "不予受理通知书"


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
    return (*names, "区级管理员")


CLERK = "窗口受理员"
REVIEWER = "审批员"

# THE table: the only way an application's status changes.
APPLICATION_TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in [
        Transition(
            "request_correction",
            "一次性告知补正",
            [S.SUBMITTED],
            S.NEEDS_CORRECTION,
            _roles(CLERK),
        ),
        Transition(
            "resubmit",
            "补正后重新提交",
            [S.NEEDS_CORRECTION],
            S.SUBMITTED,
            _roles(CLERK),
        ),
        Transition("accept", "受理", [S.SUBMITTED], S.ACCEPTED, _roles(CLERK)),
        Transition(
            "reject",
            "不予受理",
            [S.SUBMITTED],
            S.REJECTED,
            _roles(CLERK),
            note_required=True,
        ),
        Transition(
            "start_review", "开始审查", [S.ACCEPTED], S.IN_REVIEW, _roles(REVIEWER)
        ),
        Transition("approve", "准予许可", [S.IN_REVIEW], S.APPROVED, _roles(REVIEWER)),
        Transition(
            "deny",
            "不予许可",
            [S.IN_REVIEW],
            S.DENIED,
            _roles(REVIEWER),
            note_required=True,
        ),
        Transition(
            "issue_certificate",
            "制证",
            [S.APPROVED],
            S.CERTIFICATE_ISSUED,
            _roles(REVIEWER),
        ),
        Transition(
            "deliver", "送达", [S.CERTIFICATE_ISSUED], S.DELIVERED, _roles(CLERK)
        ),
        Transition(
            "close", "办结", [S.DELIVERED, S.DENIED], S.CLOSED, _roles(CLERK, REVIEWER)
        ),
        Transition(
            "withdraw",
            "撤回",
            WITHDRAWABLE,
            S.WITHDRAWN,
            _roles(CLERK),
            note_required=True,
        ),
        # System step for a 一件事 parent: taken when its last child is done.
        Transition(
            "complete_bundle",
            "一件事全部办结",
            [S.SUBMITTED, S.ACCEPTED, S.IN_REVIEW],
            S.CLOSED,
            (),
        ),
    ]
}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in APPLICATION_TRANSITIONS.values() if status in t.sources]
