"""Name parsing: the forms real patent records use."""

import pytest

from talent.disambiguation.names import CONFLICT, FULL, INITIAL, PREFIX, given_compat, parse_name


@pytest.mark.parametrize(
    ("first", "last", "full", "expected_last", "expected_given"),
    [
        ("Nancy L.", "Allbritton", "", "allbritton", ("nancy", "l")),
        ("", "", "王伟", "wang", ("wei",)),
        ("Wei", "Wang", "", "wang", ("wei",)),
        ("Xiao-Ming", "Zhang", "", "zhang", ("xiaoming",)),
        ("Xiao Ming", "Zhang", "", "zhang", ("xiaoming",)),
        ("", "", "欧阳修文", "ouyang", ("xiuwen",)),  # compound surname
        ("", "", "单雄信", "shan", ("xiongxin",)),  # surname reading, not "dan"
        ("Oscar", "&Hcirc;emberg", "", "hemberg", ("oscar",)),  # HTML entity from raw USPTO data
        ("Karl", "Münger", "", "munger", ("karl",)),
        ("Samuel I.", "Miller, III", "", "miller", ("samuel", "i")),
        ("Zhang", "Xiaoming", "", "zhang", ("xiaoming",)),  # surname-first order
        ("", "", "Allbritton, Nancy L.", "allbritton", ("nancy", "l")),
    ],
)
def test_parse_name(first, last, full, expected_last, expected_given):
    parsed = parse_name(first, last, full)
    assert (parsed.last, parsed.given) == (expected_last, expected_given)


def test_chinese_characters_and_pinyin_meet_in_one_block():
    assert parse_name(full="王伟").block_key == parse_name("Wei", "Wang").block_key == "wang|w"
    assert parse_name(full="王伟").chinese and parse_name("Wei", "Wang").chinese
    assert not parse_name("Nancy", "Allbritton").chinese


def test_given_name_relations():
    assert given_compat(("nancy", "l"), ("nancy",)) == (FULL, 0)
    assert given_compat(("nancy",), ("n",)) == (INITIAL, 0)
    assert given_compat(("chris",), ("christopher",))[0] == PREFIX
    assert given_compat(("s", "james"), ("james",)) == (FULL, 0)  # goes by the middle name
    assert given_compat(("john", "h"), ("john", "e")) == (FULL, -1)  # middle initials differ
    assert given_compat(("john",), ("james",))[0] == CONFLICT
    assert given_compat(("bill",), ("william",))[0] != CONFLICT  # nickname


def test_grant_year_from_a_us_patent_number_matches_the_nvidia_dates():
    import csv
    from pathlib import Path

    from talent.disambiguation.uspto_years import year_from_us_number

    path = Path(__file__).resolve().parents[2] / "data" / "talent" / "nvidia_inventor_sample.csv"
    checked = 0
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            year = row.get("year") or row.get("patent_date", "")[:4]
            guess = year_from_us_number(row["patent_number"])
            if guess is not None and year:
                assert abs(guess - int(year)) <= 1, row["patent_number"]
                checked += 1
    assert checked > 100
    assert year_from_us_number("not a number") is None
    assert year_from_us_number("CN114081026A") is None


def test_legal_status_words_in_raw_names_are_not_part_of_the_name():
    # Real raw USPTO forms (PatentsView raw sample / ENS benchmark).
    assert parse_name("John S.", "Shigeura, deceased") == parse_name("John S.", "Shigeura")
    assert parse_name("by Betty F.", "Abbott, heiress").given == ("betty", "f")
