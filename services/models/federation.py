"""Cross-region federation: the transactional outbox of messages to partner districts.

A message is written in the same transaction as the state change it reports, and
delivered later by ``deliver_outbox`` at least once; receivers are idempotent.
"""

import uuid as uuid_lib

from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import District


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "待投递"
    DELIVERED = "delivered", "已投递"
    DEAD = "dead", "投递失败（死信）"


class OutboxMessage(models.Model):
    """A message for a partner district's API (跨域投递), with its delivery state."""

    uuid = models.UUIDField(
        "消息标识", default=uuid_lib.uuid4, unique=True, editable=False
    )
    destination = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="outbox",
        verbose_name="目的地区",
    )
    kind = models.CharField("消息类型", max_length=40)
    # Messages of one aggregate (an application's uuid) are delivered in order.
    aggregate_key = models.CharField("所属对象", max_length=64, db_index=True)
    path = models.CharField("接口路径", max_length=200)
    payload = models.JSONField("内容")
    idempotency_key = models.UUIDField(
        "Idempotency-Key", default=uuid_lib.uuid4, unique=True
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", auto_now_add=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    delivered_at = models.DateTimeField("投递时间", null=True, blank=True)

    class Meta:
        verbose_name = "跨域投递消息"
        verbose_name_plural = "跨域投递消息"
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display_text()} → {self.destination_id}"

    def get_absolute_url(self) -> str:
        return reverse("services:outbox-detail", args=[self.pk])

    def get_kind_display_text(self) -> str:
        return MESSAGE_KIND_LABELS.get(self.kind, self.kind)


MESSAGE_KIND_LABELS = {
    "application.transfer": "办件转送",
    "application.status": "办件状态回传",
}


class OutboxAttempt(models.Model):
    """One try at delivering a message: when, the answer, how long it took."""

    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField("次序")
    started_at = models.DateTimeField("开始时间")
    duration_ms = models.PositiveIntegerField("耗时（毫秒）")
    status_code = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "投递尝试"
        verbose_name_plural = "投递尝试"
        ordering = ["message", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error[:40]}"
