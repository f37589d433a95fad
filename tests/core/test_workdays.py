import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import CalendarOverride
from core.workdays import add_working_days, working_days_between

D = datetime.date


@pytest.mark.django_db
def test_make_up_saturday_counts_as_workday():
    # Saturday 2026-10-10 is a make-up workday (调休) after the National Day week.
    assert add_working_days(D(2026, 10, 9), 1) == (D(2026, 10, 10), False)


@pytest.mark.django_db
def test_national_day_week_is_skipped():
    # Accepted on Tue 29 Sep 2026; 5 working days: 30 Sep, then 1–7 Oct holidays
    # (and Sun 27 Sep / Sat 10 Oct are make-up days), so 8, 9, 10, 12 Oct.
    due, provisional = add_working_days(D(2026, 9, 29), 5)
    assert due == D(2026, 10, 12)
    assert provisional is False


@pytest.mark.django_db
def test_working_days_between_skips_holidays():
    count, provisional = working_days_between(D(2026, 9, 30), D(2026, 10, 10))
    # 8, 9, 10 October are working days; 1–7 October are not.
    assert (count, provisional) == (3, False)
    assert working_days_between(D(2026, 10, 10), D(2026, 10, 1)) == (0, False)


@pytest.mark.django_db
def test_year_unknown_to_library_is_provisional_weekdays():
    # 2027 is not in chinese-calendar 1.11: Mon–Fri, marked provisional.
    due, provisional = add_working_days(D(2026, 12, 31), 1)
    assert due == D(2027, 1, 1)  # a Friday; New Year's Day not known yet
    assert provisional is True


@pytest.mark.django_db
def test_provisional_2027_date_made_firm_by_load_calendar(tmp_path: Path):
    calendar = tmp_path / "2027.csv"
    calendar.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n"
        "2027-01-03,holiday,元旦\n",
        encoding="utf-8",
    )
    call_command("load_calendar", str(calendar))
    due, provisional = add_working_days(D(2026, 12, 31), 1)
    assert due == D(2027, 1, 4)
    assert provisional is False
    assert CalendarOverride.objects.count() == 3


@pytest.mark.django_db
def test_override_wins_over_library():
    CalendarOverride.objects.create(date=D(2026, 11, 25), kind="holiday", name="test")
    assert add_working_days(D(2026, 11, 24), 1) == (D(2026, 11, 26), False)


@pytest.mark.django_db
def test_load_calendar_refuses_bad_rows_and_writes_nothing(tmp_path: Path, capsys):
    calendar = tmp_path / "bad.csv"
    calendar.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n"
        "2027-02-01,sometimes,y\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("load_calendar", str(calendar))
    err = capsys.readouterr().err
    assert "第3行" in err and "第4行" in err
    assert CalendarOverride.objects.count() == 0


@pytest.mark.django_db
def test_load_calendar_dry_run_writes_nothing(tmp_path: Path):
    calendar = tmp_path / "ok.csv"
    calendar.write_text("2027-01-01,休息日,元旦\n", encoding="utf-8")
    call_command("load_calendar", str(calendar), "--dry-run")
    assert CalendarOverride.objects.count() == 0
