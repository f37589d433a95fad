"""Real catalogues and real office files (issue 14): files written by openpyxl the
way offices write them, codes of every published form, and the bulk write kept
inside the workflow engine, the version checks and the audit trail."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook
from pghistory.models import Events

from core.errors import ValidationFailed
from core.models import Department, StateChange
from services.actions import catalogue as actions
from services.actions import catalogue_import as importing
from services.choices import MatterStatus
from services.models import AgreementMatter, Matter, MatterMaterial
from tests.services.factories_catalogue import AgreementFactory, MatterFactory

pytestmark = pytest.mark.django_db

GOOD = "511A0138000000-511602000000-000-115113010833722043-1-00"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> str:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def office_workbook(path, header, rows, *, title="XX县政务服务事项实施清单", merge=()):
    """As a county office makes it: a title row merged across the table, a
    notes sheet saved as the active one, departments merged down their rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "实施清单"
    if title:
        sheet.append([title])
        sheet.merge_cells(
            start_row=1, start_column=1, end_row=1, end_column=len(header)
        )
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    notes = workbook.create_sheet("填表说明")
    notes.append(["1. 实施编码按省平台导出填写"])
    workbook.active = 1  # saved while reading the notes
    workbook.save(path)
    return path


# A county's published implementation list: department, name, 实施编码, type
# code, no limits; departments merged down the rows of their matters.
COUNTY_HEADER = ["序号", "实施主体", "事项名称", "实施编码", "事项类型"]
COUNTY_ROWS = [
    [1, "行政审批服务局", "食品经营许可", GOOD, 1],
    [
        2,
        None,
        "药品零售企业经营许可",
        "G-000007-001-511602000000-000-115113010833722043-1-00",
        1,
    ],
    [
        3,
        None,
        "母婴保健技术服务执业许可",
        "1J-5100-00012-511602000000-000-115113010833722043-1-00",
        1,
    ],
    [
        4,
        "县民政局",
        "最低生活保障对象认定",
        "A-005818-5818-511602000000-000-00877868-5-1-00",
        7,
    ],
    [5, None, "临时救助", "511A0209000000-511602000000-000-1151130-1-00", 5],
    [6, None, "养老机构备案", "511A0210000000-511602000000-000-1151130108337-1-00", 10],
    [
        7,
        "县残联",
        "残疾人证办理",
        "511A0211000000-511602000000-000-11511301083372204-1-00",
        20,
    ],
]


def county_file(tmp_path):
    return office_workbook(
        tmp_path / "县级实施清单.xlsx",
        COUNTY_HEADER,
        COUNTY_ROWS,
        merge=["B3:B5", "B6:B8"],
    )


def test_a_county_catalogue_loads_in_one_command(tmp_path, local_district):
    out, err = run("import_matters", str(county_file(tmp_path)), "--create-departments")
    assert "新增 7 项" in out
    assert "新建部门 2 个：县民政局、县残联" in out
    matters = {m.name: m for m in Matter.objects.select_related("department")}
    assert len(matters) == 7
    # merged department cells were filled down
    assert matters["临时救助"].department.name == "县民政局"
    assert matters["药品零售企业经营许可"].department.code == "XZSP"
    # no limits: drafts, with a warning each
    assert {m.status for m in matters.values()} == {MatterStatus.DRAFT}
    assert err.count("未填写办结时限") == 7
    # body codes kept as published, with the form named
    assert matters["最低生活保障对象认定"].body_code == "00877868-5"
    assert "组织机构代码" in err and "7位" in err and "13位" in err and "17位" in err
    assert Department.objects.filter(name="县残联", district=local_district).exists()


def test_without_create_departments_the_unknown_ones_are_refused(
    tmp_path, local_district
):
    report = refused("import_matters", str(county_file(tmp_path)))
    # title row 1, header row 2: 县民政局 heads rows 6 to 8, merged
    assert "第6行 实施主体（B列）：未知部门“县民政局”" in report
    # filled down: every row of the merged range names it
    assert "第8行 实施主体（B列）：未知部门“县民政局”" in report
    assert "第5行" not in report
    assert not Matter.objects.exists()


def test_dry_run_with_create_departments_creates_nothing(tmp_path, local_district):
    departments = Department.objects.count()
    with CaptureQueriesContext(connection) as captured:
        out, _err = run(
            "import_matters",
            str(county_file(tmp_path)),
            "--create-departments",
            "--dry-run",
        )
    assert "新增 7 项" in out and "新建部门 2 个" in out
    assert Department.objects.count() == departments and not Matter.objects.exists()
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in captured)


def test_publishing_a_draft_without_limits_lists_what_is_missing(
    tmp_path, local_district
):
    run("import_matters", str(county_file(tmp_path)), "--create-departments")
    matter = Matter.objects.get(name="食品经营许可")
    with pytest.raises(ValidationFailed) as caught:
        actions.matter_publish(
            actor=None, matter=matter, expected_version=matter.version
        )
    fields = {item["field"] for item in caught.value.errors}
    assert {"statutory_days", "promised_days", "legal_basis", "materials"} <= fields


def test_every_problem_of_every_row_is_reported_in_one_pass(tmp_path, local_district):
    header = [
        "实施编码",
        "事项名称",
        "事项类型",
        "实施主体",
        "法定办结时限",
        "承诺办结时限",
    ]
    rows = [
        # code part, department, limits and type all wrong in one row
        [
            "511A0138000000-5116020000-000-115113010833722043-12-00",
            "甲",
            "许可证",
            "不存在的局",
            "二十",
            "5天",
        ],
        ["37080100SP-XK-0001", "", 1, "XZSP", 5, 20],
    ]
    path = office_workbook(tmp_path / "bad.xlsx", header, rows, title=None)
    report = refused("import_matters", str(path))
    lines = report.splitlines()
    assert "第2行 实施编码（A列）：区划代码“5116020000”应为12位数字" in lines
    assert "第2行 实施编码（A列）：序号“12”（倒数第二段）应为1位数字" in lines
    assert "第2行 事项类型（C列）：“许可证”不是有效的事项类型" in lines
    assert "第2行 实施主体（D列）：未知部门“不存在的局”" in lines
    assert any(line.startswith("第2行 法定办结时限（E列）：“二十”") for line in lines)
    assert any(line.startswith("第2行 承诺办结时限（F列）：“5天”") for line in lines)
    assert "第3行 事项名称（B列）：事项名称不能为空" in lines
    assert any(
        line.startswith("第3行 承诺办结时限（F列）：承诺办结时限") for line in lines
    )


def test_full_width_and_lowercase_look_alikes_never_duplicate(tmp_path, local_district):
    matter = MatterFactory(code=GOOD)
    header = ["实施编码", "事项名称", "事项类型", "实施主体"]
    look_alikes = [
        "511A0138000000-511602000000-000-115113010833722043-1-００",
        "511a0138000000－511602000000－000－115113010833722043－1－00",
    ]
    for index, code in enumerate(look_alikes):
        path = office_workbook(
            tmp_path / f"{index}.xlsx",
            header,
            [[code, matter.name, "行政许可", "XZSP"]],
            title=None,
        )
        out, _err = run("import_matters", str(path))
        assert "新增 0 项" in out
    assert Matter.objects.count() == 1
    assert Matter.objects.get().code == GOOD  # as first published


def test_a_lowercase_code_keeps_its_case_and_blocks_an_uppercase_twin(
    tmp_path, local_district
):
    header = ["实施编码", "事项名称", "事项类型", "实施主体"]
    path = office_workbook(
        tmp_path / "a.xlsx",
        header,
        [["37080100sp-xk-0001", "食品经营许可", 1, "XZSP"]],
        title=None,
    )
    run("import_matters", str(path))
    assert Matter.objects.get().code == "37080100sp-xk-0001"
    with pytest.raises(ValidationFailed):
        actions.matter_create(
            actor=None,
            data={
                "code": "37080100SP-XK-0001",
                "name": "又一个",
                "kind": "1",
                "department": Matter.objects.get().department,
                "statutory_days": 20,
                "promised_days": 5,
            },
        )


def test_excel_rounded_body_codes_are_row_errors_and_never_stored(
    tmp_path, local_district
):
    matter = MatterFactory(code=GOOD, body_code="115113010833722043")
    header = ["实施编码", "事项名称", "事项类型", "实施主体", "实施主体编码"]
    # a body code typed into a number cell: Excel keeps 15 digits
    path = office_workbook(
        tmp_path / "rounded.xlsx",
        header,
        [[GOOD, matter.name, "行政许可", "XZSP", 1.15113e17]],
        title=None,
    )
    report = refused("import_matters", str(path))
    assert (
        "第2行 实施主体编码（E列）：“1.15113e+17”是被电子表格按数字舍入后的值" in report
    )
    # the same saved as csv by Excel: the text 1.15113E+17
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow([GOOD, matter.name, "行政许可", "XZSP", "1.15113E+17"])
    path = tmp_path / "rounded.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    report = refused("import_matters", str(path))
    assert "“1.15113E+17”是被电子表格按数字舍入后的值" in report
    matter.refresh_from_db()
    assert matter.body_code == "115113010833722043"


def test_a_body_code_column_contradicting_the_code_is_a_row_error(
    tmp_path, local_district
):
    header = ["实施编码", "事项名称", "事项类型", "实施主体", "实施主体编码"]
    rows = [
        [GOOD, "甲", 1, "XZSP", "11370871MB00000019"],
        # the same body, written as an organisation code without the dash
        [
            "511A0138000000-511602000000-000-00877868-5-1-00",
            "乙",
            1,
            "XZSP",
            "008778685",
        ],
    ]
    path = office_workbook(tmp_path / "c.xlsx", header, rows, title=None)
    report = refused("import_matters", str(path))
    assert (
        "第2行 实施主体编码（E列）：“11370871MB00000019”与实施编码中的实施主体编码"
        "“115113010833722043”不一致" in report
    )
    assert "第3行" not in report


def test_headers_with_units_brackets_stars_and_two_rows(tmp_path, local_district):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["XX区政务服务事项目录"])
    sheet.append(["填报单位：行政审批服务局", None, None, None, "2026年11月"])
    sheet.append(
        [
            "*实施编码",
            "事项名称\n(必填)",
            "事项类型",
            "实施主体",
            "办结时限",
            None,
            "事项分组",
            "办事指南链接",
        ]
    )
    sheet.append(
        [
            None,
            None,
            None,
            None,
            "法定办结时限（工作日）",
            "承诺办结时限(工作日)",
            None,
            None,
        ]
    )
    sheet.merge_cells("E3:F3")
    for column in "ABCDGH":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.append(
        [
            GOOD,
            "食品经营许可",
            "行政许可",
            "行政审批服务局",
            "20个工作日",
            "即办",
            "市场准入",
            "https://zwfw.example.gov.cn/guide/1",
        ]
    )
    path = tmp_path / "two-rows.xlsx"
    workbook.save(path)
    out, err = run("import_matters", str(path))
    assert "新增 1 项" in out, err
    matter = Matter.objects.get()
    assert (matter.statutory_days, matter.promised_days) == (20, 0)
    assert matter.theme == "市场准入"
    assert matter.guide_url == "https://zwfw.example.gov.cn/guide/1"


def test_a_file_without_the_header_names_what_was_looked_for(tmp_path, local_district):
    path = office_workbook(
        tmp_path / "none.xlsx", ["编号", "名称", "备注"], [[1, "a", ""]], title="清单"
    )
    with pytest.raises(CommandError) as caught:
        run("import_matters", str(path))
    message = str(caught.value)
    assert "前30行中找不到表头行" in message
    assert "实施编码、事项名称、事项类型、实施主体" in message


def test_a_header_missing_columns_names_them_and_the_row_taken(
    tmp_path, local_district
):
    path = office_workbook(
        tmp_path / "part.xlsx", ["序号", "实施编码", "事项名称"], [[1, GOOD, "甲"]]
    )
    with pytest.raises(CommandError) as caught:
        run("import_matters", str(path))
    message = str(caught.value)
    assert "缺少列：事项类型、实施主体" in message
    assert "工作表“实施清单”第1行" in message or "工作表“实施清单”第2行" in message


def test_gbk_csv_with_a_title_row_and_a_bom_csv(tmp_path, local_district):
    rows = [
        ["XX县实施清单", "", "", ""],
        ["实施编码", "事项名称", "事项类型", "实施主体"],
        [GOOD, "食品经营许可", "行政许可", "行政审批服务局"],
    ]
    buffer = StringIO()
    csv.writer(buffer).writerows(rows)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(buffer.getvalue().encode("gbk"))
    out, _err = run("import_matters", str(gbk))
    assert "新增 1 项" in out
    bom = tmp_path / "bom.csv"
    bom.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    out, _err = run("import_matters", str(bom))
    assert "未变 1 项" in out


def test_skip_invalid_writes_the_rest_and_the_errors_file_imports_again(
    tmp_path, local_district
):
    header = [
        "实施编码",
        "事项名称",
        "事项类型",
        "实施主体",
        "法定办结时限",
        "承诺办结时限",
    ]
    rows = [
        [GOOD, "食品经营许可", 1, "XZSP", 20, 5],
        ["37080100SP-XK-001", "有误的编码", 1, "XZSP", 20, 5],
        ["37080100SP-XK-0002", "未知部门", 1, "不存在的局", 20, 30],
    ]
    path = office_workbook(tmp_path / "mixed.xlsx", header, rows)
    errors_file = tmp_path / "errors.xlsx"
    out, err = run(
        "import_matters", str(path), "--skip-invalid", "--errors", str(errors_file)
    )
    assert "新增 1 项" in out and "2 行未导入" in out
    assert "第4行 实施编码（A列）" in err
    assert Matter.objects.count() == 1
    sheet = load_workbook(errors_file).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == (*header, "错误原因")
    assert [line[1] for line in lines[1:]] == ["有误的编码", "未知部门"]
    reasons = lines[2][-1]
    assert "实施主体（D列）：未知部门“不存在的局”" in reasons
    assert "承诺办结时限（F列）" in reasons
    # the operator corrects the refused rows and imports the file again
    sheet["A2"] = "37080100SP-XK-0001"
    sheet["D3"] = "XZSP"
    sheet["F3"] = 10
    load = tmp_path / "corrected.xlsx"
    sheet.parent.save(load)
    out, _err = run("import_matters", str(load))
    assert "新增 2 项" in out and Matter.objects.count() == 3


def test_all_or_nothing_still_writes_the_errors_file(tmp_path, local_district):
    header = ["实施编码", "事项名称", "事项类型", "实施主体"]
    path = office_workbook(
        tmp_path / "a.xlsx", header, [[GOOD, "甲", 1, "XZSP"], ["x", "乙", 1, "XZSP"]]
    )
    errors_file = tmp_path / "errors.xlsx"
    report = refused("import_matters", str(path), "--errors", str(errors_file))
    assert str(errors_file) in report
    assert not Matter.objects.exists()
    assert load_workbook(errors_file).active.max_row == 2


def test_theme_and_guide_link_round_trip_and_a_bad_link_is_refused(
    tmp_path, local_district
):
    header = ["实施编码", "事项名称", "事项类型", "实施主体", "主题", "办事指南链接"]
    rows = [
        [GOOD, "甲", 1, "XZSP", "社会保障", "http://www.example.gov.cn/a"],
        ["37080100SP-XK-0001", "乙", 1, "XZSP", "", "www.example.gov.cn"],
    ]
    path = office_workbook(tmp_path / "a.xlsx", header, rows)
    report = refused("import_matters", str(path))
    assert "第4行 办事指南链接（F列）：办事指南链接应为 http(s) 网址" in report
    rows[1][5] = ""
    run("import_matters", str(office_workbook(tmp_path / "b.xlsx", header, rows)))
    exported = tmp_path / "export.xlsx"
    run("export_matters", str(exported))
    sheet = load_workbook(exported).active
    names = [c.value for c in sheet[1]]
    first = dict(zip(names, [c.value for c in sheet[2]], strict=True))
    assert first["事项分组"] in ("社会保障", None)
    out, _err = run("import_matters", str(exported))
    assert "未变 2 项" in out


def test_bulk_import_keeps_the_engine_audit_and_a_fixed_number_of_queries(
    tmp_path, local_district
):
    header = [
        "实施编码",
        "事项名称",
        "事项类型",
        "实施主体",
        "设定依据",
        "受理条件",
        "法定办结时限",
        "承诺办结时限",
        "网办深度",
        "状态",
        "申请材料",
    ]

    def rows(start, count):
        return [
            [
                f"37087100SP-XK-{n:04d}",
                f"事项{n}",
                1,
                "XZSP",
                "《行政许可法》",
                "符合条件",
                20,
                5,
                "全程网办",
                "已发布",
                "申请书|必要|原件|1||\n身份证|必要|电子证照|1||",
            ]
            for n in range(start, start + count)
        ]

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(Matter)  # cached as in a running server
    counts = []
    for start, count in ((1, 5), (100, 25)):
        path = office_workbook(tmp_path / f"{start}.xlsx", header, rows(start, count))
        with CaptureQueriesContext(connection) as captured:
            importing.matters_import(actor=None, path=path, progress=False)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert Matter.objects.filter(status=MatterStatus.PUBLISHED).count() == 30
    assert MatterMaterial.objects.count() == 60
    matter = Matter.objects.get(code="37087100SP-XK-0100")
    assert matter.version == 2 and matter.published_at is not None
    labels = list(
        Events.objects.tracks(matter)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )
    assert labels == ["insert", "update"]
    steps = StateChange.objects.filter(object_id=matter.pk, verb="publish")
    assert steps.count() == 1
    assert steps.get().from_status == MatterStatus.DRAFT

    # an unchanged re-import: no write at all, the same few queries
    path = tmp_path / "100.xlsx"
    with CaptureQueriesContext(connection) as captured:
        result = importing.matters_import(actor=None, path=path, progress=False)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 25)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in captured)

    # a changed row: one audited update, status steps through the engine
    changed = rows(100, 25)
    changed[0][7] = 3
    changed[1][9] = "暂停"
    path = office_workbook(tmp_path / "changed.xlsx", header, changed)
    result = importing.matters_import(actor=None, path=path, progress=False)
    assert (result.updated, result.unchanged) == (2, 23)
    matter.refresh_from_db()
    assert (matter.promised_days, matter.version) == (3, 3)
    suspended = Matter.objects.get(code="37087100SP-XK-0101")
    assert suspended.status == MatterStatus.SUSPENDED
    assert StateChange.objects.filter(object_id=suspended.pk, verb="suspend").exists()


def test_a_matter_changed_after_the_checks_refuses_the_whole_write(
    tmp_path, local_district, monkeypatch
):
    matter = MatterFactory(code=GOOD, promised_days=5)
    header = [
        "实施编码",
        "事项名称",
        "事项类型",
        "实施主体",
        "法定办结时限",
        "承诺办结时限",
    ]
    path = office_workbook(
        tmp_path / "a.xlsx",
        header,
        [
            [GOOD, matter.name, 1, "XZSP", 20, 3],
            ["37080100SP-XK-0001", "新", 1, "XZSP", 20, 5],
        ],
    )
    original = importing._write_matters

    def meanwhile(*args, **kwargs):
        Matter.objects.filter(pk=matter.pk).update(version=7)
        return original(*args, **kwargs)

    monkeypatch.setattr(importing, "_write_matters", meanwhile)
    from core.errors import StaleVersion

    with pytest.raises(StaleVersion):
        importing.matters_import(actor=None, path=path, progress=False)
    assert not Matter.objects.filter(code="37080100SP-XK-0001").exists()


def test_apply_many_refuses_a_step_from_the_wrong_status_and_writes_nothing(
    local_district,
):
    from core.errors import IllegalTransition
    from services.choices import MATTER_WORKFLOW

    published = MatterFactory()
    draft = MatterFactory(status=MatterStatus.DRAFT)
    with pytest.raises(IllegalTransition):
        MATTER_WORKFLOW.apply_many(
            {published.pk: published.version, draft.pk: draft.version},
            "suspend",
            actor=None,
        )
    published.refresh_from_db()
    assert published.status == MatterStatus.PUBLISHED
    assert not StateChange.objects.exists()


# ------------------------------------------------------------- agreement lists


def test_agreement_list_from_an_office_file(tmp_path, local_district):
    agreement = AgreementFactory()
    matter = MatterFactory(code="37087100SP-XK-0001")
    other = MatterFactory()
    path = office_workbook(
        tmp_path / "list.xlsx",
        [
            "序号",
            "事项实施编码",
            "事项名称",
            "批次",
            "调入日期",
            "调出日期",
            "调出原因",
        ],
        [
            [
                1,
                "37087100sp-xk-０００１",
                matter.name,
                "首批",
                "2021年7月1日",
                None,
                None,
            ],
            [2, other.code, other.name, "首批", "2021/7/1", "2021.11.1", None],
            [3, "37087100SP-XK-9999", "无", "首批", "2021-07-01", None, None],
        ],
        title="通办事项清单（第一批）",
    )
    errors_file = tmp_path / "errors.xlsx"
    report = refused(
        "import_agreement_list", agreement.code, str(path), "--errors", str(errors_file)
    )
    assert "第4行 调出原因（G列）：有停止日期的事项须写明调出原因" in report
    assert "第5行 事项实施编码（B列）" in report
    out, err = run("import_agreement_list", agreement.code, str(path), "--skip-invalid")
    assert "新增 1 项" in out and "2 行未导入" in out
    entry = AgreementMatter.objects.get()
    assert entry.matter == matter and str(entry.effective_from) == "2021-07-01"
