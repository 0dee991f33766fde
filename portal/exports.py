"""The one escape for spreadsheet cells: every CSV and Excel export goes through it.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab, carriage
return, line feed, or their full-width forms) is run as a formula by Excel,
LibreOffice and WPS — ``=HYPERLINK(...)`` in a need id becomes a live link,
``=cmd|...`` a DDE call (OWASP "CSV injection"). Such text gets a leading
apostrophe, so it is shown as typed. Numbers and dates pass unchanged.

    writer.writerow(csv_row([...]))          # csv
    xlsx_append(sheet, [...])                # openpyxl
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_text(value: str) -> str:
    """``value`` with a leading apostrophe if a spreadsheet would evaluate it."""
    if value.startswith(FORMULA_PREFIXES) or value.lstrip().startswith(("=", "+", "@")):
        return "'" + value
    return value


def safe_cell(value: Any) -> Any:
    """One cell: text escaped; numbers, dates, booleans and ``None`` as they are."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return safe_text(str(value))


def csv_row(values: Iterable[Any]) -> list[Any]:
    return ["" if v is None else safe_cell(v) for v in values]


def csv_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None else safe_cell(v)) for k, v in row.items()}


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """``sheet.append`` with every text cell escaped and stored as text (openpyxl
    would otherwise store a string starting with ``=`` as a formula)."""
    cells = [safe_cell(v) for v in values]
    sheet.append(cells)
    for cell, value in zip(sheet[sheet.max_row], cells, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
