"""The services register: applications (办件), their timeline, materials and 好差评.

Designed for federation (issue 7): an application carries a ``uuid`` and its human
``number`` across districts, an accepting and a home district, a ``version`` for
optimistic locking, and its events a per-application ``sequence``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.audit import audited, audited_as
from core.models import Department, District
from services.choices import (
    ApplicantKind,
    ApplicationChannel,
    ApplicationStatus,
    DeliveryMethod,
    DocumentKind,
    EvaluationLevel,
    FollowUpOutcome,
    FollowUpStatus,
    MaterialStatus,
)
from services.models.catalogue import Bundle, Matter, MatterMaterial

__all__ = [
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "ApplicationMaterial",
    "Evaluation",
    "EvaluationFollowUp",
]


@audited_as("ApplicationHistory")
class Application(models.Model):
    """A 办件: one applicant's request for one matter (or a 一件事 parent)."""

    uuid = models.UUIDField("全局标识", default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("办件编号", max_length=40, unique=True)
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="事项",
    )
    bundle = models.ForeignKey(
        Bundle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="一件事",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="一件事主件",
    )
    applicant_kind = models.CharField(
        "申请人类型", max_length=12, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField("申请人", max_length=200)
    # 身份证号 for a person, 统一社会信用代码 for an organisation; shown masked.
    applicant_id_number = models.CharField("证件号码", max_length=18)
    applicant_phone = models.CharField("联系电话", max_length=20)
    applicant_address = models.CharField("联系地址", max_length=300, blank=True)
    channel = models.CharField(
        "申请渠道", max_length=10, choices=ApplicationChannel.choices
    )
    proxy_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxied_applications",
        verbose_name="帮办代办人员",
    )
    accepting_district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="accepted_applications",
        verbose_name="受理地",
    )
    home_district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="home_applications",
        verbose_name="属地",
    )
    # The matter's implementing department, and the department whose staff took it:
    # both of them see the application.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="实施部门",
    )
    intake_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="taken_applications",
        verbose_name="收件部门",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taken_applications",
        verbose_name="收件人",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    version = models.PositiveIntegerField("版本", default=1)
    last_event_sequence = models.PositiveIntegerField("最新流转序号", default=0)
    # Federation: the home district's last event applied here (accepting side).
    partner_sequence = models.PositiveIntegerField("属地最新流转序号", default=0)

    # Deadlines (行政许可法 art. 32 and the matter's promised working days).
    submitted_at = models.DateTimeField("提交时间")
    received_on = models.DateField("收件日期")
    clock_start = models.DateField("计时起始日", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理", default=False)
    paused_working_days = models.PositiveIntegerField("补正暂停工作日", default=0)
    pause_started_on = models.DateField("补正开始日", null=True, blank=True)
    due_date = models.DateField("承诺办结日", null=True, blank=True)
    due_provisional = models.BooleanField("期限待定（日历未公布）", default=False)
    decided_on = models.DateField("办结决定日", null=True, blank=True)
    is_near_due = models.BooleanField("临期", default=False)
    is_overdue = models.BooleanField("超期", default=False)

    # Result and delivery.
    result = models.CharField("办理结果", max_length=300, blank=True)
    certificate_number = models.CharField("证照编号", max_length=100, blank=True)
    delivery_method = models.CharField(
        "送达方式",
        max_length=12,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.PICKUP,
    )
    delivery_address = models.CharField("邮寄地址", max_length=300, blank=True)
    carrier = models.CharField("快递公司", max_length=60, blank=True)
    tracking_number = models.CharField("快递单号", max_length=60, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "department"]),
            models.Index(fields=["accepting_district", "status"]),
            models.Index(fields=["home_district", "status"]),
            models.Index(
                fields=["due_date"],
                name="application_overdue_idx",
                condition=Q(is_overdue=True),
            ),
            models.Index(fields=["submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(matter__isnull=False) | Q(bundle__isnull=False),
                name="application_has_matter_or_bundle",
            ),
            models.CheckConstraint(
                condition=~Q(delivery_method="mail")
                | ~Q(status__in=["delivered", "closed"])
                | Q(tracking_number__gt=""),
                name="application_mail_has_tracking",
                violation_error_message="邮寄送达须填写快递单号",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("services:application-detail", args=[self.pk])

    @property
    def is_parent(self) -> bool:
        return self.matter_id is None and self.bundle_id is not None

    @property
    def title(self) -> str:
        if self.matter_id:
            return self.matter.name
        return self.bundle.name if self.bundle_id else ""


@audited
class ApplicationEvent(models.Model):
    """A 流转记录: one step of an application (from → to, who, where, when, note)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events"
    )
    # Per application, 1, 2, 3 … : partners apply events in this order (issue 7).
    sequence = models.PositiveIntegerField("序号")
    verb = models.CharField("操作", max_length=30)
    from_status = models.CharField(
        "原状态", max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(
        "新状态", max_length=20, choices=ApplicationStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=100, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, verbose_name="操作地"
    )
    note = models.TextField("说明", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["application", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "sequence"], name="application_event_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.sequence} {self.verb}"

    @property
    def label(self) -> str:
        from services.choices import APPLICATION_TRANSITIONS

        if self.verb in APPLICATION_TRANSITIONS:
            return APPLICATION_TRANSITIONS[self.verb].label
        return {
            "create": "收件",
            "material": "上传材料",
            "evaluate": "评价",
            "receive": "接收异地受理的办件",
        }.get(self.verb, self.verb)


def material_path(instance, filename: str) -> str:
    return f"applications/{instance.application.uuid}/{instance.sha256[:16]}-{filename}"


@audited
class ApplicationMaterial(models.Model):
    """An uploaded 申请材料 (PDF/JPEG/PNG) with its SHA-256, linked to a requirement."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="materials"
    )
    requirement = models.ForeignKey(
        MatterMaterial,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uploads",
        verbose_name="对应材料要求",
    )
    name = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to=material_path, max_length=300)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=MaterialStatus.choices,
        default=MaterialStatus.VALID,
    )
    problem = models.CharField("补正意见", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.name


@audited
class ApplicationDocument(models.Model):
    """A notice printed for an application, with the checksum of the PDF handed out."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("文书", max_length=12, choices=DocumentKind.choices)
    sha256 = models.CharField("SHA-256", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="出具人",
    )
    created_at = models.DateTimeField("出具时间", auto_now_add=True)

    class Meta:
        verbose_name = "办件文书"
        verbose_name_plural = "办件文书"
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"


@audited
class Evaluation(models.Model):
    """A 好差评: one per application, five levels."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="evaluation"
    )
    level = models.PositiveSmallIntegerField("评价", choices=EvaluationLevel.choices)
    comment = models.TextField("评价内容", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="evaluation_level_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level <= 2


@audited
class EvaluationFollowUp(models.Model):
    """A 差评整改: call back, fix or explain, within a set number of working days."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="follow_up"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, verbose_name="责任部门"
    )
    due_date = models.DateField("整改期限")
    due_provisional = models.BooleanField("期限待定", default=False)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
    )
    outcome = models.CharField(
        "处理方式", max_length=10, choices=FollowUpOutcome.choices, blank=True
    )
    answer = models.TextField("回复内容", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="回复人",
    )
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)
    is_overdue = models.BooleanField("超期", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(outcome__gt="") & Q(answer__gt="")),
                name="followup_answered_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} 整改"
