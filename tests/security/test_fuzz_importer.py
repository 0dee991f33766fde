"""Hypothesis fuzzing of the patent importer: the CN title/IPC CSV format and the
PatentsView folder of tables. Every file gives an outcome (or a clear
ImportFileError), counts add up, each rejected row is reported, and only accepted
rows are written. (Lens, Google Patents and the table format: test_fuzz_app_importers.py.)"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patents.models import Patent
from patents.services import patent_import_file
from tests.conftest import DATA_DIR

_serial = itertools.count(300_000_000)

numbers = st.one_of(
    st.builds(lambda k: f"CN{next(_serial)}{k}", st.sampled_from("ABU")),
    st.text(alphabet="CN0123456789AB -", max_size=16),
)
titles = st.text(max_size=40)
ipcs = st.one_of(
    st.lists(st.from_regex(r"[A-H]\d\d[A-Z]", fullmatch=True), max_size=3).map("|".join),
    st.text(max_size=12),
)
rows = st.lists(st.tuples(numbers, titles, ipcs, st.sampled_from(["1", "2", "x", ""])), max_size=12)


def _csv(rows_) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["publication_numbers", "title_zh", "ipc_subclasses", "cv_fold"])
    writer.writerows(rows_)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=rows)
def test_importer_accounts_for_every_row(rows, tmp_path_factory):
    from patents.importing.source import ImportFileError

    path = tmp_path_factory.mktemp("imp") / "fuzz.csv"
    path.write_bytes(_csv(rows))
    before = Patent.objects.count()
    try:
        outcome = patent_import_file(path=path, format="cn-title-ipc", dataset="fuzz")
    except ImportFileError as exc:
        assert str(exc).strip()
        assert Patent.objects.count() == before  # a refused file writes nothing
        return
    assert outcome.read == len(rows)
    assert outcome.created + outcome.updated + outcome.rejected <= outcome.read
    assert Patent.objects.count() - before == outcome.created
    if outcome.rejected:
        report = outcome.error_report.read_text(encoding="utf-8-sig")
        assert report.count("\n") >= outcome.rejected  # one line (plus header) per bad row


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=st.binary(max_size=2048))
def test_importer_survives_arbitrary_bytes(content, tmp_path_factory):
    from patents.importing.source import ImportFileError

    path = tmp_path_factory.mktemp("imp") / "garbage.csv"
    path.write_bytes(content)
    try:
        outcome = patent_import_file(path=path, format="cn-title-ipc", dataset="fuzz")
    except ImportFileError as exc:
        assert str(exc).strip()
        return
    assert outcome.created + outcome.updated + outcome.rejected <= outcome.read


# --- PatentsView: a folder of tables joined on patent_id ---------------------------

PATENTSVIEW = DATA_DIR / "us_patents_patentsview_nvidia"
PV_TABLES = {  # role → file name in the real folder and in the fuzzed one
    "patent": "nvidia_patent.csv",
    "abstract": "nvidia_patent_abstract.csv",
    "cpc": "nvidia_cpc.csv",
    "inventor": "nvidia_inventor.csv",
    "assignee": "nvidia_assignee.csv",
}


@functools.cache
def _patentsview_real(patents: int = 4, children: int = 4) -> dict[str, tuple[list, list]]:
    """The first real patents of the shipped PatentsView folder and a few of each of
    their child rows: (header, rows) per table."""
    tables = {}
    ids: set[str] = set()
    for role, name in PV_TABLES.items():
        with gzip.open(PATENTSVIEW / f"{name}.gz", "rt", encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if role == "patent":
                rows = [row for row, _ in zip(reader, range(patents), strict=False)]
                ids = {row["patent_id"] for row in rows}
            else:
                per_patent: dict[str, int] = {}
                rows = []
                for row in reader:
                    pid = row["patent_id"]
                    if pid in ids and per_patent.get(pid, 0) < children:
                        per_patent[pid] = per_patent.get(pid, 0) + 1
                        rows.append(row)
            tables[role] = (list(reader.fieldnames), rows)
    return tables


pv_cells = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            "1e309",
            "-1",
            "99999999999",
            "２０２０-０１-０１",
            "2026-13-45",
            "US",
            "０",
            "²",
            "\x00",
            # longer than the columns they land in
            "NVIDIA " * 50,
            "G06F" * 10,
            "fl:pr_ln:" * 10,
        ]
    ),
)
pv_edits = st.lists(
    st.tuples(
        st.sampled_from(sorted(PV_TABLES)),
        st.integers(0, 50),
        st.integers(0, 50),
        pv_cells,
    ),
    max_size=10,
)


def _write_patentsview(folder: Path, edits, dropped: set[str]) -> dict[str, list[dict]]:
    """Write the real tables with ``edits`` applied (and ``dropped`` child tables
    left out); returns the rows written per table."""
    real = _patentsview_real()
    written = {}
    for role, name in PV_TABLES.items():
        if role in dropped:
            continue
        header, rows = real[role]
        rows = [dict(row) for row in rows]
        for table, row_pick, column_pick, value in edits:
            if table == role and rows:
                rows[row_pick % len(rows)][header[column_pick % len(header)]] = str(value)
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        written[role] = rows
    return written


def _rows_by_line(path: Path) -> dict[int, list[str]]:
    """Physical line where each CSV record starts (header = line 1), like the importer."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        found, line = {}, reader.line_num + 1
        for values in reader:
            found[line], line = values, reader.line_num + 1
        return found


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    edits=pv_edits, dropped=st.sets(st.sampled_from(["abstract", "cpc", "inventor", "assignee"]))
)
def test_patentsview_folder_accounts_for_every_row(edits, dropped, tmp_path_factory):
    """Real PatentsView rows (patent table and its abstract, CPC, inventor and
    assignee tables) with cells replaced by arbitrary text, numbers, NaN/inf and bad
    dates, some child tables left out: no crash, every bad row - of the patent table
    or a child table - is in the error report with its line and reason, exactly the
    accepted patents are written, and a rejected patent row writes nothing."""
    from patents.importing.source import ImportFileError
    from patents.models import Patent

    # Examples share the test's transaction: start each from no patent at all.
    Patent.objects.all().delete()
    folder = tmp_path_factory.mktemp("pv")
    written = _write_patentsview(folder, edits, dropped)
    before = 0
    try:
        outcome = patent_import_file(path=folder, format="patentsview", dataset="fuzz")
    except ImportFileError as exc:
        assert str(exc).strip()
        assert Patent.objects.count() == before, "a refused folder must write nothing"
        return
    assert outcome.read == len(written["patent"])
    assert outcome.created + outcome.updated + outcome.rejected == outcome.read
    assert Patent.objects.count() - before == outcome.created

    report = []
    if outcome.error_report:
        with outcome.error_report.open(encoding="utf-8-sig", newline="") as handle:
            report = list(csv.DictReader(handle))
    assert all(int(row["line"]) >= 2 and row["reason"].strip() for row in report), report
    child_names = tuple(f"{name}:" for role, name in PV_TABLES.items() if role != "patent")
    patent_errors = [row for row in report if not row["reason"].startswith(child_names)]
    assert len(patent_errors) == outcome.rejected, report

    # No partial write: the number a rejected row would have had is not in the
    # database (unless another, accepted row of the file carries it too).
    lines = _rows_by_line(folder / PV_TABLES["patent"])
    header = _patentsview_real()["patent"][0]

    def number(values):
        row = dict(zip(header, values, strict=False))
        pid, kind = (row.get("patent_id") or "").strip(), (row.get("wipo_kind") or "").strip()
        return f"US{pid}{kind.upper()}"

    rejected_lines = {int(row["line"]) for row in patent_errors}
    rejected = {number(v) for line, v in lines.items() if line in rejected_lines}
    accepted = {number(v) for line, v in lines.items() if line not in rejected_lines}
    stored = set(
        Patent.objects.filter(source_dataset="fuzz").values_list("publication_number", flat=True)
    )
    assert not (rejected - accepted) & stored
    assert stored <= accepted
    # What was accepted is well formed: a US number with a WIPO kind code (ASCII).
    assert all(re.fullmatch(r"US(?:[A-Z]{1,2})?[0-9]{4,10}(?:[A-Z][0-9]?)?", n) for n in stored), (
        stored
    )


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    tables=st.dictionaries(
        st.sampled_from(sorted(PV_TABLES)), st.binary(max_size=1024), min_size=1, max_size=5
    )
)
def test_patentsview_folder_survives_arbitrary_bytes(tables, tmp_path_factory):
    """Tables of arbitrary bytes (a missing patent table among them): an outcome or a
    clear refusal, never a crash or a half-written patent."""
    from patents.importing.source import ImportFileError
    from patents.models import Patent

    folder = tmp_path_factory.mktemp("pv")
    for role, content in tables.items():
        (folder / PV_TABLES[role]).write_bytes(content)
    before = Patent.objects.count()
    try:
        outcome = patent_import_file(path=folder, format="patentsview", dataset="fuzz")
    except ImportFileError as exc:
        assert str(exc).strip()
        assert Patent.objects.count() == before
        return
    assert outcome.created + outcome.updated + outcome.rejected <= outcome.read
    assert Patent.objects.count() - before == outcome.created


@pytest.mark.django_db
def test_patentsview_cells_the_fuzzer_broke_are_row_errors(tmp_path):
    """Found by the fuzzer above: a wipo_kind longer than the kind column aborted the
    whole folder on PostgreSQL, and any other text in it (or full-width digits in the
    patent_id) ended up inside the publication number. Now each is its row's error."""
    from patents.models import Patent

    edits = [
        ("patent", 0, 4, "00000"),  # wipo_kind
        ("patent", 1, 0, "１０００２０３１"),  # patent_id in full-width digits
        ("patent", 2, 5, "²"),  # num_claims
        ("cpc", 0, 1, "9" * 30),  # cpc_sequence
    ]
    written = _write_patentsview(tmp_path, edits, dropped=set())
    outcome = patent_import_file(path=tmp_path, format="patentsview", dataset="fuzz")
    assert (outcome.read, outcome.rejected) == (len(written["patent"]), 3)
    with outcome.error_report.open(encoding="utf-8-sig", newline="") as handle:
        reasons = {(row["line"], row["reason"]) for row in csv.DictReader(handle)}
    # Each with its line and a reason naming the column and the value (in the
    # user's language: the suite runs in Chinese).
    assert {line for line, _reason in reasons} == {"2", "3", "4"}
    for needle in (
        "wipo_kind",
        "'00000'",
        "patent_id",
        "'１０００２０３１'",
        "num_claims",
        "'²'",
        "nvidia_cpc.csv: cpc_sequence",
    ):
        assert any(needle in reason for _line, reason in reasons), (needle, reasons)
    last = written["patent"][3]
    assert list(Patent.objects.values_list("publication_number", flat=True)) == [
        f"US{last['patent_id']}{last['wipo_kind']}"
    ]
