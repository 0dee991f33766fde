"""Records held (patents, inventor records): monthly counts kept stored.

Counting what was held at each month end means grouping a million-row table by month
(a full scan: 0.8-1.6 s for patents and inventor records on the bench machine). Months
that are over do not change (records are stamped when loaded), so their counts are
stored (``HeldCount``): computed the first time a month-end is asked for after the month
closed, and recomputed nightly by ``held_counts_refresh`` (beat), which also picks up
records deleted since. What is held now is always counted live (a plain ``count(*)``).

The figure (the last point) is counted live unless a caller asks otherwise
(``exact=False``); the chart points of month ends that are over come from the stored
counts, at most a day behind a deletion.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .core import MEASURES, Measure, day_start, evidence_for, label, month_key, now


def _store_key(m: Measure, programme_line: str | None, params: dict | None) -> str:
    params = {k: v for k, v in (params or {}).items() if k in m.params}
    raw = json.dumps([m.name, programme_line or "", params], sort_keys=True)
    return f"{m.name}:{hashlib.sha256(raw.encode()).hexdigest()[:16]}"


def _this_month() -> dt.date:
    today = timezone.localtime(now())
    return dt.date(today.year, today.month, 1)


def _count_months(
    m: Measure, *, before: dt.date, programme_line: str | None, params: dict | None
) -> dict[str, int]:
    """Records dated in each month before ``before`` (one grouped query)."""
    evidence = evidence_for(
        m, start=before, end=before, programme_line=programme_line, params=params
    ).order_by()
    evidence = evidence.filter(**{f"{m.date_field}__lt": day_start(before)})
    rows = evidence.annotate(month=TruncMonth(m.date_field)).values("month").annotate(n=Count("pk"))
    months: dict[str, int] = {}
    for row in rows:
        if row["month"] is not None:
            year, month = month_key(row["month"])
            key = f"{year:04d}-{month:02d}"
            months[key] = months.get(key, 0) + row["n"]
    return months


def _stored_months(
    m: Measure, *, programme_line: str | None, params: dict | None, refresh: bool = False
) -> dict[str, int]:
    from ..models import HeldCount

    this_month = _this_month()
    key = _store_key(m, programme_line, params)
    if not refresh:
        row = HeldCount.objects.filter(key=key).first()
        # Valid when computed after the last month closed (this month or later).
        if row is not None and row.computed_at >= day_start(this_month):
            return row.months
    months = _count_months(m, before=this_month, programme_line=programme_line, params=params)
    HeldCount.objects.update_or_create(
        key=key,
        defaults={"measure": m.name, "months": months, "computed_at": now()},
    )
    return months


def held_series(
    m: Measure,
    cuts: list[dt.date],
    *,
    start: dt.date,
    programme_line: str | None,
    params: dict | None,
    exact: bool = True,
) -> list[tuple[str, Decimal]]:
    """What was held at each cut: stored counts for month ends that are over, a live
    count for a cut not yet reached, a live filtered count otherwise. With ``exact`` the
    last cut (the figure) is always counted live: reports are exact, charts and the
    dashboard may be a day behind a deletion."""
    this_month = _this_month()
    months: dict[str, int] | None = None
    live_now: int | None = None
    points = []
    for i, cut in enumerate(cuts):
        last = i == len(cuts) - 1
        if cut.day == 1 and cut <= this_month and not (exact and last):
            if months is None:
                months = _stored_months(m, programme_line=programme_line, params=params)
            cut_key = f"{cut.year:04d}-{cut.month:02d}"
            held = sum(n for month, n in months.items() if month < cut_key)
        elif day_start(cut) > now():
            # Everything loaded so far (the measure skips the date filter).
            if live_now is None:
                live_now = evidence_for(
                    m, start=start, end=cut, programme_line=programme_line, params=params
                ).count()
            held = live_now
        else:
            held = evidence_for(
                m, start=start, end=cut, programme_line=programme_line, params=params
            ).count()
        points.append((label(cut), Decimal(held)))
    return points


def held_counts_refresh() -> int:
    """Recompute the stored monthly counts of every held-records measure that an active
    KPI uses (nightly, beat). Returns how many were refreshed."""
    from ..models import KpiDefinition

    refreshed = 0
    seen: set[str] = set()
    for definition in KpiDefinition.objects.filter(active=True).order_by("pk"):
        m = MEASURES.get(definition.measure)
        if m is None or not m.held_store:
            continue
        key = _store_key(m, definition.programme_line, definition.measure_params)
        if key in seen:
            continue
        seen.add(key)
        _stored_months(
            m,
            programme_line=definition.programme_line,
            params=definition.measure_params,
            refresh=True,
        )
        refreshed += 1
    return refreshed
