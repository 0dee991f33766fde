"""The PDF report, rendered by WeasyPrint from an HTML template.

Chinese text needs a font that has the glyphs: the CSS names "Noto Sans CJK SC"
(Debian's fonts-noto-cjk) explicitly — with no such font WeasyPrint silently
drops the characters.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Report
from ..selectors import LineFigures

# WeasyPrint logs every layout step at INFO; the portal logs at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def report_html(*, report: Report, lines: list[LineFigures]) -> str:
    figures = [f for line in lines for f in line.figures]
    return render_to_string(
        "reporting/pdf/report.html",
        {
            "report": report,
            "project": report.project,
            "period": report.period,
            "lines": lines,
            "measured": sum(1 for f in figures if f.measurable),
            "met": sum(1 for f in figures if f.met),
            "total": len(figures),
            "generated_at": timezone.localtime(),
        },
    )


def report_pdf(*, report: Report, lines: list[LineFigures]) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = report_html(report=report, lines=lines)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
