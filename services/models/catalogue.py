"""The services register: the matter catalogue (事项目录) and what hangs off it.

Catalogue (issue 3): Matter, MatterMaterial, Bundle, BundleMatter; agreements and
their lists are added beside them. Applications (issue 4) and federation (issue 7)
come after.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.audit import audited
from core.models import Department
from services.choices import (
    HandlingType,
    MaterialForm,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    ResultType,
    TongbanScope,
)


@audited
class Matter(models.Model):
    """A 政务服务事项 as the national implementation list (实施清单) records it."""

    code = models.CharField("实施编码", max_length=120, unique=True)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("事项类型", max_length=3, choices=MatterKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="matters",
        verbose_name="实施主体",
    )
    # The implementing body's code as the source catalogue wrote it; real lists hold
    # codes that fail the credit-code checksum, so it is kept with a warning.
    body_code = models.CharField("实施主体编码", max_length=40, blank=True)
    legal_basis = models.TextField("设定依据", blank=True)
    conditions = models.TextField("受理条件", blank=True)
    procedure = models.TextField("办理流程", blank=True)
    handling_type = models.CharField(
        "办件类型",
        max_length=10,
        choices=HandlingType.choices,
        default=HandlingType.PROMISED,
    )
    statutory_days = models.PositiveSmallIntegerField("法定办结时限（工作日）")
    promised_days = models.PositiveSmallIntegerField("承诺办结时限（工作日）")
    visits = models.PositiveSmallIntegerField(
        "到办事现场次数", default=0, validators=[MaxValueValidator(2)]
    )
    visits_reason = models.CharField("必须到现场原因", max_length=300, blank=True)
    fee = models.DecimalField(
        "收费标准（元）", max_digits=12, decimal_places=2, default=0
    )
    fee_basis = models.CharField("收费依据", max_length=300, blank=True)
    online_depth = models.CharField(
        "网办深度", max_length=12, choices=OnlineDepth.choices, default=OnlineDepth.NONE
    )
    mail_supported = models.BooleanField("支持物流快递", default=False)
    result_name = models.CharField("办理结果名称", max_length=200, blank=True)
    result_type = models.CharField(
        "办理结果类型",
        max_length=12,
        choices=ResultType.choices,
        default=ResultType.CERTIFICATE,
    )
    tongban_scope = models.CharField(
        "通办范围",
        max_length=16,
        choices=TongbanScope.choices,
        default=TongbanScope.NONE,
    )
    location = models.CharField("办理地点", max_length=300, blank=True)
    contact_phone = models.CharField("咨询电话", max_length=40, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=MatterStatus.choices, default=MatterStatus.DRAFT
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["department"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_days__lte=F("statutory_days")),
                name="matter_promised_within_statutory",
                violation_error_message="承诺时限不得长于法定时限",
            ),
            models.CheckConstraint(
                condition=Q(visits__lte=2), name="matter_visits_at_most_two"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:matter-detail", args=[self.pk])


@audited
class MatterMaterial(models.Model):
    """A 申请材料 the matter requires."""

    matter = models.ForeignKey(
        Matter, on_delete=models.CASCADE, related_name="materials", verbose_name="事项"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必要", default=True)
    form = models.CharField(
        "材料形式",
        max_length=12,
        choices=MaterialForm.choices,
        default=MaterialForm.ORIGINAL,
    )
    copies = models.PositiveSmallIntegerField(
        "份数", default=1, validators=[MinValueValidator(1)]
    )
    source = models.CharField("来源渠道", max_length=100, blank=True)
    notes = models.CharField("填报须知", max_length=300, blank=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["matter", "position", "id"]

    def __str__(self) -> str:
        return self.name


@audited
class Bundle(models.Model):
    """A 一件事: several matters taken in one application at one window (专窗)."""

    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    window = models.CharField("受理窗口", max_length=200, blank=True)
    matters = models.ManyToManyField(
        Matter, through="BundleMatter", related_name="bundles", verbose_name="事项"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@audited
class BundleMatter(models.Model):
    """One matter's place in a bundle."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, related_name="bundle_items"
    )
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "一件事事项"
        verbose_name_plural = "一件事事项"
        ordering = ["bundle", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["bundle", "matter"], name="bundle_matter_once"
            ),
            models.UniqueConstraint(
                fields=["bundle", "position"], name="bundle_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bundle} #{self.position} {self.matter}"
