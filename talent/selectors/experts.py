"""Expert finding: rank talents by how well their patents answer a need text.

Candidate patents come from the portal's search contract (``patent_search``):
the need as a whole, then its key terms one by one (Chinese needs are split
into character bigrams, since the search may not segment words). A patent's
evidence is the sum of the weights of the queries that found it; a talent's
score adds its patents' evidence with diminishing returns (so one prolific
inventor does not drown a precise one), and a little for being high-yield.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from matching.matcher import match_text
from patents.search import SearchQueryError, patent_search

from ..models import Talent, TalentLink

SHANDONG = "37"
# The nine provinces along the Yellow River (GB/T 2260 prefixes).
YELLOW_RIVER = ("63", "51", "62", "64", "15", "61", "14", "41", "37")
REGION_FILTERS = ("shandong", "yellow_river", "overseas")

_STOP_BIGRAMS = {
    "一种",
    "方法",
    "装置",
    "系统",
    "及其",
    "用于",
    "基于",
    "以及",
    "我们",
    "需要",
    "技术",
    "进行",
    "问题",
}
_STOP_WORDS = {
    "the",
    "and",
    "for",
    "with",
    "method",
    "system",
    "apparatus",
    "device",
    "using",
    "based",
    "of",
    "a",
    "an",
    "to",
    "in",
    "on",
    "we",
    "need",
    "our",
    "that",
    "this",
    "from",
    "by",
}
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}")
MAX_TERMS = 12
HITS_PER_QUERY = 200


@dataclass
class ExpertHit:
    talent: Talent
    score: float
    patents: list = field(default_factory=list)  # (publication number, title, matched terms)
    reasons: list[str] = field(default_factory=list)


def need_terms(text: str) -> list[str]:
    """Key terms of a need: English words and Chinese bigrams, most specific first."""
    terms: dict[str, None] = {}
    for word in _WORD.findall(text):
        if word.lower() not in _STOP_WORDS:
            terms[word.lower()] = None
    for run in _CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            gram = run[i : i + 2]
            if gram not in _STOP_BIGRAMS:
                terms[gram] = None
    return sorted(terms, key=len, reverse=True)[:MAX_TERMS]


def _region_q(region: str) -> Q:
    if region == "shandong":
        return Q(region__code__startswith=SHANDONG) | Q(
            links__mention__region__code__startswith=SHANDONG
        )
    if region == "yellow_river":
        q = Q()
        for prefix in YELLOW_RIVER:
            q |= Q(region__code__startswith=prefix)
        return q
    if region == "overseas":
        return ~Q(country__in=["", "CN"])
    return Q()


def experts_find(*, text: str, region: str = "", limit: int = 20) -> list[ExpertHit]:
    """Talents whose patents answer ``text``, best first, each with reasons.

    Raises ``SearchQueryError`` (message for the user) on an unusable need text.
    """
    text = (text or "").strip()
    if len(text) < 2:
        raise SearchQueryError(_("Describe the need in a few words."))
    evidence: dict[int, float] = defaultdict(float)
    matched: dict[int, list[str]] = defaultdict(list)
    queries = [(text, 3.0)] + [(t, 1.0) for t in need_terms(text) if t != text]
    for query, weight in queries:
        try:
            results = patent_search(text=query, limit=HITS_PER_QUERY)
        except SearchQueryError:
            continue
        for hit in results.hits:
            evidence[hit.patent_id] += weight * (hit.score or 1.0)
            matched[hit.patent_id].append(query)
    return _rank_talents(evidence=evidence, matched=matched, region=region, limit=limit)


def _rank_talents(
    *,
    evidence: dict[int, float],
    matched: dict[int, list[str]],
    region: str,
    limit: int,
    patent_reasons: dict[int, list[str]] | None = None,
    need_subclasses: frozenset[str] = frozenset(),
) -> list[ExpertHit]:
    """Talents behind the patents in ``evidence`` (patent id → strength), best first."""
    if not evidence:
        return []
    links = TalentLink.objects.filter(
        mention__patent_id__in=list(evidence), talent__suppressed=False
    ).select_related("mention__patent")
    if region:
        allowed = Talent.objects.filter(_region_q(region)).values("pk")
        links = links.filter(talent_id__in=allowed)
    per_talent: dict[int, dict] = defaultdict(dict)
    for link in links:
        per_talent[link.talent_id][link.mention.patent_id] = link.mention.patent
    talents = Talent.objects.in_bulk(list(per_talent))
    hits = []
    for tid, by_id in per_talent.items():
        patents = list(by_id.values())
        scores = sorted((evidence[p.pk] for p in patents), reverse=True)
        # Diminishing returns: best patent counts fully, the k-th one 1/k.
        score = sum(s / (k + 1) for k, s in enumerate(scores))
        talent = talents[tid]
        if talent.is_high_yield:
            score *= 1.1
        best = sorted(patents, key=lambda p: -evidence[p.pk])[:3]
        terms = sorted({t for p in patents for t in matched.get(p.pk, [])}, key=len, reverse=True)[
            :6
        ]
        reasons = [_("%(n)s matching patent(s)") % {"n": len(patents)}]
        if terms:
            reasons.append(_("matched: %(terms)s") % {"terms": ", ".join(terms)})
        if patent_reasons:
            # The matcher's own reasons for this talent's best patent.
            reasons.extend(patent_reasons.get(best[0].pk, [])[:2])
        if need_subclasses:
            theirs = {
                c.replace(" ", "")[:4].upper()
                for p in patents
                for c in list(p.ipc_codes or []) + list(p.cpc_codes or [])
            }
            shared = sorted(theirs & need_subclasses)
            if shared:
                score *= 1.0 + 0.1 * len(shared)
                reasons.append(
                    _("works in the need's IPC subclass %(codes)s") % {"codes": ", ".join(shared)}
                )
        if talent.is_high_yield:
            reasons.append(_("high-yield talent"))
        hits.append(
            ExpertHit(
                talent=talent,
                score=round(math.log1p(score), 3),
                patents=[(p.publication_number, p.title, p.pk) for p in best],
                reasons=reasons,
            )
        )
    hits.sort(key=lambda h: (-h.score, -h.talent.patent_count, h.talent.pk))
    return hits[:limit]


MATCHER_DEPTH = 80


def experts_for_need(*, need, region: str = "", limit: int = 20) -> list[ExpertHit]:
    """Talents for a ``matching.TechNeed``: the talents behind the patents the portal's
    matcher finds for the need (lexical + semantic + IPC, already-pushed patents
    included), plus the need's key terms through search, best first with reasons."""
    predicted = [(c, float(s)) for c, s in (need.predicted_ipc or [])] or None
    keywords = [(k, float(w)) for k, w in (need.keywords or [])] or None
    evidence: dict[int, float] = defaultdict(float)
    matched: dict[int, list[str]] = defaultdict(list)
    patent_reasons: dict[int, list[str]] = {}
    for m in match_text(
        text=need.text,
        top=MATCHER_DEPTH,
        programme_line=need.programme_line,
        predicted=predicted,
        keywords=keywords,
        region_code=need.region_id,
    ):
        evidence[m.patent_id] += 3.0 * max(m.score, 0.01)
        patent_reasons[m.patent_id] = [str(r) for r in m.reasons]
    for term in need_terms(need.title)[:6]:
        try:
            results = patent_search(text=term, limit=HITS_PER_QUERY)
        except SearchQueryError:
            continue
        for hit in results.hits:
            evidence[hit.patent_id] += hit.score or 1.0
            matched[hit.patent_id].append(term)
    subclasses = frozenset(c.replace(" ", "")[:4].upper() for c, _s in (predicted or []) if c)
    return _rank_talents(
        evidence=evidence,
        matched=matched,
        region=region,
        limit=limit,
        patent_reasons=patent_reasons,
        need_subclasses=subclasses,
    )
