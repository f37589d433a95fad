"""PDF documents for every register: one small renderer, Chinese text, no network.

A document is a title, a number, a list of blocks (paragraphs, label/value rows,
tables) and a footer with the issuing body and date. The CJK font is embedded
when one is configured (``PDF_CJK_FONT``) or installed in a usual place (a
TrueType file such as Debian's fonts-wqy-microhei); otherwise reportlab's
``STSong-Light`` CID font is named, which every Chinese PDF reader supplies.
Text stays extractable either way. ``render`` returns the bytes and their SHA-256
so callers can record the checksum beside the document number.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FALLBACK_FONT = "STSong-Light"
EMBEDDED_FONT = "RegistryCJK"
# TrueType-outline CJK fonts reportlab can embed (CFF-based .otf files it cannot).
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


@lru_cache(maxsize=1)
def cjk_font_name() -> str:
    """Register and return the font to use: an embedded TTF if any, else STSong-Light."""
    configured = getattr(settings, "PDF_CJK_FONT", "")
    for candidate in ([configured] if configured else []) + FONT_CANDIDATES:
        path = Path(candidate)
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, str(path), subfontIndex=0))
        except (TTFError, OSError):
            continue
        return EMBEDDED_FONT
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


@dataclass
class Document:
    title: str
    number: str
    issuer: str
    date: datetime.date
    blocks: list = field(default_factory=list)
    recipient: str = ""

    def paragraph(self, text: str) -> Document:
        self.blocks.append(("p", text))
        return self

    def heading(self, text: str) -> Document:
        self.blocks.append(("h", text))
        return self

    def fields(self, rows: list[tuple[str, str]]) -> Document:
        self.blocks.append(("fields", rows))
        return self

    def table(self, header: list[str], rows: list[list[str]]) -> Document:
        self.blocks.append(("table", (header, rows)))
        return self


@dataclass
class Rendered:
    content: bytes
    sha256: str
    filename: str


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "base", fontName=font, fontSize=11.5, leading=19, wordWrap="CJK"
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER
        ),
        "number": ParagraphStyle(
            "number", parent=base, alignment=TA_CENTER, textColor=colors.grey
        ),
        "h": ParagraphStyle("h", parent=base, fontSize=13, leading=22, spaceBefore=6),
        "p": ParagraphStyle("p", parent=base, firstLineIndent=23),
        "plain": base,
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=15),
    }


def render(document: Document) -> Rendered:
    font = cjk_font_name()
    styles = _styles(font)
    story = [
        Paragraph(escape(document.issuer), styles["number"]),
        Paragraph(escape(document.title), styles["title"]),
        Paragraph(escape(document.number), styles["number"]),
        Spacer(1, 6 * mm),
    ]
    if document.recipient:
        story.append(
            Paragraph(
                _("%(recipient)s:") % {"recipient": escape(document.recipient)},
                styles["plain"],
            )
        )
    for kind, value in document.blocks:
        if kind == "p":
            story.append(Paragraph(escape(value), styles["p"]))
        elif kind == "h":
            story.append(Paragraph(escape(value), styles["h"]))
        elif kind == "fields":
            data = [
                [
                    Paragraph(escape(label), styles["cell"]),
                    Paragraph(escape(str(text)), styles["cell"]),
                ]
                for label, text in value
            ]
            story.append(_table(data, [38 * mm, 132 * mm], header=False))
        elif kind == "table":
            header, rows = value
            data = [[Paragraph(escape(str(c)), styles["cell"]) for c in header]] + [
                [Paragraph(escape(str(c)), styles["cell"]) for c in row] for row in rows
            ]
            width = 170 * mm / max(len(header), 1)
            story.append(_table(data, [width] * len(header), header=True))
        story.append(Spacer(1, 3 * mm))
    story += [
        Spacer(1, 12 * mm),
        Paragraph(escape(document.issuer), styles["right"]),
        # The locale's long date: 2021年6月8日 in Chinese.
        Paragraph(date_format(document.date, "DATE_FORMAT"), styles["right"]),
    ]

    buffer = io.BytesIO()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        page = _("Page %(page)s") % {"page": doc.page}
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{document.number}  {page}")
        canvas.restoreState()

    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=document.title,
        author=document.issuer,
        subject=document.number,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        # The same document, the same bytes (no creation time or random id in
        # the file): its checksum identifies it, however often it is printed.
        invariant=True,
    )
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    content = buffer.getvalue()
    safe_number = "".join(ch if ch.isalnum() else "-" for ch in document.number)
    return Rendered(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        filename=f"{document.title}-{safe_number}.pdf",
    )


def _table(data, widths, *, header: bool) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")))
    table.setStyle(TableStyle(style))
    return table


def pdf_response(rendered: Rendered):
    """An HTTP response serving the PDF inline, with its checksum in a header."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"inline; filename*=UTF-8''{quote(rendered.filename)}"
    )
    response["X-Content-SHA256"] = rendered.sha256
    return response
