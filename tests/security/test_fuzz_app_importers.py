"""Hypothesis fuzzing of the importers of the other apps and of the patent
importer's other formats.

The property everywhere: no crash (only the importer's own refusal), every bad
row or item is reported with where it is and a non-empty reason, and exactly
the accepted rows are written - a refused row leaves nothing behind.

Well-formed rows are built from real records (the first rows of the shipped
Lens, Google Patents and CN files; real Chinese titles), then cells are
replaced by arbitrary text so valid and invalid rows mix.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openlicense.services.sync import FIELDS as OL_FIELDS  # the columns the importer reads
from tests.conftest import DATA_DIR
from tests.factories import PatentFactory

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "2026-13-45", "2026-03-09", "-1", "1e309", "０３", "NaN", "CN", "面议"]),
)


def _real_rows(path, opener, limit=5):
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, [row for row, _ in zip(reader, range(limit), strict=False)]


# --- patent importer: Lens, Google Patents and the generic table format -------------

REAL_FORMATS = {
    "lens": DATA_DIR / "multi_jurisdiction_lens_covid" / "lens_covid_patents.csv.gz",
    "google-patents": DATA_DIR
    / "us_patents_koehrsen_abstracts"
    / "google_patents_search_results_with_abstracts.csv.gz",
}


def _mutated_csv(header, rows, edits) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for index, (row_pick, column_pick, value) in enumerate(edits):
        row = dict(rows[row_pick % len(rows)])
        column = header[column_pick % len(header)]
        row[column] = "" if value is None else str(value)
        writer.writerow(row)
        if index > 10:
            break
    return buffer.getvalue().encode("utf-8")


edits = st.lists(
    st.tuples(st.integers(0, 100), st.integers(0, 100), cells), min_size=0, max_size=10
)


def _check_outcome(path, fmt, before):
    from patents.importing.source import ImportFileError
    from patents.models import Patent
    from patents.services import patent_import_file

    try:
        outcome = patent_import_file(path=path, format=fmt, dataset="fuzz")
    except ImportFileError as exc:
        assert str(exc).strip()
        assert Patent.objects.count() == before, "a refused file must write nothing"
        return
    assert outcome.created + outcome.updated + outcome.rejected <= outcome.read
    assert Patent.objects.count() - before == outcome.created
    if outcome.rejected:
        report = outcome.error_report.read_text(encoding="utf-8-sig")
        assert report.count("\n") >= outcome.rejected


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", sorted(REAL_FORMATS))
@FUZZ
@given(edits=edits)
def test_patent_formats_account_for_every_row(fmt, edits, tmp_path_factory):
    from patents.models import Patent

    header, rows = _real_rows(REAL_FORMATS[fmt], gzip.open)
    path = tmp_path_factory.mktemp("imp") / f"fuzz-{fmt}.csv"
    path.write_bytes(_mutated_csv(header, rows, edits))
    _check_outcome(path, fmt, Patent.objects.count())


_serial = itertools.count(310_000_000)


@pytest.mark.django_db
@FUZZ
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.builds(lambda: f"CN{next(_serial)}A"), st.text(max_size=14)),
            st.sampled_from(
                ["一种水电站高压输电线路驱鸟保护装置", "一种废水循环利用的自动洗车装置"]
            )
            | st.text(max_size=20),
            cells,
            cells,
        ),
        max_size=8,
    ),
    as_excel=st.booleans(),
)
def test_table_format_accounts_for_every_row(rows, as_excel, tmp_path_factory):
    """The generic table format (CSV or Excel with Chinese headers)."""
    import openpyxl

    from patents.models import Patent

    header = ["公开号", "标题", "申请日", "IPC"]
    folder = tmp_path_factory.mktemp("imp")
    if as_excel:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append([_excel_safe(v) for v in row])
        path = folder / "fuzz.xlsx"
        workbook.save(path)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        path = folder / "fuzz.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
    _check_outcome(path, "table", Patent.objects.count())


def _excel_safe(value):
    if value is None or isinstance(value, int | float):
        if isinstance(value, float) and value != value:  # NaN
            return None
        if isinstance(value, int) and abs(value) > 2**53:
            return str(value)
        if isinstance(value, float) and abs(value) == float("inf"):
            return str(value)
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["lens", "google-patents", "table"])
@FUZZ
@given(content=st.binary(max_size=1024))
def test_patent_formats_survive_arbitrary_bytes(fmt, content, tmp_path_factory):
    from patents.models import Patent

    path = tmp_path_factory.mktemp("imp") / "garbage.csv"
    path.write_bytes(content)
    _check_outcome(path, fmt, Patent.objects.count())


# --- matching: needs from an Excel sheet -----------------------------------------------

NEED_HEADER = [
    "企业名称",
    "统一社会信用代码",
    "联系人",
    "手机",
    "需求名称",
    "需求描述",
    "行业",
    "合作方式",
    "预算",
    "截止日期",
]
VALID_NEED = [
    "济南某机械有限公司",
    "91370100MA3C5D1X2D",
    "张工",
    "13800138000",
    "寻求高压输电线路驱鸟技术",
    "我司负责山区输电线路运维，鸟粪闪络导致跳闸，需要可靠的驱鸟装置。",
    "electrical",
    "licence",
    "negotiable",
    "2027-06-30",
]


@pytest.mark.django_db
@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, 9), cells), min_size=0, max_size=3).map(tuple),
    rows=st.integers(1, 4),
)
def test_need_excel_import_reports_every_bad_row(edits, rows):
    import openpyxl

    from matching.models import TechNeed
    from matching.services.importing import need_import_excel

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(NEED_HEADER)
    for n in range(rows):
        row = list(VALID_NEED)
        if n % 2:  # every other row mutated
            for column, value in edits:
                row[column] = _excel_safe(value)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    before = TechNeed.objects.count()
    report = need_import_excel(file=buffer)
    assert TechNeed.objects.count() - before == len(report.created)
    assert len(report.created) + len({line for line, _ in report.errors}) <= rows
    for line, reason in report.errors:
        assert 1 <= line <= rows + 1 and reason.strip()


@pytest.mark.django_db
@FUZZ
@given(content=st.binary(max_size=1024))
def test_need_excel_import_refuses_garbage(content):
    from matching.models import TechNeed
    from matching.services.importing import need_import_excel

    report = need_import_excel(file=io.BytesIO(content))
    assert not report.created and report.errors and report.errors[0][1].strip()
    assert not TechNeed.objects.exists()


# --- openlicense: the master platform's items ----------------------------------------------


@pytest.mark.django_db
@FUZZ
@given(
    items=st.lists(
        st.fixed_dictionaries({}, optional={name: cells for name in OL_FIELDS}), max_size=6
    ),
    fmt=st.sampled_from(["json", "csv"]),
    real=st.booleans(),
)
def test_open_licence_master_import_reports_every_bad_item(items, fmt, real):
    from openlicense.models import Declaration
    from openlicense.services.sync import master_import

    patent = PatentFactory(legal_status="granted")
    for n, item in enumerate(items):
        item.setdefault("master_id", f"M{n}")
        if real:
            item.setdefault("publication_number", patent.publication_number)
    if fmt == "json":
        content = json.dumps(items, default=str)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=OL_FIELDS)
        writer.writeheader()
        for item in items:
            writer.writerow({k: "" if v is None else v for k, v in item.items()})
        content = buffer.getvalue()
    before = Declaration.objects.count()
    run = master_import(content=content, fmt=fmt, source="fuzz")
    assert Declaration.objects.count() - before == run.created
    for error in run.errors:
        assert str(error.get("reason", "")).strip() and "line" in error


@pytest.mark.django_db
@FUZZ
@given(
    content=st.one_of(st.binary(max_size=512), st.text(max_size=512)),
    fmt=st.sampled_from(["json", "csv"]),
)
def test_open_licence_master_import_survives_garbage(content, fmt):
    from openlicense.models import Declaration
    from openlicense.services.sync import master_import

    run = master_import(content=content, fmt=fmt, source="fuzz")
    assert run.created == Declaration.objects.count() == 0 or run.created


# --- trading: a partner market's feed ---------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.floats(allow_nan=False),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
LISTING = {
    "source": "partner-qd",
    "number": "QD-2026-001",
    "title": "一种水电站高压输电线路驱鸟保护装置",
    "subject": "patent",
    "purpose": "transfer",
    "status": "listed",
    "asking_price": "200000.00",
    "patents": ["CN114081026A"],
}
DEAL = {
    "source": "partner-qd",
    "number": "QD-D-2026-001",
    "kind": "transfer",
    "status": "signed",
    "patents": ["CN114081026A"],
    "amount": "180000.00",
    "signed_on": "2026-05-01",
}


@pytest.mark.django_db
@FUZZ
@given(
    listing_edits=st.dictionaries(
        st.sampled_from([*sorted(LISTING), "x"]), json_values, max_size=3
    ),
    deal_edits=st.dictionaries(st.sampled_from([*sorted(DEAL), "x"]), json_values, max_size=3),
    extra=st.lists(json_values, max_size=3),
)
def test_partner_feed_import_reports_every_bad_item(listing_edits, deal_edits, extra):
    from trading.models import Deal, Listing, PartnerMarket
    from trading.services.partner import partner_feed_import

    PatentFactory(publication_number="CN114081026A")
    market, _ = PartnerMarket.objects.get_or_create(code="partner-qd", defaults={"name": "青岛"})
    payload = {
        "listings": [LISTING, {**LISTING, "number": "QD-2026-002", **listing_edits}, *extra],
        "deals": [DEAL, {**DEAL, "number": "QD-D-2026-002", **deal_edits}],
    }
    before = Listing.objects.count() + Deal.objects.count()
    run = partner_feed_import(market=market, payload=json.loads(json.dumps(payload)))
    after = Listing.objects.count() + Deal.objects.count()
    assert after - before == run.created
    for error in run.errors:
        assert error["section"] in ("listings", "deals", "") and str(error["reason"]).strip()


@pytest.mark.django_db
@FUZZ
@given(payload=json_values)
def test_partner_feed_import_survives_any_json(payload):
    from trading.models import Deal, Listing, PartnerMarket
    from trading.services.partner import partner_feed_import

    market, _ = PartnerMarket.objects.get_or_create(code="partner-qd", defaults={"name": "青岛"})
    run = partner_feed_import(market=market, payload=payload)
    assert Listing.objects.count() + Deal.objects.count() == run.created


# --- small parsers of the other apps --------------------------------------------------------


@pytest.mark.django_db
@FUZZ
@given(text=st.text(max_size=80))
def test_patent_number_lists_parse_or_name_the_bad_numbers(text):
    from trading.forms import parse_patent_numbers

    patents, unknown = parse_patent_numbers(text)
    assert isinstance(patents, list) and isinstance(unknown, list)


@FUZZ
@given(expression=st.text(max_size=60))
def test_chain_keyword_expressions_parse_or_refuse_clearly(expression):
    from django.core.exceptions import ValidationError

    from operations_center.services.keywords import keyword_parse

    try:
        keyword_parse(expression)
    except (ValidationError, ValueError) as exc:
        assert str(exc).strip()


@pytest.mark.django_db
@FUZZ
@given(
    content=st.one_of(st.text(max_size=300), st.binary(max_size=300)),
    name=st.sampled_from(["c.json", "c.yaml", "c.csv", ""]),
)
def test_chain_definitions_parse_or_refuse_clearly(content, name):
    from django.core.exceptions import ValidationError

    from operations_center.services.chains import ChainFileError, chain_definition_parse

    try:
        chain_definition_parse(content=content, filename=name)
    except (ChainFileError, ValidationError, ValueError) as exc:
        assert str(exc).strip()


@pytest.mark.django_db
@FUZZ
@given(
    text=st.text(max_size=20) | st.sampled_from(["2026", "2026Q1", "2026-Q3", "2026H1", "2026年"])
)
def test_reporting_periods_parse_or_refuse_clearly(text):
    from django.core.exceptions import ValidationError

    from reporting.services import period_parse

    try:
        period_parse(text=text, create=False)
    except ValidationError as exc:
        assert " ".join(exc.messages).strip()


@FUZZ
@given(first=st.text(max_size=12), last=st.text(max_size=12), full=st.text(max_size=24))
def test_inventor_names_always_parse(first, last, full):
    from talent.disambiguation.names import parse_name

    parse_name(first=first, last=last, full=full)
