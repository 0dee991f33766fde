"""Who sees what: staff everything; funders their projects' aggregates and issued
reports, never personal data; everyone else nothing."""

import pytest
from django.urls import reverse

from patents.models import Organization
from reporting.models import Report
from reporting.services import report_get_or_create_draft, report_issue
from tests.factories import UserFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_funder_dashboard_shows_only_their_projects_in_chinese(
    selectors_absent, client, funder, project, talent_year
):
    ProjectFactory(code="other", name="其他项目")
    client.force_login(funder)
    response = client.get(reverse("reporting:dashboard"), {"period": "2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert project.name in body and "其他项目" not in body
    assert "专利数据量" in body and "暂不可计量" in body
    assert 'data-kpi="l3-patent-records"' in body


def test_a_bad_period_is_explained_not_a_500(client, funder, project):
    client.force_login(funder)
    response = client.get(reverse("reporting:dashboard"), {"period": "2026Q9"}, follow=True)
    assert response.status_code == 200
    assert "2026Q9" in response.content.decode()


def test_other_roles_are_refused(client, project):
    enterprise = UserFactory(username="ent", roles=["enterprise"])
    assert client.get(reverse("reporting:dashboard")).status_code == 302  # to login
    client.force_login(enterprise)
    assert client.get(reverse("reporting:dashboard")).status_code == 403


def test_a_funder_cannot_open_another_funders_project(client, project):
    other = UserFactory(username="funder2", roles=["funder"])
    client.force_login(other)
    assert client.get(reverse("reporting:project", args=[project.pk])).status_code == 404


def test_project_page_has_a_chart_over_time(client, funder, project, talent_year):
    client.force_login(funder)
    body = client.get(
        reverse("reporting:project", args=[project.pk]), {"period": "2026"}
    ).content.decode()
    assert body.count("<svg") >= 2  # patents held and talent records held
    assert "2026-12" in body


def test_funders_see_evidence_summaries_without_personal_data(
    client, funder, staff, project, talent_year
):
    from talent.services import talents_resolve

    talents_resolve()  # the KPI counts people (talents), not inventor mentions
    url = reverse("reporting:evidence", args=[project.pk, "l3-talent-records"])
    client.force_login(staff)
    staff_body = client.get(url, {"period": "2026"}).content.decode()
    assert "王伟" in staff_body and "李娜" in staff_body

    client.force_login(funder)
    funder_body = client.get(url, {"period": "2026"}).content.decode()
    assert "王伟" not in funder_body and "李娜" not in funder_body
    assert "山东大学" not in funder_body  # affiliation of a named person
    assert 'class="evidence-count">2<' in funder_body  # the aggregate still shows


def test_patent_evidence_lists_the_records_it_counts(client, funder, project, talent_year):
    client.force_login(funder)
    url = reverse("reporting:evidence", args=[project.pk, "l3-patent-records"])
    body = client.get(url, {"period": "2026"}).content.decode()
    for key in ("before", "jan", "mar", "dec"):
        assert talent_year[key].publication_number in body
    assert talent_year["after"].publication_number not in body
    assert 'class="evidence-count">4<' in body


def test_unmeasurable_kpi_evidence_page_says_so(selectors_absent, client, funder, project):
    client.force_login(funder)
    url = reverse("reporting:evidence", args=[project.pk, "l3-trained"])
    body = client.get(url).content.decode()
    assert "暂不可计量" in body and "trainees_trained_in_period" in body


def test_individual_organizations_are_not_named_to_funders():
    from reporting.evidence import cell
    from reporting.measures import Column

    person = Organization(name="张三", normalized_name="张三", kind=Organization.Kind.INDIVIDUAL)
    firm = Organization(name="浪潮集团有限公司", normalized_name="x", kind="enterprise")
    column = Column("party", "assignor", organization=True)

    class Deal:
        assignor = person

    assert cell(Deal, column, personal_allowed=False) == "个人"
    assert cell(Deal, column, personal_allowed=True) == "张三"
    Deal.assignor = firm
    assert cell(Deal, column, personal_allowed=False) == "浪潮集团有限公司"


@pytest.mark.django_db(transaction=True)
def test_funders_download_only_issued_reports(
    client, funder, staff, project, year_2026, talent_year
):
    report = report_get_or_create_draft(project=project, period=year_2026)
    client.force_login(staff)
    client.post(reverse("reporting:report_generate", args=[report.pk]))
    report.refresh_from_db()
    assert report.render_state == Report.RenderState.DONE

    client.force_login(funder)
    assert client.get(reverse("reporting:report", args=[report.pk])).status_code == 404
    draft_pdf = reverse("reporting:report_download", args=[report.pk, "pdf"])
    assert client.get(draft_pdf).status_code == 404

    report_issue(report=report, issued_by=staff)
    response = client.get(draft_pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    report.refresh_from_db()
    assert response["X-Content-SHA256"] == report.pdf_sha256
    assert (
        client.get(reverse("reporting:report_download", args=[report.pk, "doc"])).status_code == 404
    )
    # A funder cannot issue or regenerate.
    assert client.post(reverse("reporting:report_generate", args=[report.pk])).status_code == 403


def test_staff_prepare_a_report_and_edit_its_narrative(client, staff, project):
    client.force_login(staff)
    response = client.post(
        reverse("reporting:report_create", args=[project.pk]), {"period": "2026Q1"}
    )
    report = Report.objects.get()
    assert response.url == reverse("reporting:report", args=[report.pk])
    client.post(reverse("reporting:report", args=[report.pk]), {"narrative": "一季度进展"})
    report.refresh_from_db()
    assert report.narrative == "一季度进展"
    bad = client.post(
        reverse("reporting:report_create", args=[project.pk]), {"period": "soon"}, follow=True
    )
    assert "soon" in bad.content.decode()


def test_progress_endpoint(client, staff, project, year_2026):
    report = report_get_or_create_draft(project=project, period=year_2026)
    client.force_login(staff)
    data = client.get(reverse("reporting:report_progress", args=[report.pk])).json()
    assert data == {"state": "idle", "progress": 0, "failure": ""}


def test_demo_creates_a_project_for_existing_funders_and_is_idempotent(funder):
    import io

    from reporting.demo import load_demo
    from reporting.models import Project

    out = io.StringIO()
    load_demo(stdout=out)
    load_demo(stdout=out)
    project = Project.objects.get(code="sd-ipo-2025")
    assert list(project.funders.all()) == [funder]
    assert Report.objects.filter(project=project).count() == 1
    assert "sd-ipo-2025" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_issued_report_page_shows_the_difference_to_the_live_figure(
    client, funder, staff, project, year_2026, talent_year
):
    from patents.models import Patent

    report = report_get_or_create_draft(project=project, period=year_2026)
    report_issue(report=report, issued_by=staff)
    Patent.objects.filter(pk=talent_year["mar"].pk).delete()
    client.force_login(funder)
    body = client.get(reverse("reporting:report", args=[report.pk])).content.decode()
    assert "签发时数据与当前实时数据对比" in body
    row = body.split('data-kpi="l3-patent-records"', 1)[1].split("</tr>", 1)[0]
    assert ">4<" in row and ">3<" in row and ">-1<" in row
    assert "report_issue" not in body and "issue/" not in body  # no staff actions


def test_staff_admin_pages_for_targets_projects_and_periods(client, project):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("kpidefinition", "project", "reportingperiod", "report"):
        assert client.get(f"/admin/reporting/{name}/").status_code == 200
        assert client.get(f"/admin/reporting/{name}/add/").status_code == 200
    assert client.get(f"/admin/reporting/project/{project.pk}/change/").status_code == 200
    response = client.post(
        "/admin/reporting/kpidefinition/add/",
        {
            "code": "bad",
            "programme_line": "talent",
            "position": 1,
            "name_zh": "x",
            "name_en": "x",
            "unit": "items",
            "comparison": "gte",
            "measure": "no_such_measure",
            "measure_params": "{}",
        },
    )
    assert response.status_code == 200 and "no_such_measure" in response.content.decode()
