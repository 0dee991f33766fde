"""Re-lay out cn_g06f_patents_with_abstracts.csv under the Chinese column headers
a CNIPA-style export uses, as an .xlsx, to exercise the importer's ``table``
format on real records. Values are copied unchanged; nothing is added.

    .venv/bin/python data/cn_patents_zh/relayout_chinese_headers.py
"""

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "cn_g06f_patents_with_abstracts.csv"
TARGET = HERE / "cn_g06f_patents_chinese_headers.xlsx"

workbook = Workbook()
sheet = workbook.active
sheet.title = "专利列表"
sheet.append(["公开（公告）号", "标题", "摘要", "CPC分类号", "关键词"])
with SOURCE.open(encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        sheet.append(
            [
                row["publication_number"],
                row["title_zh"],
                row["abstract_zh"],
                row["cpc_labels"].replace("|", "; "),
                row["keywords_en"],
            ]
        )
workbook.save(TARGET)
print(f"wrote {TARGET.name}: {sheet.max_row - 1} rows")
