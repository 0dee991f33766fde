"""CN title / IPC CSVs (``cn_patents_zh``).

Two layouts are accepted, told apart by their header:
- ``publication_numbers,title_zh,ipc_subclasses,cv_fold``: examiner IPC
  subclasses per title; one row may name several publications of one
  application (``CN…A|CN…B``), and each becomes its own patent record;
- ``split,publication_number,title_zh,keywords_en,abstract_zh,cpc_labels``:
  G06F patents with abstracts and CPC subgroups.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from ...models import LegalStatus
from ...normalize import (
    cn_kind_type,
    normalize_publication_number,
    split_codes,
    split_publication_number,
)
from ..records import PatentRecord, RowError
from ..source import ImportFileError, ImportSource, csv_dict_rows, excerpt_of

DATASET = "cn_patents_zh"


def parse(source: ImportSource, options: dict[str, Any]) -> Iterator[PatentRecord | RowError]:
    for item in csv_dict_rows(source, required=("title_zh",)):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        try:
            yield from _records(line, row)
        except ValueError as exc:
            yield RowError(line, str(exc), excerpt_of(row))


def _records(line: int, row: dict[str, str]) -> list[PatentRecord]:
    if "publication_numbers" in row:
        numbers_cell, ipc_cell, cpc_cell = row["publication_numbers"], row["ipc_subclasses"], ""
        abstract = ""
    elif "publication_number" in row:
        numbers_cell, ipc_cell, cpc_cell = row["publication_number"], "", row["cpc_labels"]
        abstract = row.get("abstract_zh", "").strip()
    else:
        raise ImportFileError(_("neither publication_numbers nor publication_number is a column"))
    title = row["title_zh"].strip()
    if not title:
        raise ValueError(_("title is missing"))
    numbers = [n for n in numbers_cell.split("|") if n.strip()]
    if not numbers:
        raise ValueError(_("publication number is missing"))
    ipc = split_codes(ipc_cell)
    cpc = split_codes(cpc_cell, scheme="cpc")
    records = []
    for raw in numbers:
        number = normalize_publication_number(raw, default_country="CN")
        country, _serial, kind = split_publication_number(number)
        patent_type, granted = cn_kind_type(kind)
        # The data records no legal status: a grant publication was in force when
        # published and an application pending; sync with a legal-status feed later.
        records.append(
            PatentRecord(
                publication_number=number,
                country=country,
                kind_code=kind,
                patent_type=patent_type,
                title=title,
                title_language="zh",
                abstract=abstract,
                abstract_language="zh" if abstract else "",
                ipc_codes=ipc,
                cpc_codes=cpc,
                main_cpc=cpc[0] if cpc else "",
                legal_status=LegalStatus.GRANTED if granted else LegalStatus.PENDING,
                source_line=line,
            )
        )
    return records
