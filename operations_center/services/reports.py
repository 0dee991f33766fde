"""Navigation report: one PDF (WeasyPrint, Noto CJK embedded, SVG charts from
pygal) and one Excel workbook (openpyxl) holding the same tables."""

from __future__ import annotations

import io
import traceback

import pygal
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from pygal.style import Style

from portal.exports import xlsx_append

from ..models import NavigationReport
from ..selectors.navigation import (
    Years,
    chain_overview,
    key_inventors,
    key_technologies,
    node_breakdowns,
    node_trend,
    region_scope,
    top_applicants,
)

CJK_FONT = "Noto Sans CJK SC"
CHART_STYLE = Style(
    font_family=CJK_FONT,
    background="white",
    plot_background="white",
    colors=("#1f6feb", "#d97706", "#6b7280", "#059669", "#b91c1c"),
)


def _svg(chart) -> str:
    svg = chart.render(is_unicode=True)
    # Drop the XML declaration so the SVG can sit inline in the HTML.
    return svg[svg.index("<svg") :]


def _bar(title: str, labels: list[str], series: dict[str, list[int]]) -> str:
    chart = pygal.Bar(
        style=CHART_STYLE,
        width=760,
        height=320,
        x_label_rotation=30,
        title=title,
        disable_xml_declaration=True,
        show_legend=len(series) > 1,
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return _svg(chart)


def report_data(*, chain, region_code: str, years: Years) -> dict:
    scope = region_scope(code=region_code)
    overview = chain_overview(chain=chain, scope=scope, years=years)
    trend = node_trend(chain=chain, node=None, scope=scope, years=years)
    parts = node_breakdowns(chain=chain, node=None, scope=scope, years=years)
    return {
        "chain": chain,
        "scope": scope,
        "years": years,
        "overview": overview,
        "ranked": sorted((r for r in overview if r.rank), key=lambda r: r.rank),
        "trend": trend,
        "parts": parts,
        "applicants": top_applicants(chain=chain, node=None, scope=scope),
        "technologies": key_technologies(chain=chain, node=None, scope=scope),
        "inventors": key_inventors(chain=chain, node=None, scope=scope),
        "refreshed_at": chain.facts_refreshed_at,
    }


def _tables(data: dict) -> list[tuple[str, list[str], list[list]]]:
    """(sheet title, header, rows): the tables both outputs show."""
    verdicts = {"strong": _("Strong"), "average": _("Average"), "weak": _("Weak")}

    def pct(value):
        return None if value is None else round(value * 100, 1)

    return [
        (
            _("Strong and weak links"),
            [
                _("Rank"),
                _("Node"),
                _("Region patents"),
                _("National patents"),
                _("RTA"),
                _("Growth (percent)"),
                _("Valid inventions"),
                _("Verdict"),
            ],
            [
                [
                    r.rank,
                    r.node.name,
                    r.region,
                    r.national,
                    None if r.rta is None else round(r.rta, 2),
                    pct(r.growth),
                    r.valid_inventions,
                    verdicts[r.verdict],
                ]
                for r in data["ranked"]
            ],
        ),
        (
            _("Filing trend"),
            [
                _("Year"),
                _("Region"),
                pgettext("nationwide figure", "National"),
                _("Whole database"),
            ],
            [[p["year"], p["region"], p["national"], p["database"]] for p in data["trend"]],
        ),
        (
            _("By city"),
            [pgettext("city of the province", "City"), _("Patents")],
            [[n, c] for _code, n, c in data["parts"]["city"]],
        ),
        (
            _("By applicant kind"),
            [_("Applicant kind"), _("Patents")],
            [[n, c] for _k, n, c in data["parts"]["applicant_kind"]],
        ),
        (
            _("By patent type"),
            [_("Type"), _("Patents")],
            [[n, c] for _k, n, c in data["parts"]["patent_type"]],
        ),
        (
            _("By legal status"),
            [_("Legal status"), _("Patents")],
            [[n, c] for _k, n, c in data["parts"]["legal_status"]],
        ),
        (
            _("IPC composition"),
            [_("IPC subclass"), _("Title"), _("Patents")],
            [[code, title, n] for code, title, n in data["parts"]["ipc"]],
        ),
        (
            _("Key enterprises"),
            [_("Applicant"), _("Kind"), _("Patents"), _("Valid inventions")],
            [
                [a["name"], a["kind_label"], a["patents"], a["valid_inventions"]]
                for a in data["applicants"]
            ],
        ),
        (
            _("Key technologies"),
            [_("IPC subclass"), _("Title"), _("Patents")],
            [[t["subclass"], t["title"], t["patents"]] for t in data["technologies"]],
        ),
        (
            _("Key talents"),
            [_("Inventor"), _("Patents")],
            [[i["name"], i["patents"]] for i in data["inventors"]],
        ),
    ]


def report_workbook(data: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in _tables(data):
        sheet = workbook.create_sheet(title=title[:31])
        xlsx_append(sheet, [str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            # Lazy translations (choice labels) are not plain strings to openpyxl.
            xlsx_append(sheet, [str(c) if isinstance(c, Promise) else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    trend = data["trend"]
    charts = {
        "trend": _bar(
            _("Filing trend"),
            [str(p["year"]) for p in trend],
            {
                data["scope"].name: [p["region"] for p in trend],
                pgettext("nationwide figure", "National"): [p["national"] for p in trend],
            },
        ),
        "links": _bar(
            _("RTA by node"),
            [r.node.name for r in data["ranked"]],
            {_("RTA"): [round(r.rta or 0, 2) for r in data["ranked"]]},
        ),
    }
    html = render_to_string(
        "operations_center/report_pdf.html",
        {**data, "tables": _tables(data), "charts": charts, "font": CJK_FONT},
    )
    return HTML(string=html).write_pdf()


def navigation_report_build(*, report: NavigationReport) -> NavigationReport:
    report.status = NavigationReport.Status.RUNNING
    report.save(update_fields=["status"])
    try:
        with translation.override("zh-hans"):
            data = report_data(
                chain=report.chain,
                region_code=report.region_code,
                years=Years(report.year_from, report.year_to),
            )
            stem = f"{report.chain.slug}-{report.region_code}-{report.year_from}-{report.year_to}"
            report.xlsx.save(f"{stem}.xlsx", ContentFile(report_workbook(data)), save=False)
            report.pdf.save(f"{stem}.pdf", ContentFile(report_pdf(data)), save=False)
        report.status = NavigationReport.Status.SUCCEEDED
    except Exception:
        report.status = NavigationReport.Status.FAILED
        report.failure = traceback.format_exc()[-4000:]
    report.finished_at = timezone.now()
    report.save()
    return report
