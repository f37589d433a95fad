import pytest
from django.core.management import CommandError, call_command

from core.tabular import write_rows
from volunteers.models import Membership, Volunteer

from .factories import BranchFactory, TeamFactory, VolunteerFactory, make_id_number

pytestmark = pytest.mark.django_db

V_HEADER = [
    "姓名",
    "身份证号",
    "联系电话",
    "是否党员",
    "所属党支部",
    "技能特长",
    "兴趣爱好",
]
M_HEADER = ["身份证号", "服务队", "职务", "加入日期", "离队日期"]


def test_import_volunteers_creates_then_updates(tmp_path, capsys):
    branch = BranchFactory(name="疃里镇后赵村党支部")
    first, second = make_id_number(), make_id_number()
    path = tmp_path / "volunteers.xlsx"
    write_rows(
        path,
        V_HEADER,
        [
            ["赵金平", first, "13800000001", "是", branch.name, "组织协调", ""],
            ["王婷婷", second, "", "否", "", "摄影", "读书"],
        ],
    )
    call_command("import_volunteers", str(path))
    assert "新增 2" in capsys.readouterr().out
    zhao = Volunteer.objects.get(id_number=first)
    assert zhao.is_party_member and zhao.branch == branch
    write_rows(
        path,
        V_HEADER,
        [
            ["赵金平", first, "13800000001", "是", branch.name, "组织协调、宣讲", ""],
            ["王婷婷", second, "", "否", "", "摄影", "读书"],
        ],
    )
    call_command("import_volunteers", str(path))
    out = capsys.readouterr().out
    assert "新增 0" in out and "更新 1" in out and "未变 1" in out


def test_import_volunteers_reports_every_bad_row_and_writes_nothing(tmp_path, capsys):
    good = make_id_number()
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    path = tmp_path / "volunteers.csv"
    write_rows(
        path,
        V_HEADER,
        [
            ["张三", make_id_number(), "", "是", "", "", ""],
            ["李四", bad, "", "是", "", "", ""],
            ["", make_id_number(), "", "也许", "不存在的党支部", "", ""],
        ],
    )
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(path))
    err = capsys.readouterr().err
    assert "第3行 身份证号" in err
    assert "第4行 姓名" in err and "第4行 是否党员" in err and "第4行 所属党支部" in err
    assert not Volunteer.objects.exists()


def test_import_volunteers_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "volunteers.xlsx"
    write_rows(path, V_HEADER, [["张三", make_id_number(), "", "是", "", "", ""]])
    call_command("import_volunteers", str(path), "--dry-run")
    assert "检查通过（未写入）" in capsys.readouterr().out
    assert not Volunteer.objects.exists()


def test_import_memberships_adds_closes_and_is_rerunnable(tmp_path, capsys):
    team = TeamFactory(name="疃里镇后赵村党员志愿者服务队")
    leader, member = VolunteerFactory(name="赵金平"), VolunteerFactory()
    path = tmp_path / "members.xlsx"
    write_rows(
        path,
        M_HEADER,
        [
            [leader.id_number, team.name, "队长", "2021-01-04", ""],
            [member.id_number, team.name, "队员", "2021-01-04", ""],
        ],
    )
    call_command("import_memberships", str(path))
    team.refresh_from_db()
    assert team.leader == leader
    call_command("import_memberships", str(path))
    assert "未变 2" in capsys.readouterr().out.splitlines()[-1]
    write_rows(
        path,
        M_HEADER,
        [[member.id_number, team.name, "队员", "2021-01-04", "2021-06-30"]],
    )
    call_command("import_memberships", str(path))
    rows = list(
        Membership.objects.filter(team=team).values_list("volunteer", "left_on")
    )
    assert len(rows) == 2
    assert dict(rows)[member.pk].isoformat() == "2021-06-30"


def test_import_memberships_names_unknown_team_and_volunteer(tmp_path, capsys):
    team = TeamFactory()
    volunteer = VolunteerFactory()
    path = tmp_path / "members.csv"
    write_rows(
        path,
        M_HEADER,
        [
            [volunteer.id_number, team.name, "队员", "2021-01-04", ""],
            [make_id_number(), team.name, "队员", "2021-01-04", ""],
            [volunteer.id_number, "没有这个队", "司令", "昨天", ""],
        ],
    )
    with pytest.raises(CommandError):
        call_command("import_memberships", str(path))
    err = capsys.readouterr().err
    assert "第3行 身份证号" in err
    assert "第4行 服务队" in err and "第4行 职务" in err and "第4行 加入日期" in err
    assert not Membership.objects.exists()


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(tmp_path / "none.xlsx"))


def test_volunteer_list_as_an_office_keeps_it(tmp_path, capsys):
    """A title row, full-width digits in an ID typed as text, one ID typed into a
    number cell (rounded by the spreadsheet): that row is refused by name."""
    from openpyxl import Workbook

    typed, rounded = make_id_number(), make_id_number()
    full_width = typed.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026年度志愿者花名册"])
    sheet.merge_cells("A1:G1")
    sheet.append(V_HEADER)
    sheet.append(["赵金平", full_width, "138 0000 0001", "是", "", "", ""])
    sheet.append(["王婷婷", float(rounded[:15] + "000"), "", "否", "", "", ""])
    path = tmp_path / "花名册.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(path))
    err = capsys.readouterr().err
    assert "第4行 身份证号：身份证号被电子表格存成数字并舍入" in err
    assert "第3行" not in err
    sheet.delete_rows(4)
    workbook.save(path)
    call_command("import_volunteers", str(path))
    volunteer = Volunteer.objects.get()
    assert (volunteer.id_number, volunteer.phone) == (typed, "13800000001")


def test_volunteers_skip_invalid_and_the_errors_file(tmp_path, capsys):
    from openpyxl import load_workbook

    good = make_id_number()
    path = tmp_path / "volunteers.xlsx"
    write_rows(
        path,
        V_HEADER,
        [
            ["赵金平", good, "", "是", "", "", ""],
            ["王婷婷", "123", "", "也许", "", "", ""],
        ],
    )
    errors_file = tmp_path / "refused.xlsx"
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(path), "--errors", str(errors_file))
    assert not Volunteer.objects.exists()
    assert load_workbook(errors_file).active.max_row == 2
    call_command(
        "import_volunteers", str(path), "--skip-invalid", "--errors", str(errors_file)
    )
    captured = capsys.readouterr()
    assert "新增 1" in captured.out and "1 行未导入" in captured.out
    assert "第3行 是否党员" in captured.err
    assert Volunteer.objects.get().id_number == good
    rows = list(load_workbook(errors_file).active.iter_rows(values_only=True))
    assert rows[0][-1] == "错误原因" and rows[1][0] == "王婷婷"
    assert "身份证号" in rows[1][-1]
