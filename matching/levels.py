"""Match scores as levels people read (高 / 中 / 低); the numbers stay behind them.

A leaf module: the matcher and the stored match rows both show levels.
"""

from __future__ import annotations

LEVEL_THRESHOLDS = (("high", 0.55), ("medium", 0.30))


def score_level(score: float) -> str:
    for level, threshold in LEVEL_THRESHOLDS:
        if score >= threshold:
            return level
    return "low"


def level_display(level: str) -> str:
    from django.utils.translation import pgettext

    labels = {
        "high": pgettext("match level", "High"),
        "medium": pgettext("match level", "Medium"),
        "low": pgettext("match level", "Low"),
    }
    return labels.get(level, labels["low"])
