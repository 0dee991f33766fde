"""What every writer shares: provenance, results, and turning records into rows.

Writers upsert a batch atomically. Importing the same file twice leaves the
same rows: patents are upserted on their publication number, and a patent's
applicants, inventor mentions and classifications are replaced as a whole on
every write, so a newer file updates a record completely. Organizations are
matched on their normalised name and only ever gain information (a known kind
or region is never overwritten by "unknown").
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from ...normalize import normalize_organization_name, normalize_person_name
from ...organizations import infer_organization_kind, resolve_region_code
from ..records import PatentRecord

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
APPLICANT_COLUMNS = ("patent_id", "organization_id", "sequence", "role", "raw_name")
INVENTOR_COLUMNS = (
    "patent_id",
    "sequence",
    "raw_name",
    "normalized_name",
    "affiliation",
    "country",
    "source_person_id",
)
CLASSIFICATION_COLUMNS = ("patent_id", "scheme", "code", "subclass", "is_main")


@dataclass(frozen=True, slots=True)
class Source:
    dataset: str
    file: str = ""
    import_job_id: int | None = None


@dataclass(slots=True)
class WriteResult:
    created: int = 0
    updated: int = 0

    def add(self, other: WriteResult) -> None:
        self.created += other.created
        self.updated += other.updated


@dataclass(slots=True)
class OrgInfo:
    name: str
    kind: str
    country: str
    address: str
    region_code: str | None


class BoundedCache(OrderedDict):
    """normalized name → organization id, so repeated applicants cost no query."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: str, value: int) -> None:
        self[key] = value
        if len(self) > self.limit:
            self.popitem(last=False)


def unique_by_number(records: list[PatentRecord]) -> tuple[list[PatentRecord], int]:
    """The batch with one record per publication number (the last one's data wins,
    at the first one's position) and how many repeats were folded in."""
    unique: dict[str, PatentRecord] = {}
    for record in records:
        unique[record.publication_number] = record
    return list(unique.values()), len(records) - len(unique)


class BaseWriter:
    org_cache_size = 200_000

    def __init__(self, *, source: Source) -> None:
        self.source = source
        self._org_ids = BoundedCache(self.org_cache_size)

    def write(self, records: list[PatentRecord]) -> WriteResult:
        """Upsert one batch atomically. Records repeating a number within the batch
        count as updates of the first (the last one's data wins)."""
        raise NotImplementedError

    def close(self) -> WriteResult:
        """Finish writing; returns counts of writes not yet reported by ``write``
        (always zero for writers that write synchronously)."""
        return WriteResult()

    # -- shared preparation ---------------------------------------------------
    def _wanted_organizations(self, batch: list[PatentRecord], *, known=None) -> dict[str, OrgInfo]:
        """Applicants of the batch not in ``known`` (default: the id cache), by key."""
        known = self._org_ids if known is None else known
        wanted: dict[str, OrgInfo] = {}
        for record in batch:
            for applicant in record.applicants:
                key = normalize_organization_name(applicant.name)
                if not key or key in known:
                    continue
                # A co-applicant first seen without an address (CNIPA gives the
                # first applicant's only) takes one from a later row of the batch.
                if key in wanted and (wanted[key].address or not applicant.address):
                    continue
                wanted[key] = OrgInfo(
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
        return wanted

    def _organization_ids(self, batch: list[PatentRecord]) -> dict[str, int]:
        wanted = self._wanted_organizations(batch)
        if wanted:
            for key, org_id in self._upsert_organizations(wanted).items():
                self._org_ids.put(key, org_id)
        return self._org_ids

    def _upsert_organizations(self, wanted: dict[str, OrgInfo]) -> dict[str, int]:
        raise NotImplementedError

    def _child_rows(
        self, batch: list[PatentRecord], patent_ids: dict[str, int], org_ids: dict[str, int]
    ):
        """(applicant, inventor mention, classification) row tuples of the batch."""
        applicants, inventors, classifications = [], [], []
        add_applicant = applicants.append
        add_inventor = inventors.append
        add_classification = classifications.append
        for record in batch:
            pid = patent_ids[record.publication_number]
            for applicant in record.applicants:
                key = normalize_organization_name(applicant.name)
                if key:
                    add_applicant(
                        (
                            pid,
                            org_ids[key],
                            applicant.sequence,
                            applicant.role,
                            applicant.name[:255],
                        )
                    )
            for inventor in record.inventors:
                add_inventor(
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
            main = record.main_ipc
            for code in record.ipc_codes:
                add_classification((pid, "ipc", code, code[:4], code == main))
            main = record.main_cpc
            for code in record.cpc_codes:
                add_classification((pid, "cpc", code, code[:4], code == main))
            for index, code in enumerate(record.locarno_codes):
                add_classification((pid, "loc", code, code[:2], index == 0))
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
