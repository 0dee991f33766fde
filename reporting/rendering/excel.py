"""The Excel report: a summary sheet and one sheet per programme line with the KPI
table and the evidence lists.

The file is archived and downloaded by funders, so it carries no personal data.
Identifiers are written as text (a contract number must not become 1.2E+10) and
any text a spreadsheet would read as a formula is escaped.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.exports import safe_text

from ..evidence import rows, visible_columns
from ..measures import MeasureUnavailable, evidence_for, measure_get
from ..models import KpiDefinition, Report
from ..selectors import LineFigures

EVIDENCE_LIMIT = 10_000
BOLD = Font(bold=True)


def _put(ws, row: int, col: int, value: Any, *, identifier: bool = False) -> None:
    c = ws.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, bool):
        c.value = str(value)
    elif isinstance(value, (int, float, Decimal)) and not identifier:
        c.value = value
    elif isinstance(value, (dt.date, dt.datetime)) and not identifier:
        c.value = value
        c.number_format = "yyyy-mm-dd"
    else:
        c.value = safe_text(str(value))
        c.data_type = "s"
        if identifier:
            c.number_format = "@"


def _sheet_title(text: str) -> str:
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text[:31]


def report_xlsx(*, report: Report, lines: list[LineFigures]) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = _sheet_title(pgettext("excel sheet", "Summary"))
    _put(summary, 1, 1, report.project.name)
    summary.cell(row=1, column=1).font = BOLD
    _put(summary, 2, 1, _("Period"))
    _put(summary, 2, 2, report.period.label, identifier=True)
    _put(summary, 3, 1, _("Status"))
    _put(summary, 3, 2, report.get_status_display())
    headers = [
        _("Programme line"),
        _("Code"),
        _("KPI"),
        _("Target"),
        _("Unit"),
        _("Figure"),
        _("Completion (%)"),
        _("Status"),
        _("Imported (shown beside, not counted)"),
        _("Evidence type"),
    ]
    for col, text in enumerate(headers, 1):
        _put(summary, 5, col, text)
        summary.cell(row=5, column=col).font = BOLD
    r = 6
    for line in lines:
        for f in line.figures:
            for col, (value, ident) in enumerate(
                [
                    (line.label, False),
                    (f.code, True),
                    (f.name, False),
                    (f.target, False),
                    (f.unit_label, False),
                    (f.value, False),
                    (f.completion, False),
                    (f.status_label, False),
                    (f.imported_value, False),
                    (f.evidence_type, False),
                ],
                1,
            ):
                _put(summary, r, col, value, identifier=ident)
            r += 1
    _widths(summary, [22, 20, 40, 14, 8, 14, 14, 16, 16, 40])

    definitions = {d.code: d for d in KpiDefinition.objects.all()}
    for line in lines:
        ws = wb.create_sheet(_sheet_title(line.label))
        _put(ws, 1, 1, line.label)
        ws.cell(row=1, column=1).font = BOLD
        r = 3
        for f in line.figures:
            _put(ws, r, 1, f"{f.code} {f.name}")
            ws.cell(row=r, column=1).font = BOLD
            r += 1
            _put(ws, r, 1, _("Target"))
            _put(ws, r, 2, f.target)
            _put(ws, r, 3, _("Figure"))
            _put(ws, r, 4, f.value)
            _put(ws, r, 5, f.status_label)
            r += 1
            _put(ws, r, 1, _("Imported (shown beside, not counted)"))
            _put(ws, r, 2, f.imported_value)
            _put(ws, r, 3, _("Evidence type"))
            _put(ws, r, 4, f.evidence_type)
            r += 1
            if f.note:
                _put(ws, r, 1, f.note)
                r += 1
            r = _evidence_block(ws, r, f, definitions.get(f.code), report) + 1
        _widths(ws, [26, 26, 22, 18, 24, 24, 16])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _evidence_block(ws, r: int, figure, definition, report: Report) -> int:
    if not figure.measurable or definition is None:
        return r
    try:
        m = measure_get(definition.measure)
        evidence = evidence_for(
            m,
            start=report.period.start,
            end=report.period.end,
            programme_line=definition.programme_line,
            params=definition.measure_params,
        )
    except MeasureUnavailable:
        return r
    columns = visible_columns(m, personal_allowed=False)
    if not columns:
        _put(
            ws,
            r,
            1,
            _("Evidence records are personal data: %(count)s records, not listed.")
            % {"count": figure.evidence_count},
        )
        return r + 1
    for col, c in enumerate(columns, 1):
        _put(ws, r, col, str(c.label))
        ws.cell(row=r, column=col).font = BOLD
    r += 1
    shown = 0
    for _record, values in rows(evidence[:EVIDENCE_LIMIT], columns, personal_allowed=False):
        for col, (c, value) in enumerate(zip(columns, values, strict=True), 1):
            _put(ws, r, col, value, identifier=c.identifier)
        r += 1
        shown += 1
    if figure.evidence_count and figure.evidence_count > shown:
        _put(
            ws,
            r,
            1,
            _("First %(shown)s of %(total)s records; the portal lists them all.")
            % {"shown": shown, "total": figure.evidence_count},
        )
        r += 1
    return r


def _widths(ws, widths: list[int]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
