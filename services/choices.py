"""Kinds and statuses of the services register."""

from django.db import models


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
