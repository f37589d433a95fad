"""import/export of matters and agreement lists, with files as other tools write them."""

import csv
import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.audit import actor_context
from services.actions.catalogue_import import FILE_VALUES
from services.choices import MatterStatus
from services.models import AgreementMatter, Matter
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    MatterFactory,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "实施编码",
    "事项名称",
    "事项类型",
    "实施主体",
    "设定依据",
    "受理条件",
    "法定办结时限",
    "承诺办结时限",
    "到办事现场次数",
    "收费标准",
    "网办深度",
    "支持物流快递",
    "状态",
    "申请材料",
]
DEPARTMENTS = ["XZSP", "RSJ", "YBJ", "MZ", "CJR"]


def list_of_fifty():
    """50 rows as a spreadsheet program would keep them: numbers typed as numbers."""
    rows = []
    for n in range(1, 51):
        code = (
            f"37087100SP-XK-{n:04d}"
            if n % 2
            else f"3708711{n:07d}-370871000000-000-11370871MB00000019-1-00"
        )
        rows.append(
            [
                code,
                f"通办事项{n}",
                "行政许可" if n % 3 else 20,  # a label or the national type code
                DEPARTMENTS[n % 5],
                "《中华人民共和国行政许可法》",
                "符合法定条件",
                20,
                5 if n % 4 else 0,
                0,
                0,
                "全程网办",
                "是",
                "已发布",
                "申请书|必要|原件|1|申请人自备|\n居民身份证|必要|电子证照|1|电子证照库|",
            ]
        )
    return rows


def write_xlsx(path, header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "事项清单"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_fifty_matters_from_another_tool_import_and_export_round_trip(
    tmp_path, local_district
):
    source = write_xlsx(tmp_path / "清单.xlsx", HEADER, list_of_fifty())
    out, _err = run("import_matters", str(source))
    assert "新增 50 项" in out
    assert Matter.objects.filter(status=MatterStatus.PUBLISHED).count() == 50
    sample = Matter.objects.get(code="37087100SP-XK-0003")
    assert sample.kind == "20" and sample.department.code == "MZ"
    assert [m.form for m in sample.materials.all()] == ["original", "electronic"]

    exported = tmp_path / "export.xlsx"
    run("export_matters", str(exported))
    versions = dict(Matter.objects.values_list("code", "version"))
    out, _err = run("import_matters", str(exported))
    assert "新增 0 项，更新 0 项，未变 50 项" in out
    assert dict(Matter.objects.values_list("code", "version")) == versions
    # the exported file is readable by another tool, with Chinese headers
    sheet = load_workbook(exported).active
    assert [c.value for c in sheet[1]][:3] == ["实施编码", "事项名称", "事项类型"]
    assert sheet.max_row == 51


def test_export_in_english_keeps_the_national_layout_and_imports_again(
    tmp_path, local_district
):
    run("import_matters", str(write_xlsx(tmp_path / "a.xlsx", HEADER, list_of_fifty())))
    exported = tmp_path / "export.xlsx"
    with translation.override("en"):
        out, _err = run("export_matters", str(exported))
    assert out.startswith("Exported 50 matters to ")
    sheet = load_workbook(exported).active
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert header[:3] == ["实施编码", "事项名称", "事项类型"]
    assert first["事项类型"] in ("行政许可", "公共服务")
    assert (first["网办深度"], first["支持物流快递"], first["状态"]) == (
        "全程网办",
        "是",
        "已发布",
    )
    with translation.override("en"):
        out, _err = run("import_matters", str(exported))
    assert "Created: 0, updated: 0, unchanged: 50" in out


@pytest.mark.parametrize("choices", list(FILE_VALUES), ids=lambda c: c.__name__)
def test_file_values_are_the_chinese_labels_staff_see(choices):
    with translation.override("zh-hans"):
        labels = {code: str(label) for code, label in choices.choices}
    assert FILE_VALUES[choices] == labels


def test_reimport_of_the_source_file_also_changes_nothing(tmp_path, local_district):
    source = write_xlsx(tmp_path / "清单.xlsx", HEADER, list_of_fifty())
    run("import_matters", str(source))
    out, _err = run("import_matters", str(source))
    assert "未变 50 项" in out


def test_a_changed_row_is_counted_as_updated(tmp_path, local_district):
    rows = list_of_fifty()
    run("import_matters", str(write_xlsx(tmp_path / "a.xlsx", HEADER, rows)))
    rows[0][7] = 3
    out, _err = run(
        "import_matters", str(write_xlsx(tmp_path / "b.xlsx", HEADER, rows))
    )
    assert "更新 1 项" in out and "未变 49 项" in out
    assert Matter.objects.get(code=rows[0][0]).promised_days == 3


def test_file_with_bad_rows_is_refused_naming_every_bad_row(tmp_path, local_district):
    rows = list_of_fifty()[:6]
    rows[1][0] = rows[0][0]  # row 3: duplicate code
    rows[2][7] = 30  # row 4: promised > statutory
    rows[3][3] = "不存在的局"  # row 5: unknown department
    rows[4][0] = "37087100SP-XK-12"  # row 6: malformed code
    source = write_xlsx(tmp_path / "bad.xlsx", HEADER, rows)
    with pytest.raises(CommandError) as caught:
        run("import_matters", str(source))
    assert "4 行错误" in str(caught.value)
    assert not Matter.objects.exists()


def test_bad_row_report_goes_to_stderr_with_row_numbers(tmp_path, local_district):
    rows = list_of_fifty()[:6]
    rows[1][0] = rows[0][0]
    rows[2][7] = 30
    rows[3][3] = "不存在的局"
    rows[4][0] = "37087100SP-XK-12"
    source = write_xlsx(tmp_path / "bad.xlsx", HEADER, rows)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_matters", str(source), stdout=StringIO(), stderr=err)
    report = err.getvalue()
    assert "第3行 实施编码（A列）：与第2行重复" in report
    assert (
        "第4行 承诺办结时限（H列）：承诺办结时限（30个工作日）不得长于法定办结时限"
        in report
    )
    assert "第5行 实施主体（D列）：未知部门“不存在的局”" in report
    assert "第6行 实施编码（A列）：县级简码的序号“12”应为4位数字" in report
    assert "第2行" not in report.replace("与第2行", "")


def test_row_asking_to_publish_without_the_elements_is_imported_as_a_draft(
    tmp_path, local_district
):
    rows = list_of_fifty()[:2]
    rows[1][8] = 1  # a visit without a reason
    rows[1][13] = ""  # and no materials
    out, err = run("import_matters", str(write_xlsx(tmp_path / "x.xlsx", HEADER, rows)))
    assert "新增 2 项" in out
    assert Matter.objects.get(code=rows[0][0]).status == MatterStatus.PUBLISHED
    assert Matter.objects.get(code=rows[1][0]).status == MatterStatus.DRAFT
    assert "第3行 状态（M列）：未发布（保持为“草稿”）" in err
    assert "须写明必须到现场的原因" in err and "至少应有一项申请材料" in err


def test_published_matter_edited_to_break_the_publishing_rules_is_refused(
    tmp_path, local_district
):
    rows = list_of_fifty()[:2]
    run("import_matters", str(write_xlsx(tmp_path / "a.xlsx", HEADER, rows)))
    rows[1][4] = ""  # no legal basis any more, still 已发布
    with pytest.raises(CommandError):
        run("import_matters", str(write_xlsx(tmp_path / "b.xlsx", HEADER, rows)))
    assert Matter.objects.get(code=rows[1][0]).legal_basis


def test_dry_run_reports_but_writes_nothing(tmp_path, local_district):
    source = write_xlsx(tmp_path / "清单.xlsx", HEADER, list_of_fifty())
    out, _err = run("import_matters", str(source), "--dry-run")
    assert "试运行" in out and "新增 50 项" in out
    assert not Matter.objects.exists()


def test_body_code_failing_the_checksum_imports_with_a_warning(
    tmp_path, local_district
):
    rows = list_of_fifty()[:2]
    rows[1][0] = "511A0138000000-511602000000-000-115113010833722044-1-00"
    out, err = run("import_matters", str(write_xlsx(tmp_path / "w.xlsx", HEADER, rows)))
    assert "新增 2 项" in out and "警告 1 条" in out
    assert "第3行" in err and "校验" in err
    assert Matter.objects.get(code=rows[1][0]).body_code == "115113010833722044"


def test_csv_with_english_headers_in_gbk_is_accepted(tmp_path, local_district):
    path = tmp_path / "matters.csv"
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["code", "name", "kind", "department", "statutory_days", "promised_days"]
    )
    writer.writerow(
        ["37087100SP-XK-0001", "食品经营许可", "1", "行政审批服务局", "20", "5"]
    )
    path.write_bytes(buffer.getvalue().encode("gb18030"))
    out, _err = run("import_matters", str(path))
    assert "新增 1 项" in out
    matter = Matter.objects.get()
    assert matter.status == MatterStatus.DRAFT and matter.department.code == "XZSP"


def test_missing_required_column_is_refused(tmp_path, local_district):
    source = write_xlsx(tmp_path / "m.xlsx", ["实施编码", "事项名称"], [["a", "b"]])
    with pytest.raises(CommandError) as caught:
        run("import_matters", str(source))
    assert "缺少列" in str(caught.value)


# ------------------------------------------------------------- agreement lists


@pytest.fixture
def adjusted_list(local_district):
    """A first batch of 4 from 2021-07-01; one removed and one added on 2021-11-01."""
    agreement = AgreementFactory(code="JNJK-WFBH-2021-01")
    matters = MatterFactory.create_batch(5)
    for matter in matters[:4]:
        AgreementMatterFactory(agreement=agreement, matter=matter)
    with actor_context(None):
        AgreementMatter.objects.filter(matter=matters[0]).update(
            effective_to=datetime.date(2021, 11, 1), removal_reason="职能调整"
        )
    AgreementMatterFactory(
        agreement=agreement,
        matter=matters[4],
        batch="第二批",
        effective_from=datetime.date(2021, 11, 1),
    )
    return agreement, matters


def read_codes(path):
    sheet = load_workbook(path).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_agreement_list_export_differs_exactly_by_the_adjustment(
    tmp_path, adjusted_list
):
    agreement, matters = adjusted_list
    before, after = tmp_path / "before.xlsx", tmp_path / "after.xlsx"
    run("export_agreement_list", agreement.code, str(before), "--as-of", "2021-10-31")
    run("export_agreement_list", agreement.code, str(after), "--as-of", "2021-11-01")
    assert read_codes(before) - read_codes(after) == {matters[0].code}
    assert read_codes(after) - read_codes(before) == {matters[4].code}


def test_agreement_list_export_reimports_with_no_change(tmp_path, adjusted_list):
    agreement, _matters = adjusted_list
    path = tmp_path / "list.csv"
    run("export_agreement_list", agreement.code, str(path), "--as-of", "2021-10-31")
    out, _err = run("import_agreement_list", agreement.code, str(path))
    assert "新增 0 项，更新 0 项，未变 4 项" in out


def test_agreement_list_import_from_another_tool_with_date_cells(
    tmp_path, local_district
):
    agreement = AgreementFactory()
    matters = MatterFactory.create_batch(2)
    source = write_xlsx(
        tmp_path / "list.xlsx",
        ["实施编码", "事项名称", "批次", "生效日期", "停止日期", "调出原因"],
        [
            [
                matters[0].code,
                matters[0].name,
                "首批",
                datetime.date(2021, 7, 1),
                None,
                None,
            ],
            [
                matters[1].code,
                matters[1].name,
                "首批",
                datetime.datetime(2021, 7, 1),
                datetime.datetime(2021, 11, 1),
                "两地协商调出",
            ],
        ],
    )
    out, _err = run("import_agreement_list", agreement.code, str(source))
    assert "新增 2 项" in out
    removed = AgreementMatter.objects.get(matter=matters[1])
    assert removed.effective_to == datetime.date(2021, 11, 1)
    out, _err = run("import_agreement_list", str(agreement.pk), str(source))
    assert "未变 2 项" in out


def test_agreement_list_with_bad_rows_is_refused_naming_them(tmp_path, local_district):
    agreement = AgreementFactory()
    good = MatterFactory()
    draft = MatterFactory(status=MatterStatus.DRAFT)
    source = write_xlsx(
        tmp_path / "bad.xlsx",
        ["实施编码", "批次", "生效日期", "停止日期", "调出原因"],
        [
            [good.code, "首批", "2021-07-01", None, None],
            [good.code, "首批", "2021-07-01", None, None],  # 3: duplicate
            ["37087100SP-XK-9999", "首批", "2021-07-01", None, None],  # 4: unknown
            [draft.code, "首批", "2021-07-01", None, None],  # 5: not published
            [good.code, "首批", "2021-13-01", None, None],  # 6: bad date
            [good.code, "第二批", "2021-08-01", "2021-09-01", None],  # 7: no reason
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_agreement_list",
            agreement.code,
            str(source),
            stdout=StringIO(),
            stderr=err,
        )
    report = err.getvalue()
    for number in (3, 4, 5, 6, 7):
        assert f"第{number}行" in report
    assert "第2行" not in report.replace("与第2行", "")
    assert not AgreementMatter.objects.exists()


def test_overlapping_period_with_the_stored_list_is_refused(tmp_path, adjusted_list):
    agreement, matters = adjusted_list
    source = write_xlsx(
        tmp_path / "overlap.xlsx",
        ["实施编码", "批次", "生效日期"],
        [[matters[1].code, "第三批", "2022-01-01"]],
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_agreement_list",
            agreement.code,
            str(source),
            stdout=StringIO(),
            stderr=err,
        )
    assert "重叠" in err.getvalue()


def test_unknown_agreement_is_an_error(tmp_path, local_district):
    with pytest.raises(CommandError) as caught:
        run("export_agreement_list", "NO-SUCH", str(tmp_path / "x.xlsx"))
    assert "没有编号" in str(caught.value)


def test_bad_as_of_date_is_an_error(tmp_path, adjusted_list):
    agreement, _ = adjusted_list
    with pytest.raises(CommandError):
        run(
            "export_agreement_list",
            agreement.code,
            str(tmp_path / "x.xlsx"),
            "--as-of",
            "2021-02-30",
        )
