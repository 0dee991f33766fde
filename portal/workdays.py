"""Working days in mainland China, from the holiday calendar on record.

The calendar is data (``portal.models.WorkCalendarYear`` / ``WorkCalendarDay``):
statutory holidays and the weekend days the State Council turns into working
days, seeded from the ``chinese-calendar`` package (State Council notices up to
its last year) and extended by staff in the admin when a new notice appears.

A year with no calendar on record is refused with ``WorkCalendarMissing`` (a
``ValidationError`` with a message for the user): treating its holidays as
working days would silently shorten notice periods and legal deadlines.

How a period counts: the start day is not counted; the period ends on the
``days``-th working day after it (Civil Code art. 201: "开始的当日不计入，自下一日
开始计算"). A notice opened on a Friday for 10 working days ends ten working days
later, whatever the Friday was.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import WorkCalendarDay, WorkCalendarYear


class WorkCalendarMissing(ValidationError):
    """No holiday calendar is on record for a year the computation needs."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "The holiday calendar for %(year)d is not on record yet, so working days "
                "cannot be counted; staff add it in the admin from the State Council notice."
            )
            % {"year": year},
            code="work_calendar_missing",
        )


class _Calendar:
    """The days of the years a computation touches, loaded once per year."""

    def __init__(self):
        self._kinds: dict[dt.date, str] = {}
        self._years: set[int] = set()

    def _load(self, year: int) -> None:
        if year in self._years:
            return
        if not WorkCalendarYear.objects.filter(year=year).exists():
            raise WorkCalendarMissing(year)
        self._kinds.update(
            WorkCalendarDay.objects.filter(year__year=year).values_list("date", "kind")
        )
        self._years.add(year)

    def is_working_day(self, day: dt.date) -> bool:
        self._load(day.year)
        kind = self._kinds.get(day)
        if kind is not None:
            return kind == WorkCalendarDay.Kind.WORKDAY
        return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    return _Calendar().is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 1:
        raise ValueError("a period has at least one working day")
    calendar = _Calendar()
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


# chinese-calendar names holidays in English; the calendar keeps the official names.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def work_calendar_seed(*, years: list[int] | None = None, year_model=None, day_model=None) -> int:
    """Record the years ``chinese-calendar`` covers (or ``years`` of them) that are
    not on record yet; returns how many years were added. Used by the migration
    that created the calendar, and by staff after upgrading the package."""
    import chinese_calendar
    from chinese_calendar import constants

    year_model = year_model or WorkCalendarYear
    day_model = day_model or WorkCalendarDay
    covered = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    wanted = [y for y in covered if years is None or y in years]
    existing = set(year_model.objects.filter(year__in=wanted).values_list("year", flat=True))
    notice = f"chinese-calendar {chinese_calendar.__version__} (State Council notices)"
    added = 0
    for year in wanted:
        if year in existing:
            continue
        record = year_model.objects.create(year=year, notice=notice)
        days = [
            day_model(year=record, date=date, kind="holiday", name=_HOLIDAY_NAMES.get(name, name))
            for date, name in constants.holidays.items()
            if date.year == year
        ] + [
            day_model(year=record, date=date, kind="workday", name=_HOLIDAY_NAMES.get(name, name))
            for date, name in constants.workdays.items()
            if date.year == year
        ]
        day_model.objects.bulk_create(days)
        added += 1
    return added
