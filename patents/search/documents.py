"""From patents to search documents: tokens per field plus filter and facet values.

Every backend indexes the same :class:`PatentDocument`, so the query side can
rely on one token vocabulary. Filter values become *tag tokens* (``ipcg06f``,
``ctrycn``…) in the full-text index itself: a filtered query is then one index
scan that is still ordered by rank, instead of a rank-ordered scan that
discards rows failing a filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from .analysis import index_tokens

_NUMBER = re.compile(r"^([a-z]{2})?(\d{5,13})([a-z]\d?)?$")
_IPC = re.compile(r"^([A-H])(\d{2})?([A-Z])?(\d{1,4})?(?:/(\d{1,6}))?$")


def number_key(raw: str) -> str:
    """``CN 114081026 A`` / ``cn114081026a`` → ``cn114081026a`` (spaces, dots, dashes out)."""
    return re.sub(r"[\s.\-_/,]", "", raw or "").lower()


def number_tokens(publication_number: str, application_number: str = "") -> list[str]:
    """The forms a user may type: with and without country and kind code, bare serial."""
    tokens: list[str] = []
    for raw in (publication_number, application_number):
        key = number_key(raw)
        if not key:
            continue
        tokens.append(key)
        match = _NUMBER.match(key)
        if match:
            country, serial, _kind = match.groups()
            tokens.append(serial)
            if country:
                tokens.append(country + serial)
            if raw is application_number and len(serial) in (9, 13):
                # CN application numbers end in a check digit users often drop.
                tokens.append(serial[:-1])
    return ["no" + t for t in dict.fromkeys(tokens)]


@lru_cache(maxsize=100_000)
def _classification_levels(code: str) -> tuple[str, ...]:
    return tuple(classification_levels(code))


def classification_levels(code: str) -> list[str]:
    """``G06F16/30`` → ``g``, ``g06``, ``g06f``, ``g06f16``, ``g06f16s30``.

    ``G06F16/00`` is the main group itself, so it stops at ``g06f16``."""
    compact = code.replace(" ", "").upper()
    match = _IPC.match(compact)
    if not match:
        return []
    section, klass, subclass, group, subgroup = match.groups()
    levels = [section]
    if klass:
        levels.append(section + klass)
        if subclass:
            levels.append(levels[-1] + subclass)
            if group:
                levels.append(levels[-1] + str(int(group)))
                if subgroup and int(subgroup) != 0:
                    levels.append(f"{levels[-1]}s{subgroup}")
    return [level.lower() for level in levels]


def region_levels(code: str | None) -> list[str]:
    """``370102`` → ``370000``, ``370100``, ``370102``: a province filter includes its cities."""
    if not code or len(code) != 6 or not code.isdigit():
        return []
    levels = [code[:2] + "0000", code[:4] + "00", code]
    return list(dict.fromkeys(levels))


def inventor_tokens(name: str) -> list[str]:
    parts = [re.sub(r"[^0-9a-z\u3400-\u9fff]", "", p) for p in name.lower().split()]
    parts = [p for p in parts if p]
    tokens = ["inv" + p for p in parts]
    if len(parts) > 1:
        tokens.append("inv" + "".join(parts))
    return tokens


class PatentRow(NamedTuple):
    """The patent columns a document is built from, read as plain rows (no ORM
    instances: building them cost more than the analysis once that was memoised)."""

    pk: int
    publication_number: str
    application_number: str
    country: str
    patent_type: str
    legal_status: str
    title: str
    abstract: str
    main_ipc: str
    ipc_codes: list[str] | None
    main_cpc: str
    cpc_codes: list[str] | None
    publication_date: date | None


PATENT_ROW_FIELDS = PatentRow._fields


class ApplicantRow(NamedTuple):
    raw_name: str
    kind: str
    region_id: str | None


@lru_cache(maxsize=200_000)
def _inventor_tokens(name: str) -> tuple[str, ...]:
    return tuple(inventor_tokens(name))


@dataclass(slots=True)
class PatentDocument:
    patent_id: int
    publication_number: str
    publication_date: date | None
    country: str
    patent_type: str
    legal_status: str
    # Text fields: positions of token groups (first = the word, rest = its sub-words).
    title: Sequence[Sequence[str]]
    abstract: Sequence[Sequence[str]]
    applicant: Sequence[Sequence[str]]
    inventor: list[str]
    number: list[str]
    tags: list[str]
    ipc_subclasses: list[str] = field(default_factory=list)
    cpc_subclasses: list[str] = field(default_factory=list)
    applicant_kinds: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


def build_document(
    patent: PatentRow, applicants: Iterable[ApplicantRow], inventors: Iterable[str]
) -> PatentDocument:
    applicants = list(applicants)
    ipc_codes = [c for c in dict.fromkeys([patent.main_ipc, *(patent.ipc_codes or [])]) if c]
    cpc_codes = [c for c in dict.fromkeys([patent.main_cpc, *(patent.cpc_codes or [])]) if c]
    tags: list[str] = []
    ipc_sub: list[str] = []
    for code in ipc_codes:
        levels = _classification_levels(code)
        tags += ["ipc" + level for level in levels]
        if len(levels) >= 3:
            ipc_sub.append(levels[2].upper())
    cpc_sub: list[str] = []
    for code in cpc_codes:
        levels = _classification_levels(code)
        tags += ["cpc" + level for level in levels]
        if len(levels) >= 3:
            cpc_sub.append(levels[2].upper())
    kinds = [a.kind for a in applicants]
    regions: list[str] = []
    for a in applicants:
        regions += region_levels(a.region_id)
    country = (patent.country or "").lower()
    tags += ["ctry" + country] if country else []
    tags += ["type" + patent.patent_type.replace("_", ""), "ls" + patent.legal_status]
    tags += ["ak" + k for k in dict.fromkeys(kinds)]
    tags += ["rg" + r for r in dict.fromkeys(regions)]
    applicant_positions: list = []
    for a in applicants:
        applicant_positions += index_tokens(a.raw_name)
    inventor_list: list[str] = []
    for name in inventors:
        inventor_list += _inventor_tokens(name)
    return PatentDocument(
        patent_id=patent.pk,
        publication_number=patent.publication_number,
        publication_date=patent.publication_date,
        country=patent.country,
        patent_type=patent.patent_type,
        legal_status=patent.legal_status,
        title=index_tokens(patent.title or ""),
        abstract=index_tokens(patent.abstract or ""),
        applicant=applicant_positions,
        inventor=inventor_list,
        number=number_tokens(patent.publication_number, patent.application_number),
        tags=list(dict.fromkeys(tags)),
        ipc_subclasses=list(dict.fromkeys(ipc_sub)),
        cpc_subclasses=list(dict.fromkeys(cpc_sub)),
        applicant_kinds=list(dict.fromkeys(kinds)),
        regions=list(dict.fromkeys(regions)),
    )
