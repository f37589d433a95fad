"""Cross-region federation: the transactional outbox of messages to partner districts.

A message is written in the same transaction as the state change it reports, and
delivered later by ``deliver_outbox`` at least once; receivers are idempotent.
"""

import uuid as uuid_lib

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import District
from core.versioning import VersionedManager
from core.workflow import status_protected
from services.choices import OutboxStatus

__all__ = ["MESSAGE_KIND_LABELS", "OutboxAttempt", "OutboxMessage", "OutboxStatus"]


class OutboxMessage(models.Model):
    """A message for a partner district's API (跨域投递), with its delivery state."""

    uuid = models.UUIDField(
        _("Message identifier"), default=uuid_lib.uuid4, unique=True, editable=False
    )
    destination = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="outbox",
        verbose_name=_("Destination district"),
    )
    kind = models.CharField(_("Message type"), max_length=40)
    # Messages of one aggregate (an application's uuid) are delivered in order.
    aggregate_key = models.CharField(_("Owning object"), max_length=64, db_index=True)
    # The application the message is about: who may read the message follows it.
    application = models.ForeignKey(
        "services.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("Application"),
    )
    path = models.CharField(_("API path"), max_length=200)
    payload = models.JSONField(_("Payload"))
    idempotency_key = models.UUIDField(
        "Idempotency-Key", default=uuid_lib.uuid4, unique=True
    )
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    attempts = models.PositiveSmallIntegerField(_("Attempts made"), default=0)
    next_attempt_at = models.DateTimeField(_("Next attempt at"), auto_now_add=True)
    last_error = models.TextField(_("Last error"), blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(
        pgettext_lazy("outbox message", "Delivered at"), null=True, blank=True
    )

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Outbox message")
        verbose_name_plural = _("Outbox messages")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_due_idx",
            )
        ]
        triggers = [status_protected()]

    def __str__(self) -> str:
        return f"{self.get_kind_display_text()} → {self.destination_id}"

    def get_absolute_url(self) -> str:
        return reverse("services:outbox-detail", args=[self.pk])

    def get_kind_display_text(self) -> str:
        return str(MESSAGE_KIND_LABELS.get(self.kind, self.kind))


MESSAGE_KIND_LABELS = {
    "application.transfer": _("Application transfer"),
    "application.status": _("Application status report"),
}


class OutboxAttempt(models.Model):
    """One try at delivering a message: when, the answer, how long it took."""

    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("Attempt number"))
    started_at = models.DateTimeField(_("Started at"))
    duration_ms = models.PositiveIntegerField(_("Duration (ms)"))
    status_code = models.PositiveSmallIntegerField(
        _("HTTP status code"), null=True, blank=True
    )
    error = models.TextField(_("Error"), blank=True)

    class Meta:
        verbose_name = _("Delivery attempt")
        verbose_name_plural = _("Delivery attempts")
        ordering = ["message", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error[:40]}"
