"""Patent valuation: an indicator-based score and the income approach.

The score follows the legal / technical / economic dimensions of Chinese
patent value analysis practice. Every indicator, its weight and its scoring
bands live in ``ValueIndicator`` rows that staff edit; an indicator without
data for a patent is shown as such and left out, and the remaining weights
are renormalised so a missing figure neither helps nor hurts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from patents.models import Patent

from ..models import Deal, IncomeValuation, Listing, ValueIndicator
from .errors import TradingError
from .patent_rules import patent_remaining_years

LIVE = (Deal.Status.SIGNED, Deal.Status.RECORDED)


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    name: str
    dimension: str
    weight: Decimal
    raw: object  # the patent's figure, None when there is no data
    points: float | None  # 0-100


@dataclass(frozen=True)
class ValueScore:
    total: float | None
    by_dimension: dict[str, float]
    indicators: list[IndicatorScore]


def _band_points(value: float, bands: list) -> float:
    points = 0.0
    for threshold, band_points in sorted(bands):
        if value >= threshold:
            points = float(band_points)
    return points


def _raw_value(code: str, patent: Patent, *, on: dt.date):
    if code == "legal_status":
        return patent.legal_status
    if code == "remaining_term":
        return patent_remaining_years(patent, on=on)
    if code == "claim_count":
        return patent.claim_count
    if code == "patent_type":
        return patent.patent_type
    if code == "ipc_breadth":
        codes = patent.ipc_codes or ([patent.main_ipc] if patent.main_ipc else [])
        return len({c[:4] for c in codes if c}) or None
    if code == "citations":
        return patent.cited_by_count
    if code == "family_size":
        return patent.family_size
    if code == "holder_kind":
        link = patent.applicant_links.select_related("organization").order_by("sequence").first()
        return link.organization.kind if link else None
    if code == "deal_history":
        return Deal.objects.filter(deal_patents__patent=patent, status__in=LIVE).count()
    if code == "chain_market":
        return (patent.main_ipc or "")[:4] or None
    return None


def _points(indicator: ValueIndicator, raw) -> float | None:
    if raw is None:
        return None
    params = indicator.params or {}
    if "map" in params:  # categorical: {"map": {"granted": 100, ...}, "default": 0}
        mapping = params["map"]
        if isinstance(raw, str) and "prefix" in params:
            for prefix, pts in mapping.items():
                if raw.startswith(prefix):
                    return float(pts)
            return float(params["default"]) if "default" in params else None
        return float(mapping.get(str(raw), params.get("default", 0)))
    if "bands" in params:
        return _band_points(float(raw), params["bands"])
    return None


def patent_value_score(*, patent: Patent, on: dt.date | None = None) -> ValueScore:
    on = on or timezone.localdate()
    indicators = []
    for ind in ValueIndicator.objects.filter(enabled=True):
        raw = _raw_value(ind.code, patent, on=on)
        indicators.append(
            IndicatorScore(
                code=ind.code,
                name=ind.name,
                dimension=ind.dimension,
                weight=ind.weight,
                raw=raw,
                points=_points(ind, raw),
            )
        )
    scored = [i for i in indicators if i.points is not None and i.weight > 0]
    weight_sum = sum(float(i.weight) for i in scored)
    total = (
        round(sum(float(i.weight) * i.points for i in scored) / weight_sum, 1)
        if weight_sum
        else None
    )
    by_dimension = {}
    for dim in ValueIndicator.Dimension.values:
        items = [i for i in scored if i.dimension == dim]
        w = sum(float(i.weight) for i in items)
        if w:
            by_dimension[dim] = round(sum(float(i.weight) * i.points for i in items) / w, 1)
    return ValueScore(total=total, by_dimension=by_dimension, indicators=indicators)


def _decimal(value, *, field: str) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise TradingError(_("%(field)s must be a number.") % {"field": field}) from None


def income_value(
    *, revenue_forecast: list, royalty_share, discount_rate, remaining_years: int
) -> Decimal:
    """Present value of the royalty share of forecast revenue, year by year,
    over the remaining economic life (years beyond the forecast count zero)."""
    share = _decimal(royalty_share, field=_("Royalty share"))
    rate = _decimal(discount_rate, field=_("Discount rate"))
    if not (0 < share <= 1):
        raise TradingError(_("The royalty share is a fraction between 0 and 1, e.g. 0.25."))
    if not (0 <= rate < 1):
        raise TradingError(_("The discount rate is a fraction between 0 and 1, e.g. 0.12."))
    if not remaining_years or int(remaining_years) < 1:
        raise TradingError(_("The remaining economic life is at least one year."))
    revenues = [_decimal(r, field=_("Revenue forecast")) for r in revenue_forecast]
    if not revenues:
        raise TradingError(_("Give a revenue forecast for at least one year."))
    if any(r < 0 for r in revenues):
        raise TradingError(_("Forecast revenue cannot be negative."))
    total = Decimal(0)
    for year, revenue in enumerate(revenues[: int(remaining_years)], start=1):
        total += revenue * share / (1 + rate) ** year
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def income_valuation_create(
    *,
    listing: Listing,
    revenue_forecast: list,
    royalty_share,
    discount_rate,
    remaining_years: int,
    created_by=None,
) -> IncomeValuation:
    value = income_value(
        revenue_forecast=revenue_forecast,
        royalty_share=royalty_share,
        discount_rate=discount_rate,
        remaining_years=remaining_years,
    )
    return IncomeValuation.objects.create(
        listing=listing,
        revenue_forecast=[str(_decimal(r, field="")) for r in revenue_forecast],
        royalty_share=_decimal(royalty_share, field=""),
        discount_rate=_decimal(discount_rate, field=""),
        remaining_years=int(remaining_years),
        value=value,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )


DEFAULT_INDICATORS = [
    # code, dimension, English name, weight, params
    (
        "legal_status",
        "legal",
        gettext_noop("Legal status"),
        15,
        {"map": {"granted": 100, "pending": 40}, "default": 0},
    ),
    (
        "remaining_term",
        "legal",
        gettext_noop("Remaining term (years)"),
        10,
        {"bands": [[0, 0], [3, 40], [8, 70], [12, 100]]},
    ),
    (
        "claim_count",
        "legal",
        gettext_noop("Claim count"),
        10,
        {"bands": [[1, 30], [5, 60], [10, 85], [20, 100]]},
    ),
    (
        "patent_type",
        "legal",
        gettext_noop("Patent type"),
        5,
        {"map": {"invention": 100, "utility_model": 60, "design": 40}, "default": 30},
    ),
    (
        "ipc_breadth",
        "technical",
        gettext_noop("IPC breadth (subclasses)"),
        10,
        {"bands": [[1, 40], [2, 70], [4, 100]]},
    ),
    (
        "citations",
        "technical",
        gettext_noop("Forward citations"),
        15,
        {"bands": [[0, 10], [1, 40], [5, 70], [20, 100]]},
    ),
    (
        "family_size",
        "technical",
        gettext_noop("Family size"),
        10,
        {"bands": [[1, 30], [3, 60], [8, 100]]},
    ),
    (
        "holder_kind",
        "economic",
        gettext_noop("Holder kind"),
        5,
        {
            "map": {"enterprise": 80, "university": 60, "institute": 60, "individual": 40},
            "default": 30,
        },
    ),
    (
        "deal_history",
        "economic",
        gettext_noop("Licensing and deal history"),
        10,
        {"bands": [[0, 20], [1, 70], [3, 100]]},
    ),
    (
        "chain_market",
        "economic",
        gettext_noop("Market of the chain node"),
        10,
        {"map": {}, "prefix": True},
    ),
]


def value_indicators_seed() -> int:
    """Create the default indicators that are missing (staff edits are kept); returns
    how many were created. Migration 0002 seeds the same on a new database; this puts
    them back where a database was emptied (a flushed test database, a reset demo)."""
    created = 0
    for code, dimension, name, weight, params in DEFAULT_INDICATORS:
        _, was_created = ValueIndicator.objects.get_or_create(
            code=code,
            defaults={"dimension": dimension, "name": name, "weight": weight, "params": params},
        )
        created += was_created
    return created
