"""Demo data of the services register: applications in every state.

Runs after the catalogue's demo. Uses whatever matters are published; when there
are none, creates the few it needs (idempotently, by code). Makes: one application
per workflow state, overdue and near-due ones, a 助残一件事 bundle application, a
全省通办 application for 潍坊滨海区, and a 差评 with its follow-up.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.choices import DistrictKind
from core.models import Department, District, User
from core.validators import id_check_char
from services.actions import applications as actions
from services.models import Application, Bundle, BundleMatter, Matter, MatterMaterial

MARKER = "演示数据"
DEMO_PDF = b"%PDF-1.4\n% demo material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (code, name, department code, promised days, materials)
FALLBACK_MATTERS = [
    (
        "37080100SP-XK-0001",
        "残疾人证办理",
        "CJR",
        10,
        ["居民身份证", "户口簿", "近期免冠照片"],
    ),
    (
        "37080100SP-JF-0002",
        "困难残疾人生活补贴",
        "MZ",
        15,
        ["居民身份证", "残疾人证", "低保证明"],
    ),
    ("37080100SP-JF-0003", "重度残疾人护理补贴", "MZ", 15, ["居民身份证", "残疾人证"]),
    ("37080100SP-JF-0004", "基本养老保险补贴", "RSJ", 10, ["居民身份证", "残疾人证"]),
    ("37080100SP-JF-0005", "基本医疗保险补贴", "YBJ", 10, ["居民身份证", "残疾人证"]),
    ("37080100SP-XK-0006", "食品经营许可", "XZSP", 10, ["营业执照", "经营场所平面图"]),
]
BUNDLE_MATTERS = [m[1] for m in FALLBACK_MATTERS[:5]]

# name, birth date, serial, phone, address
APPLICANTS = [
    ("张秀英", "19620415", "224", "13805371024", "济宁市经开区疃里镇张庄村"),
    ("李建国", "19750903", "117", "13905372231", "济宁市经开区嘉祥街道南关社区"),
    ("王桂兰", "19580122", "326", "13605373345", "济宁市经开区马集镇王楼村"),
    ("刘志强", "19881130", "415", "15805374458", "济宁市经开区梁宝寺镇"),
    ("陈玉梅", "19690707", "528", "18605375567", "济宁市经开区疃里镇"),
    ("赵德明", "19800214", "631", "13705376672", "济宁市经开区嘉祥街道"),
    ("孙丽华", "19920520", "742", "13305377783", "济宁市经开区马集镇"),
    ("周国庆", "19491001", "853", "13805378894", "济宁市经开区疃里镇周庄村"),
    ("吴海燕", "19860315", "964", "15905379905", "济宁市经开区梁宝寺镇吴村"),
    ("郑春生", "19710228", "075", "13505370016", "济宁市经开区嘉祥街道东关社区"),
    ("冯淑珍", "19550809", "186", "13805371127", "济宁市经开区马集镇冯集村"),
    ("褚明亮", "19940612", "297", "18805372238", "济宁市经开区疃里镇"),
]

STEPS = {
    "submitted": [],
    "needs_correction": ["request_correction"],
    "accepted": ["accept"],
    "rejected": ["reject"],
    "in_review": ["accept", "start_review"],
    "approved": ["accept", "start_review", "approve"],
    "denied": ["accept", "start_review", "deny"],
    "certificate_issued": ["accept", "start_review", "approve", "issue_certificate"],
    "delivered": ["accept", "start_review", "approve", "issue_certificate", "deliver"],
    "closed": [
        "accept",
        "start_review",
        "approve",
        "issue_certificate",
        "deliver",
        "close",
    ],
    "withdrawn": ["withdraw"],
}


def _id_number(birth: str, serial: str) -> str:
    first17 = "370802" + birth + serial
    return first17 + id_check_char(first17)


def _published_matters() -> list[Matter]:
    matters = list(
        Matter.objects.filter(status="published", promised_days__gt=0).order_by("code")[
            :20
        ]
    )
    if matters:
        return matters
    local = District.objects.get(kind=DistrictKind.LOCAL)
    for code, name, dept, days, materials in FALLBACK_MATTERS:
        matter, created = Matter.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind="1" if "XK" in code else "5",
                department=Department.objects.get(district=local, code=dept),
                statutory_days=20,
                promised_days=days,
                status="published",
                mail_supported=True,
            ),
        )
        if created:
            for position, label in enumerate(materials, start=1):
                MatterMaterial.objects.create(
                    matter=matter, position=position, name=label, required=True
                )
    return list(Matter.objects.filter(status="published").order_by("code"))


def _bundle() -> Bundle:
    found = Bundle.objects.filter(name__contains="助残", active=True).first()
    if found and found.items.exists():
        return found
    matters = []
    for name in BUNDLE_MATTERS:
        matter = Matter.objects.filter(name=name, status="published").first()
        if matter is None:
            _published_matters()  # the fallback set includes the five
            matter = Matter.objects.filter(name=name).first()
        if matter is None:
            # the catalogue has matters, but not these five: add them
            code, _name, dept, days, materials = next(
                m for m in FALLBACK_MATTERS if m[1] == name
            )
            local = District.objects.get(kind=DistrictKind.LOCAL)
            matter = Matter.objects.create(
                code=code,
                name=name,
                kind="5",
                department=Department.objects.get(district=local, code=dept),
                statutory_days=20,
                promised_days=days,
                status="published",
            )
            for position, label in enumerate(materials, start=1):
                MatterMaterial.objects.create(
                    matter=matter, position=position, name=label, required=True
                )
        matters.append(matter)
    bundle, _ = Bundle.objects.get_or_create(
        code="ZC-YJS-01",
        defaults={"name": "助残“一件事”", "window": "区级政务服务大厅助残“一件事”专窗"},
    )
    for position, matter in enumerate(matters, start=1):
        BundleMatter.objects.get_or_create(
            bundle=bundle, matter=matter, defaults={"position": position}
        )
    return bundle


def _upload_required(application, actor) -> None:
    requirements = MatterMaterial.objects.filter(
        matter=application.matter_id, required=True
    )
    for requirement in requirements:
        actions.material_upload(
            actor=actor,
            application=application,
            upload=SimpleUploadedFile(f"{requirement.name}.pdf", DEMO_PDF),
            requirement=requirement,
        )


def _step(application, verb, actor, now):
    application.refresh_from_db()
    extra = {
        "request_correction": lambda: {
            "missing": list(
                MatterMaterial.objects.filter(matter=application.matter_id)[:1]
            ),
            "note": "请补充清晰的材料原件扫描件",
        },
        "reject": lambda: {"note": "申请事项不属于本机关职权范围，请向户籍所在地申请"},
        "deny": lambda: {"note": "经审查，申请人不符合法定条件"},
        "withdraw": lambda: {"note": "申请人主动申请撤回"},
        "approve": lambda: {"result": "准予许可"},
        "issue_certificate": lambda: {
            "certificate_number": f"济经审证〔{now.year}〕{application.pk:04d}号"
        },
        "deliver": lambda: {
            "delivery_method": "mail",
            "carrier": "中国邮政EMS",
            "tracking_number": f"1180{application.pk:09d}",
            "delivery_address": application.applicant_address,
        },
    }.get(verb, dict)()
    return actions.TRANSITION_ACTIONS[verb](
        actor=actor,
        application=application,
        expected_version=application.version,
        now=now,
        **extra,
    )


def _take(matter, applicant, *, actor, now, channel="window", home=None, bundle=None):
    name, birth, serial, phone, address = applicant
    return actions.application_intake(
        actor=actor,
        matter=matter,
        bundle=bundle,
        applicant_kind="person",
        applicant_name=name,
        applicant_id_number=_id_number(birth, serial),
        applicant_phone=phone,
        applicant_address=address,
        channel=channel,
        home_district=home,
        note=MARKER,
        now=now,
    )


def _listed_matter(partner):
    """A published matter on the 通办 list with ``partner`` today, if any."""
    from services.models import Agreement
    from services.selectors.catalogue import agreement_list_as_of

    for agreement in Agreement.objects.filter(partner=partner):
        entry = (
            agreement_list_as_of(agreement=agreement)
            .filter(matter__status="published")
            .first()
        )
        if entry is not None:
            return entry.matter
    return None


def seed(stdout=None) -> str:
    if Application.objects.filter(events__note=MARKER).exists():
        return "办件演示数据已存在，未重复创建"
    clerk = User.objects.filter(username="clerk").first()
    reviewer = User.objects.filter(username="reviewer").first()
    admin = User.objects.filter(username="district_admin").first() or clerk

    def actor_for(verb):
        if verb in ("start_review", "approve", "deny", "issue_certificate"):
            return reviewer or admin
        return clerk or admin

    matters = _published_matters()
    now = timezone.now()
    made = 0
    with transaction.atomic():
        # One application in every state, over the matters available.
        for index, steps in enumerate(STEPS.values()):
            matter = matters[index % len(matters)]
            start = now - datetime.timedelta(days=3)
            app = _take(matter, APPLICANTS[index], actor=clerk or admin, now=start)
            _upload_required(app, clerk or admin)
            for verb in steps:
                app = _step(
                    app, verb, actor_for(verb), now=start + datetime.timedelta(hours=2)
                )
            made += 1
        # Overdue: accepted six weeks ago and still in review.
        for offset, applicant in ((45, APPLICANTS[9]), (40, APPLICANTS[10])):
            start = now - datetime.timedelta(days=offset)
            app = _take(matters[0], applicant, actor=clerk or admin, now=start)
            _upload_required(app, clerk or admin)
            app = _step(app, "accept", actor_for("accept"), now=start)
            app = _step(app, "start_review", actor_for("start_review"), now=start)
            made += 1
        # 全省通办: taken here for the partner district (异地受理、属地审批).
        partner = District.objects.filter(
            kind=DistrictKind.PARTNER, code="370790"
        ).first()
        listed = _listed_matter(partner) if partner is not None else None
        if listed is not None:
            app = _take(
                listed,
                APPLICANTS[11],
                actor=clerk or admin,
                now=now,
                channel="proxy",
                home=partner,
            )
            made += 1
        # 助残一件事: parent and five children, some done.
        bundle = _bundle()
        parent = _take(
            None,
            APPLICANTS[7],
            actor=clerk or admin,
            now=now - datetime.timedelta(days=2),
            channel="proxy",
            bundle=bundle,
        )
        for upload_to in parent.children.all():
            _upload_required(upload_to, clerk or admin)
        children = list(parent.children.order_by("pk"))
        for child, status in zip(
            children,
            ["closed", "in_review", "accepted", "accepted", "submitted"],
            strict=False,
        ):
            for verb in STEPS[status]:
                child = _step(
                    child, verb, actor_for(verb), now=now - datetime.timedelta(days=1)
                )
        made += 1 + len(children)
        # 差评 with its follow-up, on the closed application.
        closed = (
            Application.objects.filter(
                status="closed", matter__isnull=False, evaluation__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if closed is not None:
            actions.evaluation_submit(
                actor=clerk or admin,
                application=closed,
                level=2,
                comment="窗口排队时间较长，材料要求没有一次说清楚",
            )
        delivered = (
            Application.objects.filter(status="delivered").order_by("pk").first()
        )
        if delivered is not None:
            actions.evaluation_submit(
                actor=clerk or admin,
                application=delivered,
                level=5,
                comment="帮办代办很贴心",
            )
    counts = actions.application_deadlines_refresh(now=now)
    return (
        f"办件演示数据：{made} 件（含助残一件事主件及子件），超期 {counts['overdue']} 件，"
        f"差评整改 1 件"
    )
