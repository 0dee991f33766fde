"""Qualitative targets are evidenced by documents, not prose (issue 15): an agreement,
an establishment record, an adoption/promotion record, each with its SHA-256."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.services import period_get_or_create, qualitative_evidence_add
from tests.factories import written_document

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _figures(project, period):
    from reporting.selectors import kpi_figures_live

    lines = kpi_figures_live(project=project, start=period.start, end=period.end, use_cache=False)
    return {f.code: f for line in lines for f in line.figures}


def test_agreements_count_as_evidence_with_their_checksum(client, funder, staff):
    doc = written_document("服务协议.pdf")
    expected_sha = hashlib.sha256(doc.read()).hexdigest()
    doc.seek(0)
    qualitative_evidence_add(
        kind="agreement",
        programme_line="talent",
        title="专利转化服务协议",
        counterparty="山东大学",
        dated_on=dt.date(2026, 5, 20),
        document=doc,
        actor=staff,
    )
    qualitative_evidence_add(  # the wrong kind for this KPI
        kind="adoption",
        programme_line="talent",
        title="工作模式推广记录",
        dated_on=dt.date(2026, 6, 1),
        document=written_document("推广.pdf"),
    )
    qualitative_evidence_add(  # 2025: outside the period
        kind="agreement",
        programme_line="talent",
        title="上年协议",
        dated_on=dt.date(2025, 12, 31),
        document=written_document("旧协议.pdf"),
    )
    project = ProjectFactory(code="qual", programme_lines=["talent"])
    project.funders.add(funder)
    figure = _figures(project, period_get_or_create(year=2026))["l3-university-agreements"]
    assert figure.value == 1 and figure.target is None
    assert "Document" in figure.evidence_type or "文件" in figure.evidence_type

    url = reverse("reporting:evidence", args=[project.pk, "l3-university-agreements"])
    client.force_login(funder)
    body = client.get(url, {"period": "2026"}).content.decode()
    assert expected_sha in body and "专利转化服务协议" in body
    assert "山东大学" not in body  # the counterparty is the parties' business record
    client.force_login(staff)
    assert "山东大学" in client.get(url, {"period": "2026"}).content.decode()


def test_evidence_without_a_document_is_refused():
    with pytest.raises(ValidationError):
        qualitative_evidence_add(
            kind="establishment",
            programme_line="industry_operations",
            title="运营中心成立",
            dated_on=dt.date(2026, 3, 1),
            document=None,
        )
