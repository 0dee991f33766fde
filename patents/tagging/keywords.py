"""Keywords of a text: rjieba tokens (Chinese) and words (English) ranked by TF-IDF.

Document frequencies come from the tagging model's training corpus when it is
loaded; without it every term has the same IDF and frequency alone decides.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import rjieba

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# Words that say nothing about the technology of a need or a patent.
_STOPWORD_TEXT = """
    一种 及其 以及 用于 基于 方法 装置 系统 设备 结构 其中 所述 包括 通过 进行 一个 可以 能够
    本发明 实用新型 涉及 提供 技术 具有 使得 实现 需求 我们 我司 公司 企业 希望 需要 寻求 相关
    问题 解决 目前
    现有 以上 以下 进一步 采用 及 与 和 的 在 是 为 对 等 中 该 将 其 从 由 使 个 件 了 有 或
    method methods system systems apparatus device devices using based thereof wherein which that
    the and for with from into are is be an of to in on by as at or embodiments embodiment example
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokenize(text: str) -> list[str]:
    """Content tokens of ``text``: Chinese words of two or more characters, English words."""
    text = text or ""
    tokens: list[str] = []
    if _CJK_RE.search(text):
        for token in rjieba.cut(text):
            token = token.strip()
            if len(token) >= 2 and _CJK_RE.search(token) and token not in STOPWORDS:
                tokens.append(token)
    tokens += [w.lower() for w in _WORD_RE.findall(text) if w.lower() not in STOPWORDS]
    return tokens


@lru_cache(maxsize=1)
def _document_frequencies() -> tuple[dict[str, int], int]:
    from .model import load_model

    model = load_model(build_if_missing=False)
    if model is None:
        return {}, 1
    return model.document_frequencies, model.document_count


def keywords_extract(*, text: str, top: int = 10) -> list[tuple[str, float]]:
    counts = Counter(tokenize(text))
    if not counts:
        return []
    frequencies, documents = _document_frequencies()
    scored = [
        (
            term,
            (1 + math.log(count)) * math.log((documents + 1) / (frequencies.get(term, 0) + 1))
            + 1e-3,
        )
        for term, count in counts.items()
    ]
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    return [(term, round(score, 4)) for term, score in scored[:top]]
