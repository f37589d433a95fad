"""The enforcement register (综合行政执法): campaigns, patrols, subjects, cases,
rectification notices, re-inspections and disposals.

Every record belongs to a department (the one that made it); campaigns also name
their joint departments, whose staff see the campaign's records too.
"""

from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.audit import audited
from core.models import Department, User
from enforcement.choices import (
    CampaignStatus,
    CaseStatus,
    DecisionFlag,
    DisposalKind,
    PatrolMethod,
    ReinspectionOutcome,
    ServiceMethod,
    SubjectKind,
    ViolationType,
)

# 行政处罚法 art. 60: a decision within 90 days of opening the case.
DECISION_LIMIT_DAYS = 90


@audited
class Campaign(models.Model):
    """A 专项整治行动: a lead department with joint ones, an area and a period."""

    name = models.CharField("行动名称", max_length=200, unique=True)
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="led_campaigns",
        verbose_name="牵头部门",
    )
    joint_departments = models.ManyToManyField(
        Department,
        blank=True,
        through="CampaignJointDepartment",
        related_name="joint_campaigns",
        verbose_name="联合部门",
    )
    area = models.CharField("整治区域", max_length=300)
    description = models.TextField("整治内容", blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=CampaignStatus.choices,
        default=CampaignStatus.ACTIVE,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "专项整治行动"
        verbose_name_plural = "专项整治行动"
        ordering = ["-start_date", "-id"]
        permissions = [("view_all_enforcement", "可查看所有部门的执法记录")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="campaign_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:campaign-detail", args=[self.pk])


@audited
class Patrol(models.Model):
    """A 巡查/执法出动: one outing with its officers, vehicles, methods and findings."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="patrols",
        null=True,
        blank=True,
        verbose_name="专项整治行动",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name="执法部门",
    )
    patrol_date = models.DateField("巡查日期", db_index=True)
    place = models.CharField("巡查地点", max_length=200)
    officers = models.PositiveSmallIntegerField(
        "出动执法人员（人次）", validators=[MinValueValidator(1)]
    )
    vehicles = models.PositiveSmallIntegerField("出动车辆（台次）", default=0)
    methods = ArrayField(
        models.CharField(max_length=20, choices=PatrolMethod.choices),
        default=list,
        blank=True,
        verbose_name="方式",
    )
    joint_departments = models.ManyToManyField(
        Department,
        blank=True,
        through="PatrolJointDepartment",
        related_name="joint_patrols",
        verbose_name="联合执法部门",
    )
    findings = models.TextField("巡查发现", blank=True)
    leader = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="led_patrols",
        null=True,
        blank=True,
        verbose_name="带队人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "巡查出动"
        verbose_name_plural = "巡查出动"
        ordering = ["-patrol_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officers__gte=1), name="patrol_has_officers"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patrol_date} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:patrol-detail", args=[self.pk])

    def get_methods_display(self) -> str:
        labels = dict(PatrolMethod.choices)
        return "、".join(str(labels.get(m, m)) for m in self.methods)


@audited
class CampaignJointDepartment(models.Model):
    """A department joining a campaign (联合部门); an explicit row so it is audited."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "联合部门"
        verbose_name_plural = "联合部门"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "department"], name="campaign_joint_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.department_id}"


@audited
class PatrolJointDepartment(models.Model):
    """A department taking part in a joint patrol (联合执法)."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "联合执法部门"
        verbose_name_plural = "联合执法部门"
        constraints = [
            models.UniqueConstraint(
                fields=["patrol", "department"], name="patrol_joint_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patrol_id}:{self.department_id}"


def patrol_photo_path(instance, filename: str) -> str:
    return f"enforcement/patrols/{instance.patrol_id}/{filename}"


@audited
class PatrolPhoto(models.Model):
    """A photo taken on a patrol (巡查照片)."""

    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="photos", verbose_name="巡查"
    )
    image = models.ImageField("照片", upload_to=patrol_photo_path)
    caption = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "巡查照片"
        verbose_name_plural = "巡查照片"

    def __str__(self) -> str:
        return self.caption or self.image.name


@audited
class Subject(models.Model):
    """A 当事人: a person (身份证号) or a business (统一社会信用代码)."""

    kind = models.CharField("类别", max_length=12, choices=SubjectKind.choices)
    name = models.CharField("名称/姓名", max_length=200)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    representative = models.CharField("经营者/法定代表人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住所/经营场所", max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="enforcement_subjects",
        verbose_name="登记部门",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=SubjectKind.INDIVIDUAL)
                    & ~Q(id_number="")
                    & Q(credit_code="")
                )
                | (~Q(kind=SubjectKind.INDIVIDUAL) & ~Q(credit_code="")),
                name="subject_identifier_by_kind",
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="subject_id_number_unique",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="subject_credit_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        return self.credit_code or self.id_number

    @property
    def identifier_label(self) -> str:
        return "统一社会信用代码" if self.credit_code else "身份证号"


@audited
class Case(models.Model):
    """A 案件: one violation by one subject at one place, with its workflow state."""

    number = models.CharField("案件编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("年度序号")
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name="专项整治行动",
    )
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name="发现于巡查",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name="承办部门",
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="cases", verbose_name="当事人"
    )
    violation_type = models.CharField(
        "违法类型", max_length=20, choices=ViolationType.choices
    )
    facts = models.TextField("违法事实")
    address = models.CharField("地点", max_length=300)
    latitude = models.DecimalField(
        "纬度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "经度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    registered_on = models.DateField("立案日期", db_index=True)
    decision_due = models.DateField("处理期限（90日）")
    decided_on = models.DateField("作出处理日期", null=True, blank=True)
    decision_flag = models.CharField(
        "期限提示",
        max_length=10,
        choices=DecisionFlag.choices,
        default=DecisionFlag.NONE,
        blank=True,
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.REGISTERED,
        db_index=True,
    )
    cancel_reason = models.CharField("撤销理由", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    registered_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="registered_cases",
        null=True,
        blank=True,
        verbose_name="立案人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="case_year_serial"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="case_coordinates_pair",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="case_cancel_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "registered_on"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("enforcement:case-detail", args=[self.pk])

    @property
    def map_url(self) -> str:
        """A link out to a public map (text only; no map is embedded)."""
        if self.latitude is None or self.longitude is None:
            return ""
        return (
            f"https://uri.amap.com/marker?position={self.longitude},{self.latitude}"
            f"&coordinate=wgs84"
        )

    @staticmethod
    def decision_due_for(registered_on: datetime.date) -> datetime.date:
        return registered_on + datetime.timedelta(days=DECISION_LIMIT_DAYS)


def evidence_photo_path(instance, filename: str) -> str:
    return f"enforcement/cases/{instance.case_id}/{filename}"


@audited
class EvidencePhoto(models.Model):
    """A photo taken as evidence (证据照片) for a case."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="photos", verbose_name="案件"
    )
    image = models.ImageField("照片", upload_to=evidence_photo_path)
    caption = models.CharField("说明", max_length=200, blank=True)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)

    class Meta:
        verbose_name = "证据照片"
        verbose_name_plural = "证据照片"

    def __str__(self) -> str:
        return self.caption or self.image.name


@audited
class CaseStep(models.Model):
    """One step of a case's timeline (流转记录): who moved it, from what, to what."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="steps", verbose_name="案件"
    )
    verb = models.CharField("操作", max_length=20)
    from_status = models.CharField(
        "原状态", max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
        verbose_name="操作人",
    )
    at = models.DateTimeField("录入时间")
    effective_on = models.DateField("发生日期")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "案件流转记录"
        verbose_name_plural = "案件流转记录"
        ordering = ["effective_on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.verb}"


def notice_pdf_path(instance, filename: str) -> str:
    return f"enforcement/notices/{instance.year}/{filename}"


@audited
class RectificationNotice(models.Model):
    """A 责令限期整改通知书, numbered 济经执整字〔年〕第NNN号 without gaps per year."""

    number = models.CharField("文书编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("年度序号")
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="notice", verbose_name="案件"
    )
    issued_on = models.DateField("下达日期", db_index=True)
    deadline = models.DateField("整改期限", db_index=True)
    requirements = models.TextField("整改要求")
    legal_basis = models.TextField("依据", blank=True)
    served_how = models.CharField(
        "送达方式",
        max_length=12,
        choices=ServiceMethod.choices,
        default=ServiceMethod.IN_PERSON,
    )
    served_to = models.CharField("受送达人", max_length=100)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="rectification_notices",
        verbose_name="下达部门",
    )
    issued_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_notices",
        verbose_name="经办人",
    )
    pdf = models.FileField("通知书PDF", upload_to=notice_pdf_path, blank=True)
    pdf_sha256 = models.CharField("PDF校验值(SHA-256)", max_length=64, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改通知书"
        verbose_name_plural = "整改通知书"
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "serial"], name="notice_year_serial"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("issued_on")),
                name="notice_deadline_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()


@audited
class Reinspection(models.Model):
    """A 复查: whether the subject rectified what the notice required."""

    notice = models.ForeignKey(
        RectificationNotice,
        on_delete=models.PROTECT,
        related_name="reinspections",
        verbose_name="整改通知书",
    )
    inspected_on = models.DateField("复查日期")
    outcome = models.CharField(
        "复查结果", max_length=10, choices=ReinspectionOutcome.choices
    )
    note = models.TextField("复查情况", blank=True)
    inspector = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspections",
        verbose_name="复查人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "复查记录"
        verbose_name_plural = "复查记录"
        ordering = ["inspected_on", "id"]

    def __str__(self) -> str:
        return f"{self.notice} {self.inspected_on} {self.get_outcome_display()}"


@audited
class Disposal(models.Model):
    """A 处置: waste piles cleared, vehicles moved by owners or towed, goods seized."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="disposals",
        null=True,
        blank=True,
        verbose_name="专项整治行动",
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="disposals",
        null=True,
        blank=True,
        verbose_name="案件",
    )
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.PROTECT,
        related_name="disposals",
        null=True,
        blank=True,
        verbose_name="巡查",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="enforcement_disposals",
        verbose_name="处置部门",
    )
    kind = models.CharField("处置类别", max_length=30, choices=DisposalKind.choices)
    quantity = models.PositiveIntegerField("数量", validators=[MinValueValidator(1)])
    disposed_on = models.DateField("处置日期", db_index=True)
    plates = models.CharField("车牌号", max_length=300, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_disposals",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "处置记录"
        verbose_name_plural = "处置记录"
        ordering = ["-disposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(patrol__isnull=False),
                name="disposal_on_case_or_patrol",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="disposal_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disposed_on} {self.get_kind_display()} ×{self.quantity}"
