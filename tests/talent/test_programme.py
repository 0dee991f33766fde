"""Supply directory, training with certificates, talent projects, and the KPI selectors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from patents.models import Organization, Patent
from talent.models import (
    Course,
    Enrollment,
    SupplyItem,
    Talent,
    TalentProject,
    Trainee,
    TrainingSession,
)
from talent.selectors import (
    supply_items_published_in_period,
    talents_held,
    trainees_trained_in_period,
)
from talent.services import (
    certificate_issue,
    enrollment_assess,
    supply_item_create,
    talent_project_advance,
    talents_resolve,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    course = Course.objects.create(title="技术经纪人实务", hours=24, pass_mark=60)
    return TrainingSession.objects.create(
        course=course, starts_on=dt.date(2026, 3, 10), ends_on=dt.date(2026, 3, 12), place="济南"
    )


def _enroll(session, name, org="山东大学"):
    trainee = Trainee.objects.create(name=name, organization_name=org, role="broker")
    return Enrollment.objects.create(session=session, trainee=trainee)


def test_assessment_pass_mark_and_bounds(session):
    e = _enroll(session, "张伟")
    assert enrollment_assess(enrollment=e, attended=True, score=75).passed
    assert not enrollment_assess(enrollment=e, attended=True, score=59).passed
    assert not enrollment_assess(enrollment=e, attended=False, score=90).passed
    with pytest.raises(ValidationError):
        enrollment_assess(enrollment=e, attended=True, score=101)


def test_certificate_pdf_only_for_passed(session):
    e = _enroll(session, "王伟")
    with pytest.raises(ValidationError):
        certificate_issue(enrollment=e)
    enrollment_assess(enrollment=e, attended=True, score=88)
    pdf = certificate_issue(enrollment=e)
    assert pdf.startswith(b"%PDF")
    e.refresh_from_db()
    number = e.certificate_number
    assert number.startswith("SDTT-2026-")
    certificate_issue(enrollment=e)
    e.refresh_from_db()
    assert e.certificate_number == number  # numbered once


def test_trainee_kpi_counts_completed_sessions_in_period(session):
    """Issue 15: the KPI is "completed training"; attending and failing is not completion."""
    a, b, c = _enroll(session, "甲"), _enroll(session, "乙"), _enroll(session, "丙")
    enrollment_assess(enrollment=a, attended=True, score=80)
    enrollment_assess(enrollment=b, attended=True, score=40)
    enrollment_assess(enrollment=c, attended=False, score=None)
    trained = trainees_trained_in_period(start=dt.date(2026, 1, 1), end=dt.date(2027, 1, 1))
    assert set(trained) == {a}
    assert not trainees_trained_in_period(
        start=dt.date(2026, 3, 12), end=dt.date(2026, 3, 12)
    ).exists()
    assert (
        trainees_trained_in_period(start=dt.date(2026, 3, 12), end=dt.date(2026, 3, 13)).count()
        == 1
    )


def test_supply_items_link_talents_and_count_once(nvidia_patents):
    talents_resolve()
    patent = Patent.objects.filter(inventor_mentions__isnull=False).first()
    item = supply_item_create(
        patent=patent,
        kind=SupplyItem.Kind.TRANSFER,
        source=SupplyItem.Source.LISTING,
        source_object_id=7,
    )
    again = supply_item_create(
        patent=patent,
        kind=SupplyItem.Kind.TRANSFER,
        source=SupplyItem.Source.LISTING,
        source_object_id=7,
    )
    assert item == again
    assert item.talents.count() == patent.inventor_mentions.count()
    assert item.holder.name == "NVIDIA CORPORATION"
    today = timezone.localdate(item.published_at)
    assert list(
        supply_items_published_in_period(start=today, end=today + dt.timedelta(days=1))
    ) == [item]
    assert talents_held().count() == Talent.objects.count()


def test_supply_directory_pages(nvidia_patents, client):
    talents_resolve()
    patent = Patent.objects.filter(inventor_mentions__isnull=False).first()
    item = supply_item_create(patent=patent, kind=SupplyItem.Kind.LICENCE)
    response = client.get(reverse("talent:supply"))
    assert response.status_code == 200 and patent.title in response.content.decode()
    response = client.get(reverse("talent:supply_detail", args=[item.pk]))
    assert response.status_code == 200 and patent.publication_number in response.content.decode()


def test_talent_project_from_first_contact_to_landing(nvidia_patents):
    talents_resolve()
    talent = Talent.objects.first()
    project = TalentProject.objects.create(talent=talent, title="GPU 加速项目落地济南")
    talent_project_advance(project=project, stage="negotiation", happened_on=dt.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        talent_project_advance(
            project=project, stage="company_registered", happened_on=dt.date(2026, 2, 1)
        )
    company = Organization.objects.create(
        name="山东某科技有限公司", normalized_name="山东某科技有限公司"
    )
    talent_project_advance(
        project=project,
        stage="company_registered",
        happened_on=dt.date(2026, 2, 1),
        company=company,
        company_registered_on=dt.date(2026, 2, 1),
    )
    with pytest.raises(ValidationError):
        talent_project_advance(
            project=project, stage="negotiation", happened_on=dt.date(2026, 2, 2)
        )
    with pytest.raises(ValidationError):
        talent_project_advance(project=project, stage="landed", happened_on=dt.date(2026, 6, 1))
    talent_project_advance(
        project=project,
        stage="landed",
        happened_on=dt.date(2026, 6, 1),
        investment_rmb=Decimal("5000000"),
        patents_transferred=3,
    )
    assert [s.stage for s in project.steps.all()] == ["negotiation", "company_registered", "landed"]


def test_landing_links_the_deals_that_moved_the_patents(nvidia_patents):
    from tests.trading.factories import enterprise, granted_patent, university
    from trading.services import deal_create

    talents_resolve()
    holder = university(name="山东大学")
    deal = deal_create(
        kind="transfer",
        assignor=holder,
        assignee=enterprise(),
        patents=[granted_patent(holder=holder)],
        amount=800000,
        status="signed",
        signed_on=dt.date(2026, 6, 1),
    )
    project = TalentProject.objects.create(talent=Talent.objects.first(), title="专利项目落地")
    talent_project_advance(
        project=project,
        stage="company_registered",
        happened_on=dt.date(2026, 5, 1),
        company=enterprise(name="济南某新材料有限公司"),
        company_registered_on=dt.date(2026, 5, 1),
    )
    talent_project_advance(
        project=project,
        stage="landed",
        happened_on=dt.date(2026, 6, 2),
        investment_rmb=Decimal("3000000"),
        patents_transferred=1,
        deals=[deal],
    )
    assert list(project.deals.all()) == [deal]
    assert list(deal.talent_projects.all()) == [project]
