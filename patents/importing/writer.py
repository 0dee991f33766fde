"""Batched, idempotent upserts of parsed patent records.

Importing the same file twice leaves the same rows: patents are upserted on
their publication number, and a patent's applicants, inventor mentions and
classifications are replaced as a whole on every write, so a newer file
updates a record completely. Organizations are matched on their normalised
name and only ever gain information (a known kind or region is never
overwritten by "unknown").

Two implementations share the preparation step:
- ``PostgresCopyWriter`` streams rows with ``COPY`` and upserts with one
  ``INSERT … ON CONFLICT`` per table and batch (the benchmark path);
- ``OrmWriter`` uses Django's ``bulk_create`` and runs on any backend
  (SQLite in embedded mode).
"""

from __future__ import annotations

import csv
import io
import json
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..models import (
    InventorMention,
    Organization,
    Patent,
    PatentApplicant,
    PatentClassification,
)
from ..normalize import normalize_organization_name, normalize_person_name
from ..organizations import infer_organization_kind, resolve_region_code
from ..search.indexing import index_patents_after_commit
from .records import PatentRecord

# Columns the importer owns on Patent, in one order for COPY and ORM alike.
PATENT_COLUMNS = (
    "publication_number",
    "application_number",
    "country",
    "kind_code",
    "patent_type",
    "title",
    "title_language",
    "abstract",
    "abstract_language",
    "claims",
    "claim_count",
    "main_ipc",
    "ipc_codes",
    "main_cpc",
    "cpc_codes",
    "application_date",
    "publication_date",
    "grant_date",
    "legal_status",
    "legal_status_raw",
    "family_size",
    "cited_by_count",
    "source_dataset",
    "source_file",
    "source_line",
    "import_job_id",
)
_JSON_COLUMNS = frozenset({"ipc_codes", "cpc_codes"})


@dataclass(frozen=True, slots=True)
class Source:
    dataset: str
    file: str = ""
    import_job_id: int | None = None


@dataclass(slots=True)
class WriteResult:
    created: int = 0
    updated: int = 0


@dataclass(slots=True)
class _OrgInfo:
    name: str
    kind: str
    country: str
    address: str
    region_code: str | None


class _BoundedCache(OrderedDict):
    """normalized name → organization id, so repeated applicants cost no query."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: str, value: int) -> None:
        self[key] = value
        if len(self) > self.limit:
            self.popitem(last=False)


class BaseWriter:
    org_cache_size = 200_000

    def __init__(self, *, source: Source) -> None:
        self.source = source
        self._org_ids = _BoundedCache(self.org_cache_size)

    # -- public ---------------------------------------------------------------
    def write(self, records: list[PatentRecord]) -> WriteResult:
        """Upsert one batch atomically. Records repeating a number within the batch
        count as updates of the first (the last one's data wins)."""
        unique: dict[str, PatentRecord] = {}
        for record in records:
            unique[record.publication_number] = record
        repeats = len(records) - len(unique)
        batch = list(unique.values())
        with transaction.atomic():
            self._begin_batch()
            org_ids = self._organization_ids(batch)
            patent_ids, created = self._upsert_patents(batch)
            self._replace_children(batch, patent_ids, org_ids)
            # Queued for after the commit, so the index never holds a rolled-back row.
            index_patents_after_commit(patent_ids.values())
        return WriteResult(created=created, updated=len(batch) - created + repeats)

    # -- shared preparation ---------------------------------------------------
    def _organization_ids(self, batch: list[PatentRecord]) -> dict[str, int]:
        wanted: dict[str, _OrgInfo] = {}
        for record in batch:
            for applicant in record.applicants:
                key = normalize_organization_name(applicant.name)
                if not key or key in self._org_ids or key in wanted:
                    continue
                wanted[key] = _OrgInfo(
                    name=applicant.name[:255],
                    kind=applicant.kind or infer_organization_kind(applicant.name),
                    country=applicant.country or record.country,
                    address=applicant.address[:255],
                    region_code=resolve_region_code(
                        name=applicant.name,
                        address=applicant.address,
                        country=applicant.country or record.country,
                    ),
                )
        if wanted:
            for key, org_id in self._upsert_organizations(wanted).items():
                self._org_ids.put(key, org_id)
        return self._org_ids

    def _child_rows(
        self, batch: list[PatentRecord], patent_ids: dict[str, int], org_ids: dict[str, int]
    ):
        applicants, inventors, classifications = [], [], []
        for record in batch:
            pid = patent_ids[record.publication_number]
            for applicant in record.applicants:
                key = normalize_organization_name(applicant.name)
                if key:
                    applicants.append(
                        (
                            pid,
                            org_ids[key],
                            applicant.sequence,
                            applicant.role,
                            applicant.name[:255],
                        )
                    )
            for inventor in record.inventors:
                inventors.append(
                    (
                        pid,
                        inventor.sequence,
                        inventor.name[:255],
                        normalize_person_name(inventor.name),
                        inventor.affiliation[:255],
                        inventor.country[:2],
                        inventor.source_person_id[:64],
                    )
                )
            for scheme, main, codes in (
                ("ipc", record.main_ipc, record.ipc_codes),
                ("cpc", record.main_cpc, record.cpc_codes),
            ):
                for code in codes:
                    # bool: COPY reads Python's True/False as boolean literals.
                    classifications.append((pid, scheme, code, code[:4], code == main))
        return applicants, inventors, classifications

    def _patent_values(self, record: PatentRecord) -> tuple:
        return (
            record.publication_number,
            record.application_number,
            record.country,
            record.kind_code,
            record.patent_type,
            record.title,
            record.title_language,
            record.abstract,
            record.abstract_language,
            record.claims,
            record.claim_count,
            record.main_ipc,
            record.ipc_codes,
            record.main_cpc,
            record.cpc_codes,
            record.application_date,
            record.publication_date,
            record.grant_date,
            record.legal_status,
            record.legal_status_raw[:64],
            record.family_size,
            record.cited_by_count,
            self.source.dataset,
            self.source.file[:255],
            record.source_line,
            self.source.import_job_id,
        )

    # -- backend specific -----------------------------------------------------
    def _begin_batch(self) -> None:
        """Hook run first inside each batch's transaction."""

    def _upsert_organizations(self, wanted: dict[str, _OrgInfo]) -> dict[str, int]:
        raise NotImplementedError

    def _upsert_patents(self, batch: list[PatentRecord]) -> tuple[dict[str, int], int]:
        raise NotImplementedError

    def _replace_children(
        self, batch: list[PatentRecord], patent_ids: dict[str, int], org_ids: dict[str, int]
    ) -> None:
        raise NotImplementedError


class OrmWriter(BaseWriter):
    """Portable path through the ORM; fast enough for embedded mode and tests."""

    def _upsert_organizations(self, wanted: dict[str, _OrgInfo]) -> dict[str, int]:
        keys = list(wanted)
        existing = dict(
            Organization.objects.filter(normalized_name__in=keys).values_list(
                "normalized_name", "id"
            )
        )
        new = [
            Organization(
                name=info.name,
                normalized_name=key,
                kind=info.kind,
                country=info.country,
                address=info.address,
                region_id=info.region_code,
            )
            for key, info in wanted.items()
            if key not in existing
        ]
        Organization.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        # Fill what earlier imports did not know; never overwrite known facts.
        for key in existing:
            info = wanted[key]
            if info.kind != Organization.Kind.UNKNOWN:
                Organization.objects.filter(
                    normalized_name=key, kind=Organization.Kind.UNKNOWN
                ).update(kind=info.kind)
            if info.region_code:
                Organization.objects.filter(normalized_name=key, region__isnull=True).update(
                    region_id=info.region_code
                )
        return dict(
            Organization.objects.filter(normalized_name__in=keys).values_list(
                "normalized_name", "id"
            )
        )

    def _upsert_patents(self, batch: list[PatentRecord]) -> tuple[dict[str, int], int]:
        numbers = [r.publication_number for r in batch]
        existing = set(
            Patent.objects.filter(publication_number__in=numbers).values_list(
                "publication_number", flat=True
            )
        )
        objs = [
            Patent(**dict(zip(PATENT_COLUMNS, self._patent_values(r), strict=True))) for r in batch
        ]
        Patent.objects.bulk_create(
            objs,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["publication_number"],
            update_fields=[*(c.removesuffix("_id") for c in PATENT_COLUMNS[1:]), "updated_at"],
        )
        ids = dict(
            Patent.objects.filter(publication_number__in=numbers).values_list(
                "publication_number", "id"
            )
        )
        return ids, len(numbers) - len(existing)

    def _replace_children(
        self, batch: list[PatentRecord], patent_ids: dict[str, int], org_ids: dict[str, int]
    ) -> None:
        ids = list(patent_ids.values())
        for model in (PatentApplicant, InventorMention, PatentClassification):
            model.objects.filter(patent_id__in=ids).delete()
        applicants, inventors, classifications = self._child_rows(batch, patent_ids, org_ids)
        PatentApplicant.objects.bulk_create(
            [
                PatentApplicant(patent_id=p, organization_id=o, sequence=s, role=r, raw_name=n)
                for p, o, s, r, n in applicants
            ],
            batch_size=1000,
        )
        InventorMention.objects.bulk_create(
            [
                InventorMention(
                    patent_id=p,
                    sequence=s,
                    raw_name=raw,
                    normalized_name=norm,
                    affiliation=aff,
                    country=c,
                    source_person_id=sid,
                )
                for p, s, raw, norm, aff, c, sid in inventors
            ],
            batch_size=1000,
        )
        PatentClassification.objects.bulk_create(
            [
                PatentClassification(patent_id=p, scheme=s, code=c, subclass=sc, is_main=m)
                for p, s, c, sc, m in classifications
            ],
            batch_size=1000,
        )


class PostgresCopyWriter(BaseWriter):
    """COPY into a temporary staging table, then one set-based upsert per table."""

    def __init__(self, *, source: Source) -> None:
        super().__init__(source=source)
        self._staging_ready = False
        self._existing_ids: list[int] = []

    def _begin_batch(self) -> None:
        # An import is idempotent and re-runnable, so a crash may lose the last
        # batches but never corrupt anything: skip waiting for the WAL flush.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")

    def _copy(self, cursor, table: str, columns: tuple[str, ...], rows, *, plain=False) -> None:
        """COPY rows in CSV form. ``plain`` rows hold only str/int values (no None,
        lists or booleans) and skip the per-cell conversion, the hot spot here."""
        buffer = io.StringIO()
        # "\r\n" makes the csv module quote any cell holding \r or \n; PostgreSQL would
        # otherwise read a bare \r inside a title as the end of the row.
        writer = csv.writer(buffer, lineterminator="\r\n")
        if plain:
            writer.writerows(rows)
        else:
            writer.writerows([_csv_cell(v) for v in row] for row in rows)
        buffer.seek(0)
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )

    def _ensure_staging(self, cursor) -> None:
        if self._staging_ready:
            return
        cols = ", ".join(PATENT_COLUMNS)
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_stage_patent ON COMMIT DELETE ROWS AS "
            f"SELECT {cols} FROM patents_patent WITH NO DATA"
        )
        self._staging_ready = True

    def _upsert_organizations(self, wanted: dict[str, _OrgInfo]) -> dict[str, int]:
        # Sorted: concurrent imports then lock shared names in the same order
        # and cannot deadlock on them.
        keys = sorted(wanted)
        infos = [wanted[k] for k in keys]
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO patents_organization
                    (name, normalized_name, aliases, kind, country, address, region_id,
                     created_at, updated_at)
                SELECT n, k, '[]'::jsonb, kind, c, a, r, %s, %s
                FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                            %s::text[]) AS t(n, k, kind, c, a, r)
                ON CONFLICT (normalized_name) DO UPDATE SET
                    kind = CASE WHEN patents_organization.kind = 'unknown'
                                THEN EXCLUDED.kind ELSE patents_organization.kind END,
                    region_id = COALESCE(patents_organization.region_id, EXCLUDED.region_id)
                RETURNING normalized_name, id
                """,
                [
                    now,
                    now,
                    [i.name for i in infos],
                    keys,
                    [i.kind for i in infos],
                    [i.country for i in infos],
                    [i.address for i in infos],
                    [i.region_code for i in infos],
                ],
            )
            return dict(cursor.fetchall())

    def _upsert_patents(self, batch: list[PatentRecord]) -> tuple[dict[str, int], int]:
        cols = ", ".join(PATENT_COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in PATENT_COLUMNS[1:])
        now = timezone.now()
        with connection.cursor() as cursor:
            self._ensure_staging(cursor)
            self._copy(
                cursor,
                "import_stage_patent",
                PATENT_COLUMNS,
                (self._patent_values(r) for r in batch),
            )
            cursor.execute(
                f"""
                INSERT INTO patents_patent ({cols}, created_at, updated_at)
                SELECT {cols}, %s, %s FROM import_stage_patent
                ON CONFLICT (publication_number) DO UPDATE SET {updates},
                    updated_at = EXCLUDED.updated_at
                RETURNING publication_number, id, (xmax = 0) AS inserted
                """,
                [now, now],
            )
            ids: dict[str, int] = {}
            created = 0
            # Only patents that existed before can have children to replace.
            self._existing_ids = []
            for number, pid, inserted in cursor.fetchall():
                ids[number] = pid
                created += inserted
                if not inserted:
                    self._existing_ids.append(pid)
            cursor.execute("TRUNCATE import_stage_patent")
        return ids, created

    def _replace_children(
        self, batch: list[PatentRecord], patent_ids: dict[str, int], org_ids: dict[str, int]
    ) -> None:
        applicants, inventors, classifications = self._child_rows(batch, patent_ids, org_ids)
        ids = self._existing_ids
        if ids:
            # Other apps point at inventor mentions (talent links): the ORM delete
            # cascades to them, where a raw DELETE would break their foreign keys.
            # Only updated patents pay for it; a first load never gets here.
            InventorMention.objects.filter(patent_id__in=ids).delete()
        with connection.cursor() as cursor:
            for table in ("patents_patentapplicant", "patents_patentclassification"):
                if ids:
                    cursor.execute(f"DELETE FROM {table} WHERE patent_id = ANY(%s)", [ids])
            self._copy(
                cursor,
                "patents_patentapplicant",
                ("patent_id", "organization_id", "sequence", "role", "raw_name"),
                applicants,
                plain=True,
            )
            self._copy(
                cursor,
                "patents_inventormention",
                (
                    "patent_id",
                    "sequence",
                    "raw_name",
                    "normalized_name",
                    "affiliation",
                    "country",
                    "source_person_id",
                ),
                inventors,
                plain=True,
            )
            self._copy(
                cursor,
                "patents_patentclassification",
                ("patent_id", "scheme", "code", "subclass", "is_main"),
                classifications,
                plain=True,
            )


def _csv_cell(value: object) -> object:
    if value is None:
        return "\\N"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "t" if value else "f"
    return value


def make_writer(*, source: Source) -> BaseWriter:
    if connection.vendor == "postgresql":
        return PostgresCopyWriter(source=source)
    return OrmWriter(source=source)
