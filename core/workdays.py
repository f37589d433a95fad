"""Working days on the Chinese calendar, with make-up workdays (调休).

The ``chinese-calendar`` library knows the State Council's schedule for the years
it ships (2004–2026 in 1.11). Operators load later years into ``CalendarOverride``
(``manage.py load_calendar``), and overrides win over the library. For a date
neither knows, Monday–Friday count as workdays and the result is marked
*provisional*, so a deadline can be recomputed once the schedule is loaded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

from core.choices import DayKind


@dataclass(frozen=True)
class DayInfo:
    is_workday: bool
    provisional: bool


def _overrides() -> dict[datetime.date, bool]:
    from core.models import CalendarOverride

    return {
        row.date: row.kind == DayKind.WORKDAY
        for row in CalendarOverride.objects.all().only("date", "kind")
    }


@lru_cache(maxsize=64)
def _library_knows_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """One snapshot of the overrides, so a computation reads the table once."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None):
        self.overrides = _overrides() if overrides is None else overrides
        self.override_years = {day.year for day in self.overrides}

    def day(self, date: datetime.date) -> DayInfo:
        if date in self.overrides:
            return DayInfo(self.overrides[date], provisional=False)
        if _library_knows_year(date.year):
            return DayInfo(chinese_calendar.is_workday(date), provisional=False)
        weekday = date.weekday() < 5
        # A year the operator loaded is firm even on dates without a row: the
        # loaded file lists the exceptions, the rest of the year is Mon–Fri.
        return DayInfo(weekday, provisional=date.year not in self.override_years)

    def is_workday(self, date: datetime.date) -> bool:
        return self.day(date).is_workday

    def add_working_days(
        self, start: datetime.date, n: int
    ) -> tuple[datetime.date, bool]:
        """The date ``n`` working days after ``start`` (start itself not counted).

        Returns (date, provisional). ``n == 0`` gives ``start``.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        current, provisional, remaining = start, False, n
        while remaining > 0:
            current += datetime.timedelta(days=1)
            info = self.day(current)
            provisional = provisional or info.provisional
            if info.is_workday:
                remaining -= 1
        return current, provisional

    def working_days_between(
        self, start: datetime.date, end: datetime.date
    ) -> tuple[int, bool]:
        """Working days in (start, end]: 0 when end <= start. Returns (count, provisional)."""
        count, provisional, current = 0, False, start
        while current < end:
            current += datetime.timedelta(days=1)
            info = self.day(current)
            provisional = provisional or info.provisional
            if info.is_workday:
                count += 1
        return count, provisional


def add_working_days(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """``start`` + ``n`` working days → (date, provisional)."""
    return WorkCalendar().add_working_days(start, n)


def working_days_between(start: datetime.date, end: datetime.date) -> tuple[int, bool]:
    """Working days after ``start`` up to and including ``end`` → (count, provisional)."""
    return WorkCalendar().working_days_between(start, end)
