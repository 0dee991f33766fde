"""The PostgreSQL writer: ``COPY`` straight into the tables for new numbers, a staged
set-based upsert for numbers that already exist.

Each batch is split in two steps so a pipelined writer can run them on two
connections (see ``pipeline.py``):

``prepare``
    Python work plus up to three cheap statements: upsert the batch's *unseen*
    organizations, look up which publication numbers already exist (one
    indexed ``= ANY`` lookup; skipped while the previous batches were all new,
    since the unique index catches a number that exists after all), and
    reserve ids from ``patents_patent_id_seq`` for the new ones. Then format
    the ``COPY`` payloads of the new patents and their applicant links, inventor
    mentions and classifications with those ids.

``apply``
    One transaction: ``COPY`` the new rows straight into ``patents_patent`` and
    the child tables (the *fast path*), then upsert the existing numbers through
    the staging table (``INSERT … ON CONFLICT``, their children deleted and
    rewritten: the *upsert path*). If another session inserted one of the "new"
    numbers in between, the fast path's unique index rejects the ``COPY``; its
    savepoint is rolled back and those records take the upsert path instead.
    Counts come from what each path actually did, so they stay exact.

On the fast path, when the role may (superuser) and the tables carry no
triggers of their own, the per-row foreign-key triggers are skipped with
``session_replication_role = replica`` for those ``COPY`` statements only,
and the same guarantees are checked set-wise instead: the child rows point at
patents inserted by this very transaction, and the batch's organization ids
(and import job) are locked ``FOR KEY SHARE`` and counted — exactly what the
row triggers would do, once per batch instead of ~7 times per patent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg2
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ...normalize import normalize_organization_name
from ...search.indexing import index_patents_after_commit
from ..records import PatentRecord
from .base import (
    APPLICANT_COLUMNS,
    CLASSIFICATION_COLUMNS,
    INVENTOR_COLUMNS,
    PATENT_COLUMNS,
    BaseWriter,
    OrgInfo,
    Source,
    WriteResult,
    unique_by_number,
)
from .copy import NULL, copy_in, copy_payload, json_list

_NEW_PATENT_COLUMNS = ("id", *PATENT_COLUMNS, "created_at", "updated_at")
_CHILD_TABLES = (
    "patents_patent",
    "patents_patentapplicant",
    "patents_inventormention",
    "patents_patentclassification",
)


class _StaleOrganization(Exception):
    """A cached organization id no longer exists (deleted by another session)."""


@dataclass(slots=True)
class PreparedBatch:
    """One batch ready to load: payloads for the fast path, records for the upsert path."""

    batch: list[PatentRecord]
    repeats: int
    org_ids: dict[str, int]
    new_ids: dict[str, int] = field(default_factory=dict)
    existing: list[PatentRecord] = field(default_factory=list)
    patents: bytes = b""
    applicants: bytes = b""
    inventors: bytes = b""
    classifications: bytes = b""


class PostgresCopyWriter(BaseWriter):
    """COPY for new numbers, COPY into a staging table + one upsert per table otherwise."""

    def __init__(self, *, source: Source) -> None:
        super().__init__(source=source)
        self._staging_ready = False
        self._existing_ids: list[int] = []
        self._skip_row_triggers: bool | None = None
        self.org_cache_stale = False
        # Whether prepare() looks the batch's numbers up first. Off after a batch
        # of only new numbers (a first load then skips the lookup: the unique
        # index rejects a number that exists after all, and that batch takes the
        # upsert path); on again once a batch met existing numbers.
        self.look_up_numbers = True
        self.fast_path_batches = 0
        self.upsert_path_batches = 0

    # -- public ---------------------------------------------------------------
    def write(self, records: list[PatentRecord]) -> WriteResult:
        with transaction.atomic(), connection.cursor() as cursor:
            return self.apply(cursor, self.prepare(cursor, records))

    def prepare(self, cursor, records: list[PatentRecord]) -> PreparedBatch:
        if self.org_cache_stale:
            self._org_ids.clear()
            self.org_cache_stale = False
        batch, repeats = unique_by_number(records)
        cache = self._organization_ids(batch)
        org_ids = {}
        for record in batch:
            for applicant in record.applicants:
                key = normalize_organization_name(applicant.name)
                if key:
                    org_ids[key] = cache[key]
        prepared = PreparedBatch(batch=batch, repeats=repeats, org_ids=org_ids)
        new = batch
        if self.look_up_numbers:
            cursor.execute(
                "SELECT publication_number FROM patents_patent WHERE publication_number = ANY(%s)",
                [[r.publication_number for r in batch]],
            )
            exists = {number for (number,) in cursor.fetchall()}
            if exists:
                new = [r for r in batch if r.publication_number not in exists]
                prepared.existing = [r for r in batch if r.publication_number in exists]
            else:
                # A batch of only new numbers: expect the next one to be new too.
                self.look_up_numbers = False
        if not new:
            return prepared
        cursor.execute(
            "SELECT nextval('patents_patent_id_seq') FROM generate_series(1, %s)", [len(new)]
        )
        ids = [pid for (pid,) in cursor.fetchall()]
        prepared.new_ids = dict(zip((r.publication_number for r in new), ids, strict=True))
        prepared.patents = copy_payload(self._new_patent_rows(ids, new), plain=True)
        applicants, inventors, classifications = self._child_rows(new, prepared.new_ids, org_ids)
        prepared.applicants = copy_payload(applicants, plain=True)
        prepared.inventors = copy_payload(inventors, plain=True)
        prepared.classifications = copy_payload(classifications, plain=True)
        return prepared

    def _new_patent_rows(self, ids: list[int], records: list[PatentRecord]):
        """COPY rows for ``_NEW_PATENT_COLUMNS``: ``_patent_values`` with NULLs and
        JSON spelled out inline (this runs once per patent)."""
        now = timezone.now().isoformat()
        dataset = self.source.dataset
        file = self.source.file[:255]
        job = NULL if self.source.import_job_id is None else self.source.import_job_id
        for pid, r in zip(ids, records, strict=True):
            yield (
                pid,
                r.publication_number,
                r.application_number,
                r.country,
                r.kind_code,
                r.patent_type,
                r.title,
                r.title_language,
                r.abstract,
                r.abstract_language,
                r.claims,
                NULL if r.claim_count is None else r.claim_count,
                r.main_ipc,
                json_list(r.ipc_codes),
                r.main_cpc,
                json_list(r.cpc_codes),
                NULL if r.application_date is None else r.application_date,
                NULL if r.publication_date is None else r.publication_date,
                NULL if r.grant_date is None else r.grant_date,
                r.legal_status,
                r.legal_status_raw[:64],
                NULL if r.family_size is None else r.family_size,
                NULL if r.cited_by_count is None else r.cited_by_count,
                dataset,
                file,
                NULL if r.source_line is None else r.source_line,
                job,
                now,
                now,
            )

    def apply(self, cursor, prepared: PreparedBatch) -> WriteResult:
        """Load a prepared batch in one transaction; returns exact created/updated counts."""
        result = WriteResult(updated=prepared.repeats)
        with transaction.atomic():
            # An import is idempotent and re-runnable, so a crash may lose the last
            # batches but never corrupt anything: skip waiting for the WAL flush.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            written: list[int] = []
            upsert = list(prepared.existing)
            org_ids = prepared.org_ids
            if prepared.new_ids:
                try:
                    with transaction.atomic():
                        self._copy_new(cursor, prepared)
                    result.created += len(prepared.new_ids)
                    written.extend(prepared.new_ids.values())
                    self.fast_path_batches += 1
                except (IntegrityError, psycopg2.IntegrityError, _StaleOrganization) as exc:
                    # Rolled back to the savepoint: take the upsert path for these too.
                    self.look_up_numbers = True
                    new = set(prepared.new_ids)
                    upsert.extend(r for r in prepared.batch if r.publication_number in new)
                    if isinstance(exc, _StaleOrganization):
                        self.org_cache_stale = True
                        org_ids = self._upsert_organizations(
                            self._wanted_organizations(prepared.batch, known={})
                        )
            if upsert:
                self.look_up_numbers = True
                self.upsert_path_batches += 1
                ids, created = self._upsert_patents(cursor, upsert)
                self._replace_children(cursor, upsert, ids, org_ids)
                result.created += created
                result.updated += len(upsert) - created
                written.extend(ids.values())
            # Queued for after the commit, so the index never holds a rolled-back row.
            index_patents_after_commit(written)
        return result

    # -- fast path --------------------------------------------------------------
    def _copy_new(self, cursor, prepared: PreparedBatch) -> None:
        skip = self._may_skip_row_triggers(cursor)
        if skip:
            cursor.execute("SET LOCAL session_replication_role = replica")
        copy_in(cursor, "patents_patent", _NEW_PATENT_COLUMNS, prepared.patents)
        copy_in(cursor, "patents_patentapplicant", APPLICANT_COLUMNS, prepared.applicants)
        copy_in(cursor, "patents_inventormention", INVENTOR_COLUMNS, prepared.inventors)
        copy_in(
            cursor, "patents_patentclassification", CLASSIFICATION_COLUMNS, prepared.classifications
        )
        if not skip:
            return
        cursor.execute("SET LOCAL session_replication_role = origin")
        # What the skipped foreign-key triggers would have checked, set-wise. The
        # patent ids are rows this transaction just inserted; lock the rest.
        if prepared.applicants:
            wanted = set(prepared.org_ids.values())
            cursor.execute(
                "SELECT id FROM patents_organization WHERE id = ANY(%s) FOR KEY SHARE",
                [sorted(wanted)],
            )
            if len(cursor.fetchall()) != len(wanted):
                raise _StaleOrganization
        if self.source.import_job_id is not None:
            cursor.execute(
                "SELECT id FROM patents_importjob WHERE id = %s FOR KEY SHARE",
                [self.source.import_job_id],
            )
            if cursor.fetchone() is None:
                raise IntegrityError(f"import job {self.source.import_job_id} does not exist")

    def _may_skip_row_triggers(self, cursor) -> bool:
        """Superuser (may set session_replication_role) and no triggers of our own
        on the tables (only the internal foreign-key ones, checked by hand)."""
        if self._skip_row_triggers is None:
            cursor.execute(
                """
                SELECT current_setting('is_superuser') = 'on' AND NOT EXISTS (
                    SELECT 1 FROM pg_trigger
                    WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal)
                """,
                [list(_CHILD_TABLES)],
            )
            self._skip_row_triggers = bool(cursor.fetchone()[0])
        return self._skip_row_triggers

    # -- upsert path ------------------------------------------------------------
    def _ensure_staging(self, cursor) -> None:
        if self._staging_ready:
            return
        cols = ", ".join(PATENT_COLUMNS)
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_stage_patent ON COMMIT DELETE ROWS AS "
            f"SELECT {cols} FROM patents_patent WITH NO DATA"
        )
        self._staging_ready = True

    def _upsert_organizations(self, wanted: dict[str, OrgInfo]) -> dict[str, int]:
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

    def _upsert_patents(self, cursor, records: list[PatentRecord]) -> tuple[dict[str, int], int]:
        cols = ", ".join(PATENT_COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in PATENT_COLUMNS[1:])
        now = timezone.now()
        self._ensure_staging(cursor)
        copy_in(
            cursor,
            "import_stage_patent",
            PATENT_COLUMNS,
            copy_payload(self._patent_values(r) for r in records),
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
        self,
        cursor,
        records: list[PatentRecord],
        patent_ids: dict[str, int],
        org_ids: dict[str, int],
    ) -> None:
        from ...models import InventorMention

        ids = self._existing_ids
        if ids:
            # Other apps point at inventor mentions (talent links): the ORM delete
            # cascades to them, where a raw DELETE would break their foreign keys.
            InventorMention.objects.filter(patent_id__in=ids).delete()
            for table in ("patents_patentapplicant", "patents_patentclassification"):
                cursor.execute(f"DELETE FROM {table} WHERE patent_id = ANY(%s)", [ids])
        applicants, inventors, classifications = self._child_rows(records, patent_ids, org_ids)
        copy_in(
            cursor,
            "patents_patentapplicant",
            APPLICANT_COLUMNS,
            copy_payload(applicants, plain=True),
        )
        copy_in(
            cursor, "patents_inventormention", INVENTOR_COLUMNS, copy_payload(inventors, plain=True)
        )
        copy_in(
            cursor,
            "patents_patentclassification",
            CLASSIFICATION_COLUMNS,
            copy_payload(classifications, plain=True),
        )
