"""Statuses and kinds of the enforcement register, and the one allowed-transition table."""

from django.db import models


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", "筹备中"
    ACTIVE = "active", "进行中"
    CONCLUDED = "concluded", "已结束"


class PatrolMethod(models.TextChoices):
    BROADCAST = "broadcast", "车辆广播"
    BANNER = "banner", "标语条幅"
    PERSUASION = "persuasion", "宣传劝导"
    LEAFLET = "leaflet", "发放明白纸"
    JOINT = "joint", "联合执法"


class SubjectKind(models.TextChoices):
    INDIVIDUAL = "individual", "个人"
    SOLE_TRADER = "sole_trader", "个体工商户"
    ENTERPRISE = "enterprise", "企业"


class ViolationType(models.TextChoices):
    ROAD_OCCUPATION = "road_occupation", "占道经营"
    ILLEGAL_PARKING = "illegal_parking", "乱停乱放"
    WASTE_PILING = "waste_piling", "堆放拆解车辆废弃物"
    SCRAP_VEHICLE = "scrap_vehicle", "停放报废机动车"
    ILLEGAL_SIGN = "illegal_sign", "违规设置户外广告"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", "已立案"
    NOTICE_ISSUED = "notice_issued", "已下达整改通知"
    RECTIFIED = "rectified", "已整改"
    OVERDUE = "overdue", "逾期未整改"
    ENFORCED = "enforced", "已强制清除"
    CLOSED = "closed", "已结案"
    CANCELLED = "cancelled", "已撤销"


class DecisionFlag(models.TextChoices):
    """Where a case stands against the 90-day limit of 行政处罚法 art. 60."""

    NONE = "", "正常"
    NEAR = "near", "临近90日期限"
    OVERDUE = "overdue", "超过90日期限"


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", "直接送达"
    LEFT_AT_PREMISES = "left", "留置送达"
    POSTED = "posted", "张贴送达"
    MAIL = "mail", "邮寄送达"


class ReinspectionOutcome(models.TextChoices):
    PASSED = "passed", "整改到位"
    FAILED = "failed", "整改不到位"


class DisposalKind(models.TextChoices):
    WASTE_PILE_CLEARED = "waste_pile_cleared", "清理堆放拆解车辆废弃物（处）"
    VEHICLE_REMOVED_BY_OWNER = "vehicle_removed_by_owner", "业主自行移除车辆（辆）"
    VEHICLE_TOWED = "vehicle_towed", "依法拖移清除车辆（辆）"
    GOODS_SEIZED = "goods_seized", "暂扣物品（件）"
    OTHER = "other", "其他处置"


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
    "issue_notice": "下达整改通知书",
    "reinspect": "记录复查",
    "dispose": "记录处置",
    "close": "结案",
    "cancel": "撤销案件",
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
