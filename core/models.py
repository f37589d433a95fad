from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from rest_framework_api_key.models import AbstractAPIKey

from core.audit import audited
from core.choices import DayKind, DistrictKind


@audited
class District(models.Model):
    """A 行政区: this instance's own district (本区, exactly one) or a partner (合作地区)."""

    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField(
        "类别",
        max_length=10,
        choices=DistrictKind.choices,
        default=DistrictKind.PARTNER,
    )
    api_base_url = models.URLField("接口地址", blank=True)
    # The env var holding the key we present to this partner, so it is never stored.
    outbound_key_env = models.CharField("对方密钥环境变量", max_length=100, blank=True)
    outbound_key_encrypted = models.TextField("对方密钥(加密)", blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "行政区"
        verbose_name_plural = "行政区"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind=DistrictKind.LOCAL),
                name="district_single_local",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local(self) -> bool:
        return self.kind == DistrictKind.LOCAL

    def outbound_key(self) -> str:
        """The key we present to this partner: from its env var, else decrypted."""
        import os

        from core import crypto

        if self.outbound_key_env:
            return os.environ.get(self.outbound_key_env, "")
        if self.outbound_key_encrypted:
            return crypto.decrypt(self.outbound_key_encrypted)
        return ""


@audited
class Department(models.Model):
    """A 部门 / 实施主体 of a district; staff belong to one."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name="行政区",
    )
    code = models.CharField("部门代码", max_length=40)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["district", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], name="department_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member (工作人员). Roles are groups; scope follows the department."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="部门",
    )
    phone = models.CharField("电话", max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        permissions = [("view_sensitive_data", "可查看完整证件号码和电话")]

    @property
    def district(self):
        return self.department.district if self.department_id else None

    def get_full_name(self) -> str:
        """Chinese order: family name first, no space (陈静, not 静 陈)."""
        return f"{self.last_name}{self.first_name}".strip()

    def display_name(self) -> str:
        return self.get_full_name() or self.username


@audited
class CalendarOverride(models.Model):
    """An operator's word on one date (法定节假日或调休) that the calendar library lacks."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=10, choices=DayKind.choices)
    name = models.CharField("说明", max_length=60, blank=True)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class PartnerAPIKey(AbstractAPIKey):
    """A key a partner district presents to us: hashed at rest, revocable, expiring."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name="合作地区",
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "合作地区接口密钥"
        verbose_name_plural = "合作地区接口密钥"


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, for replays.

    Keys are scoped per client (a staff user or a partner district). A replay with
    the same body gets the stored response; another body is 422; a replay while
    the first is still running is 409. Rows older than
    ``IDEMPOTENCY_KEY_TTL_HOURS`` may be purged by ``purge_idempotency_keys``.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "处理中"
        DONE = "done", "已完成"

    client = models.CharField(max_length=64)
    key = models.CharField(max_length=128)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "幂等请求记录"
        verbose_name_plural = "幂等请求记录"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "key"], name="idempotency_client_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.key}"


class NumberSequence(models.Model):
    """The last number handed out in one numbering scope (办件编号 per district and
    day, 文书编号 per kind and year, …). ``core.sequences.next_number`` locks the
    row inside the caller's transaction, so numbers are consecutive and gap-free.
    A technical row, not a record of a register, so it is not audited."""

    scope = models.CharField("编号范围", max_length=80, unique=True)
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"

    def __str__(self) -> str:
        return f"{self.scope}: {self.last}"
