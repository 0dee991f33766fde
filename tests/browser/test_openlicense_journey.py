"""Open-licence journey in a real browser: declare → pre-check → submit →
announce, then an enterprise takes the licence and records payment."""

import pytest
from django.utils import timezone

from portal.models import UserProfile
from portal.roles import Role
from tests.factories import UserFactory
from tests.trading.factories import enterprise, granted_patent, university

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    _submit(page, "main form button[type=submit]")


def test_declare_precheck_announce_and_take_up(page):
    holder = university(name="山东大学")
    co_owner = university(name="中国科学院海洋研究所")
    patent = granted_patent(holder=holder)
    from tests.factories import PatentApplicantFactory

    PatentApplicantFactory(patent=patent, organization=co_owner, sequence=1)
    UserProfile.objects.create(user=UserFactory(username="ip-office"), organization=holder)
    UserFactory(username="staff", roles=[Role.STAFF])
    UserProfile.objects.create(
        user=UserFactory(username="firm"), organization=enterprise(name="山东黄河河务局供水局")
    )

    _login(page, "ip-office")
    page.goto("/open-licence/declare/")
    page.fill("#id_patent_number", patent.publication_number)
    page.fill("#id_fee_lump_sum", "20000")
    page.select_option("#id_payment_method", "one_off")
    page.fill("#id_term_years", "3")
    _submit(page, "main form button[type=submit]")
    precheck = page.inner_text(".precheck")
    assert "以下专利权人尚未同意：中国科学院海洋研究所" in precheck
    _submit(page, "button:has-text('提交声明')")
    assert "尚未同意" in page.inner_text(".messages")
    assert page.inner_text("#declaration-status") == "草稿"
    _submit(page, "form[action='/accounts/logout/'] button")

    _login(page, "staff")
    page.goto("/open-licence/")
    _submit(page, "text=" + patent.publication_number)
    _submit(page, "button:has-text('记录同意')")
    assert "全体专利权人均已同意" in page.inner_text(".precheck")
    _submit(page, "button:has-text('提交声明')")
    assert page.inner_text("#declaration-status") == "已提交"
    _submit(page, "button:has-text('公告')")
    assert page.inner_text("#declaration-status") == "已公告"
    _submit(page, "form[action='/accounts/logout/'] button")

    _login(page, "firm")
    page.goto("/open-licence/")
    _submit(page, "text=" + patent.publication_number)
    _submit(page, "button:has-text('发出书面通知')")
    assert "待付款" in page.inner_text("#licence-status")
    page.fill("#id_paid_on", timezone.localdate().isoformat())
    page.fill("#id_reference", "BANK-2026-77")
    _submit(page, "main form button:has-text('记录付款')")
    assert page.inner_text("#licence-status") == "已生效"
    assert "备案截止日" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=下载备案材料包（zip）")
    assert download.value.suggested_filename.endswith(".zip")
