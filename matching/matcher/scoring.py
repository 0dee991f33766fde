"""The matcher's arithmetic, free of Django so that the benchmark runs the same code.

A candidate has signal values in [0, 1]; its score is the weighted sum. Two
class signals carry most of the precision gain (see docs/benchmarks.md
``## Matching``):

* ``ipc`` — agreement between the need's predicted IPC subclasses (with their
  probabilities) and the patent's own codes;
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
    "ipc": 0.10,
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


def class_consensus(
    first_stage: Mapping[int, float],
    codes: Mapping[int, Iterable[str]],
    *,
    depth: int = 20,
) -> dict[str, float]:
    """Main groups weighted by the first-stage scores of the top ``depth`` candidates."""
    ranked = sorted(first_stage.items(), key=lambda kv: -kv[1])[:depth]
    votes: dict[str, float] = defaultdict(float)
    for rank, (pk, score) in enumerate(ranked):
        weight = score / (1 + rank) ** 0.5
        for group in {main_group(c) for c in codes.get(pk, ())}:
            votes[group] += weight
    total = sum(votes.values())
    return {g: v / total for g, v in votes.items()} if total else {}


def consensus_score(patent_codes: Iterable[str], votes: Mapping[str, float]) -> float:
    if not votes:
        return 0.0
    top = max(votes.values())
    groups = {main_group(c) for c in patent_codes}
    return max((votes.get(g, 0.0) / top for g in groups), default=0.0)


def ipc_agreement(patent_codes: Iterable[str], predicted: Iterable[tuple[str, float]]) -> float:
    """Sum of the predicted probabilities of the patent's subclasses (capped at 1)."""
    mine = {subclass(c) for c in patent_codes}
    return min(1.0, sum(score for code, score in predicted if code in mine))


def combine(
    signals: Mapping[int, Mapping[str, float]], weights: Mapping[str, float]
) -> list[tuple[int, float]]:
    ranked = [
        (pk, sum(weights.get(name, 0.0) * value for name, value in values.items()))
        for pk, values in signals.items()
    ]
    ranked.sort(key=lambda kv: (-kv[1], kv[0]))
    return ranked
