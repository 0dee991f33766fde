"""The region and the years a navigation figure is about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from patents.models import Region

DEFAULT_REGION = "370000"  # Shandong


@dataclass(frozen=True, slots=True)
class RegionScope:
    code: str  # six-digit GB/T 2260 code
    name: str
    field: str  # "province" or "city" on the fact tables
    value: str  # "37" or "3701"

    def fact_q(self) -> Q:
        return Q(**{self.field: self.value})


def region_scope(*, code: str | None) -> RegionScope:
    code = (code or DEFAULT_REGION).strip()
    if not (len(code) == 6 and code.isdigit()):
        raise ValueError(_("A region code has six digits, e.g. 370000."))
    # The name is for display; a code missing from the region table still filters.
    name = Region.objects.filter(code=code).values_list("name", flat=True).first() or code
    if code.endswith("0000"):
        return RegionScope(code, name, "province", code[:2])
    return RegionScope(code, name, "city", code[:4])


def region_choices() -> list[tuple[str, str]]:
    return list(Region.objects.filter(level__lte=Region.Level.CITY).values_list("code", "name"))


@dataclass(frozen=True, slots=True)
class Years:
    start: int
    end: int  # inclusive

    def q(self) -> Q:
        return Q(year__gte=self.start, year__lte=self.end)


def default_years() -> Years:
    this_year = dt.date.today().year
    return Years(this_year - 9, this_year)
