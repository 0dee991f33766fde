"""Navigation pages say what they show: the region used is the region selected,
headers and report regions are words, not codes or format escapes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations_center.forms import NavigationFilterForm
from operations_center.models import NavigationReport
from operations_center.selectors.scope import DEFAULT_REGION
from portal.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_region_select_shows_the_region_in_use(regions):
    # Unbound (first visit) and bound without a region (the years changed):
    # the select shows Shandong, the region the figures are for — never the
    # first entry of the list (北京市), which 应用 would then silently apply.
    assert NavigationFilterForm()["region"].value() == DEFAULT_REGION
    bound = NavigationFilterForm({"year_from": "2015", "year_to": "2020"})
    assert bound["region"].value() == DEFAULT_REGION
    assert bound.is_valid() and bound.region_code() == DEFAULT_REGION
    chosen = NavigationFilterForm({"region": "320000"})
    assert chosen.is_valid() and chosen.region_code() == "320000"


def test_landscape_growth_header_and_report_region_are_words(client, nev_chain, regions):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    html = client.get(reverse("operations_center:chain", args=[nev_chain.slug])).content.decode()
    assert "增长率（%）" in html and "%%" not in html
    assert '<option value="370000" selected>' in html
    report = NavigationReport.objects.create(
        chain=nev_chain, region_code="370000", year_from=2015, year_to=2024
    )
    assert report.region_name == "山东省"
