"""Every write to core's records: districts, departments, calendar, partner keys."""

from __future__ import annotations

import csv
import datetime
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.choices import DayKind, DistrictKind
from core.errors import NotFound, ValidationFailed
from core.models import (
    CalendarOverride,
    Department,
    District,
    PartnerAPIKey,
    StaffToken,
    User,
)

# The local district's departments (济宁经开区), loaded as reference data: the
# district's own names.
# i18n: data
LOCAL_DEPARTMENTS = [
    ("XZSP", "济宁经济技术开发区行政审批服务局", "行政审批服务局"),
    ("ZHZF", "济宁经济技术开发区综合行政执法局", "综合行政执法局"),
    ("DGB", "济宁经济技术开发区党群工作部", "党群工作部"),
    ("SHSY", "济宁经济技术开发区社会事业局", "社会事业局"),
    ("CJR", "济宁经济技术开发区残疾人联合会", "残联"),
    ("YBJ", "济宁经济技术开发区医疗保障局", "医保局"),
    ("RSJ", "济宁经济技术开发区人力资源和社会保障局", "人社局"),
    ("SCJG", "济宁市市场监督管理局经济技术开发区分局", "市场监管分局"),
    ("JJ", "济宁市公安局交通警察支队经开区大队", "交警大队"),
    ("SWJ", "济宁经济技术开发区商务局", "商务局"),
    ("GTFJ", "济宁市自然资源和规划局经济技术开发区分局", "自然资源分局"),
    ("ZJJ", "济宁经济技术开发区住房和城乡建设局", "住建局"),
    ("WJJ", "济宁经济技术开发区卫生健康局", "卫健局"),
    ("MZ", "济宁经济技术开发区民政局", "民政局"),
]


def local_district() -> District:
    return District.objects.get(kind=DistrictKind.LOCAL)


@transaction.atomic
def reference_data_load() -> dict[str, int]:
    """Create the local district and its departments (idempotent; never renames)."""
    from core.roles import roles_sync

    district, created = District.objects.get_or_create(
        kind=DistrictKind.LOCAL,
        defaults={
            "code": settings.LOCAL_DISTRICT_CODE,
            "name": settings.LOCAL_DISTRICT_NAME,
        },
    )
    made = int(created)
    for code, name, short in LOCAL_DEPARTMENTS:
        _, created = Department.objects.get_or_create(
            district=district, code=code, defaults={"name": name, "short_name": short}
        )
        made += int(created)
    roles_sync()
    return {"created": made}


def superuser_ensure(*, username: str = "admin") -> str | None:
    """Create a first superuser if there is none; return its one-time password."""
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    # The registry is run by the administrative approval bureau (the first of the
    # reference departments); any local department if that one was removed.
    local = Department.objects.filter(district__kind=DistrictKind.LOCAL)
    department = (
        local.filter(code=LOCAL_DEPARTMENTS[0][0]).first()
        or local.order_by("pk").first()
    )
    User.objects.create_superuser(
        username=username, password=password, email="", department=department
    )
    return password


@dataclass
class CalendarLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


# The words a calendar file may use for the kind of day.
# i18n: data
DAY_KIND_WORDS = {
    "workday": DayKind.WORKDAY,
    "工作日": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
    "holiday": DayKind.HOLIDAY,
    "休息日": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
}


def calendar_overrides_load(
    *, actor: User | None, path: Path, dry_run: bool = False
) -> CalendarLoadResult:
    """Load ``date,kind,name`` rows (all or nothing); refuses the file on any bad row."""
    result = CalendarLoadResult()
    rows: list[tuple[datetime.date, str, str]] = []
    seen: set[datetime.date] = set()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row or not "".join(row).strip():
                continue
            # The header row, in English or in Chinese (i18n: data).
            if number == 1 and row[0].strip().lower() in ("date", "日期"):
                continue
            try:
                day = datetime.date.fromisoformat(row[0].strip())
            except ValueError:
                result.errors.append(
                    _("Row %(row)s: the date “%(date)s” is invalid; use YYYY-MM-DD.")
                    % {"row": number, "date": row[0]}
                )
                continue
            kind = DAY_KIND_WORDS.get(row[1].strip().lower() if len(row) > 1 else "")
            if kind is None:
                result.errors.append(
                    _("Row %(row)s: the kind must be workday or holiday.")
                    % {"row": number}
                )
                continue
            if day in seen:
                result.errors.append(
                    _("Row %(row)s: the date %(date)s appears twice.")
                    % {"row": number, "date": day}
                )
                continue
            seen.add(day)
            rows.append((day, kind, row[2].strip() if len(row) > 2 else ""))
    if result.errors:
        raise ValidationFailed(
            _("The calendar file has errors; no row was imported."),
            errors=[
                {"field": None, "code": "invalid_row", "message": text}
                for text in result.errors
            ],
        )
    with transaction.atomic(), actor_context(actor):
        existing = {
            row.date: row for row in CalendarOverride.objects.filter(date__in=seen)
        }
        for day, kind, name in rows:
            current = existing.get(day)
            if current is None:
                CalendarOverride.objects.create(date=day, kind=kind, name=name)
                result.created += 1
            elif (current.kind, current.name) != (kind, name):
                current.kind, current.name = kind, name
                current.save(update_fields=["kind", "name"])
                result.updated += 1
            else:
                result.unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return result


@dataclass
class IssuedKey:
    key: PartnerAPIKey | StaffToken
    secret: str  # shown once, never stored


def partner_key_issue(
    *, actor: User | None, district: District, days_valid: int = 365, name: str = ""
) -> IssuedKey:
    """Issue a key the partner presents to us; only its hash is kept."""
    if district.is_local:
        raise ValidationFailed(
            _("A partner district key cannot be issued to our own district.")
        )
    with actor_context(actor):
        key, secret = PartnerAPIKey.objects.create_key(
            name=name or f"{district.name} {timezone.localdate():%Y-%m-%d}",
            district=district,
            expiry_date=timezone.now() + datetime.timedelta(days=days_valid),
        )
    return IssuedKey(key=key, secret=secret)


def staff_token_issue(
    *, actor: User, name: str, days_valid: int | None = None
) -> IssuedKey:
    """A personal API token for ``actor``'s scripts; only its hash is kept.

    Rules: a name (so its owner can tell tokens apart); it expires after
    ``days_valid`` days, at most ``STAFF_TOKEN_MAX_DAYS``; an inactive account
    gets none.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotFound()
    days = settings.STAFF_TOKEN_DAYS if days_valid is None else days_valid
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Name the token, e.g. the script that uses it.")
    elif len(name) > StaffToken._meta.get_field("name").max_length:
        errors["name"] = _("At most %(count)s characters.") % {
            "count": StaffToken._meta.get_field("name").max_length
        }
    if not 1 <= days <= settings.STAFF_TOKEN_MAX_DAYS:
        errors["days_valid"] = _("Between 1 and %(days)s days.") % {
            "days": settings.STAFF_TOKEN_MAX_DAYS
        }
    if errors:
        raise ValidationFailed.for_fields(errors)
    with actor_context(actor):
        token, secret = StaffToken.objects.create_key(
            name=name,
            user=actor,
            expiry_date=timezone.now() + datetime.timedelta(days=days),
        )
    return IssuedKey(key=token, secret=secret)


def staff_token_revoke(*, actor: User, token: StaffToken) -> StaffToken:
    """Revoke one of ``actor``'s own tokens (another's is not found); for good."""
    if actor is None or token.user_id != actor.pk:
        raise NotFound()
    with actor_context(actor):
        token.revoked = True
        token.save(update_fields=["revoked"])
    return token


def partner_key_revoke(*, actor: User | None, key: PartnerAPIKey) -> PartnerAPIKey:
    with actor_context(actor):
        key.revoked = True
        key.save(update_fields=["revoked"])
    return key


@transaction.atomic
def partner_add(
    *,
    actor: User | None,
    code: str,
    name: str,
    api_base_url: str = "",
    outbound_key: str = "",
    outbound_key_env: str = "",
    days_valid: int = 365,
) -> IssuedKey:
    """Register a partner district and issue the key it will present to us.

    The key we present to it is kept encrypted (or only named by an env var).
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    errors = {}
    if not code.isdigit() or len(code) not in (6, 9, 12):
        errors["code"] = _(
            "The administrative division code must have 6, 9 or 12 digits."
        )
    if not name.strip():
        errors["name"] = _("The name must not be empty.")
    if api_base_url:
        try:
            URLValidator(schemes=["http", "https"])(api_base_url)
        except ValidationError:
            errors["api_base_url"] = _("The API address is not a valid http(s) URL.")
    if District.objects.filter(code=code).exists():
        errors["code"] = _(
            "The administrative division code %(code)s already exists."
        ) % {"code": code}
    if outbound_key and outbound_key_env:
        errors["outbound_key"] = _(
            "Give either the partner's key or its environment variable, not both."
        )
    if errors:
        raise ValidationFailed.for_fields(
            errors, _("The partner district's details are wrong.")
        )
    with actor_context(actor):
        district = District.objects.create(
            code=code,
            name=name.strip(),
            kind=DistrictKind.PARTNER,
            api_base_url=api_base_url.rstrip("/"),
            outbound_key_env=outbound_key_env,
            outbound_key_encrypted=_encrypt(outbound_key),
        )
    return partner_key_issue(actor=actor, district=district, days_valid=days_valid)


def _encrypt(plain: str) -> str:
    from core import crypto

    return crypto.encrypt(plain) if plain else ""


def partner_outbound_key_set(
    *, actor: User | None, district: District, key: str = "", env_var: str = ""
) -> District:
    """Record the (new) key the partner gave us to present to it."""
    if district.is_local:
        raise ValidationFailed(_("Our own district needs no partner key."))
    if bool(key) == bool(env_var):
        raise ValidationFailed(
            _("Give the partner's key or its environment variable (one of the two).")
        )
    with actor_context(actor):
        district.outbound_key_encrypted = _encrypt(key)
        district.outbound_key_env = env_var
        district.save(update_fields=["outbound_key_encrypted", "outbound_key_env"])
    return district


@transaction.atomic
def partner_key_rotate(
    *,
    actor: User | None,
    district: District,
    grace_hours: int | None = None,
    days_valid: int = 365,
) -> IssuedKey:
    """Issue a new key; the partner's current keys keep working for a grace period."""
    if grace_hours is None:
        grace_hours = settings.PARTNER_KEY_GRACE_HOURS
    grace_end = timezone.now() + datetime.timedelta(hours=grace_hours)
    with actor_context(actor):
        for old in PartnerAPIKey.objects.select_for_update().filter(
            district=district, revoked=False
        ):
            if old.expiry_date is None or old.expiry_date > grace_end:
                old.expiry_date = grace_end
                old.save(update_fields=["expiry_date"])
    return partner_key_issue(actor=actor, district=district, days_valid=days_valid)
