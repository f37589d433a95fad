from django.db import models
from django.utils.translation import gettext_lazy as _


class DistrictKind(models.TextChoices):
    LOCAL = "local", _("Our district")
    PARTNER = "partner", _("Partner district")


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("Workday")
    HOLIDAY = "holiday", _("Day off")


class Role(models.TextChoices):
    """The staff roles; each is a Django group made by a data migration.

    The values are the groups' names in the database, looked up by name across the
    registers, so they are data: renaming one would need a data migration.
    """

    CLERK = "窗口受理员"  # i18n: data
    REVIEWER = "审批员"  # i18n: data
    OFFICER = "执法队员"  # i18n: data
    VOLUNTEER_MANAGER = "志愿服务管理员"  # i18n: data
    DISTRICT_ADMIN = "区级管理员"  # i18n: data
    READ_ONLY = "只读"  # i18n: data
