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
    # Profiles are personal data for centre staff only (an enterprise user gets 403,
    # tests/talent/test_pipl.py); staff of any line search experts, here the trading hub's.
    UserFactory(username="hub", roles=["centre_staff_trading_hub"])

    page.goto("/accounts/login/?next=/talent/experts/")
    page.fill("input[name=username]", "hub")
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


@pytest.fixture
def lexical_matcher(settings, live_server):
    settings.MATCHING_EMBEDDINGS = False  # lexical + IPC signals, as the matching journey


def test_need_to_its_experts_to_profile(lexical_matcher, page):
    """Matching's staff page of a need → its ranked experts → a profile."""
    from matching.models import TechNeed
    from tests.factories import OrganizationFactory

    load_nvidia_sample(limit=60)
    talents_resolve()
    UserFactory(username="centre", roles=["centre_staff"])
    need = TechNeed.objects.create(
        organization=OrganizationFactory(kind="enterprise"),
        title="Neural network inference on graphics processors",
        description="We need a way to run neural network inference faster on GPUs.",
        industry="electrical",
        cooperation_mode="talent",
        contact_name="王",
        contact_mobile="13800138000",
        status=TechNeed.Status.PUBLISHED,
    )
    # Warm the matcher's models in this process (the live server shares it): their first
    # load takes longer than a page wait on a busy machine.
    from talent.selectors import experts_for_need

    assert experts_for_need(need=need)
    page.set_default_timeout(60_000)
    page.goto(f"/accounts/login/?next=/matching/staff/needs/{need.pk}/")
    page.fill("input[name=username]", "centre")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(f"**/matching/staff/needs/{need.pk}/")
    page.locator("#need-experts-link").click()  # matching's staff page → talent
    page.wait_for_url(f"**/talent/experts/need/{need.pk}/")
    assert "返回需求" in page.content()  # Chinese UI, with the way back to the need
    page.select_option("select[name=region]", "overseas")
    page.locator("#need-expert-filter button[type=submit]").click()
    page.wait_for_url("**region=overseas")
    first = page.locator("li.expert").first
    first.wait_for()
    name = first.locator("a").first.inner_text()
    assert first.locator("ul.reasons li").count() >= 1
    first.locator("a").first.click()
    page.wait_for_url("**/talent/*/")
    assert page.locator("h1").inner_text().startswith(name)
