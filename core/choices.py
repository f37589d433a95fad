from django.db import models


class DistrictKind(models.TextChoices):
    LOCAL = "local", "本区"
    PARTNER = "partner", "合作地区"


class DayKind(models.TextChoices):
    WORKDAY = "workday", "工作日"
    HOLIDAY = "holiday", "休息日"


class Role(models.TextChoices):
    """The staff roles; each is a Django group made by a data migration."""

    CLERK = "窗口受理员"
    REVIEWER = "审批员"
    OFFICER = "执法队员"
    VOLUNTEER_MANAGER = "志愿服务管理员"
    DISTRICT_ADMIN = "区级管理员"
    READ_ONLY = "只读"
