"""The PDF (text extracted with pdftotext) and the Excel workbook."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from patents.models import Patent
from reporting.models import Report
from reporting.rendering.excel import safe_text
from reporting.services import report_build_file, report_get_or_create_draft

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_pdf_has_chinese_kpi_names_numbers_contents_and_page_numbers(
    project, year_2026, talent_year, tmp_path
):
    report = report_get_or_create_draft(project=project, period=year_2026)
    report.narrative = "黄河流域知识产权交易中心本年度运行平稳。"
    report.save()
    text = pdf_text(report_build_file(project=project, period=year_2026, fmt="pdf"), tmp_path)
    compact = text.replace(" ", "")
    assert "专利数据量" in compact and "人才数据量" in compact and "培训人数" in compact
    assert "年度指标报告" in compact  # cover, in Chinese
    assert "目录" in compact  # table of contents
    assert "暂不可计量" in compact  # not-yet-measurable KPIs say so, no fake zero
    assert "≥100,000,000" in compact  # target
    # Four patents loaded in 2026 (China time); two inventor mentions.
    lines = [line.replace(" ", "") for line in text.splitlines()]
    assert any(line.startswith("专利数据量") and "4" in line.split("条", 1)[1] for line in lines)
    assert "黄河流域知识产权交易中心本年度运行平稳。" in compact
    pages = text.count("\f")
    assert f"{pages}/{pages}" in compact  # "page / pages" footer on the last page


def test_excel_has_a_sheet_per_line_identifiers_as_text_and_escaped_formulas(
    project, year_2026, talent_year
):
    Patent.objects.filter(pk=talent_year["jan"].pk).update(
        title='=HYPERLINK("http://evil.example","click")', publication_number="CN000123456A"
    )
    data = report_build_file(project=project, period=year_2026, fmt="xlsx")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["汇总", "人才+专利"]
    ws = wb["人才+专利"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert '\'=HYPERLINK("http://evil.example","click")' in values
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "CN000123456A")
    assert cell.data_type == "s" and cell.number_format == "@"
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    # Inventor names are personal data and never reach the funders' workbook.
    assert not any(isinstance(v, str) and "王伟" in v for v in values)
    summary = wb["汇总"]
    row = next(r for r in summary.iter_rows(values_only=True) if r[1] == "l3-patent-records")
    assert row[5] == 4


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("山东", "山东"),
    ],
)
def test_formula_like_text_is_escaped(raw, safe):
    assert safe_text(raw) == safe


def test_kpi_report_command_writes_the_pdf(project, talent_year, tmp_path, capsys):
    out = tmp_path / "annual.pdf"
    call_command(
        "kpi_report",
        "--project",
        str(project.pk),
        "--period",
        "2026",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert "wrote" in capsys.readouterr().out
    assert "专利数据量" in pdf_text(out.read_bytes(), tmp_path).replace(" ", "")
    assert not Report.objects.exists()  # the command stores nothing


def test_kpi_report_command_explains_bad_input(project, tmp_path):
    with pytest.raises(CommandError, match="2026Q7"):
        call_command(
            "kpi_report",
            "--project",
            str(project.pk),
            "--period",
            "2026Q7",
            "--output",
            str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="No project"):
        call_command(
            "kpi_report",
            "--project",
            "nope",
            "--period",
            "2026",
            "--output",
            str(tmp_path / "x.pdf"),
        )
