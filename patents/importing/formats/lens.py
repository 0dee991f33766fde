"""Lens.org CSV exports (``multi_jurisdiction_lens_covid``).

One row per publication, any jurisdiction. Quirks handled here:
- ``publication_key`` is ``US_2019_0336526_A1``; WIPO corrections carry the
  republication date as a fifth part (``WO_2006_088493_A8_20070809``), which is
  dropped, so a correction updates the record it corrects;
- ``applicants`` lists inventors too when they applied in person (US practice
  before 2012): an applicant whose name is also an inventor's is an individual;
- no abstracts and no main classification: the first CPC code Lens lists is
  the inventive one; IPCR codes come sorted, so no main IPC is claimed;
- CN applicants and inventors are romanised by Lens (``INST BASIC MED SCIENCES PLA``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from ...models import Organization, PatentType
from ...normalize import (
    clean_prose,
    cn_kind_type,
    legal_status_from_dates,
    normalize_application_number,
    normalize_publication_number,
    parse_date,
    split_codes,
    split_publication_number,
)
from ..records import ApplicantRecord, InventorRecord, PatentRecord, RowError
from ..source import ImportSource, csv_dict_rows, excerpt_of

DATASET = "lens"

REQUIRED = ("publication_key", "jurisdiction", "kind_code", "title", "publication_date")
_REPUBLICATION_DATE = re.compile(r"_\d{8}$")
_GRANT_TYPES = {"Granted Patent", "Amended Patent", "Limited Patent"}


def parse(source: ImportSource, options: dict[str, Any]) -> Iterator[PatentRecord | RowError]:
    for item in csv_dict_rows(source, required=REQUIRED):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        try:
            yield _record(line, row)
        except ValueError as exc:
            yield RowError(line, str(exc), excerpt_of(row))


def _record(line: int, row: dict[str, str]) -> PatentRecord:
    key = _REPUBLICATION_DATE.sub("", row["publication_key"].strip())
    if not key:
        raise ValueError(_("publication number is missing"))
    number = normalize_publication_number(key.replace("_", ""))
    country, _serial, kind = split_publication_number(number)
    title = clean_prose(row["title"])
    if not title:
        raise ValueError(_("title is missing"))
    doc_type = row.get("doc_type", "").strip()
    granted = doc_type in _GRANT_TYPES
    if country == "CN":
        patent_type, granted = cn_kind_type(kind)
    elif kind.startswith("S"):
        patent_type = PatentType.DESIGN
    else:
        patent_type = PatentType.INVENTION
    application_date = parse_date(row.get("filing_date"))
    publication_date = parse_date(row["publication_date"])
    ipc = split_codes(row.get("ipcr", ""))
    cpc = split_codes(row.get("cpc", ""), scheme="cpc")

    inventors = [clean_prose(n) for n in row.get("inventors", "").split("|") if n.strip()]
    inventor_keys = {n.upper() for n in inventors}
    applicants = []
    for name in (clean_prose(n) for n in row.get("applicants", "").split("|")):
        if not name:
            continue
        applicants.append(
            ApplicantRecord(
                name=name,
                sequence=len(applicants),
                kind=Organization.Kind.INDIVIDUAL if name.upper() in inventor_keys else "",
                country=country if country not in ("WO", "EP") else "",
            )
        )
    return PatentRecord(
        publication_number=number,
        country=country,
        kind_code=kind,
        patent_type=patent_type,
        application_number=normalize_application_number(
            row.get("filing_number", ""), country=_filing_country(row.get("filing_number", ""))
        ),
        title=title,
        title_language="en",
        ipc_codes=ipc,
        cpc_codes=cpc,
        main_cpc=cpc[0] if cpc else "",
        application_date=application_date,
        publication_date=publication_date,
        grant_date=publication_date if granted else None,
        legal_status=legal_status_from_dates(
            granted=granted, application_date=application_date, grant_date=publication_date
        ),
        legal_status_raw=doc_type,
        family_size=_int(row.get("family_size", "")),
        cited_by_count=_int(row.get("cited_by_patent_count", "")),
        applicants=applicants,
        inventors=[InventorRecord(name=n, sequence=i) for i, n in enumerate(inventors)],
        source_line=line,
    )


def _filing_country(filing_number: str) -> str:
    head = filing_number.strip()[:2].upper()
    return head if head.isalpha() else ""


def _int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(_("not a whole number: %(value)r") % {"value": text[:20]}) from None
    # Counts: negative, infinite or beyond the column's range is a bad cell, not
    # a database error that aborts the file (found by tests/security fuzzing).
    if not (0 <= number < 2**31) or not number.is_integer():
        raise ValueError(_("not a whole number: %(value)r") % {"value": text[:20]})
    return int(number)
