from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework_api_key.models import AbstractAPIKey

from core.audit import audited
from core.choices import DayKind, DistrictKind


@audited
class District(models.Model):
    """A 行政区: this instance's own district (本区, exactly one) or a partner (合作地区)."""

    code = models.CharField(
        _("Administrative division code"), max_length=12, unique=True
    )
    name = models.CharField(_("Name"), max_length=100)
    kind = models.CharField(
        _("Category"),
        max_length=10,
        choices=DistrictKind.choices,
        default=DistrictKind.PARTNER,
    )
    api_base_url = models.URLField(_("API address"), blank=True)
    # The env var holding the key we present to this partner, so it is never stored.
    outbound_key_env = models.CharField(
        _("Environment variable holding the partner's key"),
        max_length=100,
        blank=True,
    )
    outbound_key_encrypted = models.TextField(
        _("Partner's key (encrypted)"), blank=True
    )
    active = models.BooleanField(_("Enabled"), default=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
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
        verbose_name=_("district"),
    )
    code = models.CharField(_("Department code"), max_length=40)
    name = models.CharField(_("Name"), max_length=100)
    short_name = models.CharField(_("Short name"), max_length=40, blank=True)
    credit_code = models.CharField(
        _("Unified social credit code"), max_length=18, blank=True
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
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
        verbose_name=_("department"),
    )
    phone = models.CharField(_("Phone"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        permissions = [
            ("view_sensitive_data", _("Can view full ID numbers and phone numbers"))
        ]

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

    date = models.DateField(_("Date"), unique=True)
    kind = models.CharField(_("Category"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("Description"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class PartnerAPIKey(AbstractAPIKey):
    """A key a partner district presents to us: hashed at rest, revocable, expiring."""

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("partner district"),
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")


class StaffToken(AbstractAPIKey):
    """A staff member's personal API token for scripts (个人接口令牌): only its
    hash is kept, it expires, and its owner lists and revokes it on the tokens
    page. Presented as ``Authorization: Token <prefix>.<secret>``; it acts with
    its owner's permissions and scope."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("Owner"),
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("staff API token")
        verbose_name_plural = _("staff API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix} {self.name}"


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, for replays.

    Keys are scoped per client (a staff user or a partner district). A replay with
    the same body gets the stored response; another body is 422; a replay while
    the first is still running is 409. Rows older than
    ``IDEMPOTENCY_KEY_TTL_HOURS`` may be purged by ``purge_idempotency_keys``.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("idempotency state", "In progress")
        DONE = "done", pgettext_lazy("idempotency state", "Done")

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
        verbose_name = _("idempotent request record")
        verbose_name_plural = _("idempotent request records")
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

    scope = models.CharField(_("Numbering scope"), max_length=80, unique=True)
    last = models.PositiveIntegerField(_("Last number used"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.scope}: {self.last}"


class StateChange(models.Model):
    """One workflow step of a record whose register keeps no event table of its
    own (matters, notices, activities, campaigns, outbox messages): who moved it
    from which status to which, when, and why. Written only by ``core.workflow``."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE
    )
    object_id = models.BigIntegerField()
    verb = models.CharField(_("Step"), max_length=40)
    from_status = models.CharField(_("From status"), max_length=40)
    to_status = models.CharField(_("To status"), max_length=40)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Operator"),
    )
    partner = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner district"),
    )
    note = models.TextField(_("Note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.verb}: {self.from_status} → {self.to_status}"


class SensitiveReveal(models.Model):
    """A staff member looked at a person's full ID or phone number on one record
    (查看完整证件号/手机号): who, which record and field, when and why. Shown in the
    record's history; written only by ``core.sensitive.reveal``."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE
    )
    object_id = models.BigIntegerField()
    field_name = models.CharField(_("Field"), max_length=60)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("Operator")
    )
    reason = models.CharField(_("Reason"), max_length=200)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("sensitive data reveal")
        verbose_name_plural = _("sensitive data reveals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.field_name} {self.created_at:%Y-%m-%d %H:%M}"


class RateCounter(models.Model):
    """The recent admitted requests of one client in one rate-limit scope
    (``progress_lookup:203.0.113.5``), as seconds since the epoch on the
    database's clock: a sliding window that every worker and server shares.
    Written only by ``core.ratelimit`` (one statement per throttled request); an
    unlogged table, since counts may be lost in a crash without harm; rows past
    ``expires_at`` are removed by ``purge_rate_limits``. Not audited."""

    key = models.CharField(max_length=200, primary_key=True)
    hits = ArrayField(models.FloatField(), default=list)
    admitted = models.BooleanField(default=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {len(self.hits)}"
