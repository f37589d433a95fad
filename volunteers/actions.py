"""Every write of the volunteer register: ``<entity>_<verb>(*, actor, ...)``.

Each action is atomic, checks the rule it names and raises a ``core.errors``
DomainError (nothing written) when the rule is broken. Views, admin, serializers
and commands call these; nothing else saves a volunteer-register row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.documents import Document, render
from core.errors import IllegalTransition, ValidationFailed, check_version
from core.masking import mask_id
from core.models import Department, District
from core.sequences import next_number
from volunteers.choices import (
    ACTIVITY_TRANSITIONS,
    ActivityStatus,
    MemberRole,
    TeamKind,
)
from volunteers.models import (
    Activity,
    ActivityPhoto,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    PlanItem,
    Team,
    Volunteer,
    validate_image_upload,
)


def _check(obj, exclude: Iterable[str] = ()) -> None:
    """Run the model's field and constraint validation; raise it as ValidationFailed."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise ValidationFailed.for_fields(
            {
                (name if name != "__all__" else ""): messages
                for name, messages in error.message_dict.items()
            },
            "数据有误",
        ) from None


def _set_fields(obj, fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationFailed(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


# --- branches and organisations ------------------------------------------------

BRANCH_FIELDS = ("name", "sector", "secretary", "active")


@transaction.atomic
def branch_create(*, actor, **fields) -> PartyBranch:
    """Register a 党支部."""
    branch = PartyBranch()
    _set_fields(branch, fields, BRANCH_FIELDS)
    _check(branch)
    branch.save()
    return branch


@transaction.atomic
def branch_update(*, actor, branch: PartyBranch, **fields) -> PartyBranch:
    _set_fields(branch, fields, BRANCH_FIELDS)
    _check(branch)
    branch.save()
    return branch


@transaction.atomic
def organisation_create(*, actor, name: str, contact: str = "") -> Organisation:
    org = Organisation(name=name.strip(), contact=contact)
    _check(org)
    org.save()
    return org


@transaction.atomic
def categories_load() -> int:
    """Make sure the standard service categories exist (idempotent); returns how many were added."""
    from volunteers.choices import STANDARD_CATEGORIES
    from volunteers.models import ServiceCategory

    existing = set(ServiceCategory.objects.values_list("code", flat=True))
    missing = [
        ServiceCategory(code=code, name=name)
        for code, name in STANDARD_CATEGORIES
        if code not in existing
    ]
    ServiceCategory.objects.bulk_create(missing)
    return len(missing)


# --- volunteers -----------------------------------------------------------------

VOLUNTEER_FIELDS = (
    "name",
    "id_number",
    "phone",
    "is_party_member",
    "branch",
    "skills",
    "interests",
    "registered_on",
)


def _normalise_volunteer(fields: dict) -> dict:
    if "id_number" in fields and fields["id_number"]:
        fields["id_number"] = fields["id_number"].strip().upper()
    if "name" in fields and fields["name"]:
        fields["name"] = fields["name"].strip()
    return fields


@transaction.atomic
def volunteer_create(*, actor, **fields) -> Volunteer:
    """Register a 志愿者; the 身份证号 must be valid and not yet registered."""
    volunteer = Volunteer(registered_on=timezone.localdate())
    _set_fields(volunteer, _normalise_volunteer(fields), VOLUNTEER_FIELDS)
    _check(volunteer)
    volunteer.save()
    return volunteer


@transaction.atomic
def volunteer_update(
    *, actor, volunteer: Volunteer, expected_version: int | None = None, **fields
) -> Volunteer:
    """Change a volunteer's details (optimistic locking by ``version``)."""
    check_version(volunteer, expected_version)
    volunteer.version += 1
    _set_fields(volunteer, _normalise_volunteer(fields), VOLUNTEER_FIELDS)
    _check(volunteer)
    volunteer.save()
    return volunteer


# --- teams ----------------------------------------------------------------------

TEAM_FIELDS = (
    "name",
    "kind",
    "branch",
    "leader",
    "flag",
    "logo",
    "founded_on",
    "description",
    "active",
)


def _check_team(team: Team) -> None:
    if team.kind == TeamKind.PARTY and team.branch_id is None:
        raise ValidationFailed.for_fields(
            {"branch": "党员志愿服务队必须属于一个党支部"}, "数据有误"
        )
    for name in ("flag", "logo"):
        image = getattr(team, name)
        if image and not getattr(image, "_committed", True):
            try:
                validate_image_upload(image.file)
            except ValidationError as error:
                raise ValidationFailed.for_fields({name: error.messages}) from None
    _check(team, exclude=["flag", "logo"])


@transaction.atomic
def team_create(*, actor, categories=None, **fields) -> Team:
    """Set up a 志愿服务队 with its flag and logo; a party team needs a branch."""
    team = Team()
    _set_fields(team, fields, TEAM_FIELDS)
    _check_team(team)
    team.save()
    if categories is not None:
        team.categories.set(categories)
    return team


@transaction.atomic
def team_update(
    *,
    actor,
    team: Team,
    categories=None,
    expected_version: int | None = None,
    **fields,
) -> Team:
    """Change a team (optimistic locking by ``version``)."""
    check_version(team, expected_version)
    team.version += 1
    _set_fields(team, fields, TEAM_FIELDS)
    _check_team(team)
    team.save()
    if categories is not None:
        team.categories.set(categories)
    return team


# --- memberships ----------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    actor,
    team: Team,
    volunteer: Volunteer,
    role: str = MemberRole.MEMBER,
    joined_on: datetime.date | None = None,
) -> Membership:
    """A volunteer joins a team; one current membership per team and volunteer.

    A new 队长 becomes the team's leader.
    """
    if not team.active:
        raise ValidationFailed.for_fields({"team": "该服务队已撤销，不能加入"})
    joined_on = joined_on or timezone.localdate()
    Team.objects.select_for_update().filter(pk=team.pk).first()
    if Membership.objects.filter(
        team=team, volunteer=volunteer, left_on__isnull=True
    ).exists():
        raise ValidationFailed.for_fields(
            {"volunteer": f"{volunteer.name}已是{team.name}的队员"}
        )
    membership = Membership(
        team=team, volunteer=volunteer, role=role, joined_on=joined_on
    )
    _check(membership, exclude=["team", "volunteer"])
    membership.save()
    if role == MemberRole.LEADER and team.leader_id != volunteer.pk:
        team.leader = volunteer
        team.save(update_fields=["leader"])
    return membership


@transaction.atomic
def membership_end(
    *, actor, membership: Membership, left_on: datetime.date | None = None
) -> Membership:
    """A volunteer leaves a team: the membership is closed, never deleted."""
    if membership.left_on is not None:
        raise IllegalTransition("该队员已离队")
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationFailed.for_fields({"left_on": "离队日期不能早于加入日期"})
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    team = membership.team
    if team.leader_id == membership.volunteer_id:
        team.leader = None
        team.save(update_fields=["leader"])
    return membership


# --- annual plans ---------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    actor,
    team: Team,
    year: int,
    items: list[dict],
    made_on: datetime.date | None = None,
    note: str = "",
) -> AnnualPlan:
    """Make or revise a team's 年度服务计划 with its monthly items.

    ``items`` are dicts of month, category, title, expected_participants and
    optionally ``id`` (an existing item to change) or ``delete``. An item that
    activities already refer to may be changed but not deleted.
    """
    errors: dict[str, list[str]] = {}
    plan, _ = AnnualPlan.objects.select_for_update().get_or_create(
        team=team, year=year, defaults={"made_on": made_on or timezone.localdate()}
    )
    if made_on:
        plan.made_on = made_on
    plan.note = note or plan.note
    _check(plan, exclude=["team"])
    plan.save()
    existing = {item.pk: item for item in plan.items.all()}
    keep = []
    for index, data in enumerate(items):
        item_id = data.get("id")
        item = existing.get(item_id) if item_id else PlanItem(plan=plan)
        if item_id and item is None:
            errors.setdefault(f"items[{index}]", []).append("计划活动不存在")
            continue
        if data.get("delete"):
            if item.pk and item.activities.exists():
                errors.setdefault(f"items[{index}]", []).append(
                    "已有活动对应此计划，不能删除"
                )
            elif item.pk:
                item.delete()
            continue
        for name in ("month", "category", "title", "expected_participants"):
            if name in data:
                setattr(item, name, data[name])
        try:
            item.full_clean(exclude=["plan"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"items[{index}].{name}", []).extend(messages)
            continue
        keep.append(item)
    if errors:
        raise ValidationFailed.for_fields(errors, "年度计划有误")
    for item in keep:
        item.save()
    return plan


# --- activities -----------------------------------------------------------------

ACTIVITY_FIELDS = (
    "team",
    "title",
    "content",
    "category",
    "plan_item",
    "starts_at",
    "ends_at",
    "place",
    "vehicles",
)


def _check_activity(activity: Activity) -> None:
    if (
        activity.starts_at
        and activity.ends_at
        and activity.ends_at <= activity.starts_at
    ):
        raise ValidationFailed.for_fields({"ends_at": "结束时间必须晚于开始时间"})
    item = activity.plan_item
    if item is not None:
        year = timezone.localtime(activity.starts_at).year
        if item.plan.team_id != activity.team_id or item.plan.year != year:
            raise ValidationFailed.for_fields(
                {"plan_item": "对应计划必须是组织队伍本年度计划中的活动"}
            )
    if activity.pk:
        longest = activity.participations.aggregate(m=Max("hours"))["m"] or Decimal("0")
        if longest > activity.duration_hours:
            raise ValidationFailed.for_fields(
                {"ends_at": f"已登记的服务时长（最长{longest}小时）超过活动时长"}
            )
    _check(activity, exclude=["team", "category", "plan_item"])


@transaction.atomic
def activity_create(
    *, actor, co_teams=None, co_organisations=None, **fields
) -> Activity:
    """Record a 志愿活动 for an organiser team, planned or unplanned."""
    activity = Activity(status=ActivityStatus.PLANNED)
    _set_fields(activity, fields, ACTIVITY_FIELDS)
    _check_activity(activity)
    activity.save()
    if co_teams:
        activity.co_teams.set([t for t in co_teams if t.pk != activity.team_id])
    if co_organisations:
        activity.co_organisations.set(co_organisations)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: Activity,
    co_teams=None,
    co_organisations=None,
    expected_version: int | None = None,
    **fields,
) -> Activity:
    """Change an activity; its duration may not drop below recorded hours."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(activity, expected_version)
    activity.version += 1
    _set_fields(activity, fields, ACTIVITY_FIELDS)
    _check_activity(activity)
    activity.save()
    if co_teams is not None:
        activity.co_teams.set([t for t in co_teams if t.pk != activity.team_id])
    if co_organisations is not None:
        activity.co_organisations.set(co_organisations)
    return activity


@transaction.atomic
def activity_transition(
    *, actor, activity: Activity, verb: str, expected_version: int | None = None
) -> Activity:
    """Move an activity along ``ACTIVITY_TRANSITIONS`` (hold, cancel, reopen).

    A cancelled activity may carry no service hours.
    """
    if verb not in ACTIVITY_TRANSITIONS:
        raise ValidationFailed(f"未知操作：{verb}")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(activity, expected_version)
    sources, target = ACTIVITY_TRANSITIONS[verb]
    if activity.status not in sources:
        raise IllegalTransition(
            f"活动当前为“{activity.get_status_display()}”，不能执行此操作"
        )
    if target == ActivityStatus.CANCELLED and activity.participations.exists():
        raise IllegalTransition("已登记服务时长的活动不能取消")
    activity.status = target
    activity.version += 1
    activity.save(update_fields=["status", "version"])
    return activity


@transaction.atomic
def participations_record(
    *,
    actor,
    activity: Activity,
    rows: list[dict],
    remove: Iterable[Volunteer] = (),
) -> list[Participation]:
    """Enter the hours of a whole activity at once (upsert per volunteer).

    Rules: the activity is not cancelled; each volunteer appears once; hours are
    more than 0 and never more than the activity lasted. Errors name the row
    (``rows[3].hours``); nothing is written unless every row is right. Recording
    hours marks a planned activity as held.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.CANCELLED:
        raise IllegalTransition("活动已取消，不能登记服务时长")
    limit = activity.duration_hours
    errors: dict[str, list[str]] = {}
    seen: dict[int, int] = {}
    clean_rows = []
    for index, row in enumerate(rows):
        volunteer = row.get("volunteer")
        if volunteer is None:
            errors.setdefault(f"rows[{index}].volunteer", []).append("请选择志愿者")
            continue
        if volunteer.pk in seen:
            errors.setdefault(f"rows[{index}].volunteer", []).append(
                f"{volunteer.name}重复（与第{seen[volunteer.pk] + 1}行）"
            )
            continue
        seen[volunteer.pk] = index
        try:
            hours = Decimal(str(row.get("hours"))).quantize(Decimal("0.1"))
        except (InvalidOperation, TypeError, ValueError):
            errors.setdefault(f"rows[{index}].hours", []).append("服务时长应为数字")
            continue
        if hours <= 0:
            errors.setdefault(f"rows[{index}].hours", []).append("服务时长必须大于0")
        elif hours > limit:
            errors.setdefault(f"rows[{index}].hours", []).append(
                f"服务时长{hours}小时超过活动时长{limit}小时"
            )
        else:
            clean_rows.append((volunteer, hours, row.get("note", "") or ""))
    if errors:
        raise ValidationFailed.for_fields(errors, "服务时长有误")
    remove_ids = [v.pk for v in remove]
    if remove_ids:
        activity.participations.filter(volunteer_id__in=remove_ids).delete()
    existing = {p.volunteer_id: p for p in activity.participations.all()}
    saved = []
    try:
        with transaction.atomic():
            for volunteer, hours, note in clean_rows:
                participation = existing.get(volunteer.pk)
                if participation is None:
                    participation = Participation(
                        activity=activity, volunteer=volunteer
                    )
                elif participation.hours == hours and participation.note == note:
                    saved.append(participation)
                    continue
                participation.hours, participation.note = hours, note
                participation.save()
                saved.append(participation)
    except IntegrityError as error:  # the database's own hours rule
        raise ValidationFailed(f"服务时长不符合规则：{error}") from None
    if saved and activity.status == ActivityStatus.PLANNED:
        activity.status = ActivityStatus.HELD
        activity.version += 1
        activity.save(update_fields=["status", "version"])
    return saved


@transaction.atomic
def photo_add(*, actor, activity: Activity, image, caption: str = "") -> ActivityPhoto:
    photo = ActivityPhoto(activity=activity, image=image, caption=caption)
    try:
        validate_image_upload(image)
    except ValidationError as error:
        raise ValidationFailed.for_fields({"image": error.messages}) from None
    _check(photo, exclude=["activity", "image"])
    photo.save()
    return photo


# --- donations ------------------------------------------------------------------

DONATION_FIELDS = (
    "activity",
    "team",
    "donor",
    "items",
    "quantity",
    "unit",
    "value",
    "received_on",
)


@transaction.atomic
def donation_record(*, actor, **fields) -> Donation:
    """Record donated materials and their value in yuan."""
    donation = Donation()
    _set_fields(donation, fields, DONATION_FIELDS)
    if donation.activity is not None and donation.team_id is None:
        donation.team = donation.activity.team
    if donation.team_id is None:
        raise ValidationFailed.for_fields({"team": "请选择接收队伍"})
    _check(donation, exclude=["team", "activity"])
    donation.save()
    return donation


# --- certificates ---------------------------------------------------------------


def default_issuer(actor) -> str:
    department = getattr(actor, "department", None)
    if department is not None and department.district.is_local:
        return department.name
    found = Department.objects.filter(district__kind="local", code="DGB").first()
    if found:
        return found.name
    local = District.objects.filter(kind="local").first()
    return f"{local.name if local else ''}党群工作部"


@transaction.atomic
def certificate_issue(
    *,
    actor,
    volunteer: Volunteer,
    period_start: datetime.date,
    period_end: datetime.date,
    issuer: str = "",
) -> Certificate:
    """Issue a 志愿服务证明 for the hours served in a period, and record it.

    The hours and content come from the recorded participations in held
    activities; a period without service is refused. The PDF is stored and its
    SHA-256 recorded with the serial number.
    """
    from volunteers.selectors import volunteer_service

    if period_end < period_start:
        raise ValidationFailed.for_fields({"period_end": "服务期间止不能早于起"})
    today = timezone.localdate()
    if period_start > today:
        raise ValidationFailed.for_fields({"period_start": "服务期间不能在将来"})
    service = list(volunteer_service(volunteer, period_start, period_end))
    if not service:
        raise ValidationFailed.for_fields(
            {"period_start": "该期间内没有已登记的服务时长"}
        )
    hours = sum((p.hours for p in service), Decimal("0"))
    categories = []
    for p in service:
        if p.activity.category.name not in categories:
            categories.append(p.activity.category.name)
    content = "、".join(categories)
    issuer = issuer or default_issuer(actor)
    year = today.year
    sequence = next_number(f"volunteer-certificate:{year}")
    serial = f"{settings_prefix()}〔{year}〕第{sequence:04d}号"

    def fmt(d: datetime.date) -> str:
        return f"{d.year}年{d.month}月{d.day}日"

    document = Document(
        title="志愿服务证明",
        number=serial,
        issuer=issuer,
        date=today,
    )
    document.paragraph(
        f"兹证明 {volunteer.name}（身份证号 {mask_id(volunteer.id_number)}）"
        f"于{fmt(period_start)}至{fmt(period_end)}期间参加志愿服务"
        f"{len(service)}次，累计服务时长{hours}小时，服务内容为{content}。"
    )
    document.fields(
        [
            ("姓名", volunteer.name),
            ("证件类型", "居民身份证"),
            ("证件号码", mask_id(volunteer.id_number)),
            ("志愿者编号", volunteer.number),
            ("服务期间", f"{fmt(period_start)}至{fmt(period_end)}"),
            ("服务时长", f"{hours}小时"),
            ("服务内容", content),
            ("出具单位", issuer),
            ("经办人", chinese_name(actor)),
        ]
    )
    document.heading("服务记录")
    document.table(
        ["日期", "活动", "组织队伍", "时长（小时）"],
        [
            [
                timezone.localtime(p.activity.starts_at).strftime("%Y-%m-%d"),
                p.activity.title,
                p.activity.team.name,
                str(p.hours),
            ]
            for p in service
        ],
    )
    document.paragraph("特此证明。")
    rendered = render(document)
    certificate = Certificate(
        serial=serial,
        year=year,
        sequence=sequence,
        volunteer=volunteer,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        activity_count=len(service),
        content=content,
        issuer=issuer,
        issued_on=today,
        issued_by=actor if getattr(actor, "pk", None) else None,
        sha256=rendered.sha256,
    )
    certificate.pdf.save(
        f"{year}-{sequence:04d}-{rendered.sha256[:12]}.pdf",
        ContentFile(rendered.content),
        save=False,
    )
    certificate.save()
    return certificate


def chinese_name(user) -> str:
    """刘洋, not Django's "洋 刘" (family name first, no space)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    return f"{user.last_name}{user.first_name}" or user.get_username()


def settings_prefix() -> str:
    """The word before 〔year〕 in certificate serials (济经志证 by default)."""
    return getattr(settings, "VOLUNTEER_CERTIFICATE_PREFIX", "济经志证")


# --- imports (xlsx/csv) ---------------------------------------------------------

VOLUNTEER_COLUMNS = {
    "name": "name",
    "姓名": "name",
    "id_number": "id_number",
    "身份证号": "id_number",
    "phone": "phone",
    "联系电话": "phone",
    "is_party_member": "is_party_member",
    "是否党员": "is_party_member",
    "branch": "branch",
    "所属党支部": "branch",
    "skills": "skills",
    "技能特长": "skills",
    "interests": "interests",
    "兴趣爱好": "interests",
}
MEMBERSHIP_COLUMNS = {
    "id_number": "id_number",
    "身份证号": "id_number",
    "team": "team",
    "服务队": "team",
    "role": "role",
    "职务": "role",
    "joined_on": "joined_on",
    "加入日期": "joined_on",
    "left_on": "left_on",
    "离队日期": "left_on",
}
YES = {"是", "党员", "中共党员", "1", "true", "yes", "y"}
NO = {"否", "群众", "0", "false", "no", "n", ""}


def _parse_date(text: str) -> datetime.date:
    text = text.strip().replace("/", "-").replace(".", "-")
    return datetime.date.fromisoformat(text[:10])


def volunteers_import(*, actor, rows, dry_run: bool = False, progress=None) -> dict:
    """Import volunteers (upsert by 身份证号) from checked rows, all or nothing.

    Every row is checked first and every bad row is reported by number; nothing
    is written unless all are valid. Returns counts of created/updated/unchanged.
    """
    from core.tabular import RowErrors

    errors = RowErrors()
    branches = {b.name: b for b in PartyBranch.objects.all()}
    seen: dict[str, int] = {}
    parsed = []
    for row in rows:
        name = row.get("name").strip()
        number = row.get("id_number").strip().upper()
        if not name:
            errors.add(row.number, "姓名", "不能为空")
        try:
            from core.validators import validate_id_number

            validate_id_number(number)
        except ValidationError as error:
            errors.add(row.number, "身份证号", "；".join(error.messages))
        else:
            if number in seen:
                errors.add(row.number, "身份证号", f"与第{seen[number]}行重复")
            seen.setdefault(number, row.number)
        party_text = row.get("is_party_member").strip().lower()
        if party_text not in YES | NO:
            errors.add(row.number, "是否党员", f"无法识别“{party_text}”（应为是/否）")
        branch_name = row.get("branch").strip()
        branch = branches.get(branch_name) if branch_name else None
        if branch_name and branch is None:
            errors.add(row.number, "所属党支部", f"党支部“{branch_name}”不存在")
        parsed.append(
            {
                "name": name,
                "id_number": number,
                "phone": row.get("phone").strip(),
                "is_party_member": party_text in YES,
                "branch": branch,
                "skills": row.get("skills").strip(),
                "interests": row.get("interests").strip(),
            }
        )
    errors.raise_if_any("志愿者名单")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {
        v.id_number: v
        for v in Volunteer.objects.filter(
            id_number__in=[p["id_number"] for p in parsed]
        )
    }
    with transaction.atomic():
        for data in parsed:
            volunteer = existing.get(data["id_number"])
            if volunteer is None:
                volunteer_create(actor=actor, **data)
                counts["created"] += 1
            elif any(getattr(volunteer, k) != v for k, v in data.items()):
                volunteer_update(actor=actor, volunteer=volunteer, **data)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            if progress:
                progress()
        if dry_run:
            transaction.set_rollback(True)
    return counts


ROLE_WORDS = {label: code for code, label in MemberRole.choices} | {
    code: code for code in MemberRole.values
}


def memberships_import(*, actor, rows, dry_run: bool = False, progress=None) -> dict:
    """Import memberships (身份证号, 服务队, 职务, 加入/离队日期), all or nothing.

    A row whose volunteer is already a current member of the team is left as it
    is, or closed when it carries a 离队日期; otherwise a membership is added
    (already closed when a 离队日期 is given), so rerunning a file changes nothing.
    """
    from core.tabular import RowErrors

    errors = RowErrors()
    teams = {t.name: t for t in Team.objects.all()}
    numbers = {row.get("id_number").strip().upper() for row in rows}
    volunteers = {
        v.id_number: v for v in Volunteer.objects.filter(id_number__in=numbers)
    }
    seen: dict[tuple, int] = {}
    parsed = []
    for row in rows:
        number = row.get("id_number").strip().upper()
        volunteer = volunteers.get(number)
        if volunteer is None:
            errors.add(row.number, "身份证号", f"志愿者“{number}”未登记")
        team_name = row.get("team").strip()
        team = teams.get(team_name)
        if team is None:
            errors.add(row.number, "服务队", f"服务队“{team_name}”不存在")
        role_text = row.get("role").strip() or "队员"
        role = ROLE_WORDS.get(role_text)
        if role is None:
            errors.add(
                row.number, "职务", f"无法识别“{role_text}”（应为队长/副队长/队员）"
            )
        joined_on = left_on = None
        try:
            joined_on = _parse_date(row.get("joined_on"))
        except ValueError:
            errors.add(row.number, "加入日期", "日期格式应为 YYYY-MM-DD")
        if row.get("left_on").strip():
            try:
                left_on = _parse_date(row.get("left_on"))
            except ValueError:
                errors.add(row.number, "离队日期", "日期格式应为 YYYY-MM-DD")
        if joined_on and left_on and left_on < joined_on:
            errors.add(row.number, "离队日期", "不能早于加入日期")
        key = (number, team_name)
        if key in seen:
            errors.add(row.number, "身份证号", f"与第{seen[key]}行是同一队员")
        seen.setdefault(key, row.number)
        parsed.append((volunteer, team, role, joined_on, left_on))
    errors.raise_if_any("队员名单")
    counts = {"created": 0, "ended": 0, "unchanged": 0}
    with transaction.atomic():
        for volunteer, team, role, joined_on, left_on in parsed:
            current = Membership.objects.filter(
                team=team, volunteer=volunteer, left_on__isnull=True
            ).first()
            if current is None:
                membership = membership_add(
                    actor=actor,
                    team=team,
                    volunteer=volunteer,
                    role=role,
                    joined_on=joined_on,
                )
                counts["created"] += 1
                if left_on:
                    membership_end(actor=actor, membership=membership, left_on=left_on)
            elif left_on:
                membership_end(actor=actor, membership=current, left_on=left_on)
                counts["ended"] += 1
            else:
                counts["unchanged"] += 1
            if progress:
                progress()
        if dry_run:
            transaction.set_rollback(True)
    return counts
