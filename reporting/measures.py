"""Measures: how each KPI's figure is computed from other apps' records.

A ``KpiDefinition`` names a measure; a measure is a function here that calls an
owning app's KPI selector (the cross-app contract in BRIEF/AGENTS) by dotted path
and returns the QuerySet of evidence records. The figure is then always an
aggregate of that evidence (its count, or the sum of one field), so the number
and its drill-down can never disagree.

The selectors are looked up at call time, not imported: an app that is not
installed yet, or has not written its selector yet, makes the KPI "not yet
measurable" (``MeasureUnavailable``) instead of failing or showing a made-up 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from patents.models import InventorMention, Patent


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


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    label: Promise
    func: Callable[..., QuerySet]
    params: frozenset[str]
    columns: tuple[Column, ...]
    aggregate: str = Aggregate.COUNT
    sum_field: str = ""
    # Flow measures count what happened in the period; stock measures what is
    # held at its end (``func`` then only needs ``end``).
    stock: bool = False
    # The evidence's date, for a one-query monthly series (optional).
    date_field: str = ""
    select_related: tuple[str, ...] = ()
    # The evidence rows are people (trainees, talents, inventors): funders see
    # only counts, never rows.
    personal_records: bool = False
    source: str = ""  # the contract selector, for "not yet measurable" messages
    note: Promise | str = ""


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


def selector(dotted_path: str) -> Callable[..., QuerySet]:
    """The contract selector at ``dotted_path``, or ``MeasureUnavailable``."""
    module_path, _sep, attr = dotted_path.rpartition(".")
    try:
        module = import_module(module_path)
    except ImportError as exc:
        raise MeasureUnavailable(dotted_path) from exc
    func = getattr(module, attr, None)
    if not callable(func):
        raise MeasureUnavailable(dotted_path)
    return func


def now() -> dt.datetime:
    return timezone.now()  # a seam tests move, without moving Django's clock


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
    if m.aggregate == Aggregate.SUM:
        row = evidence.aggregate(total=Sum(m.sum_field), n=Count("pk"))
        return Decimal(row["total"] or 0), row["n"]
    n = evidence.count()
    return Decimal(n), n


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
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


def series_of(
    m: Measure,
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None,
    params: dict | None,
) -> list[tuple[str, Decimal]]:
    """The cumulative figure at the end of each month of the period, oldest first."""
    cuts = _month_ends(start, end)
    if m.date_field:
        return _grouped_series(
            m, cuts, start=start, end=end, programme_line=programme_line, params=params
        )
    series = []
    for cut in cuts:
        evidence = evidence_for(
            m, start=start, end=cut, programme_line=programme_line, params=params
        )
        series.append((_label(cut), value_of(m, evidence)[0]))
    return series


def _grouped_series(
    m: Measure,
    cuts: list[dt.date],
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None,
    params: dict | None,
) -> list[tuple[str, Decimal]]:
    """The monthly series in one grouped query (plus, for a stock, one for what was
    held before the period) instead of one query per month."""
    from django.db.models.functions import TruncMonth

    evidence = evidence_for(m, start=start, end=end, programme_line=programme_line, params=params)
    running = Decimal(0)
    if m.stock:
        before = evidence_for(
            m, start=start, end=start, programme_line=programme_line, params=params
        )
        running = value_of(m, before)[0]
        evidence = evidence.filter(**{f"{m.date_field}__gte": day_start(start)})
    agg = Sum(m.sum_field) if m.aggregate == Aggregate.SUM else Count("pk")
    rows = (
        evidence.order_by().annotate(month=TruncMonth(m.date_field)).values("month").annotate(v=agg)
    )
    per_month: dict[tuple[int, int], Decimal] = {}
    for row in rows:
        month = row["month"]
        if month is None:
            continue
        if isinstance(month, dt.datetime) and timezone.is_aware(month):
            month = timezone.localtime(month)
        key = (month.year, month.month)
        per_month[key] = per_month.get(key, Decimal(0)) + Decimal(row["v"] or 0)
    series, previous = [], start
    for cut in cuts:
        running += per_month.get((previous.year, previous.month), Decimal(0))
        series.append((_label(cut), running))
        previous = cut
    return series


def _label(cut: dt.date) -> str:
    last = cut - dt.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def measure_compute(
    name: str,
    *,
    start: dt.date,
    end: dt.date,
    programme_line: str | None = None,
    params: dict | None = None,
    with_series: bool = False,
) -> Outcome:
    """Evaluate one measure for a period; raises ``MeasureUnavailable``."""
    m = measure_get(name)
    evidence = evidence_for(m, start=start, end=end, programme_line=programme_line, params=params)
    try:
        series = (
            series_of(m, start=start, end=end, programme_line=programme_line, params=params)
            if with_series
            else []
        )
        if series and m.stock and m.date_field and m.aggregate == Aggregate.COUNT:
            # The last point is what is held at the end (held before the period plus
            # everything dated in it; the date is never empty on these records): no
            # second count over the whole table.
            value = series[-1][1]
            count = int(value)
        else:
            value, count = value_of(m, evidence)
    except LookupError as exc:
        raise MeasureUnavailable(m.source or m.name) from exc
    return Outcome(
        value=value, evidence=evidence, evidence_count=count, note=str(m.note), series=series
    )


# --- Measures over records that exist on every installation ---------------------


@measure(
    "patents_held",
    label=_("Patent records held"),
    stock=True,
    date_field="created_at",
    columns=(
        Column(_("Publication number"), "publication_number", identifier=True),
        Column(_("Title"), "title"),
        Column(_("Type"), "patent_type"),
        Column(_("Application date"), "application_date"),
        Column(_("Loaded on"), "created_at"),
    ),
    source="patents.models.Patent",
)
def patents_held(*, end: dt.date, programme_line: str | None = None) -> QuerySet:
    # The patent database serves every line; a record counts once it is loaded.
    # Newest first by primary key (rows are numbered as they are loaded): an index
    # walk, where ordering by the unindexed created_at would sort the whole table.
    patents = Patent.objects.order_by("-id")
    if day_start(end) > now():
        # Nothing is loaded in the future: a period not yet over holds every record,
        # and counting without the filter spares a scan of the dates.
        return patents
    return patents.filter(created_at__lt=day_start(end))


@measure(
    "talent_records_held",
    label=_("Talent records held"),
    stock=True,
    date_field="patent__created_at",
    personal_records=True,
    columns=(
        Column(_("Publication number"), "patent__publication_number", identifier=True),
        Column(_("Inventor as named"), "raw_name", personal=True),
        Column(_("Affiliation"), "affiliation", personal=True),
    ),
    select_related=("patent",),
    source="patents.models.InventorMention",
    note=_(
        "Interim: counted as inventor mentions on patent records until the talent "
        "registry (talent.selectors.talents_held) is connected."
    ),
)
def talent_records_held(*, end: dt.date, programme_line: str | None = None) -> QuerySet:
    mentions = InventorMention.objects.order_by("patent_id", "sequence")
    if day_start(end) > now():
        return mentions  # as for patents_held: no join to the patents needed
    return mentions.filter(patent__created_at__lt=day_start(end))


# --- Measures over the other apps' KPI selectors (the cross-app contract) -------

_ORG_NAME = {"organization": True}


@measure(
    "push_items_sent",
    label=_("Items pushed to organizations"),
    params=("kinds",),
    date_field="push__sent_at",
    select_related=("push", "push__organization"),
    source="matching.selectors.push_items_sent_in_period",
    columns=(
        Column(_("Sent at"), "push__sent_at"),
        Column(_("Recipient"), "push__organization", **_ORG_NAME),
        Column(_("Item kind"), "kind"),
        Column(_("Item"), "title"),
        Column(_("Channel"), "push__channel"),
    ),
)
def push_items_sent(*, start, end, programme_line=None, kinds=None) -> QuerySet:
    return selector("matching.selectors.push_items_sent_in_period")(
        start=start, end=end, programme_line=programme_line, kinds=kinds
    )


@measure(
    "needs_published",
    label=_("Technology needs published"),
    date_field="published_at",
    select_related=("organization",),
    source="matching.selectors.needs_published_in_period",
    columns=(
        Column(_("Published at"), "published_at"),
        Column(_("Organization"), "organization", **_ORG_NAME),
        Column(_("Need"), "title"),
    ),
)
def needs_published(*, start, end, programme_line=None) -> QuerySet:
    return selector("matching.selectors.needs_published_in_period")(
        start=start, end=end, programme_line=programme_line
    )


@measure(
    "events_held",
    label=_("Events held"),
    params=("kinds",),
    date_field="starts_at",
    source="operations_center.selectors.events_held_in_period",
    columns=(
        Column(_("Date"), "starts_at"),
        Column(_("Kind"), "kind"),
        Column(_("Event"), "title"),
        Column(_("Place"), "place"),
        Column(_("Organizer"), "organizer", personal=True),
    ),
)
def events_held(*, start, end, programme_line=None, kinds=None) -> QuerySet:
    return selector("operations_center.selectors.events_held_in_period")(
        start=start, end=end, programme_line=programme_line, kinds=kinds
    )


_DEAL_COLUMNS = (
    Column(_("Contract number"), "contract_number", identifier=True),
    Column(_("Recordal number"), "recordal_number", identifier=True),
    Column(_("Deal kind"), "kind"),
    Column(_("Signed on"), "signed_on"),
    Column(_("Assignor / licensor"), "assignor", **_ORG_NAME),
    Column(_("Assignee / licensee"), "assignee", **_ORG_NAME),
    Column(_("Amount (RMB)"), "amount"),
)


@measure(
    "deal_patents",
    label=_("Patents in signed deals"),
    params=("kinds", "assignor_kinds", "assignee_kinds"),
    date_field="deal__signed_on",
    select_related=("deal", "deal__assignor", "deal__assignee", "patent"),
    source="trading.selectors.deal_patents_in_period",
    columns=(
        Column(_("Publication number"), "patent__publication_number", identifier=True),
        Column(_("Contract number"), "deal__contract_number", identifier=True),
        Column(_("Recordal number"), "deal__recordal_number", identifier=True),
        Column(_("Deal kind"), "deal__kind"),
        Column(_("Signed on"), "deal__signed_on"),
        Column(_("Assignor / licensor"), "deal__assignor", **_ORG_NAME),
        Column(_("Assignee / licensee"), "deal__assignee", **_ORG_NAME),
    ),
)
def deal_patents(
    *, start, end, programme_line=None, kinds=None, assignor_kinds=None, assignee_kinds=None
) -> QuerySet:
    return selector("trading.selectors.deal_patents_in_period")(
        start=start,
        end=end,
        programme_line=programme_line,
        kinds=kinds,
        assignor_kinds=assignor_kinds,
        assignee_kinds=assignee_kinds,
    )


@measure(
    "deal_amount",
    label=_("Amount of signed deals"),
    params=("kinds", "assignor_kinds", "assignee_kinds"),
    aggregate=Aggregate.SUM,
    sum_field="amount",
    date_field="signed_on",
    select_related=("assignor", "assignee"),
    source="trading.selectors.deals_in_period",
    columns=_DEAL_COLUMNS,
)
def deal_amount(
    *, start, end, programme_line=None, kinds=None, assignor_kinds=None, assignee_kinds=None
) -> QuerySet:
    deals = selector("trading.selectors.deals_in_period")(
        start=start, end=end, programme_line=programme_line, kinds=kinds
    )
    # deals_in_period has no party filters; Deal.assignor/assignee are Organizations
    # by contract, so filter here.
    if assignor_kinds:
        deals = deals.filter(assignor__kind__in=assignor_kinds)
    if assignee_kinds:
        deals = deals.filter(assignee__kind__in=assignee_kinds)
    return deals


@measure(
    "listings_amount",
    label=_("Asking price of listings"),
    aggregate=Aggregate.SUM,
    sum_field="asking_price",
    date_field="listed_at",
    source="trading.selectors.listings_listed_in_period",
    columns=(
        Column(_("Listed at"), "listed_at"),
        Column(_("Listing"), ""),
        Column(_("Status"), "status"),
        Column(_("Asking price (RMB)"), "asking_price"),
    ),
)
def listings_amount(*, start, end, programme_line=None) -> QuerySet:
    return selector("trading.selectors.listings_listed_in_period")(
        start=start, end=end, programme_line=programme_line
    )


@measure(
    "open_licences_concluded",
    label=_("Open licences concluded"),
    source="openlicense.selectors.open_licences_concluded_in_period",
    columns=(Column(_("Licence"), ""),),
)
def open_licences_concluded(*, start, end, programme_line=None) -> QuerySet:
    return selector("openlicense.selectors.open_licences_concluded_in_period")(
        start=start, end=end, programme_line=programme_line
    )


@measure(
    "partner_markets",
    label=_("Partner markets connected"),
    stock=True,
    source="trading.selectors.partner_markets_connected",
    columns=(Column(_("Market"), ""),),
    note=_("Counted as connected now; the contract selector keeps no history."),
)
def partner_markets(*, end, programme_line=None) -> QuerySet:
    return selector("trading.selectors.partner_markets_connected")()


@measure(
    "trainees_trained",
    label=_("People trained"),
    personal_records=True,
    source="talent.selectors.trainees_trained_in_period",
    columns=(Column(_("Trainee"), "", personal=True),),
)
def trainees_trained(*, start, end, programme_line=None) -> QuerySet:
    # The talent contract selector has no programme line: all training is line 3.
    return selector("talent.selectors.trainees_trained_in_period")(start=start, end=end)


@measure(
    "supply_items_published",
    label=_("Talent-linked supply items published"),
    source="talent.selectors.supply_items_published_in_period",
    columns=(Column(_("Supply item"), ""),),
)
def supply_items_published(*, start, end, programme_line=None) -> QuerySet:
    return selector("talent.selectors.supply_items_published_in_period")(start=start, end=end)


@measure(
    "talents_held",
    label=_("Talent records held (talent registry)"),
    stock=True,
    personal_records=True,
    source="talent.selectors.talents_held",
    columns=(Column(_("Talent"), "", personal=True),),
    note=_("Counted as held now; the contract selector keeps no history."),
)
def talents_held(*, end, programme_line=None) -> QuerySet:
    return selector("talent.selectors.talents_held")()
