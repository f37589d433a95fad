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
from django.utils.translation import gettext_lazy as _

from core.audit import audited, audited_as
from core.models import Department, District
from core.versioning import VersionedManager
from core.workflow import status_protected
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

    uuid = models.UUIDField(
        _("Global identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    number = models.CharField(_("Application number"), max_length=40, unique=True)
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("Matter"),
    )
    bundle = models.ForeignKey(
        Bundle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("One-thing bundle"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("Parent application of the bundle"),
    )
    applicant_kind = models.CharField(
        _("Applicant type"), max_length=12, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("Applicant"), max_length=200)
    # 身份证号 for a person, 统一社会信用代码 for an organisation; shown masked.
    applicant_id_number = models.CharField(_("Identity document number"), max_length=18)
    applicant_phone = models.CharField(_("Contact phone"), max_length=20)
    applicant_address = models.CharField(
        _("Contact address"), max_length=300, blank=True
    )
    channel = models.CharField(
        _("Application channel"), max_length=10, choices=ApplicationChannel.choices
    )
    proxy_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxied_applications",
        verbose_name=_("Assisting staff member"),
    )
    accepting_district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="accepted_applications",
        verbose_name=_("Accepting district"),
    )
    home_district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="home_applications",
        verbose_name=_("Home district"),
    )
    # The matter's implementing department, and the department whose staff took it:
    # both of them see the application.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Implementing department"),
    )
    intake_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="taken_applications",
        verbose_name=_("Intake department"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taken_applications",
        verbose_name=_("Taken in by"),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    last_event_sequence = models.PositiveIntegerField(
        _("Latest step number"), default=0
    )
    # Federation: the home district's last event applied here (accepting side).
    partner_sequence = models.PositiveIntegerField(
        _("Latest step number of the home district"), default=0
    )
    # Federation: when we sent it to its home district (accepting side); from then
    # on the home district takes and reports the steps.
    transferred_at = models.DateTimeField(
        _("Transferred to the home district at"), null=True, blank=True
    )

    # Deadlines (行政许可法 art. 32 and the matter's promised working days).
    submitted_at = models.DateTimeField(_("Submitted at"))
    received_on = models.DateField(_("Date received"))
    clock_start = models.DateField(_("Clock start date"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("Deemed accepted"), default=False)
    paused_working_days = models.PositiveIntegerField(
        _("Working days paused for correction"), default=0
    )
    pause_started_on = models.DateField(
        _("Correction started on"), null=True, blank=True
    )
    due_date = models.DateField(_("Promised completion date"), null=True, blank=True)
    due_provisional = models.BooleanField(
        _("Deadline provisional (calendar not yet published)"), default=False
    )
    decided_on = models.DateField(_("Decision date"), null=True, blank=True)
    is_near_due = models.BooleanField(_("Near due"), default=False)
    is_overdue = models.BooleanField(_("Overdue"), default=False)

    # Result and delivery.
    result = models.CharField(_("Result"), max_length=300, blank=True)
    certificate_number = models.CharField(
        _("Certificate number"), max_length=100, blank=True
    )
    delivery_method = models.CharField(
        _("Delivery method"),
        max_length=12,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.PICKUP,
    )
    delivery_address = models.CharField(
        _("Mailing address"), max_length=300, blank=True
    )
    carrier = models.CharField(_("Courier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("Tracking number"), max_length=60, blank=True)
    delivered_at = models.DateTimeField(_("Delivered at"), null=True, blank=True)

    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Application")
        verbose_name_plural = _("Applications")
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
                violation_error_message=_("Delivery by mail needs a tracking number"),
            ),
        ]
        triggers = [status_protected()]

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
    sequence = models.PositiveIntegerField(_("Sequence number"))
    verb = models.CharField(_("Step"), max_length=30)
    from_status = models.CharField(
        _("Previous status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        blank=True,
    )
    to_status = models.CharField(
        _("New status"), max_length=20, choices=ApplicationStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("Performed by"),
    )
    actor_name = models.CharField(
        _("Name of the performer"), max_length=100, blank=True
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, verbose_name=_("District of the step")
    )
    note = models.TextField(_("Note"), blank=True)
    data = models.JSONField(_("Additional data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("Timeline entry")
        verbose_name_plural = _("Timeline entries")
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
        from services.choices import APPLICATION_WORKFLOW

        if self.verb in APPLICATION_WORKFLOW:
            return str(APPLICATION_WORKFLOW[self.verb].label)
        return str(EVENT_LABELS.get(self.verb, self.verb))


# Steps that are not status transitions.
EVENT_LABELS = {
    "create": _("Intake"),
    "material": _("Material uploaded"),
    "evaluate": _("Rated"),
    "receive": _("Received an application accepted elsewhere"),
}


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
        verbose_name=_("Material requirement"),
    )
    name = models.CharField(_("Material name"), max_length=200)
    file = models.FileField(_("File"), upload_to=material_path, max_length=300)
    content_type = models.CharField(_("File type"), max_length=40)
    size = models.PositiveBigIntegerField(_("Size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=MaterialStatus.choices,
        default=MaterialStatus.VALID,
    )
    problem = models.CharField(_("Correction remarks"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("Uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Uploaded material")
        verbose_name_plural = _("Uploaded materials")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.name


@audited
class ApplicationDocument(models.Model):
    """A notice printed for an application, with the checksum of the PDF handed out."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("Document"), max_length=12, choices=DocumentKind.choices)
    sha256 = models.CharField("SHA-256", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("Issued by"),
    )
    created_at = models.DateTimeField(_("Issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Application document")
        verbose_name_plural = _("Application documents")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"


@audited
class Evaluation(models.Model):
    """A 好差评: one per application, five levels."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="evaluation"
    )
    level = models.PositiveSmallIntegerField(
        _("Rating"), choices=EvaluationLevel.choices
    )
    comment = models.TextField(_("Evaluation comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("Recorded by"),
    )
    created_at = models.DateTimeField(_("Rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Evaluation")
        verbose_name_plural = _("Evaluations")
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
        Department, on_delete=models.PROTECT, verbose_name=_("Responsible department")
    )
    due_date = models.DateField(_("Follow-up deadline"))
    due_provisional = models.BooleanField(_("Deadline provisional"), default=False)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
    )
    outcome = models.CharField(
        _("Outcome"), max_length=10, choices=FollowUpOutcome.choices, blank=True
    )
    answer = models.TextField(_("Answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("Answered by"),
    )
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    is_overdue = models.BooleanField(_("Overdue"), default=False)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Poor-rating follow-up")
        verbose_name_plural = _("Poor-rating follow-ups")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(outcome__gt="") & Q(answer__gt="")),
                name="followup_answered_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return _("%(evaluation)s follow-up") % {"evaluation": self.evaluation}
