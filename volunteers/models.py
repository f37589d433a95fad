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

from core.audit import audited
from core.validators import validate_id_number
from volunteers.choices import ActivityStatus, MemberRole, Sector, TeamKind

IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}


def image_max_bytes() -> int:
    return getattr(settings, "VOLUNTEER_IMAGE_MAX_BYTES", 2 * 1024 * 1024)


def validate_image_upload(file) -> None:
    """Flags, logos and photos: PNG/JPEG/WebP that Pillow can read, at most 2 MB."""
    size = getattr(file, "size", 0) or 0
    limit = image_max_bytes()
    if size > limit:
        raise ValidationError(
            f"图片不能超过 {limit // (1024 * 1024)} MB", code="file_too_large"
        )
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
        raise ValidationError("文件不是有效的图片", code="invalid_image") from None
    if kind not in IMAGE_FORMATS:
        raise ValidationError(
            "图片格式应为 PNG、JPEG 或 WebP", code="invalid_image_type"
        )


IMAGE_VALIDATORS = [FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_upload]


@audited
class PartyBranch(models.Model):
    """A 党支部; every one must have at least one party-member team."""

    name = models.CharField("党支部名称", max_length=120, unique=True)
    sector = models.CharField("领域", max_length=12, choices=Sector.choices)
    secretary = models.CharField("支部书记", max_length=40, blank=True)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "党支部"
        verbose_name_plural = "党支部"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited
class ServiceCategory(models.Model):
    """A kind of service (服务类别): 义务劳动, 义诊, 应急救援…"""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)

    class Meta:
        verbose_name = "服务类别"
        verbose_name_plural = "服务类别"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


@audited
class Organisation(models.Model):
    """An outside organisation co-organising activities (慈善总会, 巾帼志愿者联盟…)."""

    name = models.CharField("组织名称", max_length=120, unique=True)
    contact = models.CharField("联系人", max_length=40, blank=True)

    class Meta:
        verbose_name = "合作组织"
        verbose_name_plural = "合作组织"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@audited
class Volunteer(models.Model):
    """A 志愿者, identified by a validated 身份证号 that is shown masked."""

    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField(
        "身份证号", max_length=18, unique=True, validators=[validate_id_number]
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_party_member = models.BooleanField("党员", default=False)
    branch = models.ForeignKey(
        PartyBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name="所属党支部",
    )
    skills = models.CharField("技能特长", max_length=200, blank=True)
    interests = models.CharField("兴趣爱好", max_length=200, blank=True)
    registered_on = models.DateField("注册日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"
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

    name = models.CharField("队名", max_length=120, unique=True)
    kind = models.CharField(
        "类型", max_length=10, choices=TeamKind.choices, default=TeamKind.PARTY
    )
    branch = models.ForeignKey(
        PartyBranch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name="所属党支部",
    )
    leader = models.ForeignKey(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name="队长",
    )
    flag = models.ImageField(
        "队旗", upload_to="volunteers/flags/", blank=True, validators=IMAGE_VALIDATORS
    )
    logo = models.ImageField(
        "标识", upload_to="volunteers/logos/", blank=True, validators=IMAGE_VALIDATORS
    )
    categories = models.ManyToManyField(
        ServiceCategory, blank=True, related_name="teams", verbose_name="服务类别"
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    description = models.TextField("简介", blank=True)
    active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "志愿服务队"
        verbose_name_plural = "志愿服务队"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=TeamKind.PARTY) | Q(branch__isnull=False),
                name="team_party_kind_has_branch",
                violation_error_message="党员志愿服务队必须属于一个党支部",
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
        verbose_name="服务队",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="志愿者",
    )
    role = models.CharField(
        "职务", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("离队日期", null=True, blank=True)

    class Meta:
        verbose_name = "队员关系"
        verbose_name_plural = "队员关系"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_team",
                violation_error_message="该志愿者已是本队队员",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message="离队日期不能早于加入日期",
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
        Team, on_delete=models.PROTECT, related_name="plans", verbose_name="服务队"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    made_on = models.DateField("制定日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "年度服务计划"
        verbose_name_plural = "年度服务计划"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"],
                name="annualplan_one_per_team_year",
                violation_error_message="该服务队本年度已有计划",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.year}年度计划"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:plan-edit", args=[self.team_id, self.year])


@audited
class PlanItem(models.Model):
    """One planned activity of a month in an annual plan."""

    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="items", verbose_name="计划"
    )
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, verbose_name="服务类别"
    )
    title = models.CharField("活动内容", max_length=200)
    expected_participants = models.PositiveIntegerField("预计参与人数", default=0)

    class Meta:
        verbose_name = "计划活动"
        verbose_name_plural = "计划活动"
        ordering = ["plan", "month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="planitem_month_1_12",
                violation_error_message="月份应为1到12",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month}月 {self.title}"


@audited
class Activity(models.Model):
    """A 志愿活动 held (or to be held) by an organiser team."""

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name="组织队伍",
    )
    co_teams = models.ManyToManyField(
        Team, blank=True, related_name="co_activities", verbose_name="协办队伍"
    )
    co_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="activities", verbose_name="协办组织"
    )
    plan_item = models.ForeignKey(
        PlanItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="对应计划",
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, verbose_name="服务类别"
    )
    title = models.CharField("活动名称", max_length=200)
    content = models.TextField("服务内容", blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200, blank=True)
    vehicles = models.PositiveSmallIntegerField("出动车辆", default=0)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "志愿活动"
        verbose_name_plural = "志愿活动"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message="结束时间必须晚于开始时间",
            )
        ]
        indexes = [
            models.Index(fields=["team", "starts_at"], name="activity_team_start_idx"),
            models.Index(fields=["starts_at"], name="activity_start_idx"),
        ]
        triggers = [
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
            )
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
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name="活动"
    )
    image = models.ImageField(
        "照片", upload_to="volunteers/photos/", validators=IMAGE_VALIDATORS
    )
    caption = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
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
        verbose_name="活动",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name="志愿者",
    )
    hours = models.DecimalField(
        "服务时长（小时）",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "服务时长"
        verbose_name_plural = "服务时长"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                name="participation_one_per_activity",
                violation_error_message="该志愿者已登记本次活动",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="participation_hours_positive",
                violation_error_message="服务时长必须大于0",
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
        return f"{self.volunteer} {self.hours}小时"


@audited
class Donation(models.Model):
    """Donated materials (捐赠物资) received for an activity or a team."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name="活动",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name="接收队伍",
    )
    donor = models.CharField("捐赠方", max_length=120)
    items = models.CharField("物资", max_length=200)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    unit = models.CharField("单位", max_length=10, blank=True)
    value = models.DecimalField("价值（元）", max_digits=14, decimal_places=2)
    received_on = models.DateField("接收日期")

    class Meta:
        verbose_name = "捐赠物资"
        verbose_name_plural = "捐赠物资"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="donation_quantity_positive",
                violation_error_message="数量必须大于0",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="donation_value_not_negative",
                violation_error_message="价值不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.items}"


@audited
class Certificate(models.Model):
    """An issued 志愿服务证明: what it stated, its serial number and the PDF's SHA-256."""

    serial = models.CharField("编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("年度序号")
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="志愿者",
    )
    period_start = models.DateField("服务期间起")
    period_end = models.DateField("服务期间止")
    hours = models.DecimalField("服务时长（小时）", max_digits=8, decimal_places=1)
    activity_count = models.PositiveIntegerField("活动次数")
    content = models.TextField("服务内容")
    issuer = models.CharField("出具单位", max_length=120)
    issued_on = models.DateField("出具日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    pdf = models.FileField("证明文件", upload_to="volunteers/certificates/")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "志愿服务证明"
        verbose_name_plural = "志愿服务证明"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="certificate_sequence_per_year"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="certificate_period_ordered",
                violation_error_message="服务期间止不能早于起",
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    def get_absolute_url(self) -> str:
        return reverse("volunteers:certificate-pdf", args=[self.pk])
