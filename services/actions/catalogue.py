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
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from tqdm import tqdm

from core import scoping, versioning
from core.audit import actor_context
from core.choices import DistrictKind
from core.errors import IllegalTransition, NotFound, ValidationFailed
from core.models import Department, District
from core.tabular import RowErrors, read_rows
from services.catalogue_codes import (
    MalformedCode,
    body_code_warnings,
    parse_matter_code,
)
from services.choices import (
    MATTER_WORKFLOW,
    AgreementMode,
    HandlingType,
    LiaisonSide,
    MaterialForm,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    ResultType,
    TongbanScope,
    matter_verb,
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
        add("name", _("The matter name must not be empty."))
    if data.get("kind") not in MatterKind.values:
        add("kind", _("The matter type is not valid."))
    department = data.get("department")
    if department is None:
        add("department", _("The implementing body must not be empty."))
    elif department.district.kind != DistrictKind.LOCAL:
        add(
            "department",
            _("The implementing body must be a department of our district."),
        )
    statutory, promised = data.get("statutory_days"), data.get("promised_days")
    if statutory is None:
        add("statutory_days", _("The statutory time limit must not be empty."))
    if promised is None:
        add("promised_days", _("The promised time limit must not be empty."))
    if statutory is not None and promised is not None and promised > statutory:
        add(
            "promised_days",
            _(
                "The promised time limit (working days: %(promised)s) must not be "
                "longer than the statutory time limit (working days: %(statutory)s)."
            )
            % {"promised": promised, "statutory": statutory},
        )
    if data.get("visits") not in (0, 1, 2):
        add("visits", _("The number of visits in person must be 0, 1 or 2."))
    if data.get("fee") is not None and data["fee"] < 0:
        add("fee", _("The fee must not be negative."))
    for name, choices in (
        ("handling_type", HandlingType),
        ("online_depth", OnlineDepth),
        ("result_type", ResultType),
        ("tongban_scope", TongbanScope),
    ):
        if data.get(name) not in choices.values:
            add(name, _("The value is not valid."))
    return errors, warnings


def matter_publish_problems(data: dict, materials: list[dict]) -> list[tuple[str, str]]:
    """What stands in the way of publishing: (field, message) pairs.

    The catalogue-checking rules seen in practice: visits need a reason; a matter
    without visits that is not fully online must accept postal applications; a fee
    needs its basis; a published guide needs conditions, legal basis and materials.
    """
    problems = []
    if data.get("visits") and not (data.get("visits_reason") or "").strip():
        problems.append(
            (
                "visits_reason",
                _("When visits in person are needed, the reason must be given."),
            )
        )
    if (
        data.get("visits") == 0
        and data.get("online_depth") != OnlineDepth.FULL
        and not data.get("mail_supported")
    ):
        problems.append(
            (
                "mail_supported",
                _(
                    "A matter with no visits in person that is not fully online "
                    "must support courier delivery (applications by mail)."
                ),
            )
        )
    if data.get("fee") and not (data.get("fee_basis") or "").strip():
        problems.append(
            ("fee_basis", _("A matter with a fee must give the fee basis."))
        )
    if not (data.get("legal_basis") or "").strip():
        problems.append(("legal_basis", _("The legal basis must not be empty.")))
    if not (data.get("conditions") or "").strip():
        problems.append(
            ("conditions", _("The acceptance conditions must not be empty."))
        )
    if not materials:
        problems.append(
            ("materials", _("At least one application material is needed."))
        )
    return problems


def _material_errors(materials: list[dict]) -> list[str]:
    errors = []
    for index, item in enumerate(materials, start=1):
        if not (item.get("name") or "").strip():
            errors.append(_("Material %(number)s has no name.") % {"number": index})
        if item.get("form") not in MaterialForm.values:
            errors.append(
                _(
                    "The form of material %(number)s is not valid (it should be "
                    "original, copy or electronic certificate)."
                )
                % {"number": index}
            )
        copies = item.get("copies")
        if not isinstance(copies, int) or copies < 1:
            errors.append(
                _(
                    "The number of copies of material %(number)s should be a "
                    "positive whole number."
                )
                % {"number": index}
            )
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
        errors.setdefault("code", []).append(
            _("The implementation code “%(code)s” already exists.")
            % {"code": full["code"]}
        )
    _raise_field_errors(errors, _("The matter has errors and was not saved."))
    with transaction.atomic(), actor_context(actor):
        fields = {name: full[name] for name in MATTER_FIELDS}
        matter = Matter.objects.create(
            code_form=full["code_form"], status=MatterStatus.DRAFT, **fields
        )
        _require_writable(actor, matter, "department")
        _materials_replace(matter, materials)
    return matter


def _require_writable(actor, obj, field: str) -> None:
    """Refuse (and so roll back) a new row the actor could not change afterwards:
    another department's matter, an agreement or bundle without catalogue rights."""
    if not scoping.can_write(actor, obj):
        raise ValidationFailed.for_fields(
            {field: _("You may not register records here.")},
            _("You may not register records here."),
        )


def matter_update(
    *,
    actor,
    matter: Matter,
    data: dict,
    materials: list[dict] | None = None,
    expected_version,
) -> Matter:
    """Change a matter's fields (and materials when given); bumps the version.

    Only a matter the actor may write (its department's, or any for catalogue
    admins), only from the version the actor saw (compared on the locked row). A
    published matter stays publishable: an edit that would break the publishing
    rules is refused.
    """
    with transaction.atomic(), actor_context(actor):
        matter = versioning.lock(
            scoping.writable(Matter, actor),
            pk=matter.pk,
            expected_version=expected_version,
        )
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
            errors.setdefault("code", []).append(
                _("The implementation code “%(code)s” already exists.")
                % {"code": full["code"]}
            )
        if not errors and matter.status == MatterStatus.PUBLISHED:
            for name, message in matter_publish_problems(full, new_materials):
                errors.setdefault(name, []).append(message)
        _raise_field_errors(errors, _("The matter has errors and was not saved."))
        changed = [
            name for name in MATTER_FIELDS if getattr(matter, name) != full[name]
        ]
        for name in changed:
            setattr(matter, name, full[name])
        matter.code_form = full["code_form"]
        materials_changed = _materials_replace(matter, new_materials)
        if changed or materials_changed:
            versioning.bump(matter)
        if "department" in changed:
            # Not handed to a department the actor does not work for.
            _require_writable(actor, matter, "department")
    return matter


def matter_publish_check(matter: Matter) -> None:
    """The guard of 发布: refuse with every publishing rule the matter breaks."""
    materials = [_material_data(m) for m in matter.materials.all()]
    problems = matter_publish_problems(_matter_data(matter), materials)
    if problems:
        raise ValidationFailed(
            _(
                "The matter does not meet the publishing requirements and "
                "was not published."
            ),
            errors=[
                {"field": name, "code": "publish_rule", "message": message}
                for name, message in problems
            ],
        )


def _stamp_published(matter: Matter) -> None:
    if matter.status != MatterStatus.PUBLISHED:
        matter.published_at = timezone.now()


def matter_transition(
    *, actor, matter: Matter, verb: str, expected_version, note: str = ""
) -> Matter:
    """Take a step of MATTER_WORKFLOW (发布、暂停、废止) through core.workflow.

    The engine locks the matter within what the actor may write, compares the
    version, checks the step starts from the current status, the permission and,
    for 发布, the publishing rules; the step is recorded as a StateChange.
    """

    def prepare(locked: Matter) -> None:
        if MATTER_WORKFLOW[verb].target == MatterStatus.PUBLISHED:
            _stamp_published(locked)

    return MATTER_WORKFLOW.apply(
        matter.pk if isinstance(matter, Matter) else matter,
        verb,
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare if verb in MATTER_WORKFLOW else None,
    )


def matter_publish(*, actor, matter: Matter, expected_version) -> Matter:
    """发布: only a draft or suspended matter that passes the publishing rules."""
    return matter_transition(
        actor=actor, matter=matter, verb="publish", expected_version=expected_version
    )


def matter_suspend(*, actor, matter: Matter, expected_version) -> Matter:
    """暂停: a published matter is taken off the public catalogue for a while."""
    return matter_transition(
        actor=actor, matter=matter, verb="suspend", expected_version=expected_version
    )


def matter_retire(*, actor, matter: Matter, expected_version) -> Matter:
    """废止: final; a retired matter can no longer be published."""
    return matter_transition(
        actor=actor, matter=matter, verb="retire", expected_version=expected_version
    )


# ------------------------------------------------------------ matter import

# The national record layout: its column headers and the values it writes are file
# data, the same in every interface language, so that a file exported anywhere
# imports again. Column (English code and Chinese header) → field.
# i18n: data
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
# The Chinese header each field is exported under (first Chinese name above); row
# errors name the column by it too, as the file heads it.
# i18n: data
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
# The value each choice is written as in a file (the labels of the national layout).
# i18n: data
FILE_VALUES: dict[type, dict[str, str]] = {
    MatterKind: {
        MatterKind.LICENSING: "行政许可",
        MatterKind.PENALTY: "行政处罚",
        MatterKind.COERCION: "行政强制",
        MatterKind.LEVY: "行政征收",
        MatterKind.PAYMENT: "行政给付",
        MatterKind.INSPECTION: "行政检查",
        MatterKind.CONFIRMATION: "行政确认",
        MatterKind.REWARD: "行政奖励",
        MatterKind.ADJUDICATION: "行政裁决",
        MatterKind.OTHER_POWER: "其他行政权力",
        MatterKind.PUBLIC_SERVICE: "公共服务",
    },
    MatterStatus: {
        MatterStatus.DRAFT: "草稿",
        MatterStatus.PUBLISHED: "已发布",
        MatterStatus.SUSPENDED: "暂停",
        MatterStatus.RETIRED: "已废止",
    },
    HandlingType: {
        HandlingType.IMMEDIATE: "即办件",
        HandlingType.PROMISED: "承诺件",
    },
    OnlineDepth: {
        OnlineDepth.NONE: "不能网办",
        OnlineDepth.INFO: "网上咨询",
        OnlineDepth.PRE_REVIEW: "网上预审",
        OnlineDepth.FULL: "全程网办",
    },
    ResultType: {
        ResultType.CERTIFICATE: "证照",
        ResultType.APPROVAL: "批文",
        ResultType.OTHER: "其他",
    },
    TongbanScope: {
        TongbanScope.NONE: "不通办",
        TongbanScope.CITY: "全市通办",
        TongbanScope.PROVINCE: "全省通办",
        TongbanScope.CROSS_PROVINCE: "跨省通办",
    },
    MaterialForm: {
        MaterialForm.ORIGINAL: "原件",
        MaterialForm.COPY: "复印件",
        MaterialForm.ELECTRONIC: "电子证照",
    },
}
# Yes/no cells: what an export writes, and everything an import accepts; and the
# separators of the materials cell (both file data too).
# i18n: data
FILE_YES, FILE_NO = "是", "否"
# i18n: data
FILE_REQUIRED, FILE_OPTIONAL = "必要", "非必要"
# i18n: data
TRUE_WORDS = {"是", "true", "1", "y", "yes", "支持", "必要", "必须"}
# i18n: data
FALSE_WORDS = {"否", "false", "0", "n", "no", "不支持", "非必要", "", "可选"}
# i18n: data
MATERIAL_SEPARATORS = ("|", "｜")


def file_value(choices, value: str) -> str:
    """How a choice is written in a file (its national-layout label)."""
    return FILE_VALUES[choices].get(value, value)


def _choice(value: str, choices) -> str | None:
    """A choice given as its code, its file label or its label in this language."""
    value = value.strip()
    if value in choices.values:
        return value
    for code, label in FILE_VALUES[choices].items():
        if value == label:
            return code
    for code, label in choices.choices:
        if value == str(label):
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
                    FILE_REQUIRED if item["required"] else FILE_OPTIONAL,
                    file_value(MaterialForm, item["form"]),
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
            errors.append(
                _(
                    "Material %(number)s: the required flag should be “%(yes)s” "
                    "or “%(no)s”."
                )
                % {"number": index, "yes": FILE_REQUIRED, "no": FILE_OPTIONAL}
            )
        item["required"] = bool(required_value)
        item["form"] = _choice(form, MaterialForm) if form else MaterialForm.ORIGINAL
        if item["form"] is None:
            errors.append(
                _(
                    "The form “%(form)s” of material %(number)s is not valid (it "
                    "should be original, copy or electronic certificate)."
                )
                % {"number": index, "form": form}
            )
        try:
            item["copies"] = int(copies) if copies else 1
        except ValueError:
            errors.append(
                _(
                    "The number of copies “%(copies)s” of material %(number)s "
                    "should be a positive whole number."
                )
                % {"number": index, "copies": copies}
            )
            item["copies"] = 1
        if not name:
            errors.append(_("Material %(number)s has no name.") % {"number": index})
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
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": len(self.warnings),
        }
        if self.dry_run:
            return (
                _(
                    "(Dry run, nothing written) Created: %(created)s, updated: "
                    "%(updated)s, unchanged: %(unchanged)s, warnings: %(warnings)s"
                )
                % counts
            )
        return (
            _(
                "Created: %(created)s, updated: %(updated)s, unchanged: "
                "%(unchanged)s, warnings: %(warnings)s"
            )
            % counts
        )


def _progress(rows, *, writing: bool, progress):
    """The progress bar of an import's checking or writing pass."""
    if writing:
        desc, unit = _("Writing"), pgettext("progress bar unit", "item")
    else:
        desc, unit = _("Checking"), pgettext("progress bar unit", "row")
    return tqdm(rows, desc=desc, unit=unit, disable=progress is False)


@dataclass
class _MatterRow:
    number: int
    data: dict
    materials: list[dict] | None
    status: str | None


LABELS = {name: label for name, label in MATTER_EXPORT_HEADER}


def _parse_matter_row(row, departments, errors: RowErrors) -> _MatterRow | None:
    values = row.values
    data: dict = {}
    bad = False

    def fail(name: str, message: str) -> None:
        nonlocal bad
        errors.add(row.number, LABELS[name], message)
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
        fail(
            "kind",
            _("“%(value)s” is not a valid matter type.")
            % {"value": values.get("kind", "")},
        )
    data["kind"] = kind
    department = departments.get(values.get("department", "").strip())
    if department is None:
        fail(
            "department",
            _("Unknown department “%(value)s”.")
            % {"value": values.get("department", "")},
        )
    data["department"] = department
    for name in ("statutory_days", "promised_days", "visits"):
        if name not in values:
            continue
        text = values[name]
        try:
            number = int(Decimal(text)) if text else None
            if number is not None and (number < 0 or Decimal(text) != number):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            fail(
                name,
                _("“%(value)s” should be a non-negative whole number.")
                % {"value": text},
            )
            number = None
        if number is None and name != "visits":
            if text == "":
                fail(name, _("Must not be empty."))
        data[name] = number if number is not None else (0 if name == "visits" else None)
    if "fee" in values:
        try:
            data["fee"] = Decimal(values["fee"] or "0")
        except InvalidOperation:
            fail(
                "fee",
                _("“%(value)s” should be an amount (yuan).") % {"value": values["fee"]},
            )
    for name, choices in (
        ("handling_type", HandlingType),
        ("online_depth", OnlineDepth),
        ("result_type", ResultType),
        ("tongban_scope", TongbanScope),
    ):
        if values.get(name):
            value = _choice(values[name], choices)
            if value is None:
                fail(
                    name,
                    _("“%(value)s” is not a valid value.") % {"value": values[name]},
                )
            data[name] = value
    if "mail_supported" in values:
        value = _boolean(values["mail_supported"])
        if value is None:
            fail(
                "mail_supported",
                _("“%(value)s” should be yes or no.")
                % {"value": values["mail_supported"]},
            )
        data["mail_supported"] = bool(value)
    status = None
    if values.get("status"):
        status = _choice(values["status"], MatterStatus)
        if status is None:
            fail(
                "status",
                _("“%(value)s” is not a valid status.") % {"value": values["status"]},
            )
    materials = None
    if "materials" in values:
        materials, material_errors = materials_from_text(values["materials"])
        for message in material_errors:
            fail("materials", message)
    if bad:
        return None
    return _MatterRow(row.number, data, materials, status)


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
    for row in _progress(rows, writing=False, progress=progress):
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
            errors.warn(row.number, LABELS["body_code"], message)
        if field_errors:
            continue
        code = full["code"]
        if code in seen:
            errors.add(
                row.number,
                LABELS["code"],
                _("Duplicate of row %(row)s: %(code)s")
                % {"row": seen[code], "code": code},
            )
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
            if matter_verb(current.status, status) is None:
                errors.add(
                    row.number,
                    LABELS["status"],
                    _("Cannot change from “%(current)s” to “%(target)s”.")
                    % {
                        "current": current.get_status_display(),
                        "target": MatterStatus(status).label,
                    },
                )
                continue
        if not current and status not in (
            MatterStatus.DRAFT,
            MatterStatus.PUBLISHED,
        ):
            errors.add(
                row.number,
                LABELS["status"],
                _("A new matter can only be a draft or published."),
            )
            continue
        if status == MatterStatus.PUBLISHED:
            for name, message in matter_publish_problems(full, materials):
                errors.add(row.number, LABELS.get(name, name), message)
        plans.append((row.number, current, full, materials, status))
    errors.raise_if_any(_("Matter file"))
    result = ImportResult(
        dry_run=dry_run,
        warnings=[
            _("Row %(row)s %(column)s: %(message)s")
            % {"row": r, "column": n, "message": m}
            for r, n, m in sorted(errors.warnings)
        ],
    )
    # One transaction: every status change goes through the workflow engine (as
    # the operator), each step from the version the checking pass read, so a
    # matter changed meanwhile refuses the whole file (412) instead of being
    # overwritten.
    with transaction.atomic(), actor_context(actor):
        for _number, current, full, materials, status in _progress(
            plans, writing=True, progress=progress
        ):
            data = {name: full[name] for name in MATTER_FIELDS}
            if current is None:
                matter = matter_create(actor=actor, data=data, materials=materials)
                if status == MatterStatus.PUBLISHED:
                    matter_publish(
                        actor=actor, matter=matter, expected_version=matter.version
                    )
                result.created += 1
                continue
            before = current.version
            matter = current
            # Status first when leaving 已发布, last when entering it, so the
            # publishing rules apply to the final content.
            if status != current.status and status != MatterStatus.PUBLISHED:
                matter = matter_transition(
                    actor=actor,
                    matter=matter,
                    verb=matter_verb(matter.status, status),
                    expected_version=matter.version,
                )
            matter = matter_update(
                actor=actor,
                matter=matter,
                data=data,
                materials=materials,
                expected_version=matter.version,
            )
            if status != matter.status:
                matter = matter_transition(
                    actor=actor,
                    matter=matter,
                    verb=matter_verb(matter.status, status),
                    expected_version=matter.version,
                )
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
        errors["partner"] = [
            _("The partner district must be a registered partner district.")
        ]
    bad_modes = [m for m in data.get("modes", []) if m not in AgreementMode.values]
    if bad_modes or not data.get("modes"):
        errors["modes"] = [
            _(
                "Choose at least one cross-region mode (fully online, proxy handling "
                "in another district, joint handling by several districts)."
            )
        ]
    if not (data.get("title") or "").strip():
        errors["title"] = [_("The agreement title must not be empty.")]
    if not (data.get("code") or "").strip():
        errors["code"] = [_("The agreement number must not be empty.")]
    signed, effective = data.get("signed_on"), data.get("effective_on")
    if signed and effective and effective < signed:
        errors["effective_on"] = [
            _("The effective date must not be before the signing date.")
        ]
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
    """Register a 通办协议 with a partner district and its liaison officers
    (catalogue admins only: the row must be one the actor may write)."""
    data = {"summary": "", "active": True, **data}
    errors = _agreement_errors(data)
    if Agreement.objects.filter(code=data.get("code")).exists():
        errors.setdefault("code", []).append(_("The agreement number already exists."))
    liaisons = _checked_liaisons(liaisons or [])
    _raise_field_errors(errors, _("The agreement has errors and was not saved."))
    with transaction.atomic(), actor_context(actor):
        agreement = Agreement.objects.create(
            **{name: data[name] for name in AGREEMENT_FIELDS}
        )
        _require_writable(actor, agreement, "code")
        _liaisons_replace(agreement, liaisons)
    return agreement


def agreement_update(
    *,
    actor,
    agreement: Agreement,
    data: dict,
    liaisons: list[dict] | None = None,
    expected_version,
) -> Agreement:
    """Change an agreement's fields and (when given) replace its liaison officers,
    in one step from the version the actor saw (compared on the locked row)."""
    liaisons = _checked_liaisons(liaisons) if liaisons is not None else None
    with transaction.atomic(), actor_context(actor):
        agreement = versioning.lock(
            scoping.writable(Agreement, actor),
            pk=agreement.pk,
            expected_version=expected_version,
        )
        full = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS} | data
        errors = _agreement_errors(full)
        if (
            Agreement.objects.filter(code=full["code"])
            .exclude(pk=agreement.pk)
            .exists()
        ):
            errors.setdefault("code", []).append(
                _("The agreement number already exists.")
            )
        _raise_field_errors(errors, _("The agreement has errors and was not saved."))
        changed = [n for n in AGREEMENT_FIELDS if getattr(agreement, n) != full[n]]
        for name in changed:
            setattr(agreement, name, full[name])
        liaisons_changed = liaisons is not None and _liaisons_replace(
            agreement, liaisons
        )
        if changed or liaisons_changed:
            versioning.bump(agreement)
    return agreement


def _checked_liaisons(liaisons: list[dict]) -> list[dict]:
    """Liaison officers (日常工作联络员) of both sides, each complete."""
    errors = []
    for index, item in enumerate(liaisons, start=1):
        if item.get("side") not in LiaisonSide.values:
            errors.append(
                _("The side of liaison officer %(number)s is not valid.")
                % {"number": index}
            )
        for name, message in (
            ("name", _("Liaison officer %(number)s has no name.")),
            ("department", _("Liaison officer %(number)s has no organisation.")),
            ("phone", _("Liaison officer %(number)s has no phone number.")),
        ):
            if not (item.get(name) or "").strip():
                errors.append(message % {"number": index})
    if errors:
        raise ValidationFailed.for_fields(
            {"liaisons": errors}, _("The liaison officers have errors.")
        )
    return [
        {
            "side": item["side"],
            "name": item["name"].strip(),
            "department": item["department"].strip(),
            "phone": item["phone"].strip(),
        }
        for item in liaisons
    ]


def _liaisons_replace(agreement: Agreement, liaisons: list[dict]) -> bool:
    """Replace the agreement's liaison officers when they differ (under the
    agreement's lock); True if anything changed."""
    fields = ["side", "name", "department", "phone"]
    current = [
        {name: getattr(item, name) for name in fields}
        for item in agreement.liaisons.order_by("id")
    ]
    if current == liaisons:
        return False
    LiaisonOfficer.objects.filter(agreement=agreement).delete()
    LiaisonOfficer.objects.bulk_create(
        LiaisonOfficer(agreement=agreement, **item) for item in liaisons
    )
    return True


def liaison_add(*, actor, agreement: Agreement, data: dict) -> LiaisonOfficer:
    """Add one liaison officer to an agreement the actor may write."""
    (item,) = _checked_liaisons([data])
    with transaction.atomic(), actor_context(actor):
        agreement = scoping.get_writable(Agreement, actor, pk=agreement.pk)
        return LiaisonOfficer.objects.create(agreement=agreement, **item)


def liaison_update(
    *, actor, liaison: LiaisonOfficer, data: dict, expected_version
) -> LiaisonOfficer:
    """Change one liaison officer (the admin inline edits them one by one), from
    the version the actor saw."""
    (item,) = _checked_liaisons([data])
    with transaction.atomic(), actor_context(actor):
        liaison = versioning.lock(
            scoping.writable(LiaisonOfficer, actor),
            pk=liaison.pk,
            expected_version=expected_version,
        )
        fields = [
            name for name, value in item.items() if getattr(liaison, name) != value
        ]
        if fields:
            for name in fields:
                setattr(liaison, name, item[name])
            versioning.bump(liaison)
        return liaison


def liaison_delete(*, actor, liaison: LiaisonOfficer, expected_version) -> None:
    """Remove one liaison officer, from the version the actor saw."""
    with transaction.atomic(), actor_context(actor):
        liaison = versioning.lock(
            scoping.writable(LiaisonOfficer, actor),
            pk=liaison.pk,
            expected_version=expected_version,
        )
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
        errors["matter"] = [
            _(
                "The matter “%(name)s” is not published and cannot be put on the "
                "cross-region list."
            )
            % {"name": matter.name}
        ]
    if not (batch or "").strip():
        errors["batch"] = [_("The batch must not be empty.")]
    if effective_from < agreement.effective_on:
        errors["effective_from"] = [
            _("The effective date must not be before the agreement's effective date.")
        ]
    _raise_field_errors(errors, _("Could not put the matter on the cross-region list."))
    with transaction.atomic(), actor_context(actor):
        agreement = scoping.get_writable(Agreement, actor, pk=agreement.pk)
        for entry in AgreementMatter.objects.select_for_update().filter(
            agreement=agreement, matter=matter
        ):
            if _overlaps(
                entry.effective_from, entry.effective_to, effective_from, None
            ):
                raise ValidationFailed.for_fields(
                    {
                        "matter": _("The matter is on the list from %(date)s already.")
                        % {"date": entry.effective_from}
                    },
                    _("Could not put the matter on the cross-region list."),
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
                {"matter": _("The matter is on the list already.")},
                _("Could not put the matter on the cross-region list."),
            ) from None


def agreement_matter_remove(
    *,
    actor,
    entry: AgreementMatter,
    effective_to: datetime.date,
    reason: str,
    expected_version,
) -> AgreementMatter:
    """Take a matter off the list from ``effective_to`` (调出), with the reason;
    from the entry's version the actor saw, checked on the locked row."""
    with transaction.atomic(), actor_context(actor):
        entry = versioning.lock(
            scoping.writable(AgreementMatter, actor),
            pk=entry.pk,
            expected_version=expected_version,
        )
        if entry.effective_to is not None:
            raise IllegalTransition(
                _("The matter was taken off the list on %(date)s already.")
                % {"date": entry.effective_to}
            )
        errors: dict[str, list[str]] = {}
        if not (reason or "").strip():
            errors["reason"] = [_("A removal from the list needs a reason.")]
        if effective_to <= entry.effective_from:
            errors["effective_to"] = [
                _("The end date must be after the effective date.")
            ]
        _raise_field_errors(
            errors, _("Could not take the matter off the cross-region list.")
        )
        entry.effective_to = effective_to
        entry.removal_reason = reason.strip()
        versioning.bump(entry, update_fields=["effective_to", "removal_reason"])
    return entry


# The list file's layout: column headers as data, like the matter file's.
# i18n: data
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
# i18n: data
AGREEMENT_LIST_EXPORT_HEADER = [
    ("code", "实施编码"),
    ("name", "事项名称"),
    ("batch", "批次"),
    ("effective_from", "生效日期"),
    ("effective_to", "停止日期"),
    ("removal_reason", "调出原因"),
]
AGREEMENT_LIST_HEADER = [label for _name, label in AGREEMENT_LIST_EXPORT_HEADER]
LIST_LABELS = dict(AGREEMENT_LIST_EXPORT_HEADER)


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
    for row in _progress(rows, writing=False, progress=progress):
        code = row.get("code").strip().upper()
        matter = matters.get(code)
        bad = False
        if not code:
            errors.add(row.number, LIST_LABELS["code"], _("Must not be empty."))
            bad = True
        elif matter is None:
            errors.add(
                row.number,
                LIST_LABELS["code"],
                _("The catalogue has no matter with the code “%(code)s”.")
                % {"code": code},
            )
            bad = True
        batch = row.get("batch").strip()
        if not batch:
            errors.add(row.number, LIST_LABELS["batch"], _("Must not be empty."))
            bad = True
        start = _date(row.get("effective_from"))
        if start is None:
            errors.add(
                row.number,
                LIST_LABELS["effective_from"],
                _("“%(value)s” is not a valid date.")
                % {"value": row.get("effective_from")},
            )
            bad = True
        end = None
        if row.get("effective_to"):
            end = _date(row.get("effective_to"))
            if end is None:
                errors.add(
                    row.number,
                    LIST_LABELS["effective_to"],
                    _("“%(value)s” is not a valid date.")
                    % {"value": row.get("effective_to")},
                )
                bad = True
        reason = row.get("removal_reason").strip()
        if bad:
            continue
        if end is not None and end <= start:
            errors.add(
                row.number,
                LIST_LABELS["effective_to"],
                _("The end date must be after the effective date."),
            )
            continue
        if end is not None and not reason:
            errors.add(
                row.number,
                LIST_LABELS["removal_reason"],
                _("An entry with an end date needs a removal reason."),
            )
            continue
        if start < agreement.effective_on:
            errors.add(
                row.number,
                LIST_LABELS["effective_from"],
                _("Must not be before the agreement's effective date."),
            )
            continue
        if (code, start) in seen:
            errors.add(
                row.number,
                LIST_LABELS["code"],
                _("Duplicate of row %(row)s: %(code)s %(date)s")
                % {"row": seen[(code, start)], "code": code, "date": start},
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
                row.number,
                LIST_LABELS["code"],
                _(
                    "The matter “%(name)s” is not published and cannot be put on "
                    "the list."
                )
                % {"name": matter.name},
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
                LIST_LABELS["effective_from"],
                _("Overlaps the period already on the list (from %(date)s).")
                % {"date": clash.effective_from},
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
            errors.add(
                row.number,
                LIST_LABELS["effective_from"],
                _("Overlaps the period of row %(row)s.") % {"row": other},
            )
            continue
        planned.setdefault(matter.pk, []).append((row.number, start, end))
        plans.append((current, matter, batch, start, end, reason))
    errors.raise_if_any(_("List file"))
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic(), actor_context(actor):
        for current, matter, batch, start, end, reason in _progress(
            plans, writing=True, progress=progress
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
                # From the version the checking pass read: an entry changed
                # meanwhile refuses the file (412) rather than being overwritten.
                entry = versioning.lock(
                    AgreementMatter, pk=current.pk, expected_version=current.version
                )
                entry.batch = batch
                entry.effective_to = end
                entry.removal_reason = reason if end else ""
                versioning.bump(
                    entry, update_fields=["batch", "effective_to", "removal_reason"]
                )
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
        raise NotFound(
            _("There is no cross-region agreement with the number or ID “%(value)s”.")
            % {"value": identifier}
        )
    return agreement


def partner_resolve(code: str) -> District:
    district = District.objects.filter(code=code, kind=DistrictKind.PARTNER).first()
    if district is None:
        raise NotFound(
            _("There is no partner district with the code “%(code)s”.") % {"code": code}
        )
    return district


# ------------------------------------------------------------------ bundles


def _bundle_errors(
    data: dict, matters: list[Matter] | None, bundle: Bundle | None
) -> None:
    errors: dict[str, list[str]] = {}
    for name, message in (
        ("code", _("The code must not be empty.")),
        ("name", _("The name must not be empty.")),
    ):
        if (bundle is None or name in data) and not (data.get(name) or "").strip():
            errors[name] = [message]
    if matters is not None:
        if len({m.pk for m in matters}) != len(matters):
            errors["matters"] = [_("The same matter cannot be listed twice.")]
        if len(matters) < 2:
            errors.setdefault("matters", []).append(
                _("A one-thing bundle needs at least two matters.")
            )
    code = (data.get("code") or "").strip()
    if (
        code
        and Bundle.objects.filter(code=code)
        .exclude(pk=getattr(bundle, "pk", None))
        .exists()
    ):
        errors.setdefault("code", []).append(_("The code already exists."))
    _raise_field_errors(errors, _("The one-thing bundle has errors and was not saved."))


def _bundle_items_replace(bundle: Bundle, matters: list[Matter]) -> bool:
    current = list(
        bundle.items.order_by("position").values_list("matter_id", flat=True)
    )
    if current == [m.pk for m in matters]:
        return False
    BundleMatter.objects.filter(bundle=bundle).delete()
    BundleMatter.objects.bulk_create(
        BundleMatter(bundle=bundle, matter=matter, position=index)
        for index, matter in enumerate(matters, start=1)
    )
    return True


BUNDLE_FIELDS = ["code", "name", "description", "window", "active"]


def bundle_create(*, actor, data: dict, matters: list[Matter]) -> Bundle:
    """Create a 一件事 of at least two distinct matters, in their order."""
    _bundle_errors(data, matters, None)
    with transaction.atomic(), actor_context(actor):
        bundle = Bundle.objects.create(
            **{name: data[name] for name in BUNDLE_FIELDS if name in data}
        )
        _require_writable(actor, bundle, "code")
        _bundle_items_replace(bundle, matters)
    return bundle


def bundle_update(
    *,
    actor,
    bundle: Bundle,
    data: dict,
    matters: list[Matter] | None = None,
    expected_version,
) -> Bundle:
    """Change a 一件事 and (when given) its ordered matters, from the version the
    actor saw (compared on the locked row)."""
    _bundle_errors(data, matters, bundle)
    with transaction.atomic(), actor_context(actor):
        bundle = versioning.lock(
            scoping.writable(Bundle, actor),
            pk=bundle.pk,
            expected_version=expected_version,
        )
        changed = [
            name
            for name in BUNDLE_FIELDS
            if name in data and getattr(bundle, name) != data[name]
        ]
        for name in changed:
            setattr(bundle, name, data[name])
        items_changed = matters is not None and _bundle_items_replace(bundle, matters)
        if changed or items_changed:
            versioning.bump(bundle)
    return bundle
