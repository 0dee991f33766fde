"""PatentsView tables (``us_patents_patentsview_nvidia``, or the full bulk download).

The import path is a folder holding the patent table and, optionally, its
abstract, CPC, inventor and assignee tables, found by name (``nvidia_patent.csv``,
``g_patent.tsv``, ``*.csv.gz`` …) and joined on ``patent_id``.

The child tables are not sorted by patent, so they are first staged into a
temporary on-disk SQLite index; the patent table is then streamed and each
batch of patents looks up its children there. Memory stays flat whatever the
table sizes (the full bulk tables hold tens of millions of rows).

PatentsView's disambiguated inventor id is kept in
``InventorMention.source_person_id`` so the talent app can evaluate its own
disambiguation against it.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ...models import Organization, PatentType
from ...normalize import (
    clean_prose,
    legal_status_from_dates,
    normalize_classification,
    parse_date,
)
from ..records import ApplicantRecord, InventorRecord, PatentRecord, RowError
from ..source import ImportFileError, ImportSource, csv_dict_rows, excerpt_of

DATASET = "patentsview"

# table role → file name pattern (without the extension)
_TABLES = {
    "patent": re.compile(r"(^|_)patent$"),
    "abstract": re.compile(r"(^|_)patent_abstract$"),
    "cpc": re.compile(r"(^|_)cpc(_current)?$"),
    "inventor": re.compile(r"(^|_)inventor(_disambiguated)?$"),
    "assignee": re.compile(r"(^|_)assignee(_disambiguated)?$"),
}
_PATENT_TYPES = {
    "utility": PatentType.INVENTION,
    "design": PatentType.DESIGN,
    "plant": PatentType.OTHER,
    "reissue": PatentType.OTHER,
    "statutory invention registration": PatentType.OTHER,
    "defensive publication": PatentType.OTHER,
}
# PatentsView assignee_type: 2 US company, 3 foreign company, 4/5 individuals,
# 6/7 US/foreign government, 8/9 county/state government.
_ASSIGNEE_KINDS = {
    "4": Organization.Kind.INDIVIDUAL,
    "5": Organization.Kind.INDIVIDUAL,
    "6": Organization.Kind.GOVERNMENT,
    "7": Organization.Kind.GOVERNMENT,
    "8": Organization.Kind.GOVERNMENT,
    "9": Organization.Kind.GOVERNMENT,
}
_LOOKUP_BATCH = 500


def find_tables(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        raise ImportFileError(_("the patentsview format expects a folder of PatentsView tables"))
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        stem = path.name.removesuffix(".gz").rsplit(".", 1)[0].lower()
        if not path.name.removesuffix(".gz").endswith((".csv", ".tsv")):
            continue
        for role, pattern in _TABLES.items():
            if pattern.search(stem) and role not in found:
                found[role] = path
                break
    if "patent" not in found:
        raise ImportFileError(
            _("no patent table (…patent.csv or g_patent.tsv) in %(folder)s")
            % {"folder": folder.name}
        )
    return found


def parse(source: ImportSource, options: dict[str, Any]) -> Iterator[PatentRecord | RowError]:
    tables = find_tables(source.path)
    with tempfile.TemporaryDirectory(prefix="patentsview-") as tmp:
        index = sqlite3.connect(Path(tmp) / "children.sqlite3")
        try:
            yield from _stage_children(source, tables, index)
            yield from _join(source, tables["patent"], index)
        finally:
            index.close()


# --- staging -------------------------------------------------------------------

_SCHEMA = {
    "abstract": "patent_id TEXT, text TEXT",
    "cpc": "patent_id TEXT, seq INTEGER, code TEXT",
    "inventor": "patent_id TEXT, seq INTEGER, person_id TEXT, name TEXT",
    "assignee": "patent_id TEXT, seq INTEGER, name TEXT, kind TEXT",
}


def _stage_children(
    source: ImportSource, tables: dict[str, Path], index: sqlite3.Connection
) -> Iterator[RowError]:
    """Load each child table into the SQLite index; bad child rows are reported with
    their table and line (they do not reject the patent they belong to)."""
    for role, columns in _SCHEMA.items():
        index.execute(f"CREATE TABLE {role} ({columns})")
        if role not in tables:
            continue
        path = tables[role]
        placeholders = ", ".join("?" * len(columns.split(",")))
        rows: list[tuple] = []
        for item in csv_dict_rows(source, path, required=("patent_id",)):
            if isinstance(item, RowError):
                item.reason = f"{path.name}: {item.reason}"
                yield _child_error(item)
                continue
            line, row = item
            try:
                rows.append(_child_row(role, row))
            except (ValueError, KeyError) as exc:
                yield _child_error(RowError(line, f"{path.name}: {exc}", excerpt_of(row)))
                continue
            if len(rows) >= 10_000:
                index.executemany(f"INSERT INTO {role} VALUES ({placeholders})", rows)
                rows.clear()
        if rows:
            index.executemany(f"INSERT INTO {role} VALUES ({placeholders})", rows)
        index.execute(f"CREATE INDEX {role}_patent ON {role} (patent_id)")
    index.commit()


def _child_error(error: RowError) -> RowError:
    # A bad child row is reported but is no patent row: not counted as rejected.
    error.counted = False
    return error


def _child_row(role: str, row: dict[str, str]) -> tuple:
    pid = row["patent_id"].strip()
    if role == "abstract":
        return (pid, clean_prose(row["patent_abstract"]))
    if role == "cpc":
        code = normalize_classification(row["cpc_group"], scheme="cpc")
        return (pid, _sequence(row, "cpc_sequence"), code)
    if role == "inventor":
        first = row.get("disambig_inventor_name_first", "").strip()
        last = row.get("disambig_inventor_name_last", "").strip()
        name = clean_prose(f"{first} {last}")
        if not name:
            raise ValueError(_("inventor name is missing"))
        return (pid, _sequence(row, "inventor_sequence"), row.get("inventor_id", ""), name)
    organization = row.get("disambig_assignee_organization", "").strip()
    if organization:
        name = organization
    else:
        first = row.get("disambig_assignee_individual_name_first", "").strip()
        last = row.get("disambig_assignee_individual_name_last", "").strip()
        name = f"{first} {last}".strip()
    name = clean_prose(name)
    if not name:
        raise ValueError(_("assignee name is missing"))
    kind = _ASSIGNEE_KINDS.get(row.get("assignee_type", "").strip()[-1:], "")
    return (pid, _sequence(row, "assignee_sequence"), name, kind)


def _sequence(row: dict[str, str], column: str) -> int:
    # Small ASCII whole numbers only: int() would take "１２" or a 30-digit number
    # that the staging index cannot hold (found by tests/security fuzzing).
    text = (row.get(column) or "").strip()
    if not text:
        return 0
    if not re.fullmatch(r"[0-9]{1,6}", text):
        raise ValueError(
            _("%(column)s is not a whole number: %(value)r")
            % {"column": column, "value": text[:20]}
        )
    return int(text)


# --- joining -------------------------------------------------------------------


def _join(
    source: ImportSource, patent_table: Path, index: sqlite3.Connection
) -> Iterator[PatentRecord | RowError]:
    pending: list[tuple[int, dict[str, str]]] = []
    for item in csv_dict_rows(source, patent_table, required=("patent_id", "patent_title")):
        if isinstance(item, RowError):
            yield item
            continue
        pending.append(item)
        if len(pending) >= _LOOKUP_BATCH:
            yield from _records(pending, index)
            pending.clear()
    if pending:
        yield from _records(pending, index)


def _children(index: sqlite3.Connection, role: str, ids: list[str], columns: str) -> dict:
    found: dict[str, list[tuple]] = defaultdict(list)
    marks = ", ".join("?" * len(ids))
    order = "" if role == "abstract" else " ORDER BY patent_id, seq"
    for row in index.execute(
        f"SELECT patent_id, {columns} FROM {role} WHERE patent_id IN ({marks}){order}", ids
    ):
        found[row[0]].append(row[1:])
    return found


def _records(
    rows: list[tuple[int, dict[str, str]]], index: sqlite3.Connection
) -> Iterator[PatentRecord | RowError]:
    ids = [row["patent_id"].strip() for _line, row in rows]
    abstracts = _children(index, "abstract", ids, "text")
    cpcs = _children(index, "cpc", ids, "code")
    inventors = _children(index, "inventor", ids, "person_id, name")
    assignees = _children(index, "assignee", ids, "name, kind")
    for (line, row), pid in zip(rows, ids, strict=True):
        try:
            yield _record(line, row, pid, abstracts, cpcs, inventors, assignees)
        except ValueError as exc:
            yield RowError(line, str(exc), excerpt_of(row))


def _record(line, row, pid, abstracts, cpcs, inventors, assignees) -> PatentRecord:
    if not pid:
        raise ValueError(_("patent_id is missing"))
    # ASCII only: \d would let full-width digits into the publication number.
    if not re.fullmatch(r"(?:[A-Z]{1,2})?[0-9]{4,10}", pid):
        raise ValueError(_("malformed patent_id %(value)r") % {"value": pid[:20]})
    title = clean_prose(row["patent_title"])
    if not title:
        raise ValueError(_("title is missing"))
    kind = row.get("wipo_kind", "").strip().upper()
    # A WIPO kind code (B1, B2, S1, E, P2 ...). Anything else became part of the
    # publication number, and one longer than the column aborted the whole file
    # on PostgreSQL (found by tests/security fuzzing).
    if kind and not re.fullmatch(r"[A-Z][0-9]?", kind):
        raise ValueError(_("malformed wipo_kind %(value)r") % {"value": kind[:20]})
    grant_date = parse_date(row.get("patent_date"))
    withdrawn = row.get("withdrawn", "").strip() == "1"
    abstract = next(iter(abstracts.get(pid, [])), ("",))[0]
    cpc = list(dict.fromkeys(code for (code,) in cpcs.get(pid, [])))
    claims = row.get("num_claims", "").strip()
    if claims and not re.fullmatch(r"[0-9]{1,5}", claims):
        raise ValueError(_("num_claims is not a whole number: %(value)r") % {"value": claims[:20]})
    return PatentRecord(
        publication_number=f"US{pid}{kind}",
        country="US",
        kind_code=kind,
        patent_type=_PATENT_TYPES.get(row.get("patent_type", "").strip().lower(), "other"),
        title=title,
        title_language="en",
        abstract=abstract,
        abstract_language="en" if abstract else "",
        claim_count=int(claims) if claims else None,
        cpc_codes=cpc,
        main_cpc=cpc[0] if cpc else "",
        publication_date=grant_date,
        grant_date=grant_date,
        legal_status="withdrawn"
        if withdrawn
        else legal_status_from_dates(granted=True, application_date=None, grant_date=grant_date),
        legal_status_raw="withdrawn" if withdrawn else "",
        applicants=[
            ApplicantRecord(name=name, sequence=i, role="assignee", kind=kind or "", country="")
            for i, (name, kind) in enumerate(assignees.get(pid, []))
        ],
        inventors=[
            InventorRecord(name=name, sequence=i, source_person_id=person_id or "")
            for i, (person_id, name) in enumerate(inventors.get(pid, []))
        ],
        source_line=line,
    )
