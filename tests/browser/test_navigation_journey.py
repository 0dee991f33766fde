"""A centre staff member imports a chain, tags it, reads its landscape (strong and
weak links, key lists, resource graph), downloads the PDF and Excel reports, then
runs an alliance with a pool and a licence, and an event from public registration
to check-in — in a real Chromium."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from alliances.models import PoolLicence
from operations_center.demo import CHAINS_DIR
from operations_center.models import Event, EventRegistration, PatentNodeTag
from patents.models import PatentApplicant
from portal.roles import Role
from tests.factories import UserFactory
from tests.operations_center.conftest import (  # noqa: F401 (fixtures)
    eager_celery,
    landscape,
    regions,
)
from trading.selectors import deals_in_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("landscape", "eager_celery")
def test_staff_defines_chain_sees_landscape_and_downloads_pdf(page):
    UserFactory(username="navigator", roles=[Role.STAFF])
    page.goto("/accounts/login/?next=/navigation/")
    page.fill("#id_username", "navigator")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_url("**/navigation/")

    # Define the chain by importing its definition file.
    page.set_input_files("input[type=file]", str(CHAINS_DIR / "new-energy-vehicles.json"))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/navigation/chains/new-energy-vehicles/")

    # Tag its patents (Celery runs eagerly in the test settings) and reload.
    # Eager Celery runs tagging, the aggregate refresh and the page warm-up inside
    # this request: allow for a loaded shared machine.
    page.click("#retag", timeout=180_000)
    page.wait_for_url("**/chains/new-energy-vehicles/?run=*", timeout=180_000)
    assert PatentNodeTag.objects.filter(chain__slug="new-energy-vehicles").exists()
    page.goto("/navigation/chains/new-energy-vehicles/?region=370000&year_from=2015&year_to=2024")

    # Strong and weak links, with the verdict and the numbers behind it.
    battery = page.locator("tr[data-node='nev-battery']")
    assert battery.locator(".verdict").inner_text() == "强"
    assert page.locator("tr[data-node='nev-charging'] .verdict").inner_text() == "弱"
    assert page.locator("#chart-trend[data-ready='1']").count() == 1  # ECharts drew
    if os.environ.get("NAV_SCREENSHOT"):
        page.screenshot(path=os.environ["NAV_SCREENSHOT"], full_page=True)

    # The count links through to exactly those patents, each with its reason.
    shown = battery.locator(".region-count").inner_text()
    battery.locator(".region-count").click()
    page.wait_for_url("**/patents/?*")
    assert page.locator("#patent-count").inner_text().startswith(shown)
    assert page.locator("#patents").get_by_text("IPC 分类号 H01M4/525 属于节点").count() == 1
    page.go_back()

    # Key lists and the innovation-resource graph, each figure linking to its patents.
    assert page.locator("#applicants tbody tr a").count() >= 1
    assert page.locator("#applicants").get_by_text("山东大学").count() == 1
    assert page.locator("#chart-graph[data-ready='1']").count() == 1

    # One click: the report is generated and the PDF downloads.
    page.click("#make-report", timeout=180_000)
    page.wait_for_selector("#report-pdf", timeout=180_000)
    with page.expect_download() as download_info:
        page.evaluate(
            "() => { const a = document.getElementById('report-pdf');"
            " a.setAttribute('download', ''); a.click(); }"
        )
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    # The Excel workbook of the same tables.
    with page.expect_download() as download_info:
        page.evaluate(
            "() => { const a = document.getElementById('report-xlsx');"
            " a.setAttribute('download', ''); a.click(); }"
        )
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"  # an .xlsx is a zip

    # An alliance on the chain, a pool, a contributed patent and a licence.
    page.goto("/alliances/")
    page.fill("#id_name", "新能源汽车产业知识产权联盟")
    page.select_option("#id_chain", label="新能源汽车产业链")
    page.click("#alliance-create button[type=submit]")
    page.wait_for_url("**/alliances/*/")
    page.fill("#member-add #id_organization", "山东大学")
    page.select_option("#member-add #id_role", "chair")
    page.click("#member-add button[type=submit]")
    assert page.locator("#members").get_by_text("山东大学").count() == 1
    page.fill("#pool-create #id_name", "动力电池专利池")
    page.click("#pool-create button[type=submit]")
    page.wait_for_url("**/alliances/pools/*/")
    battery_patent = (
        PatentApplicant.objects.filter(
            organization__name="山东大学", patent__chain_tags__node__key="nev-battery"
        )
        .select_related("patent")
        .first()
        .patent
    )
    page.fill("#contribution-add #id_publication_number", battery_patent.publication_number)
    page.select_option("#contribution-add #id_contributor", label="山东大学")
    page.click("#contribution-add button[type=submit]")
    assert page.locator("#contributions").get_by_text(battery_patent.publication_number).count()
    assert page.locator("#coverage tr[data-node='nev-battery'] .pool-patents").inner_text() == "1"
    assert page.locator("#coverage tr.gap").count() >= 1  # the gaps the pool leaves
    page.fill("#licence-grant #id_licensee", "东南大学")
    page.fill("#licence-grant #id_royalty", "50000")
    page.fill("#licence-grant #id_signed_on", "2024-05-01")
    page.click("#licence-grant button[type=submit]")
    assert page.locator("#n-licences").inner_text() == "1"
    licence = PoolLicence.objects.get()
    counted = deals_in_period(
        start=dt.date(2024, 1, 1), end=dt.date(2025, 1, 1), kinds=["pool_licence"]
    )
    assert list(counted) == [licence.deal]

    # An event: public registration, then the staff check-in list.
    event = Event.objects.create(
        kind=Event.Kind.MATCHMAKING,
        title="新能源汽车产业专利供需对接会",
        starts_at=timezone.now() + dt.timedelta(days=5),
        place="济南",
        organizer="山东省专利运营中心",
    )
    page.goto(f"/navigation/events/{event.pk}/")
    page.select_option("#registration #id_kind", "enterprise")
    page.fill("#registration #id_organization_name", "潍柴动力股份有限公司")
    page.fill("#registration #id_contact_name", "王伟")
    page.fill("#registration #id_mobile", "13800138000")
    page.click("#registration button[type=submit]")
    page.wait_for_load_state()
    assert EventRegistration.objects.filter(event=event).count() == 1
    page.goto(f"/navigation/events/{event.pk}/check-in/")
    page.click("#checkin button[name=registration]")
    page.wait_for_load_state()
    assert EventRegistration.objects.get(event=event).checked_in_at is not None
