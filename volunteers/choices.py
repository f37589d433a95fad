"""Kinds and statuses of the volunteer register, and the activity transition table."""

from django.db import models


class Sector(models.TextChoices):
    """The field a party branch (党支部) works in."""

    ORGAN = "organ", "机关"
    RURAL = "rural", "农村"
    COMMUNITY = "community", "社区"
    HEALTH = "health", "卫生"
    WINDOW = "window", "窗口"
    ENTERPRISE = "enterprise", "企业"
    SCHOOL = "school", "学校"


class TeamKind(models.TextChoices):
    PARTY = "party", "党员志愿服务队"
    SOCIAL = "social", "社会志愿组织"


class MemberRole(models.TextChoices):
    LEADER = "leader", "队长"
    DEPUTY = "deputy", "副队长"
    MEMBER = "member", "队员"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "待开展"
    HELD = "held", "已开展"
    CANCELLED = "cancelled", "已取消"


# The only status changes an activity may make: verb → (from states, to state).
ACTIVITY_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "hold": ((ActivityStatus.PLANNED,), ActivityStatus.HELD),
    "cancel": ((ActivityStatus.PLANNED,), ActivityStatus.CANCELLED),
    "reopen": ((ActivityStatus.CANCELLED,), ActivityStatus.PLANNED),
}

# The party-member team rule (每个服务队至少由5名以上党员组成).
MIN_PARTY_MEMBERS = 5

# Standard service categories (code, name); a data migration loads them.
STANDARD_CATEGORIES = [
    ("labour", "义务劳动"),
    ("mediation", "矛盾调解"),
    ("burn_patrol", "禁烧巡查"),
    ("policy", "政策宣讲"),
    ("culture", "文化宣传"),
    ("clinic", "义诊"),
    ("vaccination", "疫苗接种"),
    ("traffic", "交通安全宣传"),
    ("rescue", "应急救援"),
    ("environment", "环境卫生整治"),
    ("gov_service", "政务帮办代办"),
]
