"""What a parser hands the writer: plain, validated, database-free records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class ApplicantRecord:
    name: str
    sequence: int
    role: str = "applicant"  # PatentApplicant.Role
    address: str = ""
    kind: str = ""  # Organization.Kind when the source says; inferred otherwise
    country: str = ""


@dataclass(slots=True)
class InventorRecord:
    name: str
    sequence: int
    affiliation: str = ""
    country: str = ""
    source_person_id: str = ""


@dataclass(slots=True)
class LegalEventRecord:
    """A change of rights (转移, 许可, 质押, 保全): kind, date if given, text as recorded."""

    kind: str  # PatentLegalEvent.Kind
    raw: str
    date: dt.date | None = None


@dataclass(slots=True)
class PatentRecord:
    publication_number: str
    country: str
    title: str
    source_line: int
    kind_code: str = ""
    patent_type: str = "invention"
    application_number: str = ""
    title_language: str = ""
    abstract: str = ""
    abstract_language: str = ""
    claims: str = ""
    claim_count: int | None = None
    main_ipc: str = ""
    ipc_codes: list[str] = field(default_factory=list)
    main_cpc: str = ""
    cpc_codes: list[str] = field(default_factory=list)
    # Locarno classes of a design (``02-02``): never mixed into the IPC codes.
    locarno_codes: list[str] = field(default_factory=list)
    application_date: dt.date | None = None
    publication_date: dt.date | None = None
    grant_date: dt.date | None = None
    legal_status: str = "unknown"
    legal_status_raw: str = ""
    family_size: int | None = None
    cited_by_count: int | None = None
    applicants: list[ApplicantRecord] = field(default_factory=list)
    inventors: list[InventorRecord] = field(default_factory=list)
    legal_events: list[LegalEventRecord] = field(default_factory=list)


@dataclass(slots=True)
class RowError:
    """A rejected row: where it is and why, in words the uploader understands."""

    line: int
    reason: str
    excerpt: str = ""
    # False for a bad row of a side table (a PatentsView CPC or inventor row):
    # reported, but not a patent row, so not counted as read or rejected.
    counted: bool = True
