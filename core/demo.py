"""Demo data for core: the partner district and demo staff with each role."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from core.choices import DistrictKind, Role
from core.models import Department, District, User

PARTNER = ("370790", "潍坊滨海经济技术开发区", "http://127.0.0.1:8001")

# username, full name (last, first), department code, role
DEMO_STAFF = [
    ("clerk", "王", "芳", "XZSP", Role.CLERK),
    ("reviewer", "李", "强", "XZSP", Role.REVIEWER),
    ("officer", "张", "伟", "ZHZF", Role.OFFICER),
    ("volunteer_admin", "刘", "洋", "DGB", Role.VOLUNTEER_MANAGER),
    ("district_admin", "陈", "静", "XZSP", Role.DISTRICT_ADMIN),
    ("viewer", "赵", "敏", "XZSP", Role.READ_ONLY),
]
DEMO_PASSWORD = "demo-pass-2026"


@transaction.atomic
def seed(stdout=None) -> str:
    partner, _ = District.objects.get_or_create(
        code=PARTNER[0],
        defaults={
            "name": PARTNER[1],
            "kind": DistrictKind.PARTNER,
            "api_base_url": PARTNER[2],
        },
    )
    Department.objects.get_or_create(
        district=partner,
        code="XZSP",
        defaults={"name": "潍坊滨海经济技术开发区行政审批服务局"},
    )
    local = District.objects.get(kind=DistrictKind.LOCAL)
    made = 0
    for username, last, first, dept_code, role in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "last_name": last,
                "first_name": first,
                "department": Department.objects.get(district=local, code=dept_code),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            made += 1
        user.groups.add(Group.objects.get(name=str(role)))
    return f"基础演示数据：合作地区 {partner.name}，演示账号 {made} 个新建（密码 {DEMO_PASSWORD}）"
