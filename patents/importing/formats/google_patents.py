"""Google Patents result CSVs and PatentsView API query CSVs
(``us_patents_koehrsen_abstracts``), told apart by their header.

- Google Patents search export (``publication_id`` = ``US-7197497-B2``, assignee,
  comma-separated inventors, priority / filing / publication / grant dates,
  abstract). The same publication can appear under several queries; later rows
  update earlier ones. The upstream merge of abstracts is row-aligned and a few
  duplicates disagree; the last row wins.
- PatentsView API query (``patent_number``, ``patent_title``, ``patent_date``,
  ``patent_abstract``): grants without kind code. The kind is derived where the
  number and date determine it (before 2001 every US grant was ``A``; designs
  ``S``, reissues ``E``, SIRs ``H``); utility grants since 2001 may be ``B1`` or
  ``B2`` and keep no kind. Cells carry a second layer of CSV quoting, undone here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from ...models import PatentType
from ...normalize import (
    clean_prose,
    cn_kind_type,
    legal_status_from_dates,
    normalize_publication_number,
    parse_date,
    split_names,
    split_publication_number,
    text_language,
    unquote_cell,
)
from ..records import ApplicantRecord, InventorRecord, PatentRecord, RowError
from ..source import ImportFileError, ImportSource, csv_dict_rows, excerpt_of

DATASET = "google_patents"

# US kind codes changed on 2 January 2001 (WIPO ST.16).
_KIND_CODE_CHANGE = dt.date(2001, 1, 2)


def parse(source: ImportSource, options: dict[str, Any]) -> Iterator[PatentRecord | RowError]:
    layout = None
    for item in csv_dict_rows(source):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        if layout is None:
            if "publication_id" in row:
                layout = _search_result
            elif "patent_number" in row:
                layout = _query_result
            else:
                raise ImportFileError(
                    _("neither publication_id nor patent_number is a column of this file")
                )
        try:
            yield layout(line, row)
        except ValueError as exc:
            yield RowError(line, str(exc), excerpt_of(row))


def _search_result(line: int, row: dict[str, str]) -> PatentRecord:
    number = normalize_publication_number(row["publication_id"])
    country, _serial, kind = split_publication_number(number)
    title = clean_prose(row.get("title", ""))
    if not title:
        raise ValueError(_("title is missing"))
    application_date = parse_date(row.get("filing_date"))
    grant_date = parse_date(row.get("grant_date"))
    if country == "CN":
        patent_type, _granted = cn_kind_type(kind)
    else:
        patent_type = PatentType.DESIGN if kind.startswith("S") else PatentType.INVENTION
    abstract = clean_prose(row.get("abstract", ""))
    assignee = clean_prose(row.get("assignee", ""))
    applicants = []
    if assignee:
        # Individuals are written "Last; First" by the export.
        last, sep, first = assignee.partition(";")
        name = f"{first.strip()} {last.strip()}" if sep else assignee
        applicants.append(
            ApplicantRecord(
                name=name, sequence=0, role="assignee", kind="individual" if sep else ""
            )
        )
    return PatentRecord(
        publication_number=number,
        country=country,
        kind_code=kind,
        patent_type=patent_type,
        title=title,
        title_language=text_language(title),
        abstract=abstract,
        abstract_language=text_language(abstract),
        application_date=application_date,
        publication_date=parse_date(row.get("publication_date")),
        grant_date=grant_date,
        legal_status=legal_status_from_dates(
            granted=grant_date is not None,
            application_date=application_date,
            grant_date=grant_date,
        ),
        applicants=applicants,
        inventors=[
            InventorRecord(name=n, sequence=i)
            for i, n in enumerate(split_names(row.get("inventors", "")))
        ],
        source_line=line,
    )


def _query_result(line: int, row: dict[str, str]) -> PatentRecord:
    raw_number = row["patent_number"].strip().upper()
    if not raw_number:
        raise ValueError(_("publication number is missing"))
    grant_date = parse_date(row.get("patent_date"))
    if grant_date is None:
        raise ValueError(_("patent_date is missing"))
    prefix = raw_number.rstrip("0123456789")
    patent_type = PatentType.DESIGN if prefix == "D" else PatentType.INVENTION
    if prefix not in ("", "D"):
        patent_type = PatentType.OTHER
    kind = _us_kind(prefix, grant_date)
    number = normalize_publication_number(f"US{raw_number}{kind}")
    title = clean_prose(unquote_cell(row.get("patent_title", "")))
    if not title:
        raise ValueError(_("title is missing"))
    abstract = clean_prose(unquote_cell(row.get("patent_abstract", "")))
    if abstract == "None":  # the API client wrote Python None as text
        abstract = ""
    return PatentRecord(
        publication_number=number,
        country="US",
        kind_code=kind,
        patent_type=patent_type,
        title=title,
        title_language="en",
        abstract=abstract,
        abstract_language="en" if abstract else "",
        publication_date=grant_date,
        grant_date=grant_date,
        legal_status=legal_status_from_dates(
            granted=True, application_date=None, grant_date=grant_date
        ),
        source_line=line,
    )


def _us_kind(prefix: str, grant_date: dt.date) -> str:
    before = grant_date < _KIND_CODE_CHANGE
    kinds = {"": ("A", ""), "D": ("S", "S1"), "RE": ("E", "E1"), "H": ("H", "H1"), "PP": ("P", "")}
    old, new = kinds.get(prefix, ("", ""))
    return old if before else new
