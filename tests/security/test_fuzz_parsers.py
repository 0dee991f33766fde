"""Hypothesis fuzzing of the parsers bad input reaches first: each either
answers or raises its documented error with a message; none crashes."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from patents import normalize
from patents.validators import (
    USCC_ALPHABET,
    cn_application_check_digit,
    normalize_cn_application_number,
    org_code_check_char,
    uscc_check_char,
    validate_cn_application_number,
    validate_uscc,
)
from portal.requestmeta import client_ip
from portal.uploads import DOCUMENT, SPREADSHEET, validate_upload

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
messy_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="CNUSEPWO0123456789ABXYZ -_./,年月日（）", max_size=30),
)


def _raises_only(exc_type, fn, value):
    try:
        return fn(value)
    except exc_type as exc:
        assert str(exc).strip(), "an error must say what is wrong"
        return None


# --- Unified social credit codes ---------------------------------------------------

uscc_bodies = st.tuples(
    st.sampled_from("123456789ABCDEFGNY"),
    st.sampled_from("123459"),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8),
)


def _valid_uscc(parts) -> str:
    authority, kind, division, org_body = parts
    body = authority + kind + division + org_body + org_code_check_char(org_body)
    assume(body[16] in USCC_ALPHABET)  # org check "X" is not in the USCC alphabet
    return body + uscc_check_char(body)


@FUZZ
@given(messy_text)
def test_validate_uscc_never_crashes(value):
    _raises_only(ValidationError, validate_uscc, value)


@FUZZ
@given(uscc_bodies)
def test_constructed_uscc_is_valid(parts):
    validate_uscc(_valid_uscc(parts))


@FUZZ
@given(uscc_bodies, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_any_single_substitution_is_caught(parts, position, char):
    code = _valid_uscc(parts)
    assume(code[position] != char)
    with pytest.raises(ValidationError):
        validate_uscc(code[:position] + char + code[position + 1 :])


# --- CN application numbers ----------------------------------------------------------


@FUZZ
@given(messy_text)
def test_validate_cn_application_number_never_crashes(value):
    _raises_only(ValidationError, validate_cn_application_number, value)
    assert isinstance(normalize_cn_application_number(value), str)


@FUZZ
@given(
    st.integers(2003, 2030),
    st.sampled_from("12389"),
    st.integers(0, 9_999_999),
    st.sampled_from(["", " ", "."]),
)
def test_constructed_cn_application_numbers_round_trip(year, kind, serial, separator):
    digits = f"{year}{kind}{serial:07d}"
    number = f"CN{digits}{separator}{cn_application_check_digit(digits)}"
    validate_cn_application_number(number)
    normalized = normalize_cn_application_number(number)
    assert re.fullmatch(r"CN\d{12}\.[0-9X]", normalized)
    assert normalize_cn_application_number(normalized) == normalized


# --- Patent number, classification and date normalisation ------------------------------


@FUZZ
@given(messy_text)
def test_publication_number_normalisation_is_total_and_idempotent(raw):
    result = _raises_only(ValueError, normalize.normalize_publication_number, raw)
    if result is not None:
        assert re.fullmatch(r"[A-Z0-9]+", result)
        assert normalize.normalize_publication_number(result) == result


@FUZZ
@given(st.one_of(messy_text, st.from_regex(r"[A-H]\d\d[A-Z] ?\d{1,4}/\d{1,6}", fullmatch=True)))
def test_classification_normalisation_is_total_and_idempotent(raw):
    result = _raises_only(ValueError, normalize.normalize_classification, raw)
    if result is not None:
        assert normalize.normalize_classification(result) == result
    _raises_only(ValueError, normalize.split_codes, raw)


@FUZZ
@given(st.one_of(messy_text, st.integers(), st.floats(allow_nan=True), st.none()))
def test_parse_date_is_total(raw):
    result = _raises_only(ValueError, normalize.parse_date, raw)
    assert result is None or isinstance(result, dt.date)


@FUZZ
@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_parse_date_reads_every_written_form(day):
    for text in (
        day.isoformat(),
        f"{day:%Y%m%d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert normalize.parse_date(text) == day


@FUZZ
@given(st.text(max_size=300))
def test_name_normalisers_are_total(raw):
    for fn in (
        normalize.normalize_organization_name,
        normalize.normalize_person_name,
        normalize.clean_text,
    ):
        result = fn(raw)
        assert isinstance(result, str)
    assert len(normalize.normalize_organization_name(raw)) <= 255


# --- Parsers of this package -------------------------------------------------------------


@FUZZ
@given(
    st.binary(max_size=4096),
    st.sampled_from(["a.xlsx", "a.csv", "a.pdf", "a.png", "a.docx", "a", "a.exe"]),
)
def test_validate_upload_never_crashes(content, name):
    upload = io.BytesIO(content)
    upload.name = name
    for kind in (SPREADSHEET, DOCUMENT):
        try:
            validate_upload(upload, kind=kind)
        except ValidationError as exc:
            assert exc.messages and exc.code


@FUZZ
@given(st.text(max_size=80), st.text(max_size=80), st.integers(0, 3))
def test_client_ip_is_an_address_or_none(remote, forwarded, proxies):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with settings_override(proxies):
        ip = client_ip(request)
    assert ip is None or re.fullmatch(r"[0-9a-fA-F:.]+", ip)


class settings_override:
    def __init__(self, proxies):
        from django.test import override_settings

        self._override = override_settings(TRUSTED_PROXY_COUNT=proxies)

    def __enter__(self):
        self._override.enable()

    def __exit__(self, *exc):
        self._override.disable()
