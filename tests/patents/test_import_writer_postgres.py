"""The PostgreSQL writer's two paths give the same rows and exact counts.

``PostgresCopyWriter`` COPYs batches of new publication numbers straight into
the tables (the fast path) and upserts existing numbers through a staging
table (the upsert path); a batch whose "new" numbers turn out to exist falls
back from one to the other. Whatever path a batch takes, the rows and the
created/updated counts must be the same. The pipelined writer (a loader
thread on its own connection) must match the synchronous one.

Inputs are real records: the first Lens.org COVID records that name
applicants and inventors (data/multi_jurisdiction_lens_covid).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from patents.importing.formats import get_parser
from patents.importing.records import PatentRecord
from patents.importing.source import ImportSource
from patents.importing.writer import (
    PipelinedWriter,
    PostgresCopyWriter,
    Source,
    WriteResult,
    make_writer,
)
from patents.models import (
    InventorMention,
    Organization,
    Patent,
    PatentApplicant,
    PatentClassification,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY writer needs PostgreSQL"
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SOURCE = Source(dataset="lens", file="lens_covid_patents.csv.gz")


@pytest.fixture(scope="module")
def lens_records() -> list[PatentRecord]:
    """60 real records with applicants, inventors and classification codes."""
    parse, _dataset = get_parser("lens")
    path = DATA_DIR / "multi_jurisdiction_lens_covid" / "lens_covid_patents.csv.gz"
    source = ImportSource(path=path)
    records = []
    try:
        for item in parse(source, {}):
            if (
                isinstance(item, PatentRecord)
                and item.applicants
                and item.inventors
                and (item.ipc_codes or item.cpc_codes)
            ):
                records.append(item)
            if len(records) == 60:
                break
    finally:
        source.close()
    assert len(records) == 60
    return records


def snapshot() -> dict[str, tuple]:
    """Every imported row by publication number, without ids and timestamps."""
    patent_fields = [
        f.attname
        for f in Patent._meta.concrete_fields
        if f.attname not in ("id", "created_at", "updated_at")
    ]
    rows: dict[str, tuple] = {}
    for patent in Patent.objects.order_by("publication_number"):
        rows[patent.publication_number] = (
            tuple(getattr(patent, name) for name in patent_fields),
            tuple(
                PatentApplicant.objects.filter(patent=patent)
                .order_by("sequence")
                .values_list("organization__normalized_name", "sequence", "role", "raw_name")
            ),
            tuple(
                InventorMention.objects.filter(patent=patent)
                .order_by("sequence")
                .values_list(
                    "sequence",
                    "raw_name",
                    "normalized_name",
                    "affiliation",
                    "country",
                    "source_person_id",
                )
            ),
            tuple(
                PatentClassification.objects.filter(patent=patent)
                .order_by("scheme", "code")
                .values_list("scheme", "code", "subclass", "is_main")
            ),
        )
    return rows


def force_upsert_path(writer: PostgresCopyWriter) -> PostgresCopyWriter:
    """Make the fast path's COPY fail as a concurrent insert of the same numbers would."""

    def clash(cursor, prepared):
        raise IntegrityError("duplicate key value violates unique constraint")

    writer._copy_new = clash
    return writer


def write(writer, records) -> WriteResult:
    result = writer.write(records)
    result.add(writer.close())
    return result


@pytest.mark.django_db
def test_fast_path_and_upsert_path_write_identical_rows(lens_records):
    fast = PostgresCopyWriter(source=SOURCE)
    fast.look_up_numbers = False
    assert write(fast, lens_records) == WriteResult(created=60, updated=0)
    assert fast.fast_path_batches == 1 and fast.upsert_path_batches == 0
    rows = snapshot()
    assert len(rows) == 60
    # Provenance: every row traces back to its file and line.
    assert {number: row[0][-4:-1] for number, row in rows.items()} == {
        r.publication_number: ("lens", "lens_covid_patents.csv.gz", r.source_line)
        for r in lens_records
    }
    counts = (Patent.objects.count(), InventorMention.objects.count(), Organization.objects.count())

    Patent.objects.all().delete()
    slow = force_upsert_path(PostgresCopyWriter(source=SOURCE))
    assert write(slow, lens_records) == WriteResult(created=60, updated=0)
    assert slow.fast_path_batches == 0 and slow.upsert_path_batches == 1
    assert snapshot() == rows
    assert (
        Patent.objects.count(),
        InventorMention.objects.count(),
        Organization.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_reimport_is_idempotent_on_either_path(lens_records):
    writer = PostgresCopyWriter(source=SOURCE)
    assert write(writer, lens_records) == WriteResult(created=60, updated=0)
    rows = snapshot()
    child_counts = (
        PatentApplicant.objects.count(),
        InventorMention.objects.count(),
        PatentClassification.objects.count(),
    )
    # Same writer (its lookup now off after an all-new batch: the clash takes the
    # upsert path), then a fresh one that looks the numbers up first.
    for again in (writer, PostgresCopyWriter(source=SOURCE)):
        assert write(again, lens_records) == WriteResult(created=0, updated=60)
        assert snapshot() == rows
        assert (
            PatentApplicant.objects.count(),
            InventorMention.objects.count(),
            PatentClassification.objects.count(),
        ) == child_counts


@pytest.mark.django_db
def test_newer_file_updates_by_number_in_a_mixed_batch(lens_records):
    old, new = lens_records[:30], lens_records[30:]
    assert write(PostgresCopyWriter(source=SOURCE), old) == WriteResult(created=30)
    newer = [
        dataclasses.replace(
            r,
            title=r.title + " (rev.)",
            inventors=r.inventors[:1],
            source_line=r.source_line + 1000,
        )
        for r in old[:10]
    ]
    for look_up in (True, False):
        writer = PostgresCopyWriter(source=Source(dataset="lens", file="newer.csv"))
        writer.look_up_numbers = look_up
        expected = WriteResult(created=len(new), updated=10) if look_up else WriteResult(updated=40)
        assert write(writer, newer + new) == expected
        for record in newer:
            patent = Patent.objects.get(publication_number=record.publication_number)
            assert patent.title == record.title
            assert (patent.source_file, patent.source_line) == ("newer.csv", record.source_line)
            assert list(patent.inventor_mentions.values_list("raw_name", flat=True)) == [
                record.inventors[0].name[:255]
            ]
    assert Patent.objects.count() == 60


@pytest.mark.django_db
def test_repeated_numbers_in_a_batch_count_as_updates(lens_records):
    batch = [*lens_records[:5], dataclasses.replace(lens_records[0], title="later row wins")]
    assert write(PostgresCopyWriter(source=SOURCE), batch) == WriteResult(created=5, updated=1)
    assert Patent.objects.get(publication_number=batch[0].publication_number).title == (
        "later row wins"
    )


@pytest.mark.django_db
def test_a_deleted_cached_organization_sends_the_batch_to_the_upsert_path(lens_records):
    writer = PostgresCopyWriter(source=SOURCE)
    with connection.cursor() as cursor:
        if not writer._may_skip_row_triggers(cursor):
            pytest.skip("the role may not skip row triggers; the FK triggers check instead")
    first = lens_records[0]
    assert write(writer, [first]).created == 1
    Patent.objects.all().delete()
    Organization.objects.all().delete()  # another session cleaned up meanwhile
    renumbered = dataclasses.replace(first, publication_number=first.publication_number + "9")
    assert write(writer, [renumbered]) == WriteResult(created=1)
    links = PatentApplicant.objects.filter(
        patent__publication_number=renumbered.publication_number
    ).values_list("organization_id", flat=True)
    assert len(links) == len(renumbered.applicants)
    assert set(links) <= set(Organization.objects.values_list("id", flat=True))
    assert writer.upsert_path_batches == 1


@pytest.mark.django_db(transaction=True)
def test_pipelined_writer_matches_the_synchronous_one(lens_records):
    assert isinstance(make_writer(source=SOURCE), PipelinedWriter)
    writer = PipelinedWriter(source=SOURCE)
    total = WriteResult()
    for start in range(0, 60, 20):
        total.add(writer.write(lens_records[start : start + 20]))
    total.add(writer.close())
    assert total == WriteResult(created=60, updated=0)
    rows = snapshot()

    Patent.objects.all().delete()
    assert write(PostgresCopyWriter(source=SOURCE), lens_records) == WriteResult(created=60)
    assert snapshot() == rows

    again = PipelinedWriter(source=SOURCE)
    total = WriteResult()
    for start in range(0, 60, 20):
        total.add(again.write(lens_records[start : start + 20]))
    total.add(again.close())
    assert total == WriteResult(created=0, updated=60)
    assert snapshot() == rows


@pytest.mark.django_db(transaction=True)
def test_pipelined_writer_reports_a_load_error(lens_records):
    writer = PipelinedWriter(source=SOURCE)
    # Fails in the loader thread (patents.country is varchar(2)), not while preparing.
    broken = dataclasses.replace(lens_records[0], country="TOOLONG", applicants=[])
    writer.write([broken])
    with pytest.raises(Exception, match="too long"):
        writer.close()
    assert not writer._thread.is_alive()
    assert Patent.objects.count() == 0
