"""CNIPA exports: the search-and-analysis system's table (申请号, 公开（公告）号, 名称,
主分类号, 申请（专利权）人, 地址 with its postcode, 主权项 …) and the CNIPA crawler's variant
(申请人/专利权人, 法律状态 with 法律状态最后修改日期, no publication number).

The column layout is the generic table's (formats/table.py knows these headers);
this format only labels the records' provenance as cnipa.
"""

from __future__ import annotations

from .table import parse

DATASET = "cnipa"

__all__ = ["DATASET", "parse"]
