"""Highlighted snippets, computed in Python on the page of hits.

The engines' own highlighters do not know our segmentation (``ts_headline`` has
no Chinese parser), so we mark the query's tokens ourselves: the same result on
every backend, and only 20 short texts per page to process.
"""

from __future__ import annotations

import re
from html import escape

from .analysis import _normalise_token, is_cjk, segmenter

SNIPPET_CHARS = 160


def _segments(text: str, tokens: set[str]) -> list[tuple[str, bool]]:
    cjk_tokens = sorted((t for t in tokens if is_cjk(t)), key=len, reverse=True)
    out: list[tuple[str, bool]] = []
    for raw in segmenter().cut(text):
        normalised = _normalise_token(raw)
        if not normalised:
            out.append((raw, False))
            continue
        if normalised in tokens:
            out.append((raw, True))
            continue
        if is_cjk(raw) and cjk_tokens:
            # A query word inside a longer word: "装置" in "保护装置".
            i = 0
            piece_start = 0
            while i < len(raw):
                hit = next((t for t in cjk_tokens if raw.startswith(t, i)), None)
                if hit:
                    if piece_start < i:
                        out.append((raw[piece_start:i], False))
                    out.append((hit, True))
                    i += len(hit)
                    piece_start = i
                else:
                    i += 1
            if piece_start < len(raw):
                out.append((raw[piece_start:], False))
            continue
        out.append((raw, False))
    return out


def _render(segments: list[tuple[str, bool]]) -> str:
    html = []
    for text, marked in segments:
        html.append(
            f"<mark>{escape(text, quote=False)}</mark>" if marked else escape(text, quote=False)
        )
    return "".join(html)


def _first_match(text: str, tokens: set[str]) -> int:
    """Where the first match probably is: Snowball stems are prefixes of the words
    they come from (almost always), so a case-insensitive prefix search finds it
    without segmenting the whole text."""
    pattern = "|".join(
        re.escape(t) if is_cjk(t) else r"\b" + re.escape(t)
        for t in sorted(tokens, key=len, reverse=True)
    )
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return match.start() if match else -1


def highlight(text: str, tokens: set[str], *, snippet: bool = False) -> str | None:
    """HTML with matches in <mark>, or None when nothing in ``text`` matched.

    ``snippet``: only a window of ``SNIPPET_CHARS`` around the first match is
    segmented and returned, which keeps a page of 20 long abstracts cheap."""
    if not text or not tokens:
        return None
    prefix = suffix = ""
    if snippet and len(text) > SNIPPET_CHARS:
        first = _first_match(text, tokens)
        start = max(0, first - 30) if first >= 0 else 0
        # Start at a word boundary for Latin text.
        if start and not is_cjk(text[start]):
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else 0
        end = min(len(text), start + SNIPPET_CHARS)
        if end < len(text) and not is_cjk(text[end - 1]):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
        text = text[start:end]
    segments = _segments(text, tokens)
    if not any(marked for _, marked in segments):
        return None
    return escape(prefix) + _render(segments) + escape(suffix)
