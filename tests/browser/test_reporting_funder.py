# ruff: noqa: F811
"""A funder's journey in a real browser: log in, read the dashboard, open the
project, download the issued annual report and find its figures in the PDF — over the
real selectors of every app (patents loaded, people trained) — and never meet a name of
an inventor or a trainee on the way."""

import datetime as dt
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

TRAINEES = ("赵磊", "孙丽")
ID_NUMBER = "370102199001011234"  # an ID-number format, for the certificate only


@pytest.fixture
def trained(db):
    """Two people trained in May 2026, through the talent app's models and service."""
    from talent.models import Course, Enrollment, Trainee, TrainingSession
    from talent.services import enrollment_assess

    course = Course.objects.create(title="技术经理人实务", hours=24, pass_mark=60)
    session = TrainingSession.objects.create(
        course=course, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 3), place="济南"
    )
    for name in TRAINEES:
        trainee = Trainee.objects.create(
            name=name, organization_name="浪潮集团有限公司", id_document=ID_NUMBER
        )
        enrollment = Enrollment.objects.create(session=session, trainee=trainee)
        enrollment_assess(enrollment=enrollment, attended=True, score=90)


def test_funder_logs_in_reads_the_dashboard_and_downloads_the_pdf(
    trained,
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
    trained_row = page.locator('tr[data-kpi="l3-trained"]')
    assert trained_row.locator(".kpi-value").inner_text() == str(len(TRAINEES))
    dashboard = page.content()

    page.click(f"text={project.name}")
    page.wait_for_url(f"**/reporting/projects/{project.pk}/**")
    assert page.locator("svg.kpi-chart").count() >= 2
    project_page = page.content()

    # The evidence behind "people trained" is a count: no names, no ID numbers.
    page.goto(f"/reporting/projects/{project.pk}/kpi/l3-trained/?period=2026")
    evidence_page = page.content()
    for body in (dashboard, project_page, evidence_page):
        assert not any(name in body for name in (*TRAINEES, "王伟", "李娜", ID_NUMBER))
    page.goto(f"/reporting/projects/{project.pk}/?period=2026")

    with page.expect_download() as download_info:
        page.click("a.download-pdf")
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")
    assert "专利数据量" in text and "人才数据量" in text
    assert "人才与专利数据库按计划建设。" in text
    assert "培训人数" in text
    # No inventor or trainee names, no ID numbers in what funders receive.
    assert not any(name in text for name in (*TRAINEES, "王伟", "李娜", ID_NUMBER))
