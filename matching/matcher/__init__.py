"""The matcher: needs → patents (and back). See ``core`` and ``scoring``."""

from .core import (
    Match,
    NeedMatch,
    match_need,
    match_text,
    match_texts,
    patent_needs,
    weights_for,
)

__all__ = [
    "Match",
    "NeedMatch",
    "match_need",
    "match_text",
    "match_texts",
    "patent_needs",
    "weights_for",
]
