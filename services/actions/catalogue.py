"""Every write to the catalogue: matters and materials, agreements and their lists,
一件事 bundles, and the row-file imports that feed them.

Rules on one row live in the model's constraints as well; rules that need the
catalogue (publishing checks, overlapping list periods) live here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from tqdm import tqdm

from core.audit import actor_context
from core.choices import DistrictKind
from core.errors import IllegalTransition, NotFound, ValidationFailed, check_version
from core.models import Department, District
from core.tabular import RowErrors, read_rows
from services.catalogue_codes import (
    MalformedCode,
    body_code_warnings,
    parse_matter_code,
)
from services.choices import (
    MATTER_TRANSITIONS,
    AgreementMode,
    HandlingType,
    LiaisonSide,
    MaterialForm,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    ResultType,
    TongbanScope,
)
from services.models import (
    Agreement,
    AgreementMatter,
    Bundle,
    BundleMatter,
    LiaisonOfficer,
    Matter,
    MatterMaterial,
)

# The fields of a matter an operator edits (everything but status and bookkeeping).
MATTER_FIELDS = [
    "code",
    "name",
    "kind",
    "department",
    "body_code",
    "legal_basis",
    "conditions",
    "procedure",
    "handling_type",
    "statutory_days",
    "promised_days",
    "visits",
    "visits_reason",
    "fee",
    "fee_basis",
    "online_depth",
    "mail_supported",
    "result_name",
    "result_type",
    "tongban_scope",
    "location",
    "contact_phone",
]
MATERIAL_FIELDS = ["name", "required", "form", "copies", "source", "notes"]
MATTER_DEFAULTS = {
    "body_code": "",
    "legal_basis": "",
    "conditions": "",
    "procedure": "",
    "handling_type": HandlingType.PROMISED,
    "visits": 0,
    "visits_reason": "",
    "fee": Decimal("0"),
    "fee_basis": "",
    "online_depth": OnlineDepth.NONE,
    "mail_supported": False,
    "result_name": "",
    "result_type": ResultType.CERTIFICATE,
    "tongban_scope": TongbanScope.NONE,
    "location": "",
    "contact_phone": "",
}
MATERIAL_DEFAULTS = {
    "required": True,
    "form": MaterialForm.ORIGINAL,
    "copies": 1,
    "source": "",
    "notes": "",
}


# ---------------------------------------------------------------- matter rules


def matter_field_errors(data: dict) -> tuple[dict[str, list[str]], list[str]]:
    """Errors that refuse any save of a matter, and warnings that do not.

    ``data`` holds the full set of MATTER_FIELDS; ``department`` is a Department.
    Fills ``code_form`` and, for national codes, a missing ``body_code``.
    """
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        parsed = parse_matter_code(data.get("code", ""))
    except MalformedCode as error:
        for reason in error.reasons:
            add("code", reason)
    else:
        data["code"] = parsed.code
        data["code_form"] = parsed.form
        if parsed.body_code and not data.get("body_code"):
            data["body_code"] = parsed.body_code
            warnings.extend(parsed.warnings)
        elif data.get("body_code"):
            warnings.extend(body_code_warnings(data["body_code"]))
    if not (data.get("name") or "").strip():
        add("name", "事项名称不能为空")
    if data.get("kind") not in MatterKind.values:
        add("kind", "事项类型无效")
    department = data.get("department")
    if department is None:
        add("department", "实施主体不能为空")
    elif department.district.kind != DistrictKind.LOCAL:
        add("department", "实施主体须为本区部门")
    statutory, promised = data.get("statutory_days"), data.get("promised_days")
    if statutory is None:
        add("statutory_days", "法定办结时限不能为空")
    if promised is None:
        add("promised_days", "承诺办结时限不能为空")
    if statutory is not None and promised is not None and promised > statutory:
        add(
            "promised_days",
            f"承诺办结时限（{promised}个工作日）不得长于法定办结时限（{statutory}个工作日）",
        )
    if data.get("visits") not in (0, 1, 2):
        add("visits", "到办事现场次数应为0、1或2")
    if data.get("fee") is not None and data["fee"] < 0:
        add("fee", "收费标准不能为负数")
    for name, choices in (
        ("handling_type", HandlingType),
        ("online_depth", OnlineDepth),
        ("result_type", ResultType),
        ("tongban_scope", TongbanScope),
    ):
        if data.get(name) not in choices.values:
            add(name, "取值无效")
    return errors, warnings


def matter_publish_problems(data: dict, materials: list[dict]) -> list[tuple[str, str]]:
    """What stands in the way of publishing: (field, message) pairs.

    The catalogue-checking rules seen in practice: visits need a reason; a matter
    without visits that is not fully online must accept postal applications; a fee
    needs its basis; a published guide needs conditions, legal basis and materials.
    """
    problems = []
    if data.get("visits") and not (data.get("visits_reason") or "").strip():
        problems.append(("visits_reason", "到现场次数不为0时须写明必须到现场的原因"))
    if (
        data.get("visits") == 0
        and data.get("online_depth") != OnlineDepth.FULL
        and not data.get("mail_supported")
    ):
        problems.append(
            ("mail_supported", "零跑腿但不能全程网办的事项须支持物流快递（邮寄申请）")
        )
    if data.get("fee") and not (data.get("fee_basis") or "").strip():
        problems.append(("fee_basis", "收费事项须写明收费依据"))
    if not (data.get("legal_basis") or "").strip():
        problems.append(("legal_basis", "设定依据不能为空"))
    if not (data.get("conditions") or "").strip():
        problems.append(("conditions", "受理条件不能为空"))
    if not materials:
        problems.append(("materials", "至少应有一项申请材料"))
    return problems


def _material_errors(materials: list[dict]) -> list[str]:
    errors = []
    for index, item in enumerate(materials, start=1):
        if not (item.get("name") or "").strip():
            errors.append(f"第{index}项材料缺少名称")
        if item.get("form") not in MaterialForm.values:
            errors.append(f"第{index}项材料形式无效（应为原件、复印件或电子证照）")
        copies = item.get("copies")
        if not isinstance(copies, int) or copies < 1:
            errors.append(f"第{index}项材料份数应为正整数")
    return errors


def _matter_data(matter: Matter) -> dict:
    return {name: getattr(matter, name) for name in MATTER_FIELDS}


def _material_data(material: MatterMaterial) -> dict:
    return {name: getattr(material, name) for name in MATERIAL_FIELDS}


def _normalise_materials(materials: list[dict]) -> list[dict]:
    return [{**MATERIAL_DEFAULTS, **item} for item in materials]


def _raise_field_errors(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ValidationFailed.for_fields(errors, message)


def _materials_replace(matter: Matter, materials: list[dict]) -> bool:
    """Replace the matter's materials when they differ; True if anything changed."""
    current = [_material_data(m) for m in matter.materials.all()]
    if current == materials:
        return False
    MatterMaterial.objects.filter(matter=matter).delete()
    MatterMaterial.objects.bulk_create(
        MatterMaterial(matter=matter, position=index, **item)
        for index, item in enumerate(materials, start=1)
    )
    return True


# ------------------------------------------------------------- matter writes


def matter_create(*, actor, data: dict, materials: list[dict] | None = None) -> Matter:
    """Create a draft matter; refuses malformed codes, promised > statutory, etc."""
    full = {**MATTER_DEFAULTS, **data}
    materials = _normalise_materials(materials or [])
    errors, _warnings = matter_field_errors(full)
    if material_errors := _material_errors(materials):
        errors["materials"] = material_errors
    if not errors.get("code") and Matter.objects.filter(code=full["code"]).exists():
        errors.setdefault("code", []).append(f"实施编码“{full['code']}”已存在")
    _raise_field_errors(errors, "事项信息有误，未保存")
    with transaction.atomic(), actor_context(actor):
        fields = {name: full[name] for name in MATTER_FIELDS}
        matter = Matter.objects.create(
            code_form=full["code_form"], status=MatterStatus.DRAFT, **fields
        )
        _materials_replace(matter, materials)
    return matter


def matter_update(
    *,
    actor,
    matter: Matter,
    data: dict,
    materials: list[dict] | None = None,
    expected_version: int | None = None,
) -> Matter:
    """Change a matter's fields (and materials when given); bumps the version.

    A published matter stays publishable: an edit that would break the publishing
    rules is refused.
    """
    with transaction.atomic(), actor_context(actor):
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        check_version(matter, expected_version)
        full = {**_matter_data(matter), **data}
        errors, _warnings = matter_field_errors(full)
        new_materials = (
            _normalise_materials(materials)
            if materials is not None
            else [_material_data(m) for m in matter.materials.all()]
        )
        if material_errors := _material_errors(new_materials):
            errors["materials"] = material_errors
        if (
            not errors.get("code")
            and Matter.objects.filter(code=full["code"]).exclude(pk=matter.pk).exists()
        ):
            errors.setdefault("code", []).append(f"实施编码“{full['code']}”已存在")
        if not errors and matter.status == MatterStatus.PUBLISHED:
            for name, message in matter_publish_problems(full, new_materials):
                errors.setdefault(name, []).append(message)
        _raise_field_errors(errors, "事项信息有误，未保存")
        changed = [
            name for name in MATTER_FIELDS if getattr(matter, name) != full[name]
        ]
        for name in changed:
            setattr(matter, name, full[name])
        matter.code_form = full["code_form"]
        materials_changed = _materials_replace(matter, new_materials)
        if changed or materials_changed:
            matter.version += 1
            matter.save()
    return matter


def matter_transition(
    *, actor, matter: Matter, to: str, expected_version: int | None = None
) -> Matter:
    """Move a matter along MATTER_TRANSITIONS; publishing checks the rules first."""
    with transaction.atomic(), actor_context(actor):
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        check_version(matter, expected_version)
        if to not in MATTER_TRANSITIONS.get(matter.status, set()):
            raise IllegalTransition(
                f"事项当前为“{matter.get_status_display()}”，不能改为“{MatterStatus(to).label}”"
            )
        if to == MatterStatus.PUBLISHED:
            materials = [_material_data(m) for m in matter.materials.all()]
            problems = matter_publish_problems(_matter_data(matter), materials)
            if problems:
                raise ValidationFailed(
                    "事项不符合发布要求，未发布",
                    errors=[
                        {"field": name, "code": "publish_rule", "message": message}
                        for name, message in problems
                    ],
                )
            matter.published_at = timezone.now()
        matter.status = to
        matter.version += 1
        matter.save()
    return matter


def matter_publish(*, actor, matter: Matter, expected_version=None) -> Matter:
    """发布: only a draft or suspended matter that passes the publishing rules."""
    return matter_transition(
        actor=actor,
        matter=matter,
        to=MatterStatus.PUBLISHED,
        expected_version=expected_version,
    )


def matter_suspend(*, actor, matter: Matter, expected_version=None) -> Matter:
    """暂停: a published matter is taken off the public catalogue for a while."""
    return matter_transition(
        actor=actor,
        matter=matter,
        to=MatterStatus.SUSPENDED,
        expected_version=expected_version,
    )


def matter_retire(*, actor, matter: Matter, expected_version=None) -> Matter:
    """废止: final; a retired matter can no longer be published."""
    return matter_transition(
        actor=actor,
        matter=matter,
        to=MatterStatus.RETIRED,
        expected_version=expected_version,
    )


# ------------------------------------------------------------ matter import

# column (English code and Chinese header) → field
MATTER_COLUMNS = {
    "code": "code",
    "实施编码": "code",
    "事项编码": "code",
    "name": "name",
    "事项名称": "name",
    "kind": "kind",
    "事项类型": "kind",
    "department": "department",
    "实施主体": "department",
    "body_code": "body_code",
    "实施主体编码": "body_code",
    "legal_basis": "legal_basis",
    "设定依据": "legal_basis",
    "conditions": "conditions",
    "受理条件": "conditions",
    "procedure": "procedure",
    "办理流程": "procedure",
    "handling_type": "handling_type",
    "办件类型": "handling_type",
    "statutory_days": "statutory_days",
    "法定办结时限": "statutory_days",
    "promised_days": "promised_days",
    "承诺办结时限": "promised_days",
    "visits": "visits",
    "到办事现场次数": "visits",
    "visits_reason": "visits_reason",
    "必须到现场原因": "visits_reason",
    "fee": "fee",
    "收费标准": "fee",
    "fee_basis": "fee_basis",
    "收费依据": "fee_basis",
    "online_depth": "online_depth",
    "网办深度": "online_depth",
    "mail_supported": "mail_supported",
    "支持物流快递": "mail_supported",
    "result_name": "result_name",
    "办理结果名称": "result_name",
    "result_type": "result_type",
    "办理结果类型": "result_type",
    "tongban_scope": "tongban_scope",
    "通办范围": "tongban_scope",
    "location": "location",
    "办理地点": "location",
    "contact_phone": "contact_phone",
    "咨询电话": "contact_phone",
    "status": "status",
    "状态": "status",
    "materials": "materials",
    "申请材料": "materials",
}
MATTER_REQUIRED_COLUMNS = {
    "code",
    "name",
    "kind",
    "department",
    "statutory_days",
    "promised_days",
}
# The Chinese header each field is exported under (first Chinese name above).
MATTER_EXPORT_HEADER = [
    ("code", "实施编码"),
    ("name", "事项名称"),
    ("kind", "事项类型"),
    ("department", "实施主体"),
    ("body_code", "实施主体编码"),
    ("legal_basis", "设定依据"),
    ("conditions", "受理条件"),
    ("procedure", "办理流程"),
    ("handling_type", "办件类型"),
    ("statutory_days", "法定办结时限"),
    ("promised_days", "承诺办结时限"),
    ("visits", "到办事现场次数"),
    ("visits_reason", "必须到现场原因"),
    ("fee", "收费标准"),
    ("fee_basis", "收费依据"),
    ("online_depth", "网办深度"),
    ("mail_supported", "支持物流快递"),
    ("result_name", "办理结果名称"),
    ("result_type", "办理结果类型"),
    ("tongban_scope", "通办范围"),
    ("location", "办理地点"),
    ("contact_phone", "咨询电话"),
    ("status", "状态"),
    ("materials", "申请材料"),
]
TRUE_WORDS = {"是", "true", "1", "y", "yes", "支持", "必要", "必须"}
FALSE_WORDS = {"否", "false", "0", "n", "no", "不支持", "非必要", "", "可选"}
MATERIAL_SEPARATORS = ("|", "｜")


def _choice(value: str, choices) -> str | None:
    """A choice given as its code or its Chinese label."""
    value = value.strip()
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if value == label:
            return code
    return None


def _boolean(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def materials_to_text(materials: list[dict]) -> str:
    """One line per material: 名称|必要|形式|份数|来源|须知 (the import's cell format)."""
    lines = []
    for item in materials:
        lines.append(
            "|".join(
                [
                    item["name"],
                    "必要" if item["required"] else "非必要",
                    str(MaterialForm(item["form"]).label),
                    str(item["copies"]),
                    item["source"],
                    item["notes"],
                ]
            )
        )
    return "\n".join(lines)


def materials_from_text(text: str) -> tuple[list[dict], list[str]]:
    materials, errors = [], []
    for index, line in enumerate(filter(None, text.replace("\r", "").split("\n")), 1):
        for separator in MATERIAL_SEPARATORS[1:]:
            line = line.replace(separator, MATERIAL_SEPARATORS[0])
        parts = [part.strip() for part in line.split("|")]
        parts += [""] * (6 - len(parts))
        name, required, form, copies, source, notes = parts[:6]
        item = {"name": name, "source": source, "notes": notes}
        required_value = _boolean(required) if required else True
        if required_value is None:
            errors.append(f"第{index}项材料“必要”应为“必要”或“非必要”")
        item["required"] = bool(required_value)
        item["form"] = _choice(form, MaterialForm) if form else MaterialForm.ORIGINAL
        if item["form"] is None:
            errors.append(
                f"第{index}项材料形式“{form}”无效（应为原件、复印件或电子证照）"
            )
        try:
            item["copies"] = int(copies) if copies else 1
        except ValueError:
            errors.append(f"第{index}项材料份数“{copies}”应为正整数")
            item["copies"] = 1
        if not name:
            errors.append(f"第{index}项材料缺少名称")
        materials.append(item)
    return materials, errors


def _department_index() -> dict[str, Department]:
    index = {}
    for department in Department.objects.filter(
        district__kind=DistrictKind.LOCAL
    ).select_related("district"):
        for key in (department.code, department.name, department.short_name):
            if key:
                index[key] = department
    return index


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        prefix = "（试运行，未写入）" if self.dry_run else ""
        return (
            f"{prefix}新增 {self.created} 项，更新 {self.updated} 项，"
            f"未变 {self.unchanged} 项，警告 {len(self.warnings)} 条"
        )


@dataclass
class _MatterRow:
    number: int
    data: dict
    materials: list[dict] | None
    status: str | None


def _parse_matter_row(row, departments, errors: RowErrors) -> _MatterRow | None:
    values = row.values
    data: dict = {}
    bad = False

    def fail(name: str, message: str) -> None:
        nonlocal bad
        errors.add(row.number, name, message)
        bad = True

    for name in (
        "code",
        "name",
        "body_code",
        "legal_basis",
        "conditions",
        "procedure",
        "visits_reason",
        "fee_basis",
        "result_name",
        "location",
        "contact_phone",
    ):
        if name in values:
            data[name] = values[name]
    if "body_code" in data:
        data["body_code"] = data["body_code"].upper()
    kind = _choice(values.get("kind", ""), MatterKind)
    if kind is None:
        fail("事项类型", f"“{values.get('kind', '')}”不是有效的事项类型")
    data["kind"] = kind
    department = departments.get(values.get("department", "").strip())
    if department is None:
        fail("实施主体", f"未知部门“{values.get('department', '')}”")
    data["department"] = department
    for name, label in (
        ("statutory_days", "法定办结时限"),
        ("promised_days", "承诺办结时限"),
        ("visits", "到办事现场次数"),
    ):
        if name not in values:
            continue
        text = values[name]
        try:
            number = int(Decimal(text)) if text else None
            if number is not None and (number < 0 or Decimal(text) != number):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            fail(label, f"“{text}”应为非负整数")
            number = None
        if number is None and name != "visits":
            if text == "":
                fail(label, "不能为空")
        data[name] = number if number is not None else (0 if name == "visits" else None)
    if "fee" in values:
        try:
            data["fee"] = Decimal(values["fee"] or "0")
        except InvalidOperation:
            fail("收费标准", f"“{values['fee']}”应为金额（元）")
    for name, label, choices in (
        ("handling_type", "办件类型", HandlingType),
        ("online_depth", "网办深度", OnlineDepth),
        ("result_type", "办理结果类型", ResultType),
        ("tongban_scope", "通办范围", TongbanScope),
    ):
        if values.get(name):
            value = _choice(values[name], choices)
            if value is None:
                fail(label, f"“{values[name]}”取值无效")
            data[name] = value
    if "mail_supported" in values:
        value = _boolean(values["mail_supported"])
        if value is None:
            fail("支持物流快递", f"“{values['mail_supported']}”应为是或否")
        data["mail_supported"] = bool(value)
    status = None
    if values.get("status"):
        status = _choice(values["status"], MatterStatus)
        if status is None:
            fail("状态", f"“{values['status']}”不是有效状态")
    materials = None
    if "materials" in values:
        materials, material_errors = materials_from_text(values["materials"])
        for message in material_errors:
            fail("申请材料", message)
    if bad:
        return None
    return _MatterRow(row.number, data, materials, status)


LABELS = {name: label for name, label in MATTER_EXPORT_HEADER}


def matters_import(*, actor, path: Path, dry_run: bool = False, progress=None):
    """Upsert matters by code from an xlsx/csv; all rows valid or nothing written.

    Every row is checked first (malformed or duplicate code, unknown department,
    promised > statutory, publishing rules for rows marked 已发布, illegal status
    changes); any bad row refuses the whole file with every bad row named.
    """
    rows = read_rows(
        Path(path),
        columns=MATTER_COLUMNS,
        optional=set(MATTER_COLUMNS.values()) - MATTER_REQUIRED_COLUMNS,
    )
    errors = RowErrors()
    departments = _department_index()
    existing = {
        matter.code: matter
        for matter in Matter.objects.prefetch_related("materials").filter(
            code__in=[row.get("code").strip().upper() for row in rows]
        )
    }
    seen: dict[str, int] = {}
    plans = []
    for row in tqdm(rows, desc="检查", unit="行", disable=progress is False):
        parsed = _parse_matter_row(row, departments, errors)
        if parsed is None:
            continue
        current = existing.get((parsed.data.get("code") or "").strip().upper())
        base = (
            _matter_data(current) if current else {**MATTER_DEFAULTS}
        )  # blank optional columns keep what is there
        full = {**base, **parsed.data}
        field_errors, warnings = matter_field_errors(full)
        for name, messages in field_errors.items():
            for message in messages:
                errors.add(row.number, LABELS.get(name, name), message)
        for message in warnings:
            errors.warn(row.number, "实施主体编码", message)
        if field_errors:
            continue
        code = full["code"]
        if code in seen:
            errors.add(row.number, "实施编码", f"与第{seen[code]}行重复：{code}")
            continue
        seen[code] = row.number
        current = existing.get(code)
        materials = (
            _normalise_materials(parsed.materials)
            if parsed.materials is not None
            else (
                [_material_data(m) for m in current.materials.all()] if current else []
            )
        )
        status = parsed.status or (current.status if current else MatterStatus.DRAFT)
        if current and status != current.status:
            if status not in MATTER_TRANSITIONS.get(current.status, set()):
                errors.add(
                    row.number,
                    "状态",
                    f"不能从“{current.get_status_display()}”改为“{MatterStatus(status).label}”",
                )
                continue
        if not current and status not in (
            MatterStatus.DRAFT,
            MatterStatus.PUBLISHED,
        ):
            errors.add(row.number, "状态", "新事项只能是草稿或已发布")
            continue
        if status == MatterStatus.PUBLISHED:
            for name, message in matter_publish_problems(full, materials):
                errors.add(row.number, LABELS.get(name, name), message)
        plans.append((row.number, current, full, materials, status))
    errors.raise_if_any("事项文件")
    result = ImportResult(
        dry_run=dry_run,
        warnings=[f"第{r}行 {n}：{m}" for r, n, m in sorted(errors.warnings)],
    )
    with transaction.atomic(), actor_context(actor):
        for _number, current, full, materials, status in tqdm(
            plans, desc="写入", unit="项", disable=progress is False
        ):
            data = {name: full[name] for name in MATTER_FIELDS}
            if current is None:
                matter = matter_create(actor=actor, data=data, materials=materials)
                if status == MatterStatus.PUBLISHED:
                    matter_publish(actor=actor, matter=matter)
                result.created += 1
                continue
            before = current.version
            matter = current
            # Status first when leaving 已发布, last when entering it, so the
            # publishing rules apply to the final content.
            if status != current.status and status != MatterStatus.PUBLISHED:
                matter = matter_transition(actor=actor, matter=matter, to=status)
            matter = matter_update(
                actor=actor, matter=matter, data=data, materials=materials
            )
            if status != matter.status:
                matter = matter_transition(actor=actor, matter=matter, to=status)
            if matter.version != before:
                result.updated += 1
            else:
                result.unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return result


# ---------------------------------------------------------------- agreements


def _agreement_errors(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    partner = data.get("partner")
    if partner is None or partner.kind != DistrictKind.PARTNER:
        errors["partner"] = ["合作地区须为已登记的合作地区"]
    bad_modes = [m for m in data.get("modes", []) if m not in AgreementMode.values]
    if bad_modes or not data.get("modes"):
        errors["modes"] = ["至少选择一种通办模式（全程网办、异地代收代办、多地联办）"]
    if not (data.get("title") or "").strip():
        errors["title"] = ["协议名称不能为空"]
    if not (data.get("code") or "").strip():
        errors["code"] = ["协议编号不能为空"]
    signed, effective = data.get("signed_on"), data.get("effective_on")
    if signed and effective and effective < signed:
        errors["effective_on"] = ["生效日期不得早于签署日期"]
    return errors


AGREEMENT_FIELDS = [
    "code",
    "title",
    "partner",
    "modes",
    "signed_on",
    "effective_on",
    "summary",
    "active",
]


def agreement_create(
    *, actor, data: dict, liaisons: list[dict] | None = None
) -> Agreement:
    """Register a 通办协议 with a partner district and its liaison officers."""
    data = {"summary": "", "active": True, **data}
    errors = _agreement_errors(data)
    if Agreement.objects.filter(code=data.get("code")).exists():
        errors.setdefault("code", []).append("协议编号已存在")
    _raise_field_errors(errors, "协议信息有误，未保存")
    with transaction.atomic(), actor_context(actor):
        agreement = Agreement.objects.create(
            **{name: data[name] for name in AGREEMENT_FIELDS}
        )
        if liaisons:
            liaisons_set(actor=actor, agreement=agreement, liaisons=liaisons)
    return agreement


def agreement_update(
    *, actor, agreement: Agreement, data: dict, expected_version=None
) -> Agreement:
    with transaction.atomic(), actor_context(actor):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        check_version(agreement, expected_version)
        full = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS} | data
        errors = _agreement_errors(full)
        if (
            Agreement.objects.filter(code=full["code"])
            .exclude(pk=agreement.pk)
            .exists()
        ):
            errors.setdefault("code", []).append("协议编号已存在")
        _raise_field_errors(errors, "协议信息有误，未保存")
        changed = [n for n in AGREEMENT_FIELDS if getattr(agreement, n) != full[n]]
        if changed:
            for name in changed:
                setattr(agreement, name, full[name])
            agreement.version += 1
            agreement.save()
    return agreement


def liaisons_set(
    *, actor, agreement: Agreement, liaisons: list[dict]
) -> list[LiaisonOfficer]:
    """Replace the agreement's liaison officers (日常工作联络员) of both sides."""
    errors = []
    for index, item in enumerate(liaisons, start=1):
        if item.get("side") not in LiaisonSide.values:
            errors.append(f"第{index}位联络员所属方无效")
        for name, label in (
            ("name", "姓名"),
            ("department", "单位"),
            ("phone", "电话"),
        ):
            if not (item.get(name) or "").strip():
                errors.append(f"第{index}位联络员缺少{label}")
    if errors:
        raise ValidationFailed.for_fields({"liaisons": errors}, "联络员信息有误")
    with transaction.atomic(), actor_context(actor):
        agreement.liaisons.all().delete()
        return LiaisonOfficer.objects.bulk_create(
            LiaisonOfficer(
                agreement=agreement,
                side=item["side"],
                name=item["name"].strip(),
                department=item["department"].strip(),
                phone=item["phone"].strip(),
            )
            for item in liaisons
        )


def liaison_save(
    *, actor, agreement: Agreement, liaison: LiaisonOfficer | None, data: dict
) -> LiaisonOfficer:
    """Add or change one liaison officer (the admin inline edits them one by one)."""
    with transaction.atomic(), actor_context(actor):
        if liaison is None:
            return LiaisonOfficer.objects.create(agreement=agreement, **data)
        for name, value in data.items():
            setattr(liaison, name, value)
        liaison.save()
        return liaison


def liaison_delete(*, actor, liaison: LiaisonOfficer) -> None:
    with transaction.atomic(), actor_context(actor):
        liaison.delete()


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    far = datetime.date.max
    return a_from < (b_to or far) and b_from < (a_to or far)


def agreement_matter_add(
    *,
    actor,
    agreement: Agreement,
    matter: Matter,
    batch: str,
    effective_from: datetime.date,
) -> AgreementMatter:
    """Put a published matter on the agreement's list from a date (调入)."""
    errors: dict[str, list[str]] = {}
    if matter.status != MatterStatus.PUBLISHED:
        errors["matter"] = [f"事项“{matter.name}”未发布，不能列入通办清单"]
    if not (batch or "").strip():
        errors["batch"] = ["批次不能为空"]
    if effective_from < agreement.effective_on:
        errors["effective_from"] = ["生效日期不得早于协议生效日期"]
    _raise_field_errors(errors, "未能列入通办清单")
    with transaction.atomic(), actor_context(actor):
        for entry in AgreementMatter.objects.select_for_update().filter(
            agreement=agreement, matter=matter
        ):
            if _overlaps(
                entry.effective_from, entry.effective_to, effective_from, None
            ):
                raise ValidationFailed.for_fields(
                    {"matter": f"该事项自{entry.effective_from}起已在清单中"},
                    "未能列入通办清单",
                )
        try:
            with transaction.atomic():
                return AgreementMatter.objects.create(
                    agreement=agreement,
                    matter=matter,
                    batch=batch.strip(),
                    effective_from=effective_from,
                )
        except IntegrityError:
            raise ValidationFailed.for_fields(
                {"matter": "该事项已在清单中"}, "未能列入通办清单"
            ) from None


def agreement_matter_remove(
    *, actor, entry: AgreementMatter, effective_to: datetime.date, reason: str
) -> AgreementMatter:
    """Take a matter off the list from ``effective_to`` (调出), with the reason."""
    errors: dict[str, list[str]] = {}
    if entry.effective_to is not None:
        raise IllegalTransition(f"该事项已于{entry.effective_to}调出清单")
    if not (reason or "").strip():
        errors["reason"] = ["调出清单须写明原因"]
    if effective_to <= entry.effective_from:
        errors["effective_to"] = ["停止日期应晚于生效日期"]
    _raise_field_errors(errors, "未能调出通办清单")
    with transaction.atomic(), actor_context(actor):
        entry = AgreementMatter.objects.select_for_update().get(pk=entry.pk)
        entry.effective_to = effective_to
        entry.removal_reason = reason.strip()
        entry.save(update_fields=["effective_to", "removal_reason"])
    return entry


AGREEMENT_LIST_COLUMNS = {
    "code": "code",
    "实施编码": "code",
    "事项编码": "code",
    "name": "name",
    "事项名称": "name",
    "batch": "batch",
    "批次": "batch",
    "effective_from": "effective_from",
    "生效日期": "effective_from",
    "effective_to": "effective_to",
    "停止日期": "effective_to",
    "removal_reason": "removal_reason",
    "调出原因": "removal_reason",
}
AGREEMENT_LIST_REQUIRED = {"code", "batch", "effective_from"}
AGREEMENT_LIST_HEADER = [
    "实施编码",
    "事项名称",
    "批次",
    "生效日期",
    "停止日期",
    "调出原因",
]


def _date(text: str) -> datetime.date | None:
    text = text.strip()[:10].replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                return datetime.date(*(int(p) for p in parts))
            except ValueError:
                return None
        return None


def agreement_list_import(
    *, actor, agreement: Agreement, path: Path, dry_run: bool = False, progress=None
) -> ImportResult:
    """Upsert an agreement's list entries by (code, 生效日期); all rows or none.

    A row with 停止日期 and 调出原因 records a removal. Entries not in the file are
    left as they are (the list's history is never rewritten by omission).
    """
    rows = read_rows(
        Path(path),
        columns=AGREEMENT_LIST_COLUMNS,
        optional=set(AGREEMENT_LIST_COLUMNS.values()) - AGREEMENT_LIST_REQUIRED,
    )
    errors = RowErrors()
    codes = {row.get("code").strip().upper() for row in rows}
    matters = {m.code: m for m in Matter.objects.filter(code__in=codes)}
    entries: dict[int, list[AgreementMatter]] = {}
    for entry in AgreementMatter.objects.filter(
        agreement=agreement, matter__code__in=codes
    ):
        entries.setdefault(entry.matter_id, []).append(entry)
    planned: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = {}
    seen: dict[tuple[str, datetime.date], int] = {}
    plans = []
    for row in tqdm(rows, desc="检查", unit="行", disable=progress is False):
        code = row.get("code").strip().upper()
        matter = matters.get(code)
        bad = False
        if not code:
            errors.add(row.number, "实施编码", "不能为空")
            bad = True
        elif matter is None:
            errors.add(row.number, "实施编码", f"目录中没有编码为“{code}”的事项")
            bad = True
        batch = row.get("batch").strip()
        if not batch:
            errors.add(row.number, "批次", "不能为空")
            bad = True
        start = _date(row.get("effective_from"))
        if start is None:
            errors.add(
                row.number, "生效日期", f"“{row.get('effective_from')}”不是有效日期"
            )
            bad = True
        end = None
        if row.get("effective_to"):
            end = _date(row.get("effective_to"))
            if end is None:
                errors.add(
                    row.number, "停止日期", f"“{row.get('effective_to')}”不是有效日期"
                )
                bad = True
        reason = row.get("removal_reason").strip()
        if bad:
            continue
        if end is not None and end <= start:
            errors.add(row.number, "停止日期", "停止日期应晚于生效日期")
            continue
        if end is not None and not reason:
            errors.add(row.number, "调出原因", "有停止日期的事项须写明调出原因")
            continue
        if start < agreement.effective_on:
            errors.add(row.number, "生效日期", "不得早于协议生效日期")
            continue
        if (code, start) in seen:
            errors.add(
                row.number,
                "实施编码",
                f"与第{seen[(code, start)]}行重复：{code} {start}",
            )
            continue
        seen[(code, start)] = row.number
        current = next(
            (e for e in entries.get(matter.pk, []) if e.effective_from == start), None
        )
        if (
            end is None
            and matter.status != MatterStatus.PUBLISHED
            and (current is None or current.effective_to is not None)
        ):
            errors.add(
                row.number, "实施编码", f"事项“{matter.name}”未发布，不能列入清单"
            )
            continue
        clash = next(
            (
                e
                for e in entries.get(matter.pk, [])
                if e is not current
                and _overlaps(e.effective_from, e.effective_to, start, end)
            ),
            None,
        )
        if clash is not None:
            errors.add(
                row.number,
                "生效日期",
                f"与清单中已有的时段（{clash.effective_from} 起）重叠",
            )
            continue
        other = next(
            (
                number
                for number, s, e in planned.get(matter.pk, [])
                if _overlaps(s, e, start, end)
            ),
            None,
        )
        if other is not None:
            errors.add(row.number, "生效日期", f"与第{other}行的时段重叠")
            continue
        planned.setdefault(matter.pk, []).append((row.number, start, end))
        plans.append((current, matter, batch, start, end, reason))
    errors.raise_if_any("清单文件")
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic(), actor_context(actor):
        for current, matter, batch, start, end, reason in tqdm(
            plans, desc="写入", unit="项", disable=progress is False
        ):
            if current is None:
                AgreementMatter.objects.create(
                    agreement=agreement,
                    matter=matter,
                    batch=batch,
                    effective_from=start,
                    effective_to=end,
                    removal_reason=reason if end else "",
                )
                result.created += 1
            elif (current.batch, current.effective_to, current.removal_reason) != (
                batch,
                end,
                reason if end else "",
            ):
                current.batch = batch
                current.effective_to = end
                current.removal_reason = reason if end else ""
                current.save(update_fields=["batch", "effective_to", "removal_reason"])
                result.updated += 1
            else:
                result.unchanged += 1
        if dry_run:
            transaction.set_rollback(True)
    return result


def agreement_resolve(identifier: str) -> Agreement:
    """An agreement by its code or id (for commands)."""
    agreement = Agreement.objects.filter(code=identifier).first()
    if agreement is None and identifier.isdigit():
        agreement = Agreement.objects.filter(pk=int(identifier)).first()
    if agreement is None:
        raise NotFound(f"没有编号或ID为“{identifier}”的通办协议")
    return agreement


def partner_resolve(code: str) -> District:
    district = District.objects.filter(code=code, kind=DistrictKind.PARTNER).first()
    if district is None:
        raise NotFound(f"没有代码为“{code}”的合作地区")
    return district


# ------------------------------------------------------------------ bundles


def bundle_save(
    *,
    actor,
    bundle: Bundle | None,
    data: dict,
    matters: list[Matter] | None = None,
) -> Bundle:
    """Create or change a 一件事 and (when given) its ordered matters."""
    errors: dict[str, list[str]] = {}
    if bundle is None and not (data.get("code") or "").strip():
        errors["code"] = ["编码不能为空"]
    if bundle is None and not (data.get("name") or "").strip():
        errors["name"] = ["名称不能为空"]
    if matters is not None:
        if len({m.pk for m in matters}) != len(matters):
            errors["matters"] = ["同一事项不能重复列入"]
        if len(matters) < 2:
            errors.setdefault("matters", []).append("一件事至少包含两个事项")
    code = (data.get("code") or "").strip()
    if (
        code
        and Bundle.objects.filter(code=code)
        .exclude(pk=getattr(bundle, "pk", None))
        .exists()
    ):
        errors.setdefault("code", []).append("编码已存在")
    _raise_field_errors(errors, "一件事信息有误，未保存")
    with transaction.atomic(), actor_context(actor):
        if bundle is None:
            bundle = Bundle.objects.create(**data)
        else:
            for name, value in data.items():
                setattr(bundle, name, value)
            bundle.save()
        if matters is not None:
            current = list(bundle.items.values_list("matter_id", flat=True))
            if current != [m.pk for m in matters]:
                BundleMatter.objects.filter(bundle=bundle).delete()
                BundleMatter.objects.bulk_create(
                    BundleMatter(bundle=bundle, matter=matter, position=index)
                    for index, matter in enumerate(matters, start=1)
                )
    return bundle
