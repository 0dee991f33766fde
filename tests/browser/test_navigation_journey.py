"""A centre staff member imports a chain, tags it, reads its landscape and downloads
the PDF report — in a real Chromium."""

from __future__ import annotations

import os

import pytest

from operations_center.demo import CHAINS_DIR
from operations_center.models import PatentNodeTag
from portal.roles import Role
from tests.factories import UserFactory
from tests.operations_center.conftest import (  # noqa: F401 (fixtures)
    eager_celery,
    landscape,
    regions,
)

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
    page.click("#retag")
    page.wait_for_url("**/chains/new-energy-vehicles/?run=*")
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
    assert page.locator("#patents").get_by_text("IPC H01M4/525").count() == 1
    page.go_back()

    # One click: the report is generated and the PDF downloads.
    page.click("#make-report")
    page.wait_for_selector("#report-pdf", timeout=60_000)
    with page.expect_download() as download_info:
        page.evaluate(
            "() => { const a = document.getElementById('report-pdf');"
            " a.setAttribute('download', ''); a.click(); }"
        )
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
