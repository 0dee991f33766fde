"""One need, end to end in Chromium: public registration and form → staff review →
matching → push by e-mail → the enterprise opens it and answers → the funnel."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from matching.models import Push, PushItem, TechNeed

# The matching test fixtures (real CN patents, staff, captcha test mode, eager Celery).
from tests.matching.conftest import (  # noqa: F401
    _eager_celery,
    _test_settings,
    cn_patents,
    computed_uscc,
    staff_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey_settings(settings, live_server):
    settings.MATCHING_EMBEDDINGS = False  # lexical + IPC signals; keeps the journey fast
    settings.PORTAL_BASE_URL = live_server.url


def test_need_from_public_form_to_funnel(
    page,
    live_server,
    journey_settings,
    cn_patents,  # noqa: F811
    staff_user,  # noqa: F811
):
    # 1. The enterprise registers (self-hosted captcha in test mode accepts "PASSED").
    page.goto("/matching/register/")
    page.fill("#id_organization_name", "济南某电力工程有限公司")
    page.fill("#id_uscc", computed_uscc("MA7QW3E1"))
    page.fill("#id_contact_name", "张工")
    page.fill("#id_mobile", "13800138000")
    page.fill("#id_email", "zhang@example.org")
    page.fill("#id_username", "powerco")
    page.fill("#id_password", "correct-horse-battery-9")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit] >> text=注册")

    # 2. …and states its need.
    page.wait_for_url("**/matching/needs/new/")
    page.fill("#id_title", "寻求输电线路驱鸟技术")
    page.fill(
        "#id_description", "山区高压输电线路鸟类筑巢、鸟粪闪络导致跳闸，寻求可靠的驱鸟保护装置。"
    )
    page.select_option("#id_industry", "electrical")
    page.select_option("#id_cooperation_mode", "licence")
    page.fill("#id_captcha_1", "PASSED")
    # Eager Celery: tagging runs in the request after commit (first use loads the model).
    page.click("text=提交审核", timeout=180_000)
    page.wait_for_selector("text=待审核")
    need = TechNeed.objects.get()
    assert need.predicted_ipc, "tagging ran after commit"

    # 3. Staff review and publish.
    page.click("form.inline button")  # log out
    page.goto("/accounts/login/?next=/matching/staff/")
    page.fill("#id_username", staff_user.username)
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("main button[type=submit]")
    page.click("text=寻求输电线路驱鸟技术")
    page.check("input[name=decision][value=approve]")
    page.click("text=保存审核意见", timeout=60_000)
    page.wait_for_selector("text=匹配的专利", timeout=60_000)

    # 4. The matcher's best patent is the real bird-repelling one; push it.
    first_row = page.locator("table.matches tbody tr").first
    assert "驱鸟" in first_row.inner_text()
    assert "需求与专利均涉及" in first_row.inner_text()
    first_row.locator("input[type=checkbox]").check()
    page.click("text=推送所选专利", timeout=60_000)
    page.wait_for_selector("text=推送已排队")
    push = Push.objects.get()
    assert push.status == Push.Status.SENT
    assert len(mail.outbox) == 1

    # 5. The enterprise opens the e-mail's feedback link and answers.
    feedback_url = re.search(r"http\S+/matching/p/\S+/(?=\s)", mail.outbox[0].body).group(0)
    page.goto(feedback_url)
    page.check("input[value=interested]")
    page.click("text=提交反馈")
    page.wait_for_selector("text=感谢您的反馈")
    item = PushItem.objects.get()
    assert item.feedback == PushItem.Feedback.INTERESTED

    # 6. The funnel shows it.
    page.goto("/matching/staff/funnel/")
    figures = page.locator(".funnel .figure").all_inner_texts()
    assert [f.split()[0] for f in figures][:5] == ["1", "1", "0", "1", "0"]
