"""Hypothesis fuzzing of the patent importer (CN title/IPC CSV format):
every file gives an outcome (or a clear ImportFileError), counts add up, each
rejected row is reported, and only accepted rows are written."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patents.models import Patent
from patents.services import patent_import_file

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
