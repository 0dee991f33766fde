"""Open-licence journey in a real browser: declare with the patentee's written consent →
pre-check → staff attach the co-owner's written consent → submit → staff record CNIPA's
announcement, then an enterprise takes the licence and records its payment with proof,
the patentee confirms it and downloads the filing package; staff push the item to a
matching enterprise; both co-owners consent in writing to withdraw and staff announce
the withdrawal, which leaves the licence in force."""

import zipfile

import pytest
from django.utils import timezone

from matching.models import PushItem, TechNeed
from patents.tagging import keywords_extract
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


@pytest.fixture(autouse=True)
def _eager_celery():
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _logout(page):
    _submit(page, "form[action='/accounts/logout/'] button")


def _pdf(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + name.encode())
    return str(path)


def test_declare_precheck_announce_and_take_up(page, tmp_path):
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
    page.set_input_files("#id_consent_document", _pdf(tmp_path, "sdu-consent.pdf"))
    _submit(page, "main form button[type=submit]")
    precheck = page.inner_text(".precheck")
    assert "缺少以下专利权人的书面同意：中国科学院海洋研究所" in precheck
    _submit(page, "button:has-text('提交声明')")
    assert "书面同意" in page.inner_text(".messages")
    assert page.inner_text("#declaration-status") == "草稿"
    _submit(page, "form[action='/accounts/logout/'] button")

    _login(page, "staff")
    page.goto("/open-licence/")
    _submit(page, "text=" + patent.publication_number)
    page.set_input_files(
        "form[action*='/consents/'] input[type=file]", _pdf(tmp_path, "qdio-consent.pdf")
    )
    _submit(page, "button:has-text('上传书面同意')")
    assert "全体专利权人的书面同意均已存档" in page.inner_text(".precheck")
    _submit(page, "button:has-text('提交声明')")
    assert page.inner_text("#declaration-status") == "已提交"
    page.fill("#id_announcement_number", "CN2026OL000321")
    page.fill("#id_announced_on", timezone.localdate().isoformat())
    _submit(page, "button:has-text('登记国家知识产权局公告')")
    assert page.inner_text("#declaration-status") == "已公告"
    _submit(page, "form[action='/accounts/logout/'] button")

    _login(page, "firm")
    page.goto("/open-licence/")
    _submit(page, "text=" + patent.publication_number)
    _submit(page, "button:has-text('发出书面通知')")
    assert "待付款" in page.inner_text("#licence-status")
    page.fill("#id_paid_on", timezone.localdate().isoformat())
    page.fill("#id_reference", "BANK-2026-77")
    page.set_input_files("#id_proof", _pdf(tmp_path, "bank-slip.pdf"))
    _submit(page, "main form button:has-text('记录付款')")
    assert page.inner_text("#licence-status") == "已报付款，待确认"
    assert page.locator("button:has-text('确认收款')").count() == 0  # not the licensee's
    licence_url = page.url
    _logout(page)
    _login(page, "ip-office")  # the patentee confirms the payment reached it
    page.goto(licence_url)
    _submit(page, "button:has-text('确认收款')")
    assert page.inner_text("#licence-status") == "已生效"
    assert "备案截止日" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=下载备案材料包（zip）")
    assert download.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.value.path()) as package:
        assert package.namelist()  # the generated filing documents
    _logout(page)

    # Staff push the announced item to an enterprise whose published need it answers.
    grid = enterprise(name="国网山东省电力公司")
    UserProfile.objects.create(
        user=UserFactory(username="grid", email="grid@example.org"), organization=grid
    )
    need = TechNeed.objects.create(
        organization=grid,
        title="输电线路驱鸟装置",
        description="高压输电线路鸟类筑巢造成跳闸，寻求驱鸟保护装置。",
        industry="electrical",
        cooperation_mode="licence",
        contact_name="张",
        contact_mobile="13800138000",
        status=TechNeed.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    TechNeed.objects.filter(pk=need.pk).update(keywords=keywords_extract(text=need.text, top=15))
    _login(page, "staff")
    page.goto("/open-licence/")
    _submit(page, "text=" + patent.publication_number)
    _submit(page, "#push-link")
    assert "国网山东省电力公司" in page.inner_text(".candidates")
    page.check(f"#need-{need.pk}")
    _submit(page, "button:has-text('推送给所选企业')")
    assert "已排队推送给 1 家企业" in page.inner_text(".messages")
    assert "已推送" in page.inner_text(".candidates")
    assert PushItem.objects.filter(kind="open_licence", organization=grid).count() == 1
    _logout(page)

    # The patentee withdraws in writing; it takes effect when staff announce it.
    _login(page, "ip-office")
    page.goto("/open-licence/")
    _submit(page, "text=" + patent.publication_number)
    page.click("summary:has-text('撤回开放许可')")
    page.fill("#id_reason", "专利权人决定自行实施，书面撤回开放许可声明。")
    page.set_input_files(f"#id_document_{holder.pk}", _pdf(tmp_path, "sdu-withdraw.pdf"))
    page.set_input_files(f"#id_document_{co_owner.pk}", _pdf(tmp_path, "qdio-withdraw.pdf"))
    _submit(page, "details button:has-text('撤回')")
    assert "撤回待公告" in page.inner_text("#declaration-status")
    _logout(page)
    _login(page, "staff")
    page.goto(f"/open-licence/{patent.open_licence_declarations.get().pk}/")
    _submit(page, "button:has-text('公告撤回')")
    status = page.inner_text("#declaration-status")
    assert "撤回" in status and "待公告" not in status
    page.goto(licence_url)
    assert page.inner_text("#licence-status") == "已生效"  # licences granted stay in force
