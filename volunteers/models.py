"""The volunteer register (志愿服务): party branches, teams, volunteers, plans, activities.

Rules on one row live in ``Meta.constraints`` (and two triggers for the
hours-within-duration rule, which spans two tables); rules across rows live in
``volunteers.actions``. Compliance and totals are computed in
``volunteers.selectors``, never stored.
"""

from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import audited
from core.validators import validate_id_number, validate_image_pixels
from core.versioning import VersionedManager
from core.workflow import status_protected
from volunteers.choices import (
    STANDARD_CATEGORIES,
    ActivityStatus,
    MemberRole,
    Sector,
    TeamKind,
)

IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}


def image_max_bytes() -> int:
    return getattr(settings, "VOLUNTEER_IMAGE_MAX_BYTES", 2 * 1024 * 1024)


def validate_image_upload(file) -> None:
    """Flags, logos and photos: PNG/JPEG/WebP that Pillow can read, at most 2 MB
    and ``UPLOAD_MAX_IMAGE_PIXELS`` pixels."""
    size = getattr(file, "size", 0) or 0
    limit = image_max_bytes()
    if size > limit:
        raise ValidationError(
            _("Images may not be larger than %(size)s MB."),
            code="file_too_large",
            params={"size": limit // (1024 * 1024)},
        )
    # Before anything decodes it: a bomb would fail in Image.open itself.
    validate_image_pixels(file)
    from PIL import Image, UnidentifiedImageError

    try:
        position = file.tell() if hasattr(file, "tell") else None
        file.seek(0)
        with Image.open(file) as image:
            kind = image.format
            image.verify()
        if position is not None:
            file.seek(position)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The file is not a valid image."), code="invalid_image"
        ) from None
    if kind not in IMAGE_FORMATS:
        raise ValidationError(
            _("The image must be a PNG, JPEG or WebP file."), code="invalid_image_type"
        )
    validate_image_pixels(file)


IMAGE_VALIDATORS = [FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_upload]


@audited
class PartyBranch(models.Model):
    """A 党支部; every one must have at least one party-member team."""

    name = models.CharField(_("Party branch name"), max_length=120, unique=True)
    sector = models.CharField(_("Sector"), max_length=12, choices=Sector.choices)
    secretary = models.CharField(_("Branch secretary"), max_length=40, blank=True)
    active = models.BooleanField(_("Active"), default=True)
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Party branch")
        verbose_name_plural = _("Party branches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited
class ServiceCategory(models.Model):
    """A kind of service (服务类别): 义务劳动, 义诊, 应急救援…"""

    code = models.SlugField(_("Category code"), max_length=30, unique=True)
    name = models.CharField(_("Name"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("Service category")
        verbose_name_plural = _("Service categories")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language for a standard category, else as stored."""
        standard = dict(STANDARD_CATEGORIES).get(self.code)
        return str(standard) if standard is not None else self.name


@audited
class Organisation(models.Model):
    """An outside organisation co-organising activities (慈善总会, 巾帼志愿者联盟…)."""

    name = models.CharField(_("Organisation name"), max_length=120, unique=True)
    contact = models.CharField(_("Contact person"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("Partner organisation")
        verbose_name_plural = _("Partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited
class Volunteer(models.Model):
    """A 志愿者, identified by a validated 身份证号 that is shown masked."""

    name = models.CharField(_("Full name"), max_length=40)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("Contact phone"), max_length=20, blank=True)
    is_party_member = models.BooleanField(_("Party member"), default=False)
    branch = models.ForeignKey(
        PartyBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("Affiliated party branch"),
    )
    skills = models.CharField(_("Skills"), max_length=200, blank=True)
    interests = models.CharField(_("Interests"), max_length=200, blank=True)
    registered_on = models.DateField(_("Registration date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Volunteer")
        # "Volunteers" alone is the register's name (志愿服务) in the menu.
        verbose_name_plural = pgettext_lazy("people", "Volunteers")
        ordering = ["-id"]
        indexes = [models.Index(fields=["name"], name="volunteer_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer-detail", args=[self.pk])

    @property
    def number(self) -> str:
        """志愿者编号, derived from the row id so it never changes."""
        return f"JK{self.pk:07d}" if self.pk else ""


@audited
class Team(models.Model):
    """A 志愿服务队: a party branch's 党员志愿服务队 or a 社会志愿组织."""

    name = models.CharField(_("Team name"), max_length=120, unique=True)
    kind = models.CharField(
        _("Team type"), max_length=10, choices=TeamKind.choices, default=TeamKind.PARTY
    )
    branch = models.ForeignKey(
        PartyBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("Affiliated party branch"),
    )
    leader = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("Team leader"),
    )
    flag = models.ImageField(
        _("Team flag"),
        upload_to="volunteers/flags/",
        blank=True,
        validators=IMAGE_VALIDATORS,
    )
    logo = models.ImageField(
        _("Logo"),
        upload_to="volunteers/logos/",
        blank=True,
        validators=IMAGE_VALIDATORS,
    )
    categories = models.ManyToManyField(
        ServiceCategory,
        blank=True,
        related_name="teams",
        verbose_name=_("Service categories"),
    )
    founded_on = models.DateField(_("Founding date"), null=True, blank=True)
    description = models.TextField(_("Introduction"), blank=True)
    active = models.BooleanField(_("Active"), default=True)
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Volunteer team")
        verbose_name_plural = _("Volunteer teams")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=TeamKind.PARTY) | Q(branch__isnull=False),
                name="team_party_kind_has_branch",
                violation_error_message=_(
                    "A party-member volunteer team must belong to a party branch."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:team-detail", args=[self.pk])


@audited
class Membership(models.Model):
    """A volunteer's membership of a team; leaving closes it, history is kept."""

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("Team"),
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("Volunteer"),
    )
    role = models.CharField(
        pgettext_lazy("team membership", "Position"),
        max_length=10,
        choices=MemberRole.choices,
        default=MemberRole.MEMBER,
    )
    joined_on = models.DateField(_("Date joined"))
    left_on = models.DateField(_("Date left"), null=True, blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Team membership")
        verbose_name_plural = _("Team memberships")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_team",
                violation_error_message=_(
                    "This volunteer is already a member of this team."
                ),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_(
                    "The date left cannot be earlier than the date joined."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["team", "left_on"], name="membership_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.volunteer}"


@audited
class AnnualPlan(models.Model):
    """A team's 年度服务计划 for one year, made at the start of the year."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="plans", verbose_name=_("Team")
    )
    year = models.PositiveSmallIntegerField(
        _("Year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    made_on = models.DateField(_("Date made"), null=True, blank=True)
    note = models.TextField(_("Plan notes"), blank=True)
    # Covers the plan's items too: they are edited only as part of the plan.
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Annual plan")
        verbose_name_plural = _("Annual plans")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"],
                name="annualplan_one_per_team_year",
                violation_error_message=_(
                    "This team already has a plan for this year."
                ),
            )
        ]

    def __str__(self) -> str:
        return _("%(team)s %(year)s annual plan") % {
            "team": self.team,
            "year": self.year,
        }

    def get_absolute_url(self) -> str:
        return reverse("volunteers:plan-edit", args=[self.team_id, self.year])


@audited
class PlanItem(models.Model):
    """One planned activity of a month in an annual plan."""

    plan = models.ForeignKey(
        AnnualPlan,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("Plan"),
    )
    month = models.PositiveSmallIntegerField(
        _("Month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, verbose_name=_("Service category")
    )
    title = models.CharField(_("Activity content"), max_length=200)
    expected_participants = models.PositiveIntegerField(
        _("Expected participants"), default=0
    )

    class Meta:
        verbose_name = _("Planned activity")
        verbose_name_plural = _("Planned activities")
        ordering = ["plan", "month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="planitem_month_1_12",
                violation_error_message=_("The month must be from 1 to 12."),
            )
        ]

    def __str__(self) -> str:
        return _("Month %(month)s: %(title)s") % {
            "month": self.month,
            "title": self.title,
        }


@audited
class Activity(models.Model):
    """A 志愿活动 held (or to be held) by an organiser team."""

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("Organising team"),
    )
    co_teams = models.ManyToManyField(
        Team,
        blank=True,
        related_name="co_activities",
        verbose_name=_("Co-organising teams"),
    )
    co_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="activities",
        verbose_name=_("Co-organising organisations"),
    )
    plan_item = models.ForeignKey(
        PlanItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("Plan item"),
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, verbose_name=_("Service category")
    )
    title = models.CharField(_("Activity name"), max_length=200)
    content = models.TextField(_("Service content"), blank=True)
    starts_at = models.DateTimeField(_("Start time"))
    ends_at = models.DateTimeField(_("End time"))
    place = models.CharField(_("Place"), max_length=200, blank=True)
    vehicles = models.PositiveSmallIntegerField(_("Vehicles dispatched"), default=0)
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )
    version = models.PositiveIntegerField(_("Version"), default=1)

    objects = VersionedManager()

    class Meta:
        verbose_name = _("Volunteer activity")
        verbose_name_plural = _("Volunteer activities")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_(
                    "The end time must be later than the start time."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["team", "starts_at"], name="activity_team_start_idx"),
            models.Index(fields=["starts_at"], name="activity_start_idx"),
        ]
        triggers = [
            # The status changes only through ACTIVITY_WORKFLOW (core.workflow).
            status_protected(),
            # Shortening an activity may not leave anyone with more hours than it lasts.
            pgtrigger.Trigger(
                name="activity_duration_covers_hours",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func="""
                IF EXISTS (
                    SELECT 1 FROM volunteers_participation p
                    WHERE p.activity_id = NEW.id
                      AND p.hours > EXTRACT(EPOCH FROM (NEW.ends_at - NEW.starts_at)) / 3600.0
                ) THEN
                    RAISE EXCEPTION 'activity shorter than recorded hours'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:activity-detail", args=[self.pk])

    @property
    def duration_hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return Decimal(seconds / 3600).quantize(Decimal("0.1"))


@audited
class ActivityPhoto(models.Model):
    """A photo of an activity."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("Activity"),
    )
    image = models.ImageField(
        _("Photo"), upload_to="volunteers/photos/", validators=IMAGE_VALIDATORS
    )
    caption = models.CharField(_("Caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Activity photo")
        verbose_name_plural = _("Activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


@audited
class Participation(models.Model):
    """A volunteer's service hours (服务时长) in one activity."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("Activity"),
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("Volunteer"),
    )
    hours = models.DecimalField(
        _("Hours served"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    note = models.CharField(
        pgettext_lazy("service hours", "Note"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("Service hours")
        verbose_name_plural = _("Service hours")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                name="participation_one_per_activity",
                violation_error_message=_(
                    "This volunteer is already recorded for this activity."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="participation_hours_positive",
                violation_error_message=_("Service hours must be more than 0."),
            ),
        ]
        triggers = [
            # The hours rule spans two tables, so a trigger enforces it in the database.
            pgtrigger.Trigger(
                name="participation_hours_within_activity",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func="""
                IF NEW.hours > (
                    SELECT EXTRACT(EPOCH FROM (a.ends_at - a.starts_at)) / 3600.0
                    FROM volunteers_activity a WHERE a.id = NEW.activity_id
                ) THEN
                    RAISE EXCEPTION 'participation hours exceed activity duration'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            )
        ]

    def __str__(self) -> str:
        return _("%(volunteer)s %(hours)s hours") % {
            "volunteer": self.volunteer,
            "hours": self.hours,
        }


@audited
class Donation(models.Model):
    """Donated materials (捐赠物资) received for an activity or a team."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("Activity"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("Receiving team"),
    )
    donor = models.CharField(_("Donor"), max_length=120)
    items = models.CharField(_("Goods"), max_length=200)
    quantity = models.DecimalField(_("Quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("Unit"), max_length=10, blank=True)
    value = models.DecimalField(_("Value (yuan)"), max_digits=14, decimal_places=2)
    received_on = models.DateField(pgettext_lazy("donation", "Date received"))

    class Meta:
        verbose_name = _("Donation")
        verbose_name_plural = _("Donations")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="donation_quantity_positive",
                violation_error_message=_("The quantity must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="donation_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.items}"


@audited
class Certificate(models.Model):
    """An issued 志愿服务证明: what it stated, its serial number and the PDF's SHA-256."""

    serial = models.CharField(_("Serial number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("Year"))
    sequence = models.PositiveIntegerField(_("Number in the year"))
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("Volunteer"),
    )
    period_start = models.DateField(_("Service period from"))
    period_end = models.DateField(_("Service period to"))
    hours = models.DecimalField(_("Hours served"), max_digits=8, decimal_places=1)
    activity_count = models.PositiveIntegerField(_("Number of activities"))
    content = models.TextField(_("Service content"))
    issuer = models.CharField(_("Issuing body"), max_length=120)
    issued_on = models.DateField(_("Date issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Handling officer"),
    )
    pdf = models.FileField(_("Certificate file"), upload_to="volunteers/certificates/")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = _("Service-hours certificate")
        verbose_name_plural = _("Service-hours certificates")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="certificate_sequence_per_year"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="certificate_period_ordered",
                violation_error_message=_(
                    "The end of the service period cannot be earlier than its start."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    def get_absolute_url(self) -> str:
        return reverse("volunteers:certificate-pdf", args=[self.pk])
