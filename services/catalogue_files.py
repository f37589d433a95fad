"""The row files of the catalogue: what an export writes is what an import reads.

Headers and choice values are written as the national layout writes them (in
Chinese, whatever the interface language), so a file exported anywhere imports again.

``matter_table`` and ``agreement_list_table`` turn selector results into a header
and rows; commands and the staff pages' download links write them with
``core.tabular.write_rows``.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.actions.catalogue_import import (
    AGREEMENT_LIST_HEADER,
    FILE_NO,
    FILE_YES,
    MATERIAL_FIELDS,
    MATTER_EXPORT_HEADER,
    file_value,
    materials_to_text,
)
from services.choices import (
    HandlingType,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    ResultType,
    TongbanScope,
)
from services.models import AgreementMatter, Matter


def matter_table(matters: Iterable[Matter]) -> tuple[list[str], list[list]]:
    header = [label for _name, label in MATTER_EXPORT_HEADER]
    rows = []
    for matter in matters:
        materials = [
            {name: getattr(m, name) for name in MATERIAL_FIELDS}
            for m in matter.materials.all()
        ]
        values = {
            "code": matter.code,
            "name": matter.name,
            "kind": file_value(MatterKind, matter.kind),
            "department": matter.department.code,
            "body_code": matter.body_code,
            "legal_basis": matter.legal_basis,
            "conditions": matter.conditions,
            "procedure": matter.procedure,
            "handling_type": file_value(HandlingType, matter.handling_type),
            "statutory_days": matter.statutory_days,
            "promised_days": matter.promised_days,
            "visits": matter.visits,
            "visits_reason": matter.visits_reason,
            "fee": matter.fee,
            "fee_basis": matter.fee_basis,
            "online_depth": file_value(OnlineDepth, matter.online_depth),
            "mail_supported": FILE_YES if matter.mail_supported else FILE_NO,
            "result_name": matter.result_name,
            "result_type": file_value(ResultType, matter.result_type),
            "tongban_scope": file_value(TongbanScope, matter.tongban_scope),
            "location": matter.location,
            "contact_phone": matter.contact_phone,
            "theme": matter.theme,
            "guide_url": matter.guide_url,
            "status": file_value(MatterStatus, matter.status),
            "materials": materials_to_text(materials),
        }
        rows.append([values[name] for name, _label in MATTER_EXPORT_HEADER])
    return header, rows


def agreement_list_table(
    entries: Iterable[AgreementMatter],
) -> tuple[list[str], list[list]]:
    rows = [
        [
            entry.matter.code,
            entry.matter.name,
            entry.batch,
            entry.effective_from.isoformat(),
            entry.effective_to.isoformat() if entry.effective_to else "",
            entry.removal_reason,
        ]
        for entry in entries
    ]
    return list(AGREEMENT_LIST_HEADER), rows
