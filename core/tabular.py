"""Reading and writing row files (xlsx, xls, ods or csv) for imports and exports.

Files come from offices, not from this program: a title row or two above the
header, a department merged down the rows it spans, headers with units and
full-width brackets (``法定办结时限（工作日）``), the data on whichever sheet was
active when it was saved, csv in GBK or with a BOM. ``read_table`` finds the
header row on the first sheet that has one, fills merged cells down and keeps
each cell as typed (a number stays a number, so a code a spreadsheet rounded
to ``1.15113E+17`` can be told from one typed as text).

Workbooks are read with python-calamine (the Rust calamine reader pandas also
uses): openpyxl needs 5 s for 10,000 rows of 24 columns on the development
machine, calamine 0.5 s, and it reads .xls and .ods as well. Exports are written
with openpyxl.

Imports everywhere follow one rule: every row is checked for everything, every
complaint is reported with its row number (as the spreadsheet numbers it) and
column; ``RowErrors`` collects them and ``write_refused_rows`` gives the
operator the refused rows back, with the reasons, to correct and import again.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.errors import ValidationFailed
from core.i18n import join_list

# What header cells put in brackets (units, 必填) after NFKC: ( ) [ ] 【 】 〔 〕 < >.
# i18n: data
BRACKETED = r"[(\[【〔<].*?[)\]】〕>]"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
# How far down a sheet the header row is looked for (title rows, notes above it).
HEADER_SEARCH_ROWS = 30


@dataclass
class Row:
    number: int  # 1-based, as shown by the spreadsheet program
    values: dict[str, str]  # field → the cell as text, trimmed
    raw: dict[str, object] = field(default_factory=dict)  # field → cell as typed
    cells: list = field(default_factory=list)  # the whole row as read

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)


@dataclass
class Table:
    """The rows under the header, and where each field's column is."""

    rows: list[Row]
    header: list[str]  # the header texts as the file writes them
    positions: dict[str, int]  # field → 0-based column
    sheet: str = ""
    header_row: int = 1

    def has(self, name: str) -> bool:
        return name in self.positions

    def column(self, name: str, default: str | None = None) -> str:
        """How a complaint names the field's column: its header as the file
        writes it and the column letter, e.g. 实施编码（C列）."""
        position = self.positions.get(name)
        if position is None:
            return default or name
        return column_label(self.header[position], position)

    def position(self, name: str) -> int:
        return self.positions.get(name, 10_000)


def column_label(header: str, position: int) -> str:
    return _("%(column)s (column %(letter)s)") % {
        "column": header,
        "letter": get_column_letter(position + 1),
    }


# ------------------------------------------------------------------ cells


def header_key(text) -> str:
    """A header as compared: NFKC (full-width brackets and letters folded),
    without what is in brackets (units, 必填), whitespace, required-field stars
    and colons, lowercased: ``*法定办结时限（工作日）`` → ``法定办结时限``."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(BRACKETED, "", text)
    text = re.sub(r"\s+", "", text)
    return text.strip("*:#").lower()


def cell_text(value) -> str:
    """A cell as text: whole numbers without ``.0``, dates as YYYY-MM-DD, a
    number too long for a spreadsheet as it shows it (``1.15113e+17``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, datetime.datetime):
        if not (value.hour or value.minute or value.second):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


# Dates as offices type them: 2021-07-01, 2021/7/1, 2021.7.1, 2021年7月1日.
# i18n: data
FILE_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def file_date(text) -> datetime.date | None:
    """A date cell's text (full-width digits and spaces aside), or None."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    match = FILE_DATE.match(value)
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


def rounded_number(value) -> bool:
    """Whether a cell meant to hold a code holds a number a spreadsheet rounded:
    more than 15 significant digits as a number, or the ``1.15113E+17`` text a
    csv saved from such a cell carries."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return abs(value) >= 1e15
    return bool(SCIENTIFIC.match(str(value or "").strip()))


# ------------------------------------------------------------------ reading


def read_table(
    path: Path,
    *,
    columns: dict[str, str],
    required: Iterable[str] = (),
    labels: dict[str, str] | None = None,
) -> Table:
    """The table of an .xlsx/.xls/.ods or .csv whose header row names the columns.

    ``columns`` maps accepted header texts (English code, Chinese names) to the
    field; headers are compared by ``header_key``. When two columns name the
    same field, the one whose name comes first in ``columns`` is read. The header
    is the first row, within the first 30 of the first sheet that has one, that
    names every ``required`` field. ``labels`` names fields in messages.
    Raises ValidationFailed for an unreadable file or one without such a header.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        sheets = _workbook_sheets(path)
    elif suffix in (".csv", ".txt"):
        sheets = [("", _csv_rows(path), [])]
    else:
        raise ValidationFailed(_unsupported_type(suffix))
    keys = {}
    for rank, (text, name) in enumerate(columns.items()):
        keys.setdefault(header_key(text), (rank, name))
    required = set(required)
    closest = None
    for sheet, grid, merged in sheets:
        found = _find_header(grid, merged, keys, required)
        if found is None:
            continue
        header_row, data_row, header, positions = found
        if required <= set(positions):
            return _table(sheet, grid, merged, header_row, data_row, header, positions)
        if closest is None or len(positions) > len(closest[2]):
            closest = (sheet, header_row, positions)
    names = labels or _default_labels(columns)
    order = {name: index for index, name in enumerate([*names, *columns.values()])}
    looked_for = join_list([names.get(n, n) for n in sorted(required, key=order.get)])
    if closest is None:
        raise ValidationFailed(
            _(
                "No header row found in the first %(rows)s rows: looked for a row "
                "with the columns %(columns)s."
            )
            % {"rows": HEADER_SEARCH_ROWS, "columns": looked_for}
        )
    sheet, header_row, positions = closest
    missing = join_list(
        [names.get(n, n) for n in sorted(required - set(positions), key=order.get)]
    )
    where = (
        _("row %(row)s of sheet “%(sheet)s”") % {"row": header_row, "sheet": sheet}
        if sheet
        else _("row %(row)s") % {"row": header_row}
    )
    raise ValidationFailed(
        _(
            "Missing columns: %(missing)s. The header row was taken to be "
            "%(where)s; looked for a row with the columns %(columns)s."
        )
        % {"missing": missing, "where": where, "columns": looked_for}
    )


def read_rows(
    path: Path, *, columns: dict[str, str], optional: Iterable[str] = ()
) -> list[Row]:
    """The rows of ``read_table``: every field of ``columns`` not in
    ``optional`` must have a column."""
    required = set(columns.values()) - set(optional)
    return read_table(path, columns=columns, required=required).rows


def _default_labels(columns: dict[str, str]) -> dict[str, str]:
    """Each field named by its first Chinese header (else its code)."""
    labels: dict[str, str] = {}
    for text, name in columns.items():
        if not text.isascii():
            labels.setdefault(name, text)
    for name in columns.values():
        labels.setdefault(name, name)
    return labels


def _find_header(grid, merged, keys, required):
    """(header row, first data row, header texts, field → column) of the best
    header candidate, or None when no row names any field."""
    best = None
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        header = [cell_text(v) for v in cells]
        sub_row = None
        # Two header rows: a group heading merged across columns (办结时限 over
        # 法定/承诺) or headings merged down two rows. The row below names the
        # columns left blank here.
        spans = [
            (top, left, bottom, right)
            for (top, left), (bottom, right) in merged
            if top == index and (bottom > top or right > left)
        ]
        if spans and index + 1 < len(grid):
            sub_row = index + 1
            below = [cell_text(v) for v in grid[sub_row]]
            groups = {}
            for _top, left, _bottom, right in spans:
                if right > left:
                    for column in range(left, right + 1):
                        groups[column] = header[left]
            for column, text in enumerate(below):
                if not text:
                    continue
                if column >= len(header):
                    header.extend([""] * (column + 1 - len(header)))
                group = groups.get(column, "")
                if not header[column] or group:
                    own = keys.get(header_key(text))
                    combined = keys.get(header_key(group + text)) if group else None
                    header[column] = text if own or not combined else group + text
        positions: dict[str, tuple[int, int]] = {}
        for column, text in enumerate(header):
            match = keys.get(header_key(text)) if text else None
            if match is None:
                continue
            rank, name = match
            if name not in positions or rank < positions[name][0]:
                positions[name] = (rank, column)
        found = {name: column for name, (_rank, column) in positions.items()}
        if not found:
            continue
        data_row = (sub_row if sub_row is not None else index) + 1
        candidate = (index + 1, data_row, header, found)
        if required <= set(found):
            return candidate
        if best is None or len(found) > len(best[3]):
            best = candidate
    return best


def _table(sheet, grid, merged, header_row, data_row, header, positions) -> Table:
    # Merged cells below the header hold their value in the top-left cell only:
    # fill it into the whole range (a department spanning its matters' rows).
    for (top, left), (bottom, right) in merged:
        if top < data_row or top >= len(grid):
            continue
        value = grid[top][left] if left < len(grid[top]) else None
        for row in range(top, min(bottom, len(grid) - 1) + 1):
            cells = grid[row]
            if len(cells) <= right:
                cells.extend([None] * (right + 1 - len(cells)))
            for column in range(left, right + 1):
                if cells[column] in (None, ""):
                    cells[column] = value
    header_keys = [header_key(text) for text in header]
    first = min(positions.values())
    rows = []
    for index in range(data_row, len(grid)):
        cells = grid[index]
        texts = [cell_text(v) for v in cells]
        if not any(texts):
            continue
        # A header repeated on each printed page.
        if (
            first < len(texts)
            and texts[first] == header[first]
            and [header_key(t) for t in texts[: len(header_keys)]] == header_keys
        ):
            continue
        values, raw = {}, {}
        for name, column in positions.items():
            if column < len(cells):
                values[name] = texts[column]
                raw[name] = cells[column]
            else:
                values[name] = ""
                raw[name] = None
        rows.append(Row(index + 1, values, raw, list(cells)))
    return Table(
        rows=rows,
        header=header,
        positions=positions,
        sheet=sheet,
        header_row=header_row,
    )


def _workbook_sheets(path: Path):
    """(name, rows, merged ranges) of each worksheet, visible ones first."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metadata = [
            m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet
        ]
        metadata.sort(key=lambda m: m.visible != SheetVisibleEnum.Visible)
        sheets = []
        for meta in metadata:
            sheet = workbook.get_sheet_by_name(meta.name)
            grid = sheet.to_python(skip_empty_area=False)
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
            sheets.append((meta.name, grid, merged))
    except Exception as error:  # calamine raises its own kinds for a bad file
        raise ValidationFailed(
            _("The file cannot be read as a workbook: %(error)s") % {"error": error}
        ) from None
    return sheets


def _csv_rows(path: Path) -> list[list]:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # Excel's "Unicode text"
    else:
        encodings = ("utf-8-sig", "gb18030")  # GB18030 reads GBK and GB2312 too
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed(
            _("The encoding of the csv file is not recognised (use UTF-8 or GBK).")
        )
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


# ------------------------------------------------------------------ complaints


class Complaint(NamedTuple):
    row: int
    position: int  # the column's place, to list complaints in the file's order
    column: str  # as staff read it: the header and the column letter
    message: str


@dataclass
class RowErrors:
    """Complaints per row number, reported all at once."""

    errors: list[Complaint] = field(default_factory=list)
    warnings: list[Complaint] = field(default_factory=list)

    def add(
        self, row: int, field_name: str, message: str, position: int = 10_000
    ) -> None:
        self.errors.append(Complaint(row, position, field_name, message))

    def warn(
        self, row: int, field_name: str, message: str, position: int = 10_000
    ) -> None:
        self.warnings.append(Complaint(row, position, field_name, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def rows(self) -> set[int]:
        return {item.row for item in self.errors}

    def by_row(self) -> dict[int, list[str]]:
        """Each refused row's complaints, column by column."""
        found: dict[int, list[str]] = {}
        for item in sorted(self.errors):
            found.setdefault(item.row, []).append(
                _("%(column)s: %(message)s")
                % {"column": item.column, "message": item.message}
            )
        return found

    def lines(self) -> list[str]:
        return [row_error(i.row, i.column, i.message) for i in sorted(self.errors)]

    def warning_lines(self) -> list[str]:
        return [row_error(i.row, i.column, i.message) for i in sorted(self.warnings)]

    def raise_if_any(self, what: str | None = None) -> None:
        """Raise ValidationFailed listing every complaint; ``what`` names the file
        (e.g. "Matter file"), translated by the caller."""
        if not self.errors:
            return
        count = len(self.rows())
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
        error = ValidationFailed(
            summary,
            errors=[
                {
                    "field": f"row {item.row}: {item.column}",
                    "code": "invalid_row",
                    "message": row_error(item.row, item.column, item.message),
                }
                for item in sorted(self.errors)
            ],
        )
        error.row_errors = self  # for a command to write the refused rows
        raise error


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


# ------------------------------------------------------------------ writing


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


def write_refused_rows(path: Path, table: Table, errors: RowErrors) -> int:
    """The refused rows as the file had them, with their reasons in an extra
    last column, under the file's header: corrected, the file imports again
    (the reasons column is not one the import reads). Returns rows written."""
    refused = errors.by_row()
    width = max([len(table.header), *(len(r.cells) for r in table.rows)], default=0)
    header = [*table.header, *[""] * (width - len(table.header)), _("Errors")]
    rows = []
    for row in table.rows:
        if row.number in refused:
            cells = [*row.cells, *[None] * (width - len(row.cells))]
            rows.append([*cells, "\n".join(refused[row.number])])
    if Path(path).suffix.lower() != ".xlsx":
        return write_rows(Path(path), header, rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.sheet or _("Refused rows")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    letter = get_column_letter(len(header))
    sheet.column_dimensions[letter].width = 60
    for cell in sheet[letter][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(color="C00000")
    workbook.save(path)
    return len(rows)
