import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_in_chinese(page):
    page.goto("/")
    assert page.locator("a.brand").inner_text().strip() != ""
    assert page.locator("html").get_attribute("lang") == "zh-hans"
