"""Need → patents and patent → needs, on the database.

First stage: lexical retrieval through ``patents.search.patent_search`` (the
portal's one search service; ranked full text in production) plus the nearest
patent vectors. Second stage: the signals of ``scoring`` weighted per
programme line (``MatchWeights``, staff-tunable), each with a reason a person
can read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from patents.models import LegalStatus, Organization, Patent, PatentApplicant
from patents.search import SearchQueryError, patent_search
from patents.tagging import group_predict, ipc_predict, is_stopword, keywords_extract

from ..embeddings import VectorIndex, bytes_to_vector, embed_texts
from ..models import MatchWeights, PatentSignal, TechNeed, signal_rows
from . import scoring

LEXICAL_DEPTH = 60
SEMANTIC_DEPTH = 100
# Candidates drawn from each of the need's two most likely classes (see scoring).
CLASS_DEPTH = 40
CLASS_FANOUT = 2
# Chinese needs: words tried in turn inside a predicted class until one hits.
CLASS_QUERY_TRIES = 2


@dataclass(slots=True)
class Match:
    patent_id: int
    publication_number: str
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)
    # Terms of the need found in the patent (stop-words never), for tests and feedback.
    shared_terms: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        """``high`` / ``medium`` / ``low`` (``scoring.score_level``)."""
        return scoring.score_level(self.score)

    @property
    def level_display(self) -> str:
        return scoring.level_display(self.level)

    @property
    def signal_rows(self) -> list[tuple[str, float]]:
        return signal_rows(self.signals)


@dataclass(slots=True)
class NeedMatch:
    need_id: int
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)


def weights_for(programme_line: str | None) -> dict[str, float]:
    weights = dict(scoring.DEFAULT_WEIGHTS)
    row = (
        MatchWeights.objects.filter(programme_line=programme_line).first()
        if programme_line
        else None
    )
    if row is not None:
        for name in (
            "lexical",
            "semantic",
            "ipc",
            "holder",
            "region",
            "legal_status",
            "availability",
        ):
            weights[name] = getattr(row, name)
        weights["consensus"] = row.consensus
    return weights


def _term_query(term: str) -> str:
    """A Chinese term is searched as a phrase (its words adjacent and in order)."""
    return f'"{term}"' if not term.isascii() else term


def content_keywords(keywords: list[tuple[str, float]] | None) -> list[tuple[str, float]] | None:
    """Stored keywords without stop-words (needs tagged before the stop list grew)."""
    if keywords is None:
        return None
    return [(k, w) for k, w in keywords if not is_stopword(k)]


def _lexical(keywords: list[tuple[str, float]], text: str) -> dict[int, float]:
    """Scores from the search service: the whole query, then each top keyword.

    Keywords carry their weight (phrases above words, ``keywords_extract``); a
    text with no content keyword at all draws no lexical candidate rather than
    searching its stop-words."""
    scores: dict[int, float] = {}
    queries: list[tuple[str, float]] = []
    if not keywords:
        return {}
    queries.append((" ".join(_term_query(k) for k, _w in keywords[:8]), 1.0))
    top_weight = keywords[0][1] or 1.0
    # Chinese keywords come as phrases and their words: every stored keyword alone.
    singles = 6 if all(k.isascii() for k, _w in keywords[:8]) else 10
    queries += [(_term_query(k), 0.6 * w / top_weight) for k, w in keywords[:singles]]
    for query, weight in queries:
        try:
            results = patent_search(text=query, limit=LEXICAL_DEPTH, highlights=False)
        except SearchQueryError:
            continue
        if not results.hits:
            continue
        best = max(h.score for h in results.hits) or 1.0
        for rank, hit in enumerate(results.hits):
            # Rank discount too: the interim backend scores every hit 1.0.
            value = weight * (hit.score / best) / (1 + rank) ** 0.3
            scores[hit.patent_id] = scores.get(hit.patent_id, 0.0) + value
    return scoring.normalise(scores)


def _class_candidates(
    keywords: list[tuple[str, float]], text: str, classes: list[str]
) -> dict[int, float]:
    """Best lexical hits inside each predicted class (``cpc``/``ipc`` filter of the search)."""
    if not keywords:
        return {}
    if all(k.isascii() for k, _w in keywords[:8]):
        queries = [" ".join(k for k, _w in keywords[:8])]
    else:
        # Chinese: the best short words, one at a time (every word of a query must
        # match); the next one only when the class has no hit for the first.
        words = [k for k, _w in keywords if len(k) <= 4] or [keywords[0][0]]
        queries = [_term_query(w) for w in words[:CLASS_QUERY_TRIES]]
    scores: dict[int, float] = {}
    for code in classes[:CLASS_FANOUT]:
        scheme = "ipc" if len(code) == 4 else "cpc"
        for query in queries:
            try:
                results = patent_search(
                    text=query, filters={scheme: code}, limit=CLASS_DEPTH, highlights=False
                )
            except SearchQueryError:
                continue
            best = max((h.score for h in results.hits), default=0.0) or 1.0
            for rank, hit in enumerate(results.hits):
                value = (hit.score / best) / (1 + rank) ** 0.3
                scores[hit.patent_id] = max(scores.get(hit.patent_id, 0.0), value)
            if results.hits:
                break
    return scores


def _availability(patent_ids: list[int]) -> dict[int, str]:
    """Open-licence / listing availability from pluggable providers.

    ``settings.MATCHING_AVAILABILITY_PROVIDERS`` lists dotted paths of
    callables ``(patent_ids) -> {patent_id: label}``: openlicense and trading
    sit above matching, which may not import them.
    """
    found: dict[int, str] = {}
    for path in getattr(settings, "MATCHING_AVAILABILITY_PROVIDERS", []):
        provider: Callable[[list[int]], dict[int, str]] = import_string(path)
        for pk, label in provider(patent_ids).items():
            found.setdefault(pk, label)
    return found


def _holder_score(kinds: set[str]) -> float:
    if kinds & {Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE}:
        return 1.0  # the programme's aim: move university and institute patents into industry
    if Organization.Kind.ENTERPRISE in kinds:
        return 0.6
    return 0.3 if kinds else 0.0


def _region_score(need_region: str | None, holder_regions: set[str]) -> float:
    if not need_region or not holder_regions:
        return 0.0
    if any(r[:4] == need_region[:4] for r in holder_regions):
        return 1.0
    if any(r[:2] == need_region[:2] for r in holder_regions):
        return 0.6
    return 0.0


_LEGAL = {LegalStatus.GRANTED: 1.0, LegalStatus.PENDING: 0.5, LegalStatus.UNKNOWN: 0.3}


def match_text(
    *,
    text: str,
    top: int = 20,
    programme_line: str | None = None,
    predicted: list[tuple[str, float]] | None = None,
    keywords: list[tuple[str, float]] | None = None,
    query_vector: np.ndarray | None = None,
    region_code: str | None = None,
    exclude_patent_ids: Iterable[int] = (),
    groups: list[tuple[str, float]] | None = None,
    semantic_hits: list[tuple[int, float]] | None = None,
) -> list[Match]:
    """Rank patents for one need text. Every input the need's tagging or a batch
    has already computed (keywords, classes, vector, semantic hits) is taken as
    given instead of being computed again."""
    text = (text or "").strip()
    if not text:
        return []
    keywords = content_keywords(keywords)
    keywords = keywords if keywords is not None else keywords_extract(text=text, top=12)
    predicted = predicted if predicted is not None else ipc_predict(texts=[text], top=5)[0]
    groups = groups if groups is not None else group_predict(texts=[text], top=5)[0]
    lexical = _lexical(keywords, text)
    # Class-drawn candidates enter with a lexical score below the direct hits'.
    class_codes = [c for c, _p in groups] or [c for c, _p in predicted]
    for pk, value in _class_candidates(keywords, text, class_codes).items():
        lexical.setdefault(pk, 0.5 * value * min(lexical.values(), default=1.0))
    if query_vector is None:
        vectors = embed_texts([text], query=True)
        query_vector = vectors[0] if vectors is not None else None
    semantic_raw: dict[int, float] = {}
    if query_vector is not None:
        if semantic_hits is None:
            semantic_hits = VectorIndex.search(query_vector, limit=SEMANTIC_DEPTH)
        semantic_raw = dict(semantic_hits)
        missing = [pk for pk in lexical if pk not in semantic_raw]
        semantic_raw.update(VectorIndex.similarities(query_vector, missing))
    excluded = set(exclude_patent_ids)
    candidates = [pk for pk in {**lexical, **semantic_raw} if pk not in excluded]
    if not candidates:
        return []
    semantic = scoring.rescale_cosine(
        {pk: semantic_raw[pk] for pk in candidates if pk in semantic_raw}
    )

    patents = {
        p.pk: p
        for p in Patent.objects.filter(pk__in=candidates).only(
            "pk",
            "publication_number",
            "title",
            "abstract",
            "ipc_codes",
            "cpc_codes",
            "main_ipc",
            "main_cpc",
            "legal_status",
        )
    }
    predicted_codes = dict(
        PatentSignal.objects.filter(patent_id__in=candidates)
        .exclude(predicted_ipc=[])
        .values_list("patent_id", "predicted_ipc")
    )
    codes = {
        pk: list(p.ipc_codes or []) + list(p.cpc_codes or [])
        or [c for c, _s in predicted_codes.get(pk, [])]
        for pk, p in patents.items()
    }
    # The holders through the link table, in sequence order: one query, without
    # reading the candidates' patent rows a second time.
    holders: dict[int, list[Organization]] = {}
    for link in (
        PatentApplicant.objects.filter(patent_id__in=candidates)
        .select_related("organization")
        .only("patent_id", "organization__name", "organization__kind", "organization__region_id")
        .order_by("patent_id", "sequence")
    ):
        holders.setdefault(link.patent_id, []).append(link.organization)
    available = _availability(candidates)

    first_stage = {pk: 0.5 * lexical.get(pk, 0.0) + 0.5 * semantic.get(pk, 0.0) for pk in patents}
    main_codes = {
        pk: p.main_cpc or p.main_ipc or (codes[pk][0] if codes[pk] else "")
        for pk, p in patents.items()
    }
    votes = scoring.class_consensus(first_stage, main_codes)
    signals: dict[int, dict[str, float]] = {}
    for pk in patents:
        orgs = holders.get(pk, [])
        signals[pk] = {
            "lexical": lexical.get(pk, 0.0),
            "semantic": semantic.get(pk, 0.0),
            "ipc": scoring.class_agreement(
                main_code=main_codes[pk], codes=codes[pk], groups=groups, subclasses=predicted
            ),
            "consensus": scoring.consensus_score(main_codes[pk], votes),
            "holder": _holder_score({o.kind for o in orgs}),
            "region": _region_score(region_code, {o.region_id for o in orgs if o.region_id}),
            "legal_status": _LEGAL.get(patents[pk].legal_status, 0.0),
            "availability": 1.0 if pk in available else 0.0,
        }
    weights = weights_for(programme_line)
    ranked = scoring.combine(signals, weights)[:top]
    results = []
    for pk, score in ranked:
        patent = patents[pk]
        shared = shared_terms(keywords, f"{patent.title} {patent.abstract}")
        results.append(
            Match(
                patent_id=pk,
                publication_number=patent.publication_number,
                title=patent.title,
                score=round(score, 4),
                reasons=_reasons(
                    patent=patent,
                    shared=shared,
                    codes=codes[pk],
                    predicted=predicted,
                    signal=signals[pk],
                    semantic_raw=semantic_raw.get(pk),
                    holders=holders.get(pk, []),
                    availability=available.get(pk),
                ),
                signals={k: round(v, 4) for k, v in signals[pk].items()},
                shared_terms=shared,
            )
        )
    return results


def shared_terms(keywords: list[tuple[str, float]], text: str, *, limit: int = 4) -> list[str]:
    """The need's content terms found in ``text``, longest first, none inside another.

    Stop-words never count (``is_stopword``): a match is never explained by 专利 or 下降.
    """
    haystack = (text or "").lower()
    found = [k for k, _w in keywords if not is_stopword(k) and k.lower() in haystack]
    found.sort(key=lambda k: -len(k))
    kept: list[str] = []
    for term in found:
        if not any(term.lower() in other.lower() for other in kept):
            kept.append(term)
    return kept[:limit]


def _format_code(code: str) -> str:
    """``H01M10/613`` → ``H01M 10/613`` (the way examiners write it)."""
    code = code.replace(" ", "")
    return f"{code[:4]} {code[4:]}" if len(code) > 4 else code


def _reasons(
    *, patent, shared, codes, predicted, signal, semantic_raw, holders, availability
) -> list[str]:
    """Sentences a member of staff can check against the need and the patent."""
    reasons = []
    if shared:
        reasons.append(_("Need and patent both concern %(terms)s") % {"terms": "、".join(shared)})
    predicted_codes = [code for code, _s in predicted]
    main = patent.main_cpc or patent.main_ipc or (codes[0] if codes else "")
    in_class = [c for c in ([main] if main else []) + list(codes) if c[:4] in predicted_codes]
    if in_class:
        reasons.append(
            _("The patent's IPC %(code)s is in a class predicted for the need (%(subclass)s)")
            % {"code": _format_code(in_class[0]), "subclass": in_class[0][:4]}
        )
    if signal["consensus"] >= 0.5:
        reasons.append(_("In the technology group most similar patents share"))
    if semantic_raw is not None and signal["semantic"] >= 0.5:
        reasons.append(
            _("The texts are close in meaning (cosine %(value).2f)") % {"value": semantic_raw}
        )
    if holders:
        kinds = sorted({o.get_kind_display() for o in holders})
        reasons.append(_("Holder: %(kinds)s") % {"kinds": "、".join(str(k) for k in kinds)})
    if signal["region"] >= 1.0:
        reasons.append(_("Holder in the same city"))
    elif signal["region"] > 0:
        reasons.append(_("Holder in the same province"))
    reasons.append(_("Legal status: %(status)s") % {"status": patent.get_legal_status_display()})
    if availability:
        reasons.append(str(availability))
    return reasons


def match_texts(
    *, texts: list[str], top: int = 20, programme_line: str | None = None
) -> list[list[Match]]:
    """``match_text`` for a batch of needs: the models run once per batch (IPC and
    class prediction, the e5 encoder) and the semantic stage is one matrix product
    for all of them; the lexical searches and the scoring stay per need."""
    texts = [(t or "").strip() for t in texts]
    live = [i for i, t in enumerate(texts) if t]
    results: list[list[Match]] = [[] for _ in texts]
    if not live:
        return results
    batch = [texts[i] for i in live]
    predicted = ipc_predict(texts=batch, top=5)
    groups = group_predict(texts=batch, top=5)
    vectors = embed_texts(batch, query=True)
    hits = (
        VectorIndex.search_many(vectors, limit=SEMANTIC_DEPTH)
        if vectors is not None
        else [None] * len(batch)
    )
    for n, i in enumerate(live):
        results[i] = match_text(
            text=batch[n],
            top=top,
            programme_line=programme_line,
            predicted=predicted[n],
            groups=groups[n],
            query_vector=vectors[n] if vectors is not None else None,
            semantic_hits=hits[n],
        )
    return results


def match_need(*, need: TechNeed, top: int = 20) -> list[Match]:
    predicted = [(c, float(s)) for c, s in need.predicted_ipc] or None
    keywords = [(k, float(w)) for k, w in need.keywords] or None
    vector = bytes_to_vector(need.embedding)
    already = need.pushes.values_list("items__patent_id", flat=True)
    return match_text(
        text=need.text,
        top=top,
        programme_line=need.programme_line,
        predicted=predicted,
        keywords=keywords,
        query_vector=vector,
        region_code=need.region_id,
        exclude_patent_ids=[pk for pk in already if pk],
    )


def patent_needs(*, patent: Patent, top: int = 10) -> list[NeedMatch]:
    """The published needs a patent answers (reverse direction)."""
    needs = list(TechNeed.objects.filter(status=TechNeed.Status.PUBLISHED))
    if not needs:
        return []
    text = f"{patent.title}\n{patent.abstract}"
    keywords = {k for k, _w in keywords_extract(text=text, top=15)}
    codes = list(patent.ipc_codes or []) + list(patent.cpc_codes or [])
    signal = PatentSignal.objects.filter(patent=patent).first()
    vector = bytes_to_vector(signal.embedding) if signal else None
    if vector is None:
        vectors = embed_texts([text])
        vector = vectors[0] if vectors is not None else None
    if not codes and signal:
        codes = [c for c, _s in signal.predicted_ipc]
    results = []
    for need in needs:
        need_keywords = {k for k, _w in need.keywords if not is_stopword(k)}
        shared = sorted(keywords & need_keywords, key=lambda k: (-len(k), k))
        lexical = len(shared) / max(1, min(len(keywords), len(need_keywords)))
        ipc = scoring.ipc_agreement(codes, [(c, float(s)) for c, s in need.predicted_ipc])
        need_vector = bytes_to_vector(need.embedding)
        semantic = (
            float(need_vector @ vector) if need_vector is not None and vector is not None else 0.0
        )
        score = 0.4 * lexical + 0.3 * ipc + 0.3 * max(0.0, (semantic - 0.7) / 0.3)
        reasons = []
        if shared:
            reasons.append(
                _("Need and patent both concern %(terms)s") % {"terms": "、".join(shared[:5])}
            )
        if ipc > 0:
            reasons.append(_("Need's predicted IPC matches the patent's"))
        if semantic:
            reasons.append(
                _("The texts are close in meaning (cosine %(value).2f)") % {"value": semantic}
            )
        results.append(
            NeedMatch(need_id=need.pk, title=need.title, score=round(score, 4), reasons=reasons)
        )
    results.sort(key=lambda m: -m.score)
    return [m for m in results[:top] if m.score > 0]
