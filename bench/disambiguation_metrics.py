"""Pairwise and B-cubed precision / recall / F1 of a clustering against truth labels."""

from __future__ import annotations

from collections import Counter, defaultdict


def _pairs(sizes) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def evaluate(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Both map mention id → cluster id; only mentions in ``truth`` count."""
    ids = [m for m in truth if m in predicted]
    joint = Counter((truth[m], predicted[m]) for m in ids)
    t_sizes = Counter(truth[m] for m in ids)
    p_sizes = Counter(predicted[m] for m in ids)
    tp = _pairs(joint.values())
    pp, tt = _pairs(p_sizes.values()), _pairs(t_sizes.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # B-cubed: per mention, overlap of its predicted and true clusters.
    b_p = b_r = 0.0
    for (t, p), n in joint.items():
        b_p += n * n / p_sizes[p]
        b_r += n * n / t_sizes[t]
    b_p, b_r = b_p / len(ids), b_r / len(ids)
    b_f = 2 * b_p * b_r / (b_p + b_r) if b_p + b_r else 0.0
    return {
        "mentions": len(ids),
        "pairwise_precision": precision,
        "pairwise_recall": recall,
        "pairwise_f1": f1,
        "bcubed_precision": b_p,
        "bcubed_recall": b_r,
        "bcubed_f1": b_f,
    }


def group(labels: dict[str, str]) -> dict[str, list[str]]:
    out = defaultdict(list)
    for m, c in labels.items():
        out[c].append(m)
    return out
