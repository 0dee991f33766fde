"""Measures: how each KPI's figure is computed from other apps' records.

A ``KpiDefinition`` names a measure; a measure is a function that calls an owning
app's KPI selector (the cross-app contract in AGENTS.md) by dotted path and returns
the QuerySet of evidence records. The figure is then always an aggregate of that
evidence (its count, its count of distinct people, or the sum of one field), so the
number and its drill-down can never disagree.

The selectors are looked up at call time, not imported: an app that is not installed
yet, or has not written its selector yet, makes the KPI "not yet measurable"
(``MeasureUnavailable``) instead of failing or showing a made-up 0.

The package:
- ``core``: the registry, evaluation and the monthly series (one grouped query each);
- ``held``: stored monthly counts of the records held (1M patents are not recounted
  month by month for every report; ``held_counts_refresh`` keeps them, nightly);
- ``records``: measures over the patent database itself;
- ``contract``: measures over the other apps' KPI selectors.

``now`` and ``import_module`` are seams tests move (a clock, and apps made absent);
the code reads them through this package at call time.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()  # a seam tests move, without moving Django's clock


# Registering the measures is importing them.
from . import contract, records  # noqa: E402, F401
from .core import (  # noqa: E402
    MEASURES,
    Aggregate,
    Column,
    Measure,
    MeasureUnavailable,
    Outcome,
    day_start,
    evidence_for,
    measure,
    measure_compute,
    measure_get,
    selector,
    series_of,
    value_of,
)
from .held import held_counts_refresh  # noqa: E402

__all__ = [
    "MEASURES",
    "Aggregate",
    "Column",
    "Measure",
    "MeasureUnavailable",
    "Outcome",
    "day_start",
    "evidence_for",
    "held_counts_refresh",
    "import_module",
    "measure",
    "measure_compute",
    "measure_get",
    "now",
    "selector",
    "series_of",
    "value_of",
]
