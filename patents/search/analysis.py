"""Text analysis shared by every search backend: the same tokens at index and query time.

Chinese is word-segmented with rjieba (the Rust port of jieba, ~1M characters/s on
one core here) loaded with a patent-domain user dictionary built from the IPC Chinese
titles (``data/search/ipc_userdict_zh.txt``). Latin words are lower-cased and Snowball
stemmed, so "Networks" and "network" meet. Backends receive plain token lists and
never parse text themselves, which is what keeps PostgreSQL and SQLite results equal.

Speed: segmentation is native (rjieba); everything done per *token* after it
(normalising, stemming, the sub-words of long Chinese words) depends on the token
alone, and patent vocabularies are Zipfian (a few thousand words make up most
positions), so that work is memoised per distinct token (``_token_group``):
indexing pays the Python cost once per word, not once per occurrence.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import rjieba
import snowballstemmer

USER_DICT = Path(__file__).resolve().parents[2] / "data" / "search" / "ipc_userdict_zh.txt"

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"^[0-9a-z]+$")
_lock = threading.Lock()
_segmenter: rjieba.Jieba | None = None
_stemmer = snowballstemmer.stemmer("english")


def _load_segmenter() -> rjieba.Jieba:
    global _segmenter
    with _lock:
        if _segmenter is None:
            jieba = rjieba.Jieba()
            if USER_DICT.exists():
                with USER_DICT.open(encoding="utf-8") as fh:
                    for line in fh:
                        parts = line.split()
                        if len(parts) >= 2:
                            jieba.add_word(
                                parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None
                            )
            _segmenter = jieba
    return _segmenter


def segmenter() -> rjieba.Jieba:
    return _segmenter or _load_segmenter()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


_NON_ALNUM = re.compile(r"[^0-9a-z]")


@lru_cache(maxsize=500_000)
def _normalise_token(raw: str) -> str | None:
    token = raw.strip().lower()
    if not token:
        return None
    if not token.isascii():
        if _CJK.search(token):
            return token
        token = _NON_ALNUM.sub("", token)
    elif not token.isalnum():
        # Keep letters/digits only: "e-mail" was already split by the segmenter.
        token = _NON_ALNUM.sub("", token)
    if not token:
        return None
    if token.isdigit():
        return token
    return _stem(token) if token.isalpha() or _LATIN_WORD.match(token) else token


def query_tokens(text: str) -> list[str]:
    """Precise segmentation for a query: one token per word, in order."""
    out = []
    for raw in segmenter().cut(text):
        token = _normalise_token(raw)
        if token:
            out.append(token)
    return out


def index_tokens(text: str) -> list[tuple[str, ...]]:
    """Tokens by position for indexing.

    Each position holds the precise word and, for long Chinese words, its
    sub-words (``保护装置`` also yields ``保护`` and ``装置``), so a query for a
    shorter word still finds the compound while phrases keep their positions.
    """
    if not text:
        return []
    group = _token_group
    return [g for g in map(group, segmenter().cut(text)) if g is not None]


@lru_cache(maxsize=500_000)
def _token_group(raw: str) -> tuple[str, ...] | None:
    """One position's tokens for a segmented word (memoised: the result depends on
    the word alone). Tuples, so a cached group cannot be changed by a caller."""
    token = _normalise_token(raw)
    if not token:
        return None
    group = [token]
    if len(token) > 2 and _CJK.match(token):
        for sub in segmenter().cut_for_search(token):
            if sub != token and len(sub) > 1 and sub not in group:
                group.append(sub)
    return tuple(group)


def is_cjk(text: str) -> bool:
    return not text.isascii() and bool(_CJK.search(text))
