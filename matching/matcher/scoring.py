"""The matcher's arithmetic, free of Django so that the benchmark runs the same code.

A candidate has signal values in [0, 1]; its score is the weighted sum. Two
class signals carry most of the precision gain (see docs/benchmarks.md
``## Matching``):

* ``ipc`` — class agreement: how strongly the need's *predicted* classes point
  at the patent's main class. For English text a main-group classifier trained
  on examiners' CPC gives the group probabilities (``patents.tagging.group_predict``);
  otherwise the IPC subclass probabilities of ``ipc_predict`` are used. The two
  most likely classes also bring their own best lexical candidates in;
* ``consensus`` — pseudo-relevance feedback on classes: the main groups that
  the best first-stage candidates share are taken as the need's likely
  technology, and candidates in those groups move up. It needs no trained
  model, only the examiners' codes already on the patents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

SIGNALS = (
    "lexical",
    "semantic",
    "ipc",
    "consensus",
    "holder",
    "region",
    "legal_status",
    "availability",
)

DEFAULT_WEIGHTS = {
    "lexical": 0.30,
    "semantic": 0.30,
    "ipc": 0.30,
    "consensus": 0.30,
    "holder": 0.02,
    "region": 0.03,
    "legal_status": 0.03,
    "availability": 0.05,
}


def normalise(scores: Mapping[int, float]) -> dict[int, float]:
    """Scale to [0, 1] by the best score (0 stays 0)."""
    if not scores:
        return {}
    top = max(scores.values())
    if top <= 0:
        return dict.fromkeys(scores, 0.0)
    return {key: max(0.0, value / top) for key, value in scores.items()}


def rescale_cosine(scores: Mapping[int, float]) -> dict[int, float]:
    """e5 cosines sit in a narrow band (~0.7–0.9); spread the candidates' range to [0, 1]."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    if span <= 1e-9:
        return dict.fromkeys(scores, 1.0)
    return {key: (value - low) / span for key, value in scores.items()}


def main_group(code: str) -> str:
    """``G06F16/245`` → ``G06F16``; a subclass stays itself."""
    return code.split("/", 1)[0].replace(" ", "")


def subclass(code: str) -> str:
    return code.replace(" ", "")[:4]


def _levels(code: str) -> tuple[str, str]:
    """(main group, full code): ``G06F16/245`` → (``G06F16``, ``G06F16/245``)."""
    code = code.replace(" ", "")
    return main_group(code), code


def class_consensus(
    first_stage: Mapping[int, float],
    main_codes: Mapping[int, str],
    *,
    depth: int = 20,
) -> dict[str, float]:
    """Votes for main groups and for full codes, weighted by first-stage score and rank.

    ``main_codes`` maps a candidate to its *main* classification (main CPC, else
    main IPC): measured on the CPC task, voting with every code of a patent
    dilutes the signal (1.08× BM25) while the main code alone gives 1.27×.
    """
    ranked = sorted(first_stage.items(), key=lambda kv: -kv[1])[:depth]
    votes: dict[str, float] = defaultdict(float)
    for rank, (pk, score) in enumerate(ranked):
        code = main_codes.get(pk)
        if not code:
            continue
        weight = score / (1 + rank) ** 0.5
        group, full = _levels(code)
        votes["g:" + group] += weight
        if full != group:
            votes["c:" + full] += weight
    return dict(votes)


def consensus_score(main_code: str | None, votes: Mapping[str, float]) -> float:
    """Half for sharing the consensus main group, half for the exact code."""
    if not votes or not main_code:
        return 0.0
    group, full = _levels(main_code)
    top_group = max((v for k, v in votes.items() if k.startswith("g:")), default=0.0)
    top_code = max((v for k, v in votes.items() if k.startswith("c:")), default=0.0)
    score = 0.0
    if top_group:
        score += 0.5 * votes.get("g:" + group, 0.0) / top_group
    if top_code:
        score += 0.5 * votes.get("c:" + full, 0.0) / top_code
    return score


def ipc_agreement(patent_codes: Iterable[str], predicted: Iterable[tuple[str, float]]) -> float:
    """Sum of the predicted probabilities of the patent's subclasses (capped at 1)."""
    mine = {subclass(c) for c in patent_codes}
    return min(1.0, sum(score for code, score in predicted if code in mine))


def class_agreement(
    *,
    main_code: str | None,
    codes: Iterable[str] = (),
    groups: Iterable[tuple[str, float]] = (),
    subclasses: Iterable[tuple[str, float]] = (),
) -> float:
    """Agreement of a candidate's classes with the need's predicted ones, in [0, 1].

    With group predictions: the probability of the candidate's main group
    relative to the best predicted group. Without: the sum of the predicted
    probabilities of the candidate's subclasses (``ipc_agreement``).
    """
    groups = list(groups)
    if groups and main_code:
        group = main_group(main_code)
        if len(group) > 4:
            best = max(p for _c, p in groups) or 1.0
            return dict(groups).get(group, 0.0) / best
        # A patent classified at subclass level only: compare subclasses.
        by_subclass: dict[str, float] = defaultdict(float)
        for code, probability in groups:
            by_subclass[subclass(code)] += probability
        return by_subclass.get(subclass(group), 0.0) / (max(by_subclass.values()) or 1.0)
    if groups:
        return 0.0
    return ipc_agreement(codes, subclasses)


def combine(
    signals: Mapping[int, Mapping[str, float]], weights: Mapping[str, float]
) -> list[tuple[int, float]]:
    ranked = [
        (pk, sum(weights.get(name, 0.0) * value for name, value in values.items()))
        for pk, values in signals.items()
    ]
    ranked.sort(key=lambda kv: (-kv[1], kv[0]))
    return ranked


# Score levels shown to staff (the number stays available on demand). A candidate
# needs about two strong signals out of lexical / semantic / class / consensus
# (weight 0.30 each) for "high", one for "medium".
from ..levels import LEVEL_THRESHOLDS, level_display, score_level  # noqa: E402, F401
