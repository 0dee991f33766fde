"""PatSnap (智慧芽) exports: 公开(公告)号, [标]当前申请(专利权)人 (standardised, ` | `-separated),
标题(译)(简体中文) / 摘要(译)(简体中文), IPC分类号, 法律状态/事件 tags and the dated INPADOC法律状态
events (转移, 许可, 质押, 保全).

The column layout is the generic table's (formats/table.py knows these headers);
this format only labels the records' provenance as patsnap.
"""

from __future__ import annotations

from .table import parse

DATASET = "patsnap"

__all__ = ["DATASET", "parse"]
