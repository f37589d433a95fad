"""The services register: the matter catalogue (事项目录) and what hangs off it.

Catalogue (issue 3): Matter, MatterMaterial, Bundle, BundleMatter; agreements and
their lists are added beside them. Applications (issue 4) and federation (issue 7)
come after.
"""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.audit import audited
from core.models import Department, District
from core.versioning import VersionedManager
from core.workflow import status_protected
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

    code = models.CharField(_("Implementation code"), max_length=120, unique=True)
    code_form = models.CharField(
        _("Code form"),
        max_length=10,
        choices=MatterCodeForm.choices,
        default=MatterCodeForm.NATIONAL,
    )
    name = models.CharField(_("Matter name"), max_length=200)
    kind = models.CharField(_("Matter type"), max_length=3, choices=MatterKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="matters",
        verbose_name=_("Implementing body"),
    )
    # The implementing body's code as the source catalogue wrote it; real lists hold
    # codes that fail the credit-code checksum, so it is kept with a warning.
    body_code = models.CharField(_("Implementing body code"), max_length=40, blank=True)
    legal_basis = models.TextField(_("Legal basis"), blank=True)
    conditions = models.TextField(_("Acceptance conditions"), blank=True)
    procedure = models.TextField(_("Procedure"), blank=True)
    handling_type = models.CharField(
        _("Handling type"),
        max_length=10,
        choices=HandlingType.choices,
        default=HandlingType.PROMISED,
    )
    # Published lists often omit the limits: such a matter is imported as a
    # draft; publishing needs both (services.actions.catalogue).
    statutory_days = models.PositiveSmallIntegerField(
        _("Statutory time limit (working days)"), null=True, blank=True
    )
    promised_days = models.PositiveSmallIntegerField(
        _("Promised time limit (working days)"), null=True, blank=True
    )
    visits = models.PositiveSmallIntegerField(
        _("Number of visits in person"), default=0, validators=[MaxValueValidator(2)]
    )
    visits_reason = models.CharField(
        _("Why visits in person are needed"), max_length=300, blank=True
    )
    fee = models.DecimalField(
        _("Fee (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    fee_basis = models.CharField(_("Fee basis"), max_length=300, blank=True)
    online_depth = models.CharField(
        _("Online depth"),
        max_length=12,
        choices=OnlineDepth.choices,
        default=OnlineDepth.NONE,
    )
    mail_supported = models.BooleanField(_("Courier delivery supported"), default=False)
    result_name = models.CharField(_("Result name"), max_length=200, blank=True)
    result_type = models.CharField(
        _("Result type"),
        max_length=12,
        choices=ResultType.choices,
        default=ResultType.CERTIFICATE,
    )
    tongban_scope = models.CharField(
        _("Cross-region scope"),
        max_length=16,
        choices=TongbanScope.choices,
        default=TongbanScope.NONE,
    )
    location = models.CharField(_("Location"), max_length=300, blank=True)
    theme = models.CharField(_("Theme"), max_length=100, blank=True)
    guide_url = models.URLField(_("Service guide link"), max_length=500, blank=True)
    contact_phone = models.CharField(_("Enquiry phone"), max_length=40, blank=True)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=MatterStatus.choices,
        default=MatterStatus.DRAFT,
    )
    version = models.PositiveIntegerField(_("Version"), default=1)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("service matter")
        verbose_name_plural = _("service matters")
        ordering = ["code"]
        permissions = [
            (
                "manage_catalogue",
                _("Can read and change the whole catalogue (every department)"),
            )
        ]
        # The status changes only through services.choices.MATTER_WORKFLOW.
        triggers = [status_protected()]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["department"]),
        ]
        constraints = [
            # Codes are compared case-insensitively (services.catalogue_codes):
            # a lowercase copy of a code is the same matter, never a second one.
            models.UniqueConstraint(Upper("code"), name="matter_code_unique_ci"),
            models.CheckConstraint(
                condition=Q(promised_days__lte=F("statutory_days")),
                name="matter_promised_within_statutory",
                violation_error_message=_(
                    "The promised time limit must not be longer than the statutory one."
                ),
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
        Matter,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("Matter"),
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    name = models.CharField(_("Material name"), max_length=200)
    required = models.BooleanField(_("Required"), default=True)
    form = models.CharField(
        _("Material form"),
        max_length=12,
        choices=MaterialForm.choices,
        default=MaterialForm.ORIGINAL,
    )
    copies = models.PositiveSmallIntegerField(
        _("Copies"), default=1, validators=[MinValueValidator(1)]
    )
    source = models.CharField(_("Source channel"), max_length=100, blank=True)
    notes = models.CharField(_("Notes on filling in"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        ordering = ["matter", "position", "id"]

    def __str__(self) -> str:
        return self.name


@audited
class Bundle(models.Model):
    """A 一件事: several matters taken in one application at one window (专窗)."""

    code = models.CharField(_("Code"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Description"), blank=True)
    window = models.CharField(_("Acceptance window"), max_length=200, blank=True)
    matters = models.ManyToManyField(
        Matter,
        through="BundleMatter",
        related_name="bundles",
        verbose_name=_("Matters"),
    )
    active = models.BooleanField(_("Enabled"), default=True)
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("one-thing bundle")
        verbose_name_plural = _("one-thing bundles")
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
    position = models.PositiveSmallIntegerField(_("Order"))

    class Meta:
        verbose_name = _("bundle matter")
        verbose_name_plural = _("bundle matters")
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

    code = models.CharField(_("Agreement number"), max_length=40, unique=True)
    title = models.CharField(_("Agreement title"), max_length=200)
    partner = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("Partner district"),
        limit_choices_to={"kind": "partner"},
    )
    modes = ArrayField(
        models.CharField(max_length=10, choices=AgreementMode.choices),
        verbose_name=_("Cross-region modes"),
        default=list,
        blank=True,
    )
    signed_on = models.DateField(_("Signing date"))
    effective_on = models.DateField(_("Effective date"))
    summary = models.TextField(_("Key points"), blank=True)
    active = models.BooleanField(_("In force"), default=True)
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("cross-region agreement")
        verbose_name_plural = _("cross-region agreements")
        ordering = ["-effective_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=F("signed_on")),
                name="agreement_effective_after_signed",
                violation_error_message=_(
                    "The effective date must not be before the signing date."
                ),
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
        verbose_name=_("Cross-region agreement"),
    )
    side = models.CharField(_("Side"), max_length=10, choices=LiaisonSide.choices)
    name = models.CharField(_("Full name"), max_length=40)
    department = models.CharField(_("Organisation"), max_length=100)
    phone = models.CharField(_("Phone"), max_length=20)
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("liaison officer")
        verbose_name_plural = _("liaison officers")
        ordering = ["agreement", "side", "id"]

    def __str__(self) -> str:
        return gettext("%(value)s (%(detail)s)") % {
            "value": self.name,
            "detail": self.department,
        }


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
        verbose_name=_("Cross-region agreement"),
    )
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        related_name="agreement_entries",
        verbose_name=_("Matter"),
    )
    batch = models.CharField(_("Batch"), max_length=40)
    effective_from = models.DateField(_("Effective date"))
    effective_to = models.DateField(_("End date"), null=True, blank=True)
    removal_reason = models.CharField(_("Removal reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("cross-region list entry")
        verbose_name_plural = _("cross-region list entries")
        ordering = ["agreement", "effective_from", "matter__code"]
        indexes = [
            models.Index(fields=["agreement", "effective_from", "effective_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=F("effective_from")),
                name="agreement_matter_period_forward",
                violation_error_message=_(
                    "The end date must be after the effective date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | ~Q(removal_reason=""),
                name="agreement_matter_removal_has_reason",
                violation_error_message=_("A removal from the list needs a reason."),
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
