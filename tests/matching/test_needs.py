"""Enterprise registration, the need form, staff review and the public directory."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matching.models import NeedAttachment, TechNeed
from patents.models import Organization
from portal.models import UserProfile

from .conftest import computed_uscc

NEED = {
    "title": "寻求高压输电线路驱鸟技术",
    "description": (
        "我司负责山区高压输电线路运维，鸟类筑巢和鸟粪闪络导致跳闸，需要可靠的驱鸟保护装置。"
    ),
    "industry": "electrical",
    "cooperation_mode": "licence",
    "budget_range": "10_50",
    "deadline": "2027-06-30",
    "contact_name": "张工",
    "contact_mobile": "13800138000",
    "captcha_0": "x",
    "captcha_1": "PASSED",
}


@pytest.mark.django_db
def test_registration_rejects_a_bad_credit_code_in_chinese(client):
    response = client.post(
        reverse("matching:register"),
        {
            "organization_name": "济南某机械有限公司",
            "uscc": "91370100MA3C5D1X2A",
            "contact_name": "张工",
            "mobile": "13800138000",
            "email": "a@example.org",
            "username": "newco",
            "password": "correct-horse-battery-9",
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )
    assert response.status_code == 200
    assert "校验" in response.content.decode() or "check" in response.content.decode()
    assert not Organization.objects.filter(normalized_name="济南某机械有限公司").exists()


@pytest.mark.django_db
def test_registration_creates_user_profile_and_organization(client):
    uscc = computed_uscc("MA94KQ2R")
    response = client.post(
        reverse("matching:register"),
        {
            "organization_name": "淄博某新材料有限公司",
            "uscc": uscc,
            "contact_name": "李经理",
            "mobile": "13912345678",
            "email": "li@example.org",
            "username": "zibo",
            "password": "correct-horse-battery-9",
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )
    assert response.status_code == 302
    profile = UserProfile.objects.get(user__username="zibo")
    assert profile.organization.uscc == uscc
    assert profile.organization.kind == Organization.Kind.ENTERPRISE
    assert profile.mobile == "13912345678"


@pytest.mark.django_db
def test_registration_wrong_captcha_is_refused(client):
    response = client.post(reverse("matching:register"), {"captcha_0": "x", "captcha_1": "WRONG"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_need_form_submits_with_a_pdf_and_refuses_a_disguised_file(client, enterprise_user):
    client.force_login(enterprise_user)
    fake = SimpleUploadedFile(
        "spec.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf"
    )
    response = client.post(reverse("matching:need_create"), {**NEED, "attachments": [fake]})
    assert response.status_code == 200
    assert "不符" in response.content.decode() or "does not look" in response.content.decode()
    assert not TechNeed.objects.exists()

    pdf = SimpleUploadedFile(
        "spec.pdf", b"%PDF-1.4\n%real enough\n", content_type="application/pdf"
    )
    response = client.post(reverse("matching:need_create"), {**NEED, "attachments": [pdf]})
    assert response.status_code == 302
    need = TechNeed.objects.get()
    assert need.status == TechNeed.Status.SUBMITTED
    assert NeedAttachment.objects.get(need=need).content_type == "application/pdf"


@pytest.mark.django_db
def test_need_form_explains_a_bad_mobile_number(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post(reverse("matching:need_create"), {**NEED, "contact_mobile": "12345"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["contact_mobile"] == ["请输入11位大陆手机号码，例如 13800138000。"]
    assert not TechNeed.objects.exists()


@pytest.mark.django_db
def test_need_form_is_rate_limited(client, enterprise_user, settings):
    client.force_login(enterprise_user)
    for _ in range(10):
        client.post(reverse("matching:need_create"), {**NEED, "contact_mobile": "1"})
    response = client.post(reverse("matching:need_create"), NEED)
    assert response.status_code == 429
    assert not TechNeed.objects.exists()


@pytest.mark.django_db
def test_review_return_needs_a_reason_then_approve_publishes(client, enterprise_user, staff_user):
    client.force_login(enterprise_user)
    client.post(reverse("matching:need_create"), NEED)
    need = TechNeed.objects.get()
    client.force_login(staff_user)
    url = reverse("matching:need_staff_detail", args=[need.pk])
    client.post(url, {"review": "1", "decision": "return", "note": ""})
    need.refresh_from_db()
    assert need.status == TechNeed.Status.SUBMITTED
    client.post(url, {"review": "1", "decision": "return", "note": "请补充电压等级"})
    need.refresh_from_db()
    assert need.status == TechNeed.Status.RETURNED
    assert need.review_note == "请补充电压等级"

    client.force_login(enterprise_user)
    detail = client.get(reverse("matching:need_mine_detail", args=[need.pk])).content.decode()
    assert "请补充电压等级" in detail
    fields = {k: v for k, v in NEED.items() if not k.startswith("captcha")}
    client.post(
        reverse("matching:need_mine_detail", args=[need.pk]),
        {**fields, "title": "寻求110kV线路驱鸟技术"},
    )
    need.refresh_from_db()
    assert need.status == TechNeed.Status.SUBMITTED

    client.force_login(staff_user)
    client.post(url, {"review": "1", "decision": "approve", "note": ""})
    need.refresh_from_db()
    assert need.status == TechNeed.Status.PUBLISHED
    assert need.published_at is not None
    directory = client.get(reverse("matching:directory")).content.decode()
    assert "寻求110kV线路驱鸟技术" in directory


@pytest.mark.django_db
def test_directory_hides_unpublished_needs_and_contacts(client, enterprise):
    TechNeed.objects.create(
        organization=enterprise,
        title="未审核的需求",
        description="x" * 30,
        industry="mechanical",
        cooperation_mode="transfer",
        contact_name="王",
        contact_mobile="13800138000",
    )
    published = TechNeed.objects.create(
        organization=enterprise,
        title="已发布的需求",
        description="y" * 30,
        industry="mechanical",
        cooperation_mode="transfer",
        contact_name="王",
        contact_mobile="13800138001",
        status=TechNeed.Status.PUBLISHED,
    )
    page = client.get(reverse("matching:directory")).content.decode()
    assert "已发布的需求" in page and "未审核的需求" not in page
    detail = client.get(
        reverse("matching:need_public_detail", args=[published.pk])
    ).content.decode()
    assert "13800138001" not in detail
    hidden = TechNeed.objects.exclude(pk=published.pk).get()
    assert client.get(reverse("matching:need_public_detail", args=[hidden.pk])).status_code == 404


@pytest.mark.django_db
def test_staff_pages_refuse_enterprise_users(client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get(reverse("matching:review_queue")).status_code == 403
    assert client.get(reverse("matching:funnel")).status_code == 403
