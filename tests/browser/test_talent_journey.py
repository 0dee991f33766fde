"""Talent journey: need text → experts → profile, in a real Chromium (Chinese UI).

Lives here, not in tests/talent, because the session-wide Playwright browser of
tests/browser/conftest.py can exist only once per process."""

import pytest

from talent.demo import load_nvidia_sample
from talent.services import talents_resolve
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_need_to_experts_to_profile(page):
    load_nvidia_sample(limit=60)
    talents_resolve()
    UserFactory(username="broker", roles=["enterprise"])

    page.goto("/accounts/login/?next=/talent/experts/")
    page.fill("input[name=username]", "broker")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url("**/talent/experts/")

    page.fill("textarea[name=q]", "neural network training")
    page.select_option("select[name=region]", "overseas")
    page.locator("#expert-search button[type=submit]").click()
    first = page.locator("li.expert").first
    first.wait_for()
    name = first.locator("a").first.inner_text()
    assert "neural" in first.locator("ul.reasons").inner_text()

    first.locator("a").first.click()
    page.wait_for_url("**/talent/*/")
    assert page.locator("h1").inner_text().startswith(name)
    # The Chinese UI: the profile's sections are translated.
    assert "专利" in page.content()
