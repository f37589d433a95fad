"""The services register: the matter catalogue (事项目录) and what hangs off it.

Catalogue (issue 3): Matter, MatterMaterial, Bundle, BundleMatter; agreements and
their lists are added beside them. Applications (issue 4) and federation (issue 7)
come after.
"""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.audit import audited
from core.models import Department, District
from services.choices import (
    AgreementMode,
    HandlingType,
    LiaisonSide,
    MaterialForm,
    MatterCodeForm,
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
    code_form = models.CharField(
        "编码形式",
        max_length=10,
        choices=MatterCodeForm.choices,
        default=MatterCodeForm.NATIONAL,
    )
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
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
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

    def get_public_url(self) -> str:
        return reverse("services:public-matter-guide", args=[self.pk])


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

    def get_absolute_url(self) -> str:
        return reverse("services:bundle-detail", args=[self.pk])


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


@audited
class Agreement(models.Model):
    """A 通办协议 with a partner district: how matters are handled across the line."""

    code = models.CharField("协议编号", max_length=40, unique=True)
    title = models.CharField("协议名称", max_length=200)
    partner = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name="合作地区",
        limit_choices_to={"kind": "partner"},
    )
    modes = ArrayField(
        models.CharField(max_length=10, choices=AgreementMode.choices),
        verbose_name="通办模式",
        default=list,
        blank=True,
    )
    signed_on = models.DateField("签署日期")
    effective_on = models.DateField("生效日期")
    summary = models.TextField("协议要点", blank=True)
    active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通办协议"
        verbose_name_plural = "通办协议"
        ordering = ["-effective_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=F("signed_on")),
                name="agreement_effective_after_signed",
                violation_error_message="生效日期不得早于签署日期",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:agreement-detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("services:public-agreement-list", args=[self.pk])

    def modes_display(self) -> list[str]:
        labels = dict(AgreementMode.choices)
        return [str(labels.get(mode, mode)) for mode in self.modes]


@audited
class LiaisonOfficer(models.Model):
    """A 日常工作联络员 of one side of an agreement."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="liaisons",
        verbose_name="通办协议",
    )
    side = models.CharField("所属方", max_length=10, choices=LiaisonSide.choices)
    name = models.CharField("姓名", max_length=40)
    department = models.CharField("单位", max_length=100)
    phone = models.CharField("电话", max_length=20)

    class Meta:
        verbose_name = "联络员"
        verbose_name_plural = "联络员"
        ordering = ["agreement", "side", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.department}）"


@audited
class AgreementMatter(models.Model):
    """One matter on an agreement's 通办清单, in force from ``effective_from``.

    ``effective_to`` is the first day the entry is no longer in force (exclusive),
    with the reason for the removal (动态调整). An entry is in force on day D when
    ``effective_from <= D < effective_to`` (or no end).
    """

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name="通办协议",
    )
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        related_name="agreement_entries",
        verbose_name="事项",
    )
    batch = models.CharField("批次", max_length=40)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("停止日期", null=True, blank=True)
    removal_reason = models.CharField("调出原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "通办清单事项"
        verbose_name_plural = "通办清单事项"
        ordering = ["agreement", "effective_from", "matter__code"]
        indexes = [
            models.Index(fields=["agreement", "effective_from", "effective_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=F("effective_from")),
                name="agreement_matter_period_forward",
                violation_error_message="停止日期应晚于生效日期",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | ~Q(removal_reason=""),
                name="agreement_matter_removal_has_reason",
                violation_error_message="调出清单须写明原因",
            ),
            models.UniqueConstraint(
                fields=["agreement", "matter"],
                condition=Q(effective_to__isnull=True),
                name="agreement_matter_one_open_entry",
            ),
            models.UniqueConstraint(
                fields=["agreement", "matter", "effective_from"],
                name="agreement_matter_once_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.matter}"

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day < self.effective_to
        )
