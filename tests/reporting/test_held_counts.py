"""Records held: monthly counts stored for months that are over, refreshed nightly."""

import datetime as dt

import pytest

from patents.models import Patent
from reporting.measures import measure_compute
from reporting.models import HeldCount
from reporting.services import held_counts_refresh
from reporting.tasks import held_counts_refresh_task

from .conftest import at

pytestmark = pytest.mark.django_db

# As the talent line's KPI asks (the stored counts are kept per measure, line and
# parameters, as the KPI definitions use them).
Y2026 = {"start": dt.date(2026, 1, 1), "end": dt.date(2027, 1, 1), "programme_line": "talent"}


def test_stored_counts_serve_the_chart_the_figure_is_always_counted_now(talent_year):
    # "Now" is mid-2027 (conftest): every month of 2026 is over.
    first = measure_compute("patents_held", with_series=True, **Y2026)
    assert first.value == 4
    stored = HeldCount.objects.get(measure="patents_held")
    assert sum(stored.months.values()) == Patent.objects.count() == 5  # up to May 2027
    Patent.objects.filter(pk=talent_year["mar"].pk).delete()
    # The figure is counted now, and its drill-down agrees…
    outcome = measure_compute("patents_held", with_series=True, **Y2026)
    assert outcome.value == outcome.evidence_count == outcome.evidence.count() == 3
    # …while the chart's month ends that are over lag until the nightly refresh.
    assert dict(outcome.series)["2026-03"] == 3
    # A caller may read the stored figure too (``exact=False``): a deletion behind.
    assert measure_compute("patents_held", exact=False, **Y2026).value == 4
    # Patents only: the talent KPI counts people (talents), not inventor records (issue 15).
    assert held_counts_refresh() == 1
    refreshed = measure_compute("patents_held", with_series=True, exact=False, **Y2026)
    assert refreshed.value == 3
    assert dict(refreshed.series)["2026-03"] == 1 + 1  # before + jan; mar is gone


def test_a_month_not_yet_over_is_never_stored(monkeypatch, talent_year):
    from reporting import measures

    # On 15 March 2026 only January and February are over.
    monkeypatch.setattr(measures, "now", lambda: at(2026, 3, 15))
    outcome = measure_compute("patents_held", with_series=True, exact=False, **Y2026)
    assert set(HeldCount.objects.get(measure="patents_held").months) == {"2025-12", "2026-01"}
    series = dict(outcome.series)
    assert series["2026-01"] == 2 and series["2026-02"] == 2
    # From March on the figure is what is held now (the period is not over).
    assert series["2026-03"] == series["2026-12"] == outcome.value == Patent.objects.count()


def test_the_nightly_task_refreshes_the_counts(talent_year):
    assert held_counts_refresh_task() == 1  # patents; the talent KPI counts people
    assert HeldCount.objects.count() == 1
