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
