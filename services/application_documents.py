"""The notices of an application as PDF (受理通知书, 一次性告知书, 不予受理通知书)."""

from __future__ import annotations

from django.utils import timezone

from core.documents import Document, Rendered, render
from core.masking import mask_id
from services.choices import DocumentKind


def _issuer(application) -> str:
    department = application.intake_department
    district = application.accepting_district.name
    if department.name.startswith(district):
        return department.name
    return f"{district}{department.name}"


def render_notice(application, kind: str, event) -> Rendered:
    """One notice, carrying the application number and the district's name."""
    title = DocumentKind(kind).label
    date = timezone.localdate(event.created_at)
    document = Document(
        title=title,
        number=f"办件编号：{application.number}",
        issuer=_issuer(application),
        date=date,
        recipient=application.applicant_name,
    )
    matter = application.title
    rows = [
        ("办件编号", application.number),
        ("申请事项", matter),
        ("申请人", application.applicant_name),
        ("证件号码", mask_id(application.applicant_id_number)),
        ("收件日期", f"{application.received_on:%Y-%m-%d}"),
        ("受理地", application.accepting_district.name),
    ]
    if kind == DocumentKind.ACCEPTANCE:
        document.paragraph(
            f"您于{application.received_on:%Y年%m月%d日}提交的“{matter}”申请，"
            f"经审查，申请材料齐全、符合法定形式，{application.accepting_district.name}"
            f"决定予以受理。"
        )
        if application.due_date:
            rows.append(("承诺办结日期", f"{application.due_date:%Y-%m-%d}"))
        if application.deemed_accepted:
            document.paragraph(
                "依照《中华人民共和国行政许可法》第三十二条，本申请自收到申请材料之日起视为受理。"
            )
        document.fields(rows)
        document.paragraph("请凭本通知书及办件编号查询办理进度。")
    elif kind == DocumentKind.CORRECTION:
        document.paragraph(
            f"您提交的“{matter}”申请材料不齐全或者不符合法定形式。"
            "依照《中华人民共和国行政许可法》第三十二条，现一次性告知您需要补正的全部内容如下："
        )
        document.fields(rows)
        items = (event.data or {}).get("items", [])
        document.table(
            ["序号", "材料名称", "补正要求"],
            [
                [str(i), item["name"], item["problem"]]
                for i, item in enumerate(items, 1)
            ],
        )
        if event.note:
            document.paragraph(f"其他说明：{event.note}")
        document.paragraph("请按上述要求补正后重新提交。补正期间不计入办理时限。")
    else:
        document.paragraph(
            f"您提交的“{matter}”申请，经审查，{application.accepting_district.name}"
            "决定不予受理，理由如下："
        )
        document.paragraph(event.note or "")
        document.fields(rows)
        document.paragraph(
            "如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，"
            "或者在六个月内依法提起行政诉讼。"
        )
    return render(document)
