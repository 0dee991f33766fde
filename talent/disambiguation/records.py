"""Rows (CSV or database) → ``MentionRecord``s, deriving co-inventors from the patent."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .engine import MentionRecord
from .names import clean, fold, parse_name, person_key
from .uspto_years import year_from_us_number

_MULTI_RE = re.compile(r"[;|；\n]")
_ORG_NOISE_RE = re.compile(r"\b(inc|corp|corporation|co|ltd|limited|llc|company|gmbh|ag|sa)\b")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in _MULTI_RE.split(value or "") if v.strip()]


def org_key(name: str) -> str:
    """Loose assignee key: case, punctuation and legal forms do not matter."""
    text = clean(name)
    if text.isascii():
        text = _ORG_NOISE_RE.sub(" ", fold(text))
    return re.sub(r"[\W_]+", "", text.lower())


def _ipc_parts(codes: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    subclasses, groups = set(), set()
    for code in codes:
        code = code.replace(" ", "").upper()
        if len(code) >= 4:
            subclasses.add(code[:4])
            groups.add(code.split("/", 1)[0])
    return frozenset(subclasses), frozenset(groups)


def _year(value) -> int | None:
    text = str(value or "").strip()[:4]
    return int(text) if text.isdigit() else None


def build_records(rows: Iterable[Mapping[str, str]]) -> list[MentionRecord]:
    """One record per row. Columns: mention_id, name_first, name_last and any of
    name_full, country, patent_number, assignee, co_inventors, ipc, city, year.
    Multi-valued cells (assignee, co_inventors, ipc) separate values with ``;``.
    Without a co_inventors column the other rows of the same patent are used."""
    rows = list(rows)
    keys = [
        person_key(r.get("name_first") or "", r.get("name_last") or "", r.get("name_full") or "")
        for r in rows
    ]
    by_patent: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.get("patent_number"):
            by_patent[r["patent_number"]].append(i)
    records = []
    for i, r in enumerate(rows):
        name = parse_name(
            r.get("name_first") or "", r.get("name_last") or "", r.get("name_full") or ""
        )
        if r.get("co_inventors"):
            co = frozenset(person_key(full=n) for n in _split(r["co_inventors"])) - {keys[i]}
        else:
            co = frozenset(
                keys[j] for j in by_patent.get(r.get("patent_number") or "", ()) if j != i
            )
        subclasses, groups = _ipc_parts(_split(r.get("ipc")))
        records.append(
            MentionRecord(
                id=str(r["mention_id"]),
                name=name,
                patent=r.get("patent_number") or "",
                assignees=frozenset(k for k in map(org_key, _split(r.get("assignee"))) if k),
                co_inventors=co,
                ipc_subclasses=subclasses,
                ipc_groups=groups,
                city=fold(r.get("city") or ""),
                country=(r.get("country") or "").strip().upper()[:2],
                # No date column: a US patent number still tells the grant year.
                year=_year(r.get("year")) or year_from_us_number(r.get("patent_number") or ""),
            )
        )
    return records
