"""A need the centre sends back, in Chromium: the enterprise submits through the
captcha'd public form, another enterprise cannot open it (404), a staff
reviewer returns it with a note (a return without a note is refused), the
enterprise reads the note on its need, changes the need and resubmits it, the
need is back in the staff review queue, and the reviewer approves it.
(Matching and pushes after publication: test_matching_journey.py.)"""

from __future__ import annotations

import pytest

from matching.models import TechNeed
from patents.models import Organization
from portal.models import UserProfile
from portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory

# Captcha test mode ("PASSED"), eager Celery, staff user: the matching fixtures.
from tests.matching.conftest import (  # noqa: F401
    _eager_celery,
    _test_settings,
    computed_uscc,
    staff_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def enterprise_users(settings, live_server):
    settings.MATCHING_EMBEDDINGS = False
    settings.PORTAL_BASE_URL = live_server.url
    owner = UserFactory(username="powerco", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(
        user=owner,
        organization=Organization.objects.create(
            name="济南某电力工程有限公司",
            normalized_name="济南某电力工程有限公司",
            kind=Organization.Kind.ENTERPRISE,
            country="CN",
            uscc=computed_uscc("MA7QW3E1"),
        ),
        mobile="13800138000",
    )
    other = UserFactory(username="otherco", roles=[Role.ENTERPRISE])
    UserProfile.objects.create(user=other, organization=OrganizationFactory(kind="enterprise"))
    return owner, other


def _login(page, username: str, next_url: str = "/") -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def _logout(page) -> None:
    # A fresh session (the 404 page has no navigation to log out from).
    page.context.clear_cookies()


def test_returned_need_is_resubmitted_and_approved(
    page,
    live_server,
    enterprise_users,
    staff_user,  # noqa: F811
):
    # 1. The enterprise states a need through the public form.
    _login(page, "powerco", "/matching/needs/new/")
    page.wait_for_url("**/matching/needs/new/")
    page.fill("#id_title", "寻求驱鸟技术")
    page.fill("#id_description", "山区输电线路鸟粪闪络导致跳闸，寻求驱鸟装置。预算待定。")
    page.select_option("#id_industry", "electrical")
    page.select_option("#id_cooperation_mode", "licence")
    page.select_option("#id_budget_range", "negotiable")
    page.fill("#id_contact_name", "张工")
    page.fill("#id_contact_mobile", "13800138000")
    page.fill("#id_captcha_1", "PASSED")
    page.click("text=提交审核", timeout=180_000)
    page.wait_for_selector("text=待审核")
    need = TechNeed.objects.get()
    _logout(page)

    # 2. Another enterprise cannot open it (404, not a hint that it exists).
    _login(page, "otherco")
    response = page.goto(f"/matching/my-needs/{need.pk}/")
    assert response.status == 404
    _logout(page)

    # 3. The reviewer returns it; a return without a note is refused first.
    _login(page, staff_user.username, f"/matching/staff/needs/{need.pk}/")
    page.check("input[name=decision][value=return]")
    page.click("text=保存审核意见")
    page.wait_for_selector(".errorlist")
    need.refresh_from_db()
    assert need.status == TechNeed.Status.SUBMITTED
    page.check("input[name=decision][value=return]")
    page.fill("textarea[name=note]", "请写明线路电压等级和安装环境。")
    page.click("text=保存审核意见")
    page.wait_for_selector("text=已退回修改")
    need.refresh_from_db()
    assert need.status == TechNeed.Status.RETURNED
    _logout(page)

    # 4. The enterprise reads the note on its need.
    _login(page, "powerco", f"/matching/my-needs/{need.pk}/")
    assert "请写明线路电压等级和安装环境" in page.inner_text(".review-note")

    # 5. It changes the need as asked and resubmits it (no captcha: logged in, own need).
    page.fill("#id_description", "山区 220kV 输电线路，铁塔安装，鸟粪闪络导致跳闸，寻求驱鸟装置。")
    page.click("main button[type=submit] >> text=重新提交", timeout=120_000)
    page.wait_for_selector("text=已重新提交审核。")
    assert "待审核" in page.inner_text(".status")
    need.refresh_from_db()
    assert need.status == TechNeed.Status.SUBMITTED
    assert "220kV" in need.description
    _logout(page)

    # 6. The need is back in the staff review queue; the reviewer approves it.
    _login(page, staff_user.username, "/matching/staff/")
    page.wait_for_url("**/matching/staff/")
    queue = page.locator("table.list tbody")
    assert "寻求驱鸟技术" in queue.inner_text()
    queue.locator("text=寻求驱鸟技术").click()
    page.wait_for_url(f"**/matching/staff/needs/{need.pk}/")
    assert "220kV" in page.inner_text("main")
    page.check("input[name=decision][value=approve]")
    page.click("text=保存审核意见", timeout=60_000)
    page.wait_for_selector("text=审核意见已保存。", timeout=60_000)
    need.refresh_from_db()
    assert need.status == TechNeed.Status.PUBLISHED
    page.goto("/matching/staff/")
    assert "寻求驱鸟技术" not in page.locator("table.list tbody").inner_text()
    _logout(page)

    # 7. The enterprise sees it published; the public directory lists it.
    _login(page, "powerco", f"/matching/my-needs/{need.pk}/")
    assert "已发布" in page.inner_text(".status")
    page.goto("/matching/needs/")
    assert "寻求驱鸟技术" in page.inner_text("main")
