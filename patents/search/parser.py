"""User query text and filters → a backend-neutral :class:`ParsedQuery`.

Syntax (documented on the search page):
    words            every word must match (title, abstract or applicant)
    "exact phrase"   words adjacent and in order (straight or Chinese quotes)
    field:word       title: abstract: applicant: inventor: number: (or 标题: 摘要:
                     申请人: 发明人: 号码:); field:"a phrase" works too
    -word            exclude
Anything else is text: operator characters are dropped by tokenisation and every
token is quoted by the backends, so no input reaches an engine as syntax.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import LegalStatus, Organization, PatentType, Region
from .analysis import is_cjk, query_tokens, segmenter
from .documents import _NUMBER, classification_levels, inventor_tokens, number_key
from .types import MAX_CLAUSES, MAX_QUERY_LENGTH, SearchQueryError

FIELD_ALIASES = {
    "title": "title",
    "ti": "title",
    "标题": "title",
    "名称": "title",
    "abstract": "abstract",
    "ab": "abstract",
    "摘要": "abstract",
    "applicant": "applicant",
    "pa": "applicant",
    "申请人": "applicant",
    "inventor": "inventor",
    "in": "inventor",
    "发明人": "inventor",
    "number": "number",
    "pn": "number",
    "an": "number",
    "号码": "number",
    "公开号": "number",
    "申请号": "number",
}
FILTER_KEYS = (
    "ipc",
    "cpc",
    "country",
    "patent_type",
    "legal_status",
    "applicant_kind",
    "region",
    "date_from",
    "date_to",
)

_TERM = re.compile(r'(-?)(?:([^\s:"]+):)?(?:"([^"]*)"?|(\S+))')
_LOOKS_LIKE_NUMBER = re.compile(r"^(?:[a-z]{2}\d{6,13}[a-z]?\d?|\d{8,13})$")


@dataclass(slots=True)
class Clause:
    """One condition on the text: ``field`` None means title, abstract or applicant."""

    field: str | None
    # Alternatives of token sequences: any one must match. A sequence is a phrase
    # when ``phrase`` else a conjunction.
    alternatives: list[list[str]]
    phrase: bool = False
    negate: bool = False
    # The words as the user typed them, for engines that analyse text themselves.
    raw: str = ""


@dataclass(slots=True)
class ParsedQuery:
    clauses: list[Clause]
    # Each group is OR-ed tag tokens; groups are AND-ed.
    tag_groups: list[list[str]] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # The region filter a facet drills down from ("370000" → its cities).
    region_parent: str | None = None
    # Every token a hit may be highlighted on.
    highlight_tokens: set[str] = field(default_factory=set)


def _alternatives(tokens: list[str]) -> list[list[str]]:
    """A Chinese compound the query segments as one word also matches as its parts,
    as the document side may have segmented it differently."""
    alternatives = [tokens]
    if len(tokens) == 1 and len(tokens[0]) > 2 and is_cjk(tokens[0]):
        parts = [p for p in segmenter().cut_for_search(tokens[0]) if len(p) > 1 and p != tokens[0]]
        if parts:
            alternatives.append(list(dict.fromkeys(parts)))
    return alternatives


def _number_token(raw: str) -> str:
    key = number_key(raw)
    match = _NUMBER.match(key)
    if not match:
        raise SearchQueryError(
            _(
                "“%(value)s” is not a valid patent number. Use a publication or application "
                "number such as CN114081026A or 114081026."
            )
            % {"value": raw}
        )
    country, serial, kind = match.groups()
    if country and kind:
        return "no" + key
    if country:
        return "no" + country + serial
    return "no" + serial


_SPACED_NUMBER = re.compile(r"(?i)(?<![\w:])([a-z]{2})\s+(\d{6,13})(?:\s+([a-z]\d?))?(?!\w)")


def _parse_text(text: str) -> tuple[list[Clause], set[str]]:
    text = text.replace("“", '"').replace("”", '"').replace("：", ":").replace("＂", '"')
    # "CN 114081026 A" is one number, not three words.
    text = _SPACED_NUMBER.sub(lambda m: "".join(g for g in m.groups() if g), text)
    clauses: list[Clause] = []
    highlight: set[str] = set()
    for match in _TERM.finditer(text):
        minus, field_name, quoted, bare = match.groups()
        negate = bool(minus)
        value = quoted if quoted is not None else (bare or "")
        field_key = None
        if field_name:
            field_key = FIELD_ALIASES.get(field_name.lower())
            if field_key is None:
                # "http://…" or "a:b" is text, not a field.
                value = f"{field_name}:{value}"
        phrase = quoted is not None
        if field_key == "number":
            if not value.strip():
                raise SearchQueryError(_("Enter a patent number after “number:”."))
            clauses.append(Clause("number", [[_number_token(value)]], negate=negate, raw=value))
            continue
        if field_key == "inventor":
            # Each name part must match; the joined form is for display order only.
            tokens = inventor_tokens(value)
            tokens = tokens[:-1] if len(tokens) > 1 else tokens
            if tokens:
                clauses.append(Clause("inventor", [tokens], negate=negate, raw=value))
            continue
        if field_key is None and not phrase and _LOOKS_LIKE_NUMBER.match(number_key(value)):
            clauses.append(Clause("number", [[_number_token(value)]], negate=negate, raw=value))
            continue
        tokens = query_tokens(value)
        if not tokens:
            continue
        if not negate:
            highlight.update(tokens)
        if phrase and len(tokens) > 1:
            clauses.append(Clause(field_key, [tokens], phrase=True, negate=negate, raw=value))
        else:
            for token in tokens:
                alternatives = _alternatives([token])
                if not negate:
                    for alt in alternatives:
                        highlight.update(alt)
                clauses.append(Clause(field_key, alternatives, negate=negate, raw=token))
    return clauses, highlight


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _date(key: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SearchQueryError(
            _("“%(value)s” is not a date; use the form 2024-01-31.") % {"value": value}
        ) from None


def _unknown(label: str, value: str) -> SearchQueryError:
    return SearchQueryError(
        _("Unknown value for %(label)s: “%(value)s”.") % {"label": label, "value": value}
    )


def _parse_filters(filters: dict[str, Any], parsed: ParsedQuery) -> None:
    for key, raw in filters.items():
        if key not in FILTER_KEYS:
            raise SearchQueryError(_("Unknown filter: “%(key)s”.") % {"key": key})
        if key in ("date_from", "date_to"):
            setattr(parsed, key, _date(key, raw))
            continue
        values = _as_list(raw)
        if not values:
            continue
        group: list[str] = []
        for value in values:
            if key in ("ipc", "cpc"):
                levels = classification_levels(value)
                if not levels or (key == "ipc" and value.strip()[:1].upper() == "Y"):
                    raise SearchQueryError(
                        _("“%(value)s” is not a valid %(scheme)s code (e.g. G06F or G06F16/30).")
                        % {"value": value, "scheme": key.upper()}
                    )
                group.append(key + levels[-1])
            elif key == "country":
                if not re.fullmatch(r"[A-Za-z]{2}", value):
                    raise _unknown(_("country"), value)
                group.append("ctry" + value.lower())
            elif key == "patent_type":
                if value not in PatentType.values:
                    raise _unknown(_("patent type"), value)
                group.append("type" + value.replace("_", ""))
            elif key == "legal_status":
                if value not in LegalStatus.values:
                    raise _unknown(_("legal status"), value)
                group.append("ls" + value)
            elif key == "applicant_kind":
                if value not in Organization.Kind.values:
                    raise _unknown(_("applicant kind"), value)
                group.append("ak" + value)
            elif key == "region":
                if (
                    not re.fullmatch(r"\d{6}", value)
                    or not Region.objects.filter(pk=value).exists()
                ):
                    raise _unknown(_("region"), value)
                group.append("rg" + value)
                parsed.region_parent = value if len(values) == 1 else None
        parsed.tag_groups.append(group)
    if parsed.date_from and parsed.date_to and parsed.date_from > parsed.date_to:
        raise SearchQueryError(_("The start date is after the end date."))


def parse_query(text: str | None, filters: dict[str, Any] | None) -> ParsedQuery:
    text = (text or "").strip()
    if not text:
        raise SearchQueryError(_("Enter something to search for."))
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            _("The query is too long (at most %(max)d characters).") % {"max": MAX_QUERY_LENGTH}
        )
    clauses, highlight = _parse_text(text)
    if len(clauses) > MAX_CLAUSES:
        raise SearchQueryError(
            _("The query has too many words (at most %(max)d).") % {"max": MAX_CLAUSES}
        )
    if not any(not c.negate for c in clauses):
        raise SearchQueryError(
            _("The query has no word to search for; operators alone cannot be searched.")
        )
    parsed = ParsedQuery(clauses=clauses, highlight_tokens=highlight)
    if filters:
        if not isinstance(filters, dict):
            raise SearchQueryError(_("Filters must be given as names and values."))
        _parse_filters(filters, parsed)
    return parsed
