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
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.audit import audited
from core.i18n import join_list
from core.models import Department, User
from core.versioning import VersionedManager
from core.workflow import status_protected
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

    name = models.CharField(_("Campaign name"), max_length=200, unique=True)
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="led_campaigns",
        verbose_name=_("Lead department"),
    )
    joint_departments = models.ManyToManyField(
        Department,
        blank=True,
        through="CampaignJointDepartment",
        related_name="joint_campaigns",
        verbose_name=_("Joint departments"),
    )
    area = models.CharField(_("Area covered"), max_length=300)
    description = models.TextField(_("Issues tackled"), blank=True)
    start_date = models.DateField(_("Start date"))
    end_date = models.DateField(
        pgettext_lazy("campaign", "End date"), null=True, blank=True
    )
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=CampaignStatus.choices,
        default=CampaignStatus.ACTIVE,
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Campaign")
        verbose_name_plural = _("Campaigns")
        ordering = ["-start_date", "-id"]
        triggers = [status_protected()]
        permissions = [
            (
                "view_all_enforcement",
                _("Can view the enforcement records of every department"),
            )
        ]
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
        verbose_name=_("Campaign"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="patrols",
        verbose_name=_("Enforcement department"),
    )
    patrol_date = models.DateField(_("Patrol date"), db_index=True)
    place = models.CharField(_("Patrol place"), max_length=200)
    officers = models.PositiveSmallIntegerField(
        _("Officers dispatched (person-times)"), validators=[MinValueValidator(1)]
    )
    vehicles = models.PositiveSmallIntegerField(
        _("Vehicles dispatched (vehicle-times)"), default=0
    )
    methods = ArrayField(
        models.CharField(max_length=20, choices=PatrolMethod.choices),
        default=list,
        blank=True,
        verbose_name=_("Methods"),
    )
    joint_departments = models.ManyToManyField(
        Department,
        blank=True,
        through="PatrolJointDepartment",
        related_name="joint_patrols",
        verbose_name=_("Joint enforcement departments"),
    )
    findings = models.TextField(_("Findings"), blank=True)
    leader = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="led_patrols",
        null=True,
        blank=True,
        verbose_name=_("Patrol leader"),
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Patrol dispatch")
        verbose_name_plural = _("Patrol dispatches")
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
        return join_list(str(labels.get(m, m)) for m in self.methods)


@audited
class CampaignJointDepartment(models.Model):
    """A department joining a campaign (联合部门); an explicit row so it is audited."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("Joint department")
        verbose_name_plural = _("Joint departments")
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
        verbose_name = _("Joint enforcement department")
        verbose_name_plural = _("Joint enforcement departments")
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
        Patrol,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("Patrol"),
    )
    image = models.ImageField(_("Photo"), upload_to=patrol_photo_path)
    caption = models.CharField(_("Caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Patrol photo")
        verbose_name_plural = _("Patrol photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


@audited
class Subject(models.Model):
    """A 当事人: a person (身份证号) or a business (统一社会信用代码)."""

    kind = models.CharField(_("Category"), max_length=12, choices=SubjectKind.choices)
    name = models.CharField(_("Name of business or person"), max_length=200)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    credit_code = models.CharField(
        _("Unified social credit code"), max_length=18, blank=True
    )
    representative = models.CharField(
        _("Operator or legal representative"), max_length=50, blank=True
    )
    phone = models.CharField(_("Contact phone"), max_length=20, blank=True)
    address = models.CharField(
        _("Residence or business premises"), max_length=300, blank=True
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="enforcement_subjects",
        verbose_name=_("Registering department"),
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Registered at"), auto_now_add=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Subject")
        verbose_name_plural = _("Subjects")
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
            # Each department keeps its own 当事人: the same number may be
            # registered once per department, never twice in one.
            models.UniqueConstraint(
                fields=["department", "id_number"],
                condition=~Q(id_number=""),
                name="subject_id_number_per_department",
            ),
            models.UniqueConstraint(
                fields=["department", "credit_code"],
                condition=~Q(credit_code=""),
                name="subject_credit_code_per_department",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        return self.credit_code or self.id_number

    @property
    def identifier_label(self) -> str:
        return (
            gettext("Unified social credit code")
            if self.credit_code
            else gettext("ID number")
        )


@audited
class Case(models.Model):
    """A 案件: one violation by one subject at one place, with its workflow state."""

    number = models.CharField(_("Case number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("Year"))
    serial = models.PositiveIntegerField(_("Number in the year"))
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=_("Campaign"),
    )
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=_("Found on patrol"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("Handling department"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("Subject"),
    )
    violation_type = models.CharField(
        _("Violation type"), max_length=20, choices=ViolationType.choices
    )
    facts = models.TextField(_("Facts of the violation"))
    address = models.CharField(_("Place"), max_length=300)
    latitude = models.DecimalField(
        _("Latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("Longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    registered_on = models.DateField(_("Registered on"), db_index=True)
    decision_due = models.DateField(_("Decision due (90 days)"))
    decided_on = models.DateField(_("Decided on"), null=True, blank=True)
    decision_flag = models.CharField(
        _("Deadline warning"),
        max_length=10,
        choices=DecisionFlag.choices,
        default=DecisionFlag.NONE,
        blank=True,
    )
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.REGISTERED,
        db_index=True,
    )
    cancel_reason = models.CharField(
        _("Reason for cancellation"), max_length=300, blank=True
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    registered_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="registered_cases",
        null=True,
        blank=True,
        verbose_name=_("Registered by"),
    )
    created_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Case")
        verbose_name_plural = _("Cases")
        ordering = ["-id"]
        triggers = [status_protected()]
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
        Case, on_delete=models.CASCADE, related_name="photos", verbose_name=_("Case")
    )
    image = models.ImageField(_("Photo"), upload_to=evidence_photo_path)
    caption = models.CharField(_("Caption"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("Taken at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Evidence photo")
        verbose_name_plural = _("Evidence photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


@audited
class CaseStep(models.Model):
    """One step of a case's timeline (流转记录): who moved it, from what, to what."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Case")
    )
    verb = models.CharField(_("Step"), max_length=20)
    from_status = models.CharField(
        _("Previous status"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("New status"), max_length=16, choices=CaseStatus.choices
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
        verbose_name=_("By"),
    )
    at = models.DateTimeField(_("Recorded at"))
    effective_on = models.DateField(_("Occurred on"))
    note = models.TextField(_("Note"), blank=True)

    class Meta:
        verbose_name = _("Case step")
        verbose_name_plural = _("Case steps")
        ordering = ["effective_on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.verb}"


def notice_pdf_path(instance, filename: str) -> str:
    return f"enforcement/notices/{instance.year}/{filename}"


@audited
class RectificationNotice(models.Model):
    """A 责令限期整改通知书, numbered 济经执整字〔年〕第NNN号 without gaps per year."""

    number = models.CharField(_("Document number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("Year"))
    serial = models.PositiveIntegerField(_("Number in the year"))
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="notice", verbose_name=_("Case")
    )
    issued_on = models.DateField(_("Issued on"), db_index=True)
    deadline = models.DateField(_("Rectification deadline"), db_index=True)
    requirements = models.TextField(_("Rectification requirements"))
    legal_basis = models.TextField(
        pgettext_lazy("rectification notice", "Legal basis"), blank=True
    )
    served_how = models.CharField(
        _("Delivery method"),
        max_length=12,
        choices=ServiceMethod.choices,
        default=ServiceMethod.IN_PERSON,
    )
    served_to = models.CharField(_("Person served"), max_length=100)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="rectification_notices",
        verbose_name=_("Issuing department"),
    )
    issued_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_notices",
        verbose_name=_("Handling officer"),
    )
    pdf = models.FileField(_("Notice PDF"), upload_to=notice_pdf_path, blank=True)
    pdf_sha256 = models.CharField(
        _("PDF checksum (SHA-256)"), max_length=64, blank=True
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Rectification notice")
        verbose_name_plural = _("Rectification notices")
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
        verbose_name=_("Rectification notice"),
    )
    inspected_on = models.DateField(_("Re-inspection date"))
    outcome = models.CharField(
        _("Re-inspection outcome"), max_length=10, choices=ReinspectionOutcome.choices
    )
    note = models.TextField(_("Re-inspection findings"), blank=True)
    inspector = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspections",
        verbose_name=_("Inspector"),
    )
    created_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Re-inspection record")
        verbose_name_plural = _("Re-inspection records")
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
        verbose_name=_("Campaign"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="disposals",
        null=True,
        blank=True,
        verbose_name=_("Case"),
    )
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.PROTECT,
        related_name="disposals",
        null=True,
        blank=True,
        verbose_name=_("Patrol"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="enforcement_disposals",
        verbose_name=_("Disposing department"),
    )
    kind = models.CharField(
        _("Disposal kind"), max_length=30, choices=DisposalKind.choices
    )
    quantity = models.PositiveIntegerField(
        _("Quantity"), validators=[MinValueValidator(1)]
    )
    disposed_on = models.DateField(_("Disposal date"), db_index=True)
    plates = models.CharField(_("Number plates"), max_length=300, blank=True)
    note = models.TextField(_("Note"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_disposals",
        verbose_name=_("Recorded by"),
    )
    created_at = models.DateTimeField(_("Recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Disposal record")
        verbose_name_plural = _("Disposal records")
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
