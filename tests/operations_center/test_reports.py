from __future__ import annotations

import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from operations_center.models import NavigationReport
from operations_center.selectors.navigation import Years, chain_overview, region_scope
from operations_center.services.facts import navigation_facts_refresh
from operations_center.services.tagging import chain_tag
from operations_center.tasks import navigation_report_enqueue

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text_objects(pdf: bytes) -> bytes:
    """The PDF with its Flate streams inflated (WeasyPrint packs font dictionaries
    into compressed object streams)."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        try:
            out.append(zlib.decompressobj().decompress(pdf[start : start + 2_000_000]))
        except zlib.error:
            continue
    return b"".join(out)


@pytest.mark.usefixtures("eager_celery")
def test_report_task_writes_pdf_with_cjk_font_and_matching_workbook(nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    navigation_facts_refresh(chain=nev_chain)
    report = navigation_report_enqueue(
        chain=nev_chain, region_code="370000", year_from=2015, year_to=2024
    )
    report.refresh_from_db()  # eager Celery ran it on commit
    assert report.status == NavigationReport.Status.SUCCEEDED, report.failure
    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF")
    assert b"NotoSansCJK" in pdf_text_objects(pdf)  # the CJK font is embedded, not substituted
    workbook = load_workbook(io.BytesIO(report.xlsx.read()))
    sheet = workbook["强弱环节"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["排名", "节点", "区域专利数"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    expected = chain_overview(
        chain=nev_chain, scope=region_scope(code="370000"), years=Years(2015, 2024)
    )
    for row in expected:
        if row.rank:
            assert rows[row.node.name][2] == row.region
