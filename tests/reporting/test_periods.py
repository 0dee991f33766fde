import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reporting.models import ReportingPeriod
from reporting.services import period_parse, previous_quarter, quarter_bounds


def test_quarter_four_ends_on_the_first_of_january_of_the_next_year():
    assert quarter_bounds(2025, 4) == (dt.date(2025, 10, 1), dt.date(2026, 1, 1))
    assert quarter_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    assert quarter_bounds(2026, 2) == (dt.date(2026, 4, 1), dt.date(2026, 7, 1))


def test_previous_quarter_in_january_is_the_last_quarter_of_the_previous_year():
    assert previous_quarter(today=dt.date(2026, 1, 1)) == (2025, 4)
    assert previous_quarter(today=dt.date(2026, 4, 2)) == (2026, 1)
    assert previous_quarter(today=dt.date(2026, 12, 31)) == (2026, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026", "2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
        ("2026Q1", "2026Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
        ("2025-q4", "2025Q4", dt.date(2025, 10, 1), dt.date(2026, 1, 1)),
    ],
)
def test_period_parse_years_and_quarters(text, label, start, end):
    period = period_parse(text=text)
    assert (period.label, period.start, period.end) == (label, start, end)
    assert period_parse(text=text).pk == period.pk  # the same row, not a new one


@pytest.mark.django_db
def test_period_parse_finds_a_period_staff_defined_across_a_year_end():
    project_year = ReportingPeriod.objects.create(
        kind=ReportingPeriod.Kind.CUSTOM,
        label="项目年度1",
        start=dt.date(2025, 7, 1),
        end=dt.date(2026, 7, 1),
    )
    assert period_parse(text="项目年度1") == project_year


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["26", "2026Q5", "last year", "1899"])
def test_period_parse_refuses_with_a_reason(text):
    with pytest.raises(ValidationError) as exc:
        period_parse(text=text)
    assert exc.value.messages[0]


@pytest.mark.django_db
def test_reading_a_period_does_not_store_it():
    period = period_parse(text="2031Q2", create=False)
    assert period.pk is None and period.start == dt.date(2031, 4, 1)
    assert not ReportingPeriod.objects.filter(label="2031Q2").exists()
