"""Working days in mainland China: weekends, statutory holidays and the
make-up working days (调休) the State Council announces each year, from the
``chinese-calendar`` package. Years it does not cover yet fall back to
Monday–Friday, so a notice period is never blocked."""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` working days that begins on
    ``start`` (counted as the first day when it is a working day)."""
    if days < 1:
        raise ValueError("a period has at least one working day")
    day = next_working_day(start)
    counted = 1
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
