"""The registers in the staff navigation; an entry shows once its page exists."""

from django.urls import NoReverseMatch, reverse

# (url name, label, description, permission needed to see it)
REGISTRY_NAV = [
    (
        "services:matter-list",
        "通办事项",
        "政务服务事项目录、通办清单、一件事",
        "services.view_matter",
    ),
    (
        "services:application-queue",
        "办件",
        "受理、补正、审批、发证、送达",
        "services.view_application",
    ),
    (
        "services:outbox-list",
        "跨域投递",
        "发往合作地区的消息及其投递记录",
        "services.view_outboxmessage",
    ),
    (
        "volunteers:team-list",
        "志愿服务",
        "党员志愿服务队、活动、服务时长",
        "volunteers.view_team",
    ),
    (
        "enforcement:campaign-list",
        "综合执法",
        "专项整治、巡查、案件、整改通知书",
        "enforcement.view_campaign",
    ),
]


def registry_nav(user) -> list[dict]:
    items = []
    for url_name, label, description, permission in REGISTRY_NAV:
        if not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "description": description})
    return items
