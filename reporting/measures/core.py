"""The measure registry and how a measure is evaluated for a period.

A figure with its monthly series costs one grouped query per measure (plus, for records
held, what ``held`` keeps stored), never a query per month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise


class MeasureUnavailable(Exception):
    """The records this measure needs are not available (yet) in this installation."""


class Aggregate:
    COUNT = "count"
    SUM = "sum"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an evidence list."""

    label: Promise
    path: str = ""  # attribute path with "__"; empty means str(record)
    personal: bool = False  # hidden from funders
    identifier: bool = False  # kept as text in Excel (numbers with leading zeros, etc.)
    organization: bool = False  # an Organization: individuals' names are personal
    # The parties' business records (contract and recordal numbers, who dealt with whom,
    # one deal's amount): centre staff only; funders see counts and sums (issue 15).
    confidential: bool = False


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    label: Promise
    func: Callable[..., QuerySet]
    params: frozenset[str]
    columns: tuple[Column, ...]
    aggregate: str = Aggregate.COUNT
    sum_field: str = ""
    # Count distinct values of this path instead of rows (people trained: one trainee
    # attending two sessions is two evidence rows and one person).
    distinct: str = ""
    # Flow measures count what happened in the period; stock measures what is
    # held at its end (``func`` then only needs ``end``).
    stock: bool = False
    # False when the selector keeps no history (it answers "now" whatever the period):
    # the figure is read once and its series is flat.
    history: bool = True
    # The evidence's date, for a one-query monthly series. It must be the field the
    # selector filters the period on, so the series ends at the figure.
    date_field: str = ""
    select_related: tuple[str, ...] = ()
    # The evidence rows are people (trainees, talents, inventors): funders see
    # only counts, never rows.
    personal_records: bool = False
    source: str = ""  # the contract selector, for "not yet measurable" messages
    note: Promise | str = ""
    # What kind of evidence stands behind each counted record (shown in reports).
    evidence_type: Promise | str = ""
    # The selector takes ``origin`` ("own" / "imported"): the figure counts the centre's
    # own records; records imported from partner markets or the master platform are
    # computed separately and shown beside it, never summed into it.
    origin_split: bool = False

    @property
    def held_store(self) -> bool:
        """Records held, counted by their date: the monthly counts are kept stored."""
        return (
            self.stock
            and self.history
            and bool(self.date_field)
            and self.aggregate == Aggregate.COUNT
            and not self.distinct
        )


MEASURES: dict[str, Measure] = {}


def measure(
    name: str,
    *,
    label: Promise,
    columns: tuple[Column, ...],
    params: tuple[str, ...] = (),
    **options: Any,
) -> Callable[[Callable[..., QuerySet]], Callable[..., QuerySet]]:
    def register(func: Callable[..., QuerySet]) -> Callable[..., QuerySet]:
        MEASURES[name] = Measure(
            name=name, label=label, func=func, params=frozenset(params), columns=columns, **options
        )
        return func

    return register


def _package():
    from reporting import measures

    return measures


def now() -> dt.datetime:
    """The clock measures read (``reporting.measures.now``, which tests move)."""
    return _package().now()


def selector(dotted_path: str) -> Callable[..., QuerySet]:
    """The contract selector at ``dotted_path``, or ``MeasureUnavailable``."""
    module_path, _sep, attr = dotted_path.rpartition(".")
    try:
        module = _package().import_module(module_path)
    except ImportError as exc:
        raise MeasureUnavailable(dotted_path) from exc
    func = getattr(module, attr, None)
    if not callable(func):
        raise MeasureUnavailable(dotted_path)
    return func


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(slots=True)
class Outcome:
    value: Decimal
    evidence: QuerySet
    evidence_count: int
    note: str = ""
    series: list[tuple[str, Decimal]] = field(default_factory=list)


def measure_get(name: str) -> Measure:
    try:
        return MEASURES[name]
    except KeyError:
        raise MeasureUnavailable(name) from None


def evidence_for(
    m: Measure,
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None,
    params: dict | None = None,
) -> QuerySet:
    params = {k: v for k, v in (params or {}).items() if k in m.params}
    try:
        if m.stock:
            qs = m.func(end=end, programme_line=programme_line, **params)
        else:
            qs = m.func(start=start, end=end, programme_line=programme_line, **params)
    except MeasureUnavailable:
        raise
    except (ImportError, LookupError) as exc:  # app half-installed: model or table missing
        raise MeasureUnavailable(m.source or m.name) from exc
    if m.select_related:
        qs = qs.select_related(*m.select_related)
    return qs


def value_of(m: Measure, evidence: QuerySet) -> tuple[Decimal, int]:
    """The figure and the number of evidence items it counts."""
    if m.aggregate == Aggregate.SUM:
        row = evidence.aggregate(total=Sum(m.sum_field), n=Count("pk"))
        return Decimal(row["total"] or 0), row["n"]
    if m.distinct:
        n = evidence.order_by().aggregate(n=Count(m.distinct, distinct=True))["n"]
    else:
        n = evidence.count()
    return Decimal(n), n


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months after ``start`` up to ``end`` (the cut-offs of a cumulative
    monthly series), ending with ``end`` itself."""
    cuts: list[dt.date] = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month == 13:
            year, month = year + 1, 1
        cut = dt.date(year, month, 1)
        if cut >= end:
            break
        cuts.append(cut)
    cuts.append(end)
    return cuts


def label(cut: dt.date) -> str:
    last = cut - dt.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def month_key(value: dt.date | dt.datetime) -> tuple[int, int]:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.year, value.month


@dataclass(slots=True)
class Series:
    points: list[tuple[str, Decimal]]
    # The figure and its evidence count at the last point, when the series knows them
    # (then no second query over the whole period is needed).
    value: Decimal | None = None
    count: int | None = None


def series_of(
    m: Measure,
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None,
    params: dict | None,
) -> list[tuple[str, Decimal]]:
    """The cumulative figure at the end of each month of the period, oldest first."""
    return _series(m, start=start, end=end, programme_line=programme_line, params=params).points


def _series(
    m: Measure,
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None,
    params: dict | None,
    exact: bool = True,
) -> Series:
    cuts = month_ends(start, end)
    kw = {"start": start, "programme_line": programme_line, "params": params}
    if not m.history:
        value, count = value_of(m, evidence_for(m, end=end, **kw))
        return Series([(label(cut), value) for cut in cuts], value, count)
    if m.held_store:
        from .held import held_series

        points = held_series(m, cuts, exact=exact, **kw)
        return Series(points, points[-1][1], int(points[-1][1]))
    if m.date_field and not m.stock:
        return _grouped_series(m, cuts, end=end, **kw)
    points = []
    for cut in cuts:
        evidence = evidence_for(m, end=cut, **kw)
        points.append((label(cut), value_of(m, evidence)[0]))
    return Series(points)


def _grouped_series(
    m: Measure,
    cuts: list[dt.date],
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None,
    params: dict | None,
) -> Series:
    """A flow measure's monthly series in one grouped query, instead of one per month.

    Every evidence record lies in the period (the selector filters on ``date_field``), so
    the last point is the figure and the summed counts are its evidence count."""
    evidence = evidence_for(m, start=start, end=end, programme_line=programme_line, params=params)
    evidence = evidence.order_by()
    per_month: dict[tuple[int, int], tuple[Decimal, int]] = {}
    if m.distinct:
        # A person counts in the month of their first evidence in the period.
        rows = evidence.values(m.distinct).annotate(first=Min(m.date_field))
        for row in rows:
            if row["first"] is not None:
                key = month_key(row["first"])
                v, n = per_month.get(key, (Decimal(0), 0))
                per_month[key] = (v + 1, n + 1)
    else:
        agg = {"n": Count("pk")}
        if m.aggregate == Aggregate.SUM:
            agg["v"] = Sum(m.sum_field)
        rows = evidence.annotate(month=TruncMonth(m.date_field)).values("month").annotate(**agg)
        for row in rows:
            if row["month"] is None:
                continue
            key = month_key(row["month"])
            v, n = per_month.get(key, (Decimal(0), 0))
            add = Decimal(row["v"] or 0) if m.aggregate == Aggregate.SUM else Decimal(row["n"])
            per_month[key] = (v + add, n + row["n"])
    running, count, previous, points = Decimal(0), 0, start, []
    for cut in cuts:
        # Every month from ``previous`` up to the cut (one month, but be exact).
        year, month = previous.year, previous.month
        while dt.date(year, month, 1) < cut:
            v, n = per_month.pop((year, month), (Decimal(0), 0))
            running, count = running + v, count + n
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        points.append((label(cut), running))
        previous = cut
    return Series(points, running, count)


def measure_compute(
    name: str,
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None = None,
    params: dict | None = None,
    with_series: bool = False,
    exact: bool = True,
) -> Outcome:
    """Evaluate one measure for a period; raises ``MeasureUnavailable``.

    ``exact=False`` lets a figure of records held at a month end that is over come from
    the stored monthly counts (``held``) instead of a count now; no page uses it."""
    m = measure_get(name)
    evidence = evidence_for(m, start=start, end=end, programme_line=programme_line, params=params)
    try:
        if with_series:
            series = _series(
                m,
                start=start,
                end=end,
                programme_line=programme_line,
                params=params,
                exact=exact,
            )
        elif m.held_store:
            from .held import held_series

            points = held_series(
                m, [end], start=start, programme_line=programme_line, params=params, exact=exact
            )
            series = Series([], points[-1][1], int(points[-1][1]))
        else:
            series = Series([])
        if series.value is not None and series.count is not None:
            value, count = series.value, series.count
        else:
            value, count = value_of(m, evidence)
    except LookupError as exc:
        raise MeasureUnavailable(m.source or m.name) from exc
    return Outcome(
        value=value,
        evidence=evidence,
        evidence_count=count,
        note=str(m.note),
        series=series.points,
    )
