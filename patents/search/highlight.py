"""Highlighted snippets, computed in Python on the page of hits.

The engines' own highlighters do not know our segmentation (``ts_headline`` has
no Chinese parser), so we mark the query's tokens ourselves: the same result on
every backend, and only 20 short texts per page to process.
"""

from __future__ import annotations

from django.utils.html import escape

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
        html.append(f"<mark>{escape(text)}</mark>" if marked else escape(text))
    return "".join(html)


def highlight(text: str, tokens: set[str], *, snippet: bool = False) -> str | None:
    """HTML with matches in <mark>, or None when nothing in ``text`` matched."""
    if not text or not tokens:
        return None
    segments = _segments(text, tokens)
    if not any(marked for _, marked in segments):
        return None
    if snippet and len(text) > SNIPPET_CHARS:
        first = next(i for i, (_, marked) in enumerate(segments) if marked)
        start = max(0, first - 8)
        chars = 0
        end = start
        while end < len(segments) and chars < SNIPPET_CHARS:
            chars += len(segments[end][0])
            end += 1
        prefix = [("…", False)] if start > 0 else []
        suffix = [("…", False)] if end < len(segments) else []
        segments = prefix + segments[start:end] + suffix
    return _render(segments)
