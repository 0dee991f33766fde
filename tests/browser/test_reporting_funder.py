# ruff: noqa: F811
"""A funder's journey in a real browser: log in, read the dashboard, open the
project, download the issued annual report and find its figures in the PDF."""

import subprocess

import pytest

from reporting.services import report_get_or_create_draft, report_issue, report_update_narrative

# The browser fixtures live in tests/browser/conftest.py (one Playwright per session);
# the reporting fixtures, autouse ones included, are borrowed from tests/reporting
# (hence the file-wide F811: pytest passes them back in under the same names).
from tests.reporting.conftest import (  # noqa: F401
    _after_2026,
    _eager_reports,
    _fresh_cache,
    _seeded_kpis,
    funder,
    project,
    staff,
    talent_year,
    year_2026,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_funder_logs_in_reads_the_dashboard_and_downloads_the_pdf(
    page,
    funder,
    staff,
    project,
    year_2026,
    talent_year,
    tmp_path,
):
    report = report_get_or_create_draft(project=project, period=year_2026)
    report_update_narrative(report=report, narrative="人才与专利数据库按计划建设。")
    report_issue(report=report, issued_by=staff)

    page.goto("/accounts/login/?next=/reporting/%3Fperiod%3D2026")
    page.fill("#id_username", "funder1")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("button[type=submit]")

    page.wait_for_url("**/reporting/**")
    assert page.locator("h1").inner_text() == "绩效指标看板"
    row = page.locator('tr[data-kpi="l3-patent-records"]')
    assert row.locator(".kpi-value").inner_text() == "4"
    assert "暂不可计量" in page.locator('tr[data-kpi="l3-trained"]').inner_text()

    page.click(f"text={project.name}")
    page.wait_for_url(f"**/reporting/projects/{project.pk}/**")
    assert page.locator("svg.kpi-chart").count() >= 2

    with page.expect_download() as download_info:
        page.click("a.download-pdf")
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")
    assert "专利数据量" in text and "人才数据量" in text
    assert "人才与专利数据库按计划建设。" in text
    assert "王伟" not in text  # no inventor names in what funders receive
