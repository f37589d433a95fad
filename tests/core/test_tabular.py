"""core.tabular: row files as offices make them."""

import datetime

import pytest
from openpyxl import Workbook

from core.errors import ValidationFailed
from core.tabular import cell_text, file_date, header_key, read_table, rounded_number

COLUMNS = {"code": "code", "编码": "code", "name": "name", "名称": "name"}


def test_header_keys_ignore_units_brackets_stars_and_spaces():
    assert header_key("*法定办结时限（工作日）") == header_key("法定办结时限")
    assert header_key("事项名称\n(必填)") == "事项名称"
    assert header_key("实施编码【必填】") == "实施编码"
    assert header_key(" Code ") == "code"


def test_cells_as_text_and_rounded_numbers():
    assert cell_text(20.0) == "20"
    assert cell_text(datetime.datetime(2021, 7, 1)) == "2021-07-01"
    assert cell_text(1.15113e17) == "1.15113e+17"
    assert rounded_number(1.15113e17) and rounded_number("1.15113E+17")
    assert not rounded_number(20.0) and not rounded_number("115113010833722043")
    assert file_date("2021年7月1日") == datetime.date(2021, 7, 1)
    assert file_date("２０２１/７/１") == datetime.date(2021, 7, 1)
    assert file_date("2021-02-30") is None


def test_the_first_visible_sheet_with_a_header_is_read(tmp_path):
    workbook = Workbook()
    hidden = workbook.active
    hidden.title = "字典"
    hidden.append(["编码", "名称"])  # a lookup list, hidden
    hidden.sheet_state = "hidden"
    notes = workbook.create_sheet("说明")
    notes.append(["请按模板填写"])
    data = workbook.create_sheet("数据")
    data.append(["编码", "名称"])
    data.append(["A1", "甲"])
    data.append(["编码", "名称"])  # the header again on the next printed page
    data.append(["A2", "乙"])
    workbook.active = 1
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    table = read_table(path, columns=COLUMNS, required={"code", "name"})
    assert table.sheet == "数据"
    assert [(r.number, r.get("code")) for r in table.rows] == [(2, "A1"), (4, "A2")]
    assert table.column("name") == "名称（B列）"


def test_utf16_tab_separated_text_from_excel(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("编码\t名称\nA1\t甲\n".encode("utf-16"))
    table = read_table(path, columns=COLUMNS, required={"code"})
    assert table.rows[0].values == {"code": "A1", "name": "甲"}


def test_an_unreadable_workbook_is_a_validation_error(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(ValidationFailed):
        read_table(path, columns=COLUMNS, required={"code"})
