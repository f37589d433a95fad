"""The row-file imports of the catalogue: matters (``matters_import``) and an
agreement's list (``agreement_list_import``).

Both read the file with ``core.tabular.read_table`` (header found under title
rows, merged cells filled down, any sheet, GBK csv) and check every row for
everything in one pass, in memory: no query per row. Every complaint of every
row is reported at once with its column, and for codes which part is wrong.
By default any refused row refuses the file; ``skip_invalid`` writes the rest.
A dry run stops after the checks: it writes nothing.

Matters are then written in bulk, a fixed number of queries per batch, inside
the engines' rules: rows locked and their versions compared as the checks
read them (``core.versioning.lock_many``), status steps through
``MATTER_WORKFLOW.apply_many`` (source, permission, publishing guard, a
``StateChange`` each), the audit triggers recording every row.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from tqdm import tqdm

from core import scoping, versioning
from core.actions import local_district
from core.audit import actor_context
from core.bulk import bulk_update_values, constraints_immediate
from core.choices import DistrictKind
from core.errors import ValidationFailed
from core.i18n import join_list
from core.models import Department
from core.tabular import (
    Row,
    RowErrors,
    Table,
    file_date,
    read_table,
    rounded_number,
    write_refused_rows,
)
from core.validators import is_valid_credit_code
from services.actions.catalogue import (
    MATERIAL_DEFAULTS,
    MATERIAL_FIELDS,
    MATTER_DEFAULTS,
    MATTER_FIELDS,
    _overlaps,
    matter_publish_problems,
)
from services.catalogue_codes import (
    MalformedCode,
    body_code_warnings,
    code_key,
    normalise_code,
    parse_matter_code,
    same_body,
)
from services.choices import (
    MATTER_WORKFLOW,
    HandlingType,
    MaterialForm,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    ResultType,
    TongbanScope,
    matter_verb,
)
from services.models import AgreementMatter, Matter, MatterMaterial

# Rows per INSERT/UPDATE statement of the bulk writes.
BATCH = 1000

# The national record layout: its column headers and the values it writes are file
# data, the same in every interface language, so that a file exported anywhere
# imports again. Column (English code, Chinese header, and the other names
# published lists use) → field; headers are compared without units in brackets,
# spaces, stars and case (core.tabular.header_key). The first name of a field
# wins when a file has two of its columns.
# i18n: data
MATTER_COLUMNS = {
    "code": "code",
    "实施编码": "code",
    "事项实施编码": "code",
    "实施清单编码": "code",
    "事项编码": "code",
    "name": "name",
    "事项名称": "name",
    "实施清单名称": "name",
    "kind": "kind",
    "事项类型": "kind",
    "权力类型": "kind",
    "事项类别": "kind",
    "类型": "kind",
    "department": "department",
    "实施主体": "department",
    "实施主体名称": "department",
    "实施机构": "department",
    "实施部门": "department",
    "部门": "department",
    "部门名称": "department",
    "body_code": "body_code",
    "实施主体编码": "body_code",
    "实施机构编码": "body_code",
    "实施主体统一社会信用代码": "body_code",
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
    "法定时限": "statutory_days",
    "promised_days": "promised_days",
    "承诺办结时限": "promised_days",
    "承诺时限": "promised_days",
    "visits": "visits",
    "到办事现场次数": "visits",
    "到现场次数": "visits",
    "visits_reason": "visits_reason",
    "必须到现场原因": "visits_reason",
    "fee": "fee",
    "收费标准": "fee",
    "fee_basis": "fee_basis",
    "收费依据": "fee_basis",
    "online_depth": "online_depth",
    "网办深度": "online_depth",
    "网上办理深度": "online_depth",
    "mail_supported": "mail_supported",
    "支持物流快递": "mail_supported",
    "是否支持物流快递": "mail_supported",
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
    "咨询方式": "contact_phone",
    "theme": "theme",
    "事项分组": "theme",
    "主题分组": "theme",
    "事项主题": "theme",
    "主题": "theme",
    "分组": "theme",
    "guide_url": "guide_url",
    "办事指南链接": "guide_url",
    "办事指南地址": "guide_url",
    "指南链接": "guide_url",
    "status": "status",
    "状态": "status",
    "事项状态": "status",
    "materials": "materials",
    "申请材料": "materials",
}
# Published lists often omit the limits: the columns are optional (a matter
# without them is imported as a draft).
MATTER_REQUIRED_COLUMNS = {"code", "name", "kind", "department"}
# The Chinese header each field is exported under; row errors name the column
# by the header the file has, else by this.
# i18n: data
MATTER_EXPORT_HEADER = [
    ("code", "实施编码"),
    ("name", "事项名称"),
    ("kind", "事项类型"),
    ("department", "实施主体"),
    ("body_code", "实施主体编码"),
    ("theme", "事项分组"),
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
    ("guide_url", "办事指南链接"),
    ("status", "状态"),
    ("materials", "申请材料"),
]
LABELS = dict(MATTER_EXPORT_HEADER)
# The longest text each field takes (the model's max_length), checked with the
# row rather than failing the whole write.
TEXT_LIMITS = {
    name: Matter._meta.get_field(name).max_length
    for name in MATTER_FIELDS
    if name not in ("department",)
    and getattr(Matter._meta.get_field(name), "max_length", None)
}
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
    """A choice given as its code, its file label or its label in this language
    (full-width characters and spaces aside)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    return _choice_words(choices, get_language()).get(key)


@functools.lru_cache(maxsize=64)
def _choice_words(choices, language) -> dict[str, str]:
    """Every word a file may give a choice as (an import asks 10,000 times)."""
    words = {re.sub(r"\s+", "", str(label)): code for code, label in choices.choices}
    words.update({label: code for code, label in FILE_VALUES[choices].items()})
    words.update({code: code for code in choices.values})
    return words


def _boolean(value: str) -> bool | None:
    lowered = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).lower()
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


# ------------------------------------------------------------------ results


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0  # rows not written (skip_invalid)
    departments: list[str] = field(default_factory=list)  # created (or to be)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # complaints of refused rows
    dry_run: bool = False

    def summary(self) -> str:
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": len(self.warnings),
        }
        if self.dry_run:
            text = (
                _(
                    "(Dry run, nothing written) Created: %(created)s, updated: "
                    "%(updated)s, unchanged: %(unchanged)s, warnings: %(warnings)s"
                )
                % counts
            )
        else:
            text = (
                _(
                    "Created: %(created)s, updated: %(updated)s, unchanged: "
                    "%(unchanged)s, warnings: %(warnings)s"
                )
                % counts
            )
        if self.refused:
            text += ngettext(
                "; %(count)s row refused (not written)",
                "; %(count)s rows refused (not written)",
                self.refused,
            ) % {"count": self.refused}
        if self.departments:
            text += ngettext(
                "; %(count)s department created: %(names)s",
                "; %(count)s departments created: %(names)s",
                len(self.departments),
            ) % {"count": len(self.departments), "names": join_list(self.departments)}
        return text


def _progress(rows, *, writing: bool, progress):
    """The progress bar of an import's checking or writing pass."""
    if writing:
        desc, unit = _("Writing"), pgettext("progress bar unit", "item")
    else:
        desc, unit = _("Checking"), pgettext("progress bar unit", "row")
    return tqdm(rows, desc=desc, unit=unit, disable=progress is False)


def _finish_checks(
    table: Table,
    errors: RowErrors,
    result: ImportResult,
    *,
    what: str,
    skip_invalid: bool,
    errors_file: Path | None,
) -> None:
    """Write the refused rows to ``errors_file``; refuse the file unless
    ``skip_invalid`` (then the refused rows are counted and listed)."""
    if errors_file is not None and errors:
        write_refused_rows(Path(errors_file), table, errors)
    if not skip_invalid:
        try:
            errors.raise_if_any(what)
        except ValidationFailed as error:
            error.errors_file = errors_file  # for the command to say where
            raise
    result.refused = len(errors.rows())
    result.errors = errors.lines()


# ------------------------------------------------------------------ cells


def _squash(text: str) -> str:
    """NFKC without whitespace: how names and numbers are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# i18n: data
IMMEDIATE_WORDS = {"即办", "即时办结", "当场办结", "立即办结"}
# "1", "1次".
# i18n: data
VISITS = re.compile(r"^(\d+)(?:\.0+)?次?$")
# i18n: data
YUAN = "元"
# i18n: data
FREE_WORDS = {"免费", "不收费", "无", "否", "0元"}
# "20", "20个工作日", "20工作日", "20日": working days.
# i18n: data
DAYS = re.compile(r"^(\d+(?:\.0+)?)(?:个)?(?:工作日|日)?$")


def _days(text: str) -> tuple[int | None, bool]:
    """(working days, understood) of a limit cell; blank is (None, True)."""
    value = _squash(text)
    if not value:
        return None, True
    if value in IMMEDIATE_WORDS:
        return 0, True
    match = DAYS.match(value)
    if not match:
        return None, False
    number = int(Decimal(match.group(1)))
    return (number, True) if number <= 3650 else (None, False)


def _fee(text: str) -> Decimal | None:
    value = _squash(text)
    if not value or value in FREE_WORDS:
        return Decimal("0")
    value = value.removesuffix(YUAN)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount < Decimal("1e10") else None


def _name_key(text: str) -> str:
    return _squash(text).upper()


# ------------------------------------------------------------------ departments


class _Departments:
    """The local departments by code, name, short name and credit code (NFKC,
    spaces and case aside); with ``create``, the unknown names a file gives
    become new departments (unsaved until the write)."""

    def __init__(self, *, create: bool):
        self.create = create
        self.index: dict[str, Department] = {}
        self.by_id: dict[int, Department] = {}
        self.new: dict[str, Department] = {}
        self.used: set[str] = set()
        self.district = None
        for department in Department.objects.filter(
            district__kind=DistrictKind.LOCAL
        ).select_related("district"):
            self.district = department.district
            self.by_id[department.pk] = department
            self.used.add(department.code.upper())
            for key in (
                department.code,
                department.name,
                department.short_name,
                department.credit_code,
            ):
                if key:
                    self.index.setdefault(_name_key(key), department)

    def find(self, text: str, body_code: str) -> Department | None:
        """By the cell; a blank cell by the row's body code (a department's
        credit code), never a named department overruled by it."""
        if not text.strip():
            return self.index.get(_name_key(body_code)) if body_code else None
        key = _name_key(text)
        return self.index.get(key) or self.new.get(key)

    def plan(self, text: str, body_code: str) -> Department:
        """A new department named ``text`` (one per name, whatever the rows)."""
        key = _name_key(text)
        if key not in self.new:
            if self.district is None:
                self.district = local_district()
            name = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
            credit = code_key(body_code)
            self.new[key] = Department(
                district=self.district,
                name=name,
                credit_code=credit if is_valid_credit_code(credit) else "",
            )
        return self.new[key]

    def codes(self) -> None:
        """Codes for the new departments: their credit code when the rows gave a
        valid one, else D001, D002, … (changed in the admin if wanted)."""
        number = 0
        for department in self.new.values():
            code = department.credit_code
            if not code or code.upper() in self.used:
                while True:
                    number += 1
                    code = f"D{number:03d}"
                    if code not in self.used:
                        break
            self.used.add(code.upper())
            department.code = code


# ------------------------------------------------------------------ checking


@dataclass(eq=False)
class _Plan:
    row: Row
    key: str
    current: Matter | None  # as the checks read it; None for a new matter
    data: dict  # every MATTER_FIELD; department may be a new (unsaved) one
    code_form: str
    materials: list[dict]
    status: str  # the status the row ends in
    changed: list[str] = field(default_factory=list)
    materials_changed: bool = False
    matter: Matter | None = None  # the row written (new or locked)

    @property
    def is_change(self) -> bool:
        return self.current is None or bool(
            self.changed or self.materials_changed or self.status != self.current.status
        )


class _MatterChecks:
    """Every check of every row of a matter file, in memory."""

    TEXT = [
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
        "theme",
        "guide_url",
    ]
    CHOICES = [
        ("handling_type", HandlingType),
        ("online_depth", OnlineDepth),
        ("result_type", ResultType),
        ("tongban_scope", TongbanScope),
    ]

    def __init__(self, table: Table, *, create_departments: bool):
        self.table = table
        self.errors = RowErrors()
        self.departments = _Departments(create=create_departments)
        keys = {code_key(row.get("code")) for row in table.rows}
        keys.discard("")
        # The stored matters the file names, with their departments from the
        # index above and their materials as the file carries them (dicts, not
        # 20,000 model instances): read once, compared in memory.
        matters = list(Matter.objects.annotate(key=Upper("code")).filter(key__in=keys))
        known = self.departments.by_id
        others = Department.objects.in_bulk(
            {m.department_id for m in matters} - set(known)
        )
        for matter in matters:
            matter.department = known.get(matter.department_id) or others.get(
                matter.department_id
            )
        self.existing = {matter.code.upper(): matter for matter in matters}
        self.stored_materials: dict[int, list[dict]] = defaultdict(list)
        for item in (
            MatterMaterial.objects.filter(matter_id__in=[m.pk for m in matters])
            .order_by("matter_id", "position", "id")
            .values("matter_id", *MATERIAL_FIELDS)
        ):
            self.stored_materials[item.pop("matter_id")].append(item)
        self.language = get_language()
        self.seen: dict[str, int] = {}
        self.url = URLValidator(schemes=["http", "https"])

    def choice(self, value: str, choices) -> str | None:
        key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
        return _choice_words(choices, self.language).get(key)

    def fail(self, row: Row, name: str, message: str) -> None:
        self.errors.add(
            row.number,
            self.table.column(name, LABELS.get(name)),
            message,
            self.table.position(name),
        )

    def warn(self, row: Row, name: str, message: str) -> None:
        self.errors.warn(
            row.number,
            self.table.column(name, LABELS.get(name)),
            message,
            self.table.position(name),
        )

    def check(self, row: Row) -> _Plan | None:
        """The row's plan, or None when anything in it is wrong (each problem
        reported: no check waits for another to pass)."""
        refused_before = len(self.errors.errors)
        values, has = row.values, self.table.has
        data: dict = {}

        # 实施编码: which part is wrong; normalised, compared case-insensitively.
        parsed = None
        if rounded_number(row.raw.get("code")):
            self.fail(row, "code", self._rounded_message(values["code"]))
        else:
            try:
                parsed = parse_matter_code(values.get("code", ""))
            except MalformedCode as error:
                for reason in error.reasons:
                    self.fail(row, "code", reason)
        key = parsed.key if parsed else ""
        current = self.existing.get(key) if parsed else None
        base = (
            {name: getattr(current, name) for name in MATTER_FIELDS}
            if current
            else {**MATTER_DEFAULTS}
        )
        if parsed:
            data["code"] = current.code if current else parsed.code
            if key in self.seen:
                first = self.seen[key]
                self.fail(
                    row,
                    "code",
                    _("Duplicate of row %(row)s: %(code)s")
                    % {"row": first, "code": parsed.code},
                )
            else:
                self.seen[key] = row.number

        for name in self.TEXT:
            if has(name):
                data[name] = values[name]
        data["name"] = re.sub(r"\s+", " ", data.get("name", "")).strip()
        if not data["name"]:
            self.fail(row, "name", _("The matter name must not be empty."))
        for name in self.TEXT:
            limit = TEXT_LIMITS.get(name)
            if limit and len(data.get(name, "")) > limit:
                self.fail(
                    row,
                    name,
                    _("Longer than %(max)s characters (%(length)s).")
                    % {"max": limit, "length": len(data[name])},
                )

        # 实施主体编码: never a rounded number, never contradicting the code.
        body_text = data.get("body_code", "")
        if has("body_code") and body_text:
            if rounded_number(row.raw.get("body_code")):
                self.fail(row, "body_code", self._rounded_message(body_text))
                data["body_code"] = base["body_code"]
            else:
                body_text = normalise_code(body_text)
                data["body_code"] = body_text
                if not re.fullmatch(r"[0-9A-Za-z]+(-[0-9A-Za-z]+)?", body_text):
                    self.fail(
                        row,
                        "body_code",
                        _("“%(value)s” cannot be an implementing body code.")
                        % {"value": body_text},
                    )
                elif parsed and parsed.body_code:
                    if not same_body(body_text, parsed.body_code):
                        self.fail(
                            row,
                            "body_code",
                            _(
                                "“%(value)s” contradicts the implementing body code "
                                "“%(inside)s” inside the implementation code."
                            )
                            % {"value": body_text, "inside": parsed.body_code},
                        )
                    else:
                        data["body_code"] = parsed.body_code
        if parsed and parsed.body_code and not data.get("body_code"):
            data["body_code"] = parsed.body_code
        if parsed and data.get("body_code"):
            for message in body_code_warnings(data["body_code"]):
                self.warn(row, "body_code" if has("body_code") else "code", message)

        kind = self.choice(values.get("kind", ""), MatterKind)
        if kind is None:
            self.fail(
                row,
                "kind",
                _("“%(value)s” is not a valid matter type.")
                % {"value": values.get("kind", "")},
            )
        data["kind"] = kind

        department_text = values.get("department", "").strip()
        department = self.departments.find(department_text, data.get("body_code", ""))
        if department is None:
            if not department_text:
                self.fail(
                    row, "department", _("The implementing body must not be empty.")
                )
            elif self.departments.create and len(_squash(department_text)) <= 100:
                department = self.departments.plan(
                    department_text, data.get("body_code", "")
                )
            else:
                self.fail(
                    row,
                    "department",
                    _("Unknown department “%(value)s”.") % {"value": department_text},
                )
        data["department"] = department

        for name in ("statutory_days", "promised_days"):
            if not has(name):
                continue
            number, understood = _days(values[name])
            if not understood:
                self.fail(
                    row,
                    name,
                    _("“%(value)s” should be a number of working days (e.g. 20).")
                    % {"value": values[name]},
                )
            data[name] = number
        if has("visits") and values["visits"]:
            match = VISITS.match(_squash(values["visits"]))
            number = int(match.group(1)) if match else None
            if number not in (0, 1, 2):
                self.fail(
                    row,
                    "visits",
                    _("The number of visits in person must be 0, 1 or 2."),
                )
            data["visits"] = number if number in (0, 1, 2) else 0
        if has("fee"):
            fee = _fee(values["fee"])
            if fee is None or fee < 0:
                self.fail(
                    row,
                    "fee",
                    _("“%(value)s” should be an amount (yuan).")
                    % {"value": values["fee"]},
                )
            data["fee"] = fee if fee is not None else Decimal("0")
        for name, choices in self.CHOICES:
            if values.get(name):
                value = self.choice(values[name], choices)
                if value is None:
                    self.fail(
                        row,
                        name,
                        _("“%(value)s” is not a valid value.")
                        % {"value": values[name]},
                    )
                data[name] = value
        if has("mail_supported"):
            value = _boolean(values["mail_supported"])
            if value is None:
                self.fail(
                    row,
                    "mail_supported",
                    _("“%(value)s” should be yes or no.")
                    % {"value": values["mail_supported"]},
                )
            data["mail_supported"] = bool(value)
        if data.get("guide_url"):
            data["guide_url"] = unicodedata.normalize("NFKC", data["guide_url"])
            try:
                self.url(data["guide_url"])
            except DjangoValidationError:
                self.fail(
                    row,
                    "guide_url",
                    _("The service guide link must be an http(s) address."),
                )
        status = None
        if values.get("status"):
            status = self.choice(values["status"], MatterStatus)
            if status is None:
                self.fail(
                    row,
                    "status",
                    _("“%(value)s” is not a valid status.")
                    % {"value": values["status"]},
                )
        materials = None
        if has("materials"):
            materials, material_errors = materials_from_text(values["materials"])
            for message in material_errors:
                self.fail(row, "materials", message)

        full = {**base, **data}
        statutory, promised = full["statutory_days"], full["promised_days"]
        if statutory is not None and promised is not None and promised > statutory:
            self.fail(
                row,
                "promised_days",
                _(
                    "The promised time limit (working days: %(promised)s) must not be "
                    "longer than the statutory time limit (working days: "
                    "%(statutory)s)."
                )
                % {"promised": promised, "statutory": statutory},
            )
        if materials is not None:
            materials = [{**MATERIAL_DEFAULTS, **item} for item in materials]
        elif current is not None:
            materials = self.stored_materials[current.pk]
        else:
            materials = []

        target = status or (current.status if current else MatterStatus.DRAFT)
        if current is not None and target != current.status:
            if matter_verb(current.status, target) is None:
                self.fail(
                    row,
                    "status",
                    _("Cannot change from “%(current)s” to “%(target)s”.")
                    % {
                        "current": current.get_status_display(),
                        "target": MatterStatus(target).label,
                    },
                )
        if current is None and target not in (
            MatterStatus.DRAFT,
            MatterStatus.PUBLISHED,
        ):
            self.fail(
                row, "status", _("A new matter can only be a draft or published.")
            )
        # Publishing, not importing, needs the full elements: a row that asks
        # for 已发布 without them stays a draft (or as it is), with a warning;
        # a published matter may not be edited into breaking them (checked
        # even when the row has other errors: no second round).
        refused = len(self.errors.errors) > refused_before
        if target == MatterStatus.PUBLISHED:
            problems = matter_publish_problems(full, materials)
            if (
                problems
                and current is not None
                and (current.status == MatterStatus.PUBLISHED)
            ):
                for name, message in problems:
                    self.fail(row, name, message)
                return None
            if problems and not refused:
                target = current.status if current else MatterStatus.DRAFT
                self.warn(
                    row,
                    "status",
                    _("Not published (kept as “%(status)s”): %(problems)s")
                    % {
                        "status": MatterStatus(target).label,
                        "problems": " ".join(message for _n, message in problems),
                    },
                )
        elif (statutory is None or promised is None) and not refused:
            self.warn(
                row,
                "statutory_days" if statutory is None else "promised_days",
                _(
                    "No time limits: the matter is a draft until they are given "
                    "(publishing needs them)."
                ),
            )
        if refused:
            return None

        plan = _Plan(
            row=row,
            key=key,
            current=current,
            data=full,
            code_form=parsed.form,
            materials=materials,
            status=target,
        )
        if current is not None:
            plan.changed = [
                name for name in MATTER_FIELDS if getattr(current, name) != full[name]
            ]
            plan.materials_changed = materials != self.stored_materials[current.pk]
        return plan

    @staticmethod
    def _rounded_message(text: str) -> str:
        return _(
            "“%(value)s” is a number a spreadsheet rounded, not a code: format "
            "the column as text and type the code again."
        ) % {"value": text}


# ------------------------------------------------------------------ matters


def matters_import(
    *,
    actor,
    path: Path,
    dry_run: bool = False,
    progress=None,
    create_departments: bool = False,
    skip_invalid: bool = False,
    errors_file: Path | None = None,
) -> ImportResult:
    """Create or update matters by implementation code from a row file.

    Every row is checked for everything first (see ``_MatterChecks``); by
    default one refused row refuses the file, every complaint listed. With
    ``skip_invalid`` the valid rows are written and the refused ones counted;
    ``errors_file`` receives the refused rows with their reasons. With
    ``create_departments`` unknown implementing bodies become local
    departments. A row asking for 已发布 is published through the workflow
    engine when it meets the publishing rules, else kept a draft with a
    warning. A dry run writes nothing.
    """
    table = read_table(
        Path(path),
        columns=MATTER_COLUMNS,
        required=MATTER_REQUIRED_COLUMNS,
        labels=LABELS,
    )
    checks = _MatterChecks(table, create_departments=create_departments)
    plans = [
        plan
        for row in _progress(table.rows, writing=False, progress=progress)
        if (plan := checks.check(row)) is not None
    ]
    errors = checks.errors
    result = ImportResult(dry_run=dry_run)
    if errors:
        # A department wanted only by refused rows is not created.
        wanted = {id(plan.data["department"]) for plan in plans}
        checks.departments.new = {
            key: department
            for key, department in checks.departments.new.items()
            if id(department) in wanted
        }
    _finish_checks(
        table,
        errors,
        result,
        what=_("Matter file"),
        skip_invalid=skip_invalid,
        errors_file=errors_file,
    )
    result.warnings = errors.warning_lines()
    result.departments = [d.name for d in checks.departments.new.values()]
    for plan in plans:
        if plan.current is None:
            result.created += 1
        elif plan.is_change:
            result.updated += 1
        else:
            result.unchanged += 1
    if dry_run or not any(plan.is_change for plan in plans):
        return result
    with (
        transaction.atomic(),
        actor_context(actor),
        constraints_immediate(),
    ):
        _write_matters(actor, plans, checks.departments, progress=progress)
    return result


def _write_matters(actor, plans: list[_Plan], departments: _Departments, progress):
    """The bulk write of checked plans (see the module doc)."""
    bar = tqdm(
        total=sum(plan.is_change for plan in plans),
        desc=_("Writing"),
        unit=pgettext("progress bar unit", "item"),
        disable=progress is False,
    )
    if departments.new:
        departments.codes()
        Department.objects.bulk_create(list(departments.new.values()))
    now = timezone.now()
    fields = {name: None for name in MATTER_FIELDS}

    # New matters: drafts first (the engine publishes them below).
    created = [plan for plan in plans if plan.current is None]
    for plan in created:
        plan.matter = Matter(
            **{name: plan.data[name] for name in fields},
            code_form=plan.code_form,
            status=MatterStatus.DRAFT,
        )
    Matter.objects.bulk_create([p.matter for p in created], batch_size=BATCH)
    if actor is not None and created:
        ids = [p.matter.pk for p in created]
        if scoping.writable(Matter, actor).filter(pk__in=ids).count() != len(ids):
            raise ValidationFailed(_("You may not register records here."))
    bar.update(len(created))

    # Existing matters: locked at the version the checks read.
    updating = [p for p in plans if p.current is not None and p.is_change]
    locked = versioning.lock_many(
        scoping.writable(Matter, actor).select_related("department"),
        expected={p.current.pk: p.current.version for p in updating},
    )
    versions = {pk: obj.version for pk, obj in locked.items()}
    for plan in updating:
        plan.matter = locked[plan.current.pk]

    # Status first when leaving 已发布 (so the content is not held to the
    # publishing rules), last when entering it.
    leaving = defaultdict(list)
    for plan in updating:
        if plan.status != plan.current.status and plan.status != MatterStatus.PUBLISHED:
            leaving[matter_verb(plan.current.status, plan.status)].append(plan)
    for verb, group in leaving.items():
        for obj in MATTER_WORKFLOW.apply_many(
            {p.current.pk: versions[p.current.pk] for p in group},
            verb,
            actor=actor,
            batch_size=BATCH,
        ):
            versions[obj.pk] = obj.version
            locked[obj.pk].status = obj.status
            locked[obj.pk].version = obj.version

    content = [p for p in updating if p.changed or p.materials_changed]
    for plan in content:
        obj = locked[plan.current.pk]
        for name in fields:
            setattr(obj, name, plan.data[name])
        obj.code_form = plan.code_form
        obj.version = versions[obj.pk] + 1
        obj.updated_at = now
        versions[obj.pk] = obj.version
    bulk_update_values(
        Matter,
        [locked[p.current.pk] for p in content],
        [*fields, "code_form", "version", "updated_at"],
        batch_size=BATCH,
    )
    replaced = [p for p in updating if p.materials_changed]
    MatterMaterial.objects.filter(
        matter_id__in=[p.current.pk for p in replaced]
    ).delete()
    MatterMaterial.objects.bulk_create(
        [
            MatterMaterial(matter_id=plan.matter.pk, position=index, **item)
            for plan in [*created, *replaced]
            for index, item in enumerate(plan.materials, start=1)
        ],
        batch_size=BATCH,
    )
    bar.update(len(updating))

    # The rows are held already (created here, or locked above): the engine
    # checks scope, version, source, permission and the publishing guard on
    # them without reading them again.
    entering = [
        p
        for p in [*created, *updating]
        if p.status == MatterStatus.PUBLISHED
        and (p.current is None or p.current.status != MatterStatus.PUBLISHED)
    ]
    held = [p.matter for p in entering]
    prefetch_related_objects(held, "materials")

    def stamp(matter: Matter) -> None:
        matter.published_at = now

    MATTER_WORKFLOW.apply_many(
        {matter.pk: matter.version for matter in held},
        "publish",
        actor=actor,
        prepare=stamp,
        fields=["published_at"],
        held=held,
        batch_size=BATCH,
    )
    bar.close()


# ------------------------------------------------------------------ agreement lists

# The list file's layout: column headers as data, like the matter file's.
# i18n: data
AGREEMENT_LIST_COLUMNS = {
    "code": "code",
    "实施编码": "code",
    "事项实施编码": "code",
    "事项编码": "code",
    "name": "name",
    "事项名称": "name",
    "batch": "batch",
    "批次": "batch",
    "effective_from": "effective_from",
    "生效日期": "effective_from",
    "调入日期": "effective_from",
    "effective_to": "effective_to",
    "停止日期": "effective_to",
    "调出日期": "effective_to",
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
    return file_date(text)


@dataclass(eq=False)
class _ListPlan:
    current: AgreementMatter | None
    matter: Matter
    batch: str
    start: datetime.date
    end: datetime.date | None
    reason: str

    @property
    def is_change(self) -> bool:
        return self.current is None or (
            self.current.batch,
            self.current.effective_to,
            self.current.removal_reason,
        ) != (self.batch, self.end, self.reason)


def agreement_list_import(
    *,
    actor,
    agreement,
    path: Path,
    dry_run: bool = False,
    progress=None,
    skip_invalid: bool = False,
    errors_file: Path | None = None,
) -> ImportResult:
    """Upsert an agreement's list entries by (code, 生效日期).

    A row with 停止日期 and 调出原因 records a removal. Entries not in the file are
    left as they are (the list's history is never rewritten by omission). Every
    row is checked for everything first; one refused row refuses the file
    unless ``skip_invalid``; ``errors_file`` receives the refused rows.
    """
    table = read_table(
        Path(path),
        columns=AGREEMENT_LIST_COLUMNS,
        required=AGREEMENT_LIST_REQUIRED,
        labels=LIST_LABELS,
    )
    errors = RowErrors()

    def fail(row: Row, name: str, message: str) -> None:
        errors.add(
            row.number,
            table.column(name, LIST_LABELS.get(name)),
            message,
            table.position(name),
        )

    keys = {code_key(row.get("code")) for row in table.rows}
    matters = {
        m.code.upper(): m
        for m in Matter.objects.annotate(key=Upper("code")).filter(key__in=keys)
    }
    entries: dict[int, list[AgreementMatter]] = {}
    for entry in AgreementMatter.objects.filter(
        agreement=agreement, matter__in=list(matters.values())
    ):
        entries.setdefault(entry.matter_id, []).append(entry)
    planned: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = {}
    seen: dict[tuple[str, datetime.date], int] = {}
    plans: list[_ListPlan] = []
    for row in _progress(table.rows, writing=False, progress=progress):
        refused_before = len(errors.errors)
        key = code_key(row.get("code"))
        matter = matters.get(key)
        if not key:
            fail(row, "code", _("Must not be empty."))
        elif matter is None:
            fail(
                row,
                "code",
                _("The catalogue has no matter with the code “%(code)s”.")
                % {"code": normalise_code(row.get("code"))},
            )
        batch = row.get("batch").strip()
        if not batch:
            fail(row, "batch", _("Must not be empty."))
        start = _date(row.get("effective_from"))
        if start is None:
            fail(
                row,
                "effective_from",
                _("“%(value)s” is not a valid date.")
                % {"value": row.get("effective_from")},
            )
        elif start < agreement.effective_on:
            fail(
                row,
                "effective_from",
                _("Must not be before the agreement's effective date."),
            )
        end = None
        if row.get("effective_to"):
            end = _date(row.get("effective_to"))
            if end is None:
                fail(
                    row,
                    "effective_to",
                    _("“%(value)s” is not a valid date.")
                    % {"value": row.get("effective_to")},
                )
            elif start is not None and end <= start:
                fail(
                    row,
                    "effective_to",
                    _("The end date must be after the effective date."),
                )
        reason = row.get("removal_reason").strip()
        if row.get("effective_to") and not reason:
            fail(
                row,
                "removal_reason",
                _("An entry with an end date needs a removal reason."),
            )
        if len(errors.errors) > refused_before:
            continue
        if (key, start) in seen:
            fail(
                row,
                "code",
                _("Duplicate of row %(row)s: %(code)s %(date)s")
                % {"row": seen[(key, start)], "code": matter.code, "date": start},
            )
            continue
        seen[(key, start)] = row.number
        current = next(
            (e for e in entries.get(matter.pk, []) if e.effective_from == start), None
        )
        if (
            end is None
            and matter.status != MatterStatus.PUBLISHED
            and (current is None or current.effective_to is not None)
        ):
            fail(
                row,
                "code",
                _(
                    "The matter “%(name)s” is not published and cannot be put on "
                    "the list."
                )
                % {"name": matter.name},
            )
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
            fail(
                row,
                "effective_from",
                _("Overlaps the period already on the list (from %(date)s).")
                % {"date": clash.effective_from},
            )
        other = next(
            (
                number
                for number, s, e in planned.get(matter.pk, [])
                if _overlaps(s, e, start, end)
            ),
            None,
        )
        if other is not None:
            fail(
                row,
                "effective_from",
                _("Overlaps the period of row %(row)s.") % {"row": other},
            )
        if len(errors.errors) > refused_before:
            continue
        planned.setdefault(matter.pk, []).append((row.number, start, end))
        plans.append(
            _ListPlan(current, matter, batch, start, end, reason if end else "")
        )
    result = ImportResult(dry_run=dry_run)
    _finish_checks(
        table,
        errors,
        result,
        what=_("List file"),
        skip_invalid=skip_invalid,
        errors_file=errors_file,
    )
    for plan in plans:
        if plan.current is None:
            result.created += 1
        elif plan.is_change:
            result.updated += 1
        else:
            result.unchanged += 1
    if dry_run:
        return result
    with transaction.atomic(), actor_context(actor), constraints_immediate():
        AgreementMatter.objects.bulk_create(
            [
                AgreementMatter(
                    agreement=agreement,
                    matter=plan.matter,
                    batch=plan.batch,
                    effective_from=plan.start,
                    effective_to=plan.end,
                    removal_reason=plan.reason,
                )
                for plan in plans
                if plan.current is None
            ],
            batch_size=BATCH,
        )
        # From the version the checking pass read: an entry changed meanwhile
        # refuses the file (412) rather than being overwritten.
        changing = [p for p in plans if p.current is not None and p.is_change]
        locked = versioning.lock_many(
            AgreementMatter,
            expected={p.current.pk: p.current.version for p in changing},
        )
        for plan in changing:
            entry = locked[plan.current.pk]
            entry.batch = plan.batch
            entry.effective_to = plan.end
            entry.removal_reason = plan.reason
            entry.version += 1
        bulk_update_values(
            AgreementMatter,
            list(locked.values()),
            ["batch", "effective_to", "removal_reason", "version"],
            batch_size=BATCH,
        )
    return result
