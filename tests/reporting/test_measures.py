"""Measures compute each figure as an aggregate of its evidence."""

import dataclasses
import datetime as dt
import sys
import types

import pytest

from patents.models import InventorMention, Patent
from portal.programme import ProgrammeLine
from reporting import measures
from reporting.measures import MEASURES, MeasureUnavailable, measure_compute
from reporting.models import KpiDefinition

pytestmark = pytest.mark.django_db

Y2026 = {"start": dt.date(2026, 1, 1), "end": dt.date(2027, 1, 1)}


def test_patents_held_counts_records_loaded_before_the_period_end_in_china_time(talent_year):
    outcome = measure_compute("patents_held", **Y2026)
    # before, jan, mar, dec; not the one loaded five minutes into 2027 (Shanghai).
    assert outcome.value == 4
    assert outcome.evidence_count == 4
    assert set(outcome.evidence) == {talent_year[k] for k in ("before", "jan", "mar", "dec")}

    q4_2025 = measure_compute("patents_held", start=dt.date(2025, 10, 1), end=dt.date(2026, 1, 1))
    assert list(q4_2025.evidence) == [talent_year["before"]]


def test_patents_held_series_is_cumulative_by_month(talent_year):
    outcome = measure_compute("patents_held", with_series=True, **Y2026)
    series = dict(outcome.series)
    assert len(outcome.series) == 12
    assert series["2026-01"] == 2  # before + jan
    assert series["2026-02"] == 2
    assert series["2026-03"] == 3
    assert series["2026-12"] == 4


def test_talent_records_are_inventor_mentions_until_the_talent_registry_lands(talent_year):
    outcome = measure_compute("talent_records_held", **Y2026)
    assert outcome.value == InventorMention.objects.exclude(patent=talent_year["after"]).count()
    assert outcome.value == 2
    assert "发明人署名" in outcome.note  # says which records stand in


@pytest.mark.parametrize(
    "name",
    [
        "push_items_sent",
        "needs_published",
        "events_held",
        "deal_patents",
        "deal_amount",
        "listings_amount",
        "open_licences_concluded",
        "partner_markets",
        "trainees_trained",
        "supply_items_published",
        "talents_held",
    ],
)
def test_measures_over_apps_not_yet_built_are_unavailable_not_zero(selectors_absent, name):
    with pytest.raises(MeasureUnavailable) as exc:
        measure_compute(name, **Y2026)
    assert "." in str(exc.value)  # names the missing selector


def test_seeded_definitions_all_name_registered_measures():
    names = set(KpiDefinition.objects.values_list("measure", flat=True))
    assert names <= set(MEASURES)
    assert (
        # Six numeric targets and two qualitative ones (issue 15).
        KpiDefinition.objects.filter(programme_line=ProgrammeLine.INDUSTRY_OPERATIONS).count() == 8
    )
    assert KpiDefinition.objects.get(code="l1-open-licences").comparison == "gt"
    assert KpiDefinition.objects.get(code="l3-patent-records").target_value == 100_000_000
    assert KpiDefinition.objects.get(code="l2-listed-amount").target_value == 200_000_000


def test_a_contract_selector_once_provided_is_called_with_period_line_and_params(monkeypatch):
    """Stand in for matching.selectors.push_items_delivered_in_period as the contract
    states it."""
    calls = []
    chosen = Patent.objects.none()

    def push_items_delivered_in_period(*, start, end, programme_line=None, kinds=None):
        calls.append((start, end, programme_line, kinds))
        return chosen

    fake = types.ModuleType("matching.selectors")
    fake.push_items_delivered_in_period = push_items_delivered_in_period
    monkeypatch.setitem(sys.modules, "matching.selectors", fake)
    # select_related names PushItem fields; the stand-in returns patents, so drop it.
    m = MEASURES["push_items_sent"]
    monkeypatch.setitem(
        MEASURES, "push_items_sent", dataclasses.replace(m, select_related=(), date_field="")
    )
    outcome = measure_compute(
        "push_items_sent",
        programme_line="trading_hub",
        params={"kinds": ["open_licence"], "ignored": 1},
        **Y2026,
    )
    assert calls == [(dt.date(2026, 1, 1), dt.date(2027, 1, 1), "trading_hub", ["open_licence"])]
    assert outcome.value == 0 and outcome.evidence_count == 0


def test_a_sum_measure_adds_the_field_over_its_evidence(fake_measure, talent_year):
    Patent.objects.filter(pk=talent_year["jan"].pk).update(claim_count=7)
    Patent.objects.filter(pk=talent_year["mar"].pk).update(claim_count=5)
    Patent.objects.filter(pk=talent_year["after"].pk).update(claim_count=100)

    def claims(*, start, end, programme_line=None):
        return Patent.objects.filter(publication_date__gte=start, publication_date__lt=end)

    Patent.objects.update(publication_date=dt.date(2026, 5, 1))
    Patent.objects.filter(pk=talent_year["after"].pk).update(publication_date=dt.date(2027, 1, 1))
    fake_measure(
        "claims", claims, aggregate="sum", sum_field="claim_count", date_field="publication_date"
    )
    outcome = measure_compute("claims", with_series=True, **Y2026)
    assert outcome.value == 12
    assert outcome.evidence_count == 4
    series = dict(outcome.series)
    assert series["2026-04"] == 0 and series["2026-05"] == 12 and series["2026-12"] == 12


def test_a_measure_without_a_date_field_gets_its_series_month_by_month(fake_measure, talent_year):
    def loaded(*, end, programme_line=None):
        return Patent.objects.filter(created_at__lt=measures.day_start(end))

    fake_measure("loaded_no_date", loaded, stock=True)
    outcome = measure_compute("loaded_no_date", with_series=True, **Y2026)
    grouped = measure_compute("patents_held", with_series=True, **Y2026)
    assert outcome.value == grouped.value == 4
    assert outcome.series == grouped.series
    assert dict(outcome.series)["2026-02"] == 2


def test_a_period_not_yet_over_holds_every_record_loaded(monkeypatch, talent_year):
    # On 1 Dec 2026 the 2026 figure is everything loaded so far (no date filter).
    monkeypatch.setattr(measures, "now", lambda: talent_year["dec"].created_at.replace(day=1))
    Patent.objects.filter(pk=talent_year["after"].pk).delete()
    outcome = measure_compute("patents_held", **Y2026)
    assert outcome.value == Patent.objects.count() == 4
    assert "WHERE" not in str(outcome.evidence.query)
