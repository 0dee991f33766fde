"""Keywords of a text: Chinese words and phrases, English words, ranked by TF-IDF.

Chinese is cut with the search's segmenter (rjieba plus the patent-domain user
dictionary built from the Chinese IPC titles, ``patents.search.analysis``), so a
keyword is a word the search index also knows. Stop-words and boilerplate
(``stopwords.py``) never become keywords. Inside a run of content words a lone
character joins its neighbour (热 + 管理 → 热管理) and two adjacent content words
also form a phrase (动力电池热管理); longer terms weigh more, so a phrase match
counts above a match on a short or single-character word.

Document frequencies come from the tagging model's training corpus when it is
loaded; without it every term has the same IDF and frequency alone decides.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from functools import lru_cache

from .stopwords import STOPWORDS, is_stopword

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CJK_ONLY_RE = re.compile(r"^[\u4e00-\u9fff]+$")
# A phrase longer than this (characters) is a clause, not a term.
MAX_PHRASE_CHARS = 8

__all__ = ["STOPWORDS", "is_stopword", "keywords_extract", "phrase_runs", "tokenize"]


def _cut(text: str) -> list[str]:
    from patents.search.analysis import segmenter

    return segmenter().cut(text)


def phrase_runs(text: str) -> list[list[str]]:
    """Runs of adjacent Chinese content words, lone characters joined to a neighbour.

    Punctuation, Latin text and stop-words end a run.
    """
    runs: list[list[str]] = []
    current: list[str] = []
    for raw in _cut(text or ""):
        token = raw.strip()
        if not token or not _CJK_ONLY_RE.match(token) or is_stopword(token):
            if current:
                runs.append(current)
            current = []
            continue
        current.append(token)
    if current:
        runs.append(current)
    merged_runs = []
    for run in runs:
        merged: list[str] = []
        pending = ""
        for token in run:
            if len(token) == 1:
                pending += token
                continue
            merged.append(pending + token)
            pending = ""
        if pending:
            if merged:
                merged[-1] += pending
            elif len(pending) >= 2:
                merged.append(pending)
        merged = [t for t in merged if not is_stopword(t)]
        if merged:
            merged_runs.append(merged)
    return merged_runs


def tokenize(text: str) -> list[str]:
    """Content words of ``text``: Chinese words (lone characters joined), English words."""
    text = text or ""
    tokens: list[str] = []
    if _CJK_RE.search(text):
        for run in phrase_runs(text):
            tokens += run
    tokens += [w.lower() for w in _WORD_RE.findall(text) if w.lower() not in STOPWORDS]
    return tokens


def _phrases(text: str) -> list[tuple[str, str, str]]:
    """(phrase, left, right): two adjacent content words of a run, every occurrence."""
    out = []
    if _CJK_RE.search(text or ""):
        for run in phrase_runs(text):
            for left, right in itertools.pairwise(run):
                if len(left) + len(right) <= MAX_PHRASE_CHARS:
                    out.append((left + right, left, right))
    return out


@lru_cache(maxsize=1)
def _document_frequencies() -> tuple[dict[str, int], int]:
    from .model import load_model

    model = load_model(build_if_missing=False)
    if model is None:
        return {}, 1
    return model.document_frequencies, model.document_count


def length_weight(term: str) -> float:
    """Longer Chinese terms say more: 2 characters 1.0, 3 → 1.25, 4 → 1.5, capped at 2."""
    if term.isascii():
        return 1.0
    return min(2.0, 1.0 + 0.25 * max(0, len(term) - 2))


def keywords_extract(*, text: str, top: int = 10) -> list[tuple[str, float]]:
    """The ``top`` terms of ``text``, best first: words by TF-IDF × length, and up to a
    third of the list phrases, each ranked just above the better of its two words."""
    counts = Counter(tokenize(text))
    if not counts:
        return []
    frequencies, documents = _document_frequencies()
    scores = {
        term: (1 + math.log(count))
        * math.log((documents + 1) / (frequencies.get(term, 0) + 1))
        * length_weight(term)
        + 1e-3 * length_weight(term)
        for term, count in counts.items()
    }
    phrase_scores: dict[str, float] = {}
    for phrase, left, right in _phrases(text):
        value = 1.2 * max(scores.get(left, 0.0), scores.get(right, 0.0))
        phrase_scores[phrase] = max(phrase_scores.get(phrase, 0.0), value)
    best_phrases = sorted(phrase_scores.items(), key=lambda kv: (-kv[1], kv[0]))
    scored = list(scores.items()) + best_phrases[: max(2, top // 3)]
    scored.sort(key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return [(term, round(score, 4)) for term, score in scored[:top]]
