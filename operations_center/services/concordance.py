"""The 2021 strategic-emerging-industry ↔ IPC concordance (data/ipc_strategic_industry)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

CONCORDANCE_FILE = (
    Path(settings.BASE_DIR) / "data" / "ipc_strategic_industry" / "ipc_sei_mapping_1_2_5.csv"
)
INDUSTRIES_FILE = Path(settings.BASE_DIR) / "data" / "ipc_strategic_industry" / "sei_industries.csv"


@dataclass(frozen=True, slots=True)
class ConcordanceCodes:
    unrestricted: tuple[str, ...]
    # Partial mappings: they count only with the node's keyword expression.
    restricted: tuple[str, ...]


@cache
def _rows() -> tuple[tuple[str, str, bool], ...]:
    with CONCORDANCE_FILE.open(encoding="utf-8") as handle:
        return tuple(
            (row["industry_code"], row["ipc_code"], row["keyword_restricted"] == "true")
            for row in csv.DictReader(handle)
        )


@cache
def sei_industry_names() -> dict[str, str]:
    with INDUSTRIES_FILE.open(encoding="utf-8") as handle:
        return {row["industry_code"]: row["industry_name"] for row in csv.DictReader(handle)}


def concordance_codes(*, industry_codes: list[str]) -> ConcordanceCodes:
    wanted = set(industry_codes)
    free: set[str] = set()
    restricted: set[str] = set()
    for industry, code, is_restricted in _rows():
        if industry in wanted or industry.split(".")[0] in wanted:
            (restricted if is_restricted else free).add(code)
    return ConcordanceCodes(tuple(sorted(free)), tuple(sorted(restricted - free)))


def code_pattern(code: str) -> tuple[str, str]:
    """How a defined code matches classification codes: ("prefix"|"exact", value).

    A section, class, subclass or main group (``/00``) covers everything beneath
    it; a subgroup matches itself (the concordance lists subgroups one by one).
    """
    code = code.replace(" ", "").upper()
    if "/" not in code:
        return "prefix", code
    group, sub = code.split("/", 1)
    if sub in ("", "00"):
        return "prefix", group + "/"
    return "exact", code
