"""Helpers for the application tests: small matters, bundles, applicants, uploads.

Plain functions rather than fixtures, so test modules import them explicitly.
"""

from __future__ import annotations

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.validators import credit_check_char, id_check_char
from services.actions import applications as actions
from services.models import Bundle, BundleMatter, Matter, MatterMaterial

_codes = itertools.count(1)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def person_id(birth: str = "19900101", serial: str = "123") -> str:
    first17 = "370802" + birth + serial
    return first17 + id_check_char(first17)


def credit_code(body: str = "91370800MA3C0000") -> str:
    first17 = (body + "0")[:17]
    return first17 + credit_check_char(first17)


def make_matter(
    department,
    *,
    name: str = "残疾人证办理",
    promised_days: int = 5,
    statutory_days: int = 20,
    materials=(("居民身份证", True), ("近期免冠照片", True), ("其他证明", False)),
    status: str = "published",
    mail_supported: bool = True,
) -> Matter:
    matter = Matter.objects.create(
        code=f"37087100SP-XK-{next(_codes):04d}",
        name=name,
        kind="1",
        department=department,
        statutory_days=statutory_days,
        promised_days=promised_days,
        status=status,
        mail_supported=mail_supported,
    )
    for position, (label, required) in enumerate(materials, start=1):
        MatterMaterial.objects.create(
            matter=matter, position=position, name=label, required=required
        )
    return matter


def make_bundle(matters, *, name: str = "助残一件事") -> Bundle:
    bundle = Bundle.objects.create(code=f"ZC-{next(_codes):04d}", name=name)
    for position, matter in enumerate(matters, start=1):
        BundleMatter.objects.create(bundle=bundle, matter=matter, position=position)
    return bundle


def at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def intake(actor, matter=None, *, bundle=None, now=None, **fields):
    data = dict(
        applicant_kind="person",
        applicant_name="张秀英",
        applicant_id_number=person_id(),
        applicant_phone="13805371234",
        applicant_address="济宁市经开区疃里镇",
        channel="window",
    )
    data.update(fields)
    return actions.application_intake(
        actor=actor, matter=matter, bundle=bundle, now=now or timezone.now(), **data
    )


def upload(application, actor, requirement=None, content=PDF_BYTES, name="a.pdf"):
    return actions.material_upload(
        actor=actor,
        application=application,
        upload=SimpleUploadedFile(name, content),
        requirement=requirement,
    )


def upload_required(application, actor):
    for requirement in application.matter.materials.filter(required=True):
        upload(application, actor, requirement)


def refresh(application):
    application.refresh_from_db()
    return application


def run(verb, application, actor, now=None, **extra):
    application = refresh(application)
    return actions.TRANSITION_ACTIONS[verb](
        actor=actor,
        application=application,
        expected_version=application.version,
        now=now,
        **extra,
    )


# Steps that reach each status from a fresh, fully documented application.
PATHS = {
    "submitted": [],
    "needs_correction": ["request_correction"],
    "accepted": ["accept"],
    "rejected": ["reject"],
    "in_review": ["accept", "start_review"],
    "approved": ["accept", "start_review", "approve"],
    "denied": ["accept", "start_review", "deny"],
    "certificate_issued": ["accept", "start_review", "approve", "issue_certificate"],
    "delivered": [
        "accept",
        "start_review",
        "approve",
        "issue_certificate",
        "deliver",
    ],
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

EXTRA = {
    "request_correction": lambda app: {
        "missing": list(app.matter.materials.filter(required=False)[:1])
        or list(app.matter.materials.all()[:1])
    },
    "reject": lambda app: {"note": "不属于本机关职权范围"},
    "deny": lambda app: {"note": "不符合法定条件"},
    "withdraw": lambda app: {"note": "申请人主动撤回"},
    "issue_certificate": lambda app: {"certificate_number": "鲁残证2026001"},
    "deliver": lambda app: {
        "delivery_method": "mail",
        "carrier": "中国邮政EMS",
        "tracking_number": "1180000000001",
        "delivery_address": "济宁市任城区",
    },
}


def advance(application, actor, status: str, now=None):
    for verb in PATHS[status]:
        application = run(
            verb,
            application,
            actor,
            now=now,
            **EXTRA.get(verb, lambda a: {})(application),
        )
    return refresh(application)
