"""Staff journey: log in, search in Chinese, narrow by a facet, open the patent, save."""

import pytest

from portal.roles import Role
from tests.factories import UserFactory
from tests.patents.search_support import create_corpus, use_backend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_searches_refines_and_opens_a_patent(page, settings, tmp_path):
    use_backend(settings, tmp_path, "database")
    create_corpus()
    UserFactory(username="searcher", roles=[Role.STAFF])
    page.goto("/accounts/login/?next=/patents/search/")
    page.fill("input[name=username]", "searcher")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.locator("form [type=submit]").last.click()
    page.fill("input[name=q]", "装置")
    page.locator(".search-box button").click()
    assert "找到 2 件专利" in page.locator("p.lead").inner_text()
    assert page.locator("ol.hits mark").first.inner_text() == "装置"
    page.locator("aside.facets a", has_text="实用新型").click()
    assert "找到 1 件专利" in page.locator("p.lead").inner_text()
    page.fill("input[name=name]", "洗车装置")
    page.locator(".save-search button").click()
    assert "检索已保存" in page.locator("ul.messages").inner_text()
    assert "洗车装置" in page.locator("table").inner_text()
    page.goto("/patents/search/?q=" + "驱鸟")
    page.locator("ol.hits a").first.click()
    assert page.locator("h1").inner_text() == "一种水电站高压输电线路驱鸟保护装置"
