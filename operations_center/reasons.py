"""Why a patent is tagged to a chain node, as a sentence staff can check.

Tags store their reason in a compact form written by the tagging run
(``IPC H01M10/44``, ``SEI 5.1.1 IPC (+keyword) H01M``, ``keyword 充电桩|充电站``,
``predicted IPC B60L (0.90)``); this turns it into a sentence in the reader's
language, naming the node and, for keywords, the terms the patent really contains.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_CODE_RE = re.compile(r"^(IPC|CPC) (\S+)$")
_SEI_RE = re.compile(r"^SEI (\S+) IPC (\(\+keyword\) )?(\S+)$")
_PREDICTED_RE = re.compile(r"^predicted IPC (\S+) \(([\d.]+)\)$")
_STAFF_DEFAULT = "added by staff"


def confidence_level(score: float) -> str:
    """高 / 中 / 低 for a model's probability."""
    if score >= 0.7:
        return _("high")
    if score >= 0.5:
        return _("medium")
    return _("low")


def matched_terms(expressions: str, text: str, limit: int = 5) -> list[str]:
    """The positive keyword terms of ``a|b&c / d`` that occur in ``text``."""
    haystack = text.lower()
    terms: list[str] = []
    for expression in expressions.split(" / "):
        for clause in expression.split("|"):
            for part in clause.split("&"):
                term = part.strip()
                positive = term and not term.startswith("-")
                if positive and term.lower() in haystack and term not in terms:
                    terms.append(term)
    return terms[:limit]


def tag_reason_sentence(*, reason: str, node: str, text: str = "") -> str:
    """The stored ``reason`` of a tag to ``node`` as a sentence; ``text`` is the
    patent's title and abstract (to name the keywords it contains)."""
    reason = (reason or "").strip()
    if match := _CODE_RE.match(reason):
        scheme, code = match.groups()
        return _("%(scheme)s %(code)s lies within the classification range of node %(node)s") % {
            "scheme": scheme,
            "code": code,
            "node": node,
        }
    if match := _SEI_RE.match(reason):
        industries, keyword, code = match.groups()
        sentence = _(
            "IPC %(code)s is mapped to strategic emerging industry %(industry)s, "
            "which node %(node)s covers"
        ) % {"code": code, "industry": industries, "node": node}
        if keyword:
            sentence += _(", and the title or abstract contains the node's keywords")
        return sentence
    if match := _PREDICTED_RE.match(reason):
        code, score = match.group(1), float(match.group(2))
        return _(
            "The patent has no classification; the model predicts IPC subclass %(code)s "
            "from its title and abstract (confidence %(level)s, %(score).2f), "
            "within the range of node %(node)s"
        ) % {"code": code, "level": confidence_level(score), "score": score, "node": node}
    if reason.startswith("keyword "):
        expressions = reason[len("keyword ") :]
        terms = matched_terms(expressions, text) if text else []
        if terms:
            return _("The title or abstract contains %(terms)s, keywords of node %(node)s") % {
                "terms": "、".join(f"“{t}”" for t in terms),
                "node": node,
            }
        return _("The title or abstract matches the keywords of node %(node)s") % {"node": node}
    if reason == _STAFF_DEFAULT:
        return _("Added by staff")
    return reason
