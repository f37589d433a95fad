"""Reading and writing row files (xlsx or csv) for imports and exports.

Imports everywhere follow one rule: every row is checked first, every bad row is
reported with its row number (as the spreadsheet numbers it, header = row 1),
and nothing is written unless all rows are valid. ``read_rows`` gives the rows;
``RowErrors`` collects the complaints; ``write_rows`` makes the export files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook

from core.errors import ValidationFailed
from core.i18n import join_list


@dataclass
class Row:
    number: int  # 1-based, as shown by the spreadsheet program
    values: dict[str, str]

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return (
            value.isoformat()[:10]
            if hasattr(value, "hour") and not value.hour and not value.minute
            else value.isoformat()
        )
    return str(value).strip()


def read_rows(
    path: Path, *, columns: dict[str, str], optional: Iterable[str] = ()
) -> list[Row]:
    """Rows of an .xlsx or .csv whose header row names the columns.

    ``columns`` maps accepted header texts (English code or Chinese label) to the
    field name, so files made in Excel or WPS with Chinese headers work too.
    Fields named in ``optional`` may be absent from the header.
    Raises ValidationFailed for an unreadable file or missing columns.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        raw = _xlsx_rows(path)
    elif suffix == ".csv":
        raw = _csv_rows(path)
    else:
        raise ValidationFailed(_unsupported_type(suffix))
    try:
        header = next(raw)
    except StopIteration:
        raise ValidationFailed(_("The file is empty.")) from None
    mapped = [
        columns.get(_cell_text(h)) or columns.get(_cell_text(h).lower()) for h in header
    ]
    required = set(columns.values()) - set(optional)
    missing = required - set(filter(None, mapped))
    rows = []
    for number, values in enumerate(raw, start=2):
        texts = [_cell_text(v) for v in values]
        if not any(texts):
            continue
        rows.append(
            Row(
                number,
                {name: text for name, text in zip(mapped, texts, strict=False) if name},
            )
        )
    if missing:
        labels = sorted(
            {h for h, n in columns.items() if n in missing and not h.isascii()}
            or missing
        )
        raise ValidationFailed(
            _("Missing columns: %(columns)s") % {"columns": join_list(labels)}
        )
    return rows


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise ValidationFailed(
            _("The xlsx file cannot be read: %(error)s") % {"error": error}
        ) from None
    yield from workbook.active.iter_rows(values_only=True)


def _csv_rows(path: Path) -> Iterator[list]:
    text = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = text.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed(
            _("The encoding of the csv file is not recognised (use UTF-8 or GBK).")
        )
    yield from csv.reader(io.StringIO(decoded))


@dataclass
class RowErrors:
    """Complaints per row number, reported all at once."""

    errors: list[tuple[int, str, str]] = field(
        default_factory=list
    )  # (row, field, message)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)

    def add(self, row: int, field_name: str, message: str) -> None:
        self.errors.append((row, field_name, message))

    def warn(self, row: int, field_name: str, message: str) -> None:
        self.warnings.append((row, field_name, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def lines(self) -> list[str]:
        return [
            row_error(row, name, message) for row, name, message in sorted(self.errors)
        ]

    def raise_if_any(self, what: str | None = None) -> None:
        """Raise ValidationFailed listing every bad row; ``what`` names the file
        (e.g. "Matter file"), translated by the caller."""
        if not self.errors:
            return
        count = len({row for row, _name, _message in self.errors})
        if what is None:
            summary = ngettext(
                "The file has %(count)s row with errors; nothing was written.",
                "The file has %(count)s rows with errors; nothing was written.",
                count,
            ) % {"count": count}
        else:
            summary = ngettext(
                "%(what)s has %(count)s row with errors; nothing was written.",
                "%(what)s has %(count)s rows with errors; nothing was written.",
                count,
            ) % {"what": what, "count": count}
        raise ValidationFailed(
            summary,
            errors=[
                {
                    "field": f"row {row}: {name}",
                    "code": "invalid_row",
                    "message": row_error(row, name, message),
                }
                for row, name, message in sorted(self.errors)
            ],
        )


def row_error(row: int, field_name: str, message: str) -> str:
    """One complaint as staff read it: the row number, the column, the message."""
    return _("Row %(row)s, %(field)s: %(message)s") % {
        "row": row,
        "field": field_name,
        "message": message,
    }


def _unsupported_type(suffix: str) -> str:
    return _("Unsupported file type: %(suffix)s (use .xlsx or .csv)") % {
        "suffix": suffix
    }


def write_rows(path: Path, header: list[str], rows: Iterable[list]) -> int:
    """Write an .xlsx or .csv (UTF-8 with BOM, so Excel opens it); returns rows written."""
    count = 0
    if path.suffix.lower() == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
                count += 1
        return count
    if path.suffix.lower() != ".xlsx":
        raise ValidationFailed(_unsupported_type(path.suffix))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
        count += 1
    workbook.save(path)
    return count
