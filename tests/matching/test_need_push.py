""" "Match, then push" has one service (``need_push``): the staff page, the API and the
weekly digest (and openlicense.push, tested in tests/openlicense) reach the providers
through it; each push then follows its receipts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from matching.matcher import match_need
from matching.models import Push, PushPreference, TechNeed
from matching.services import push_digest_send

from .test_delivery import aliyun, smtp, wechat  # noqa: F401  (provider fixtures)

pytestmark = pytest.mark.django_db
TOP_MATCH = "CN114081026A"  # the real bird-repelling device this need paraphrases


@pytest.fixture(autouse=True)
def _no_embeddings(settings):
    settings.MATCHING_EMBEDDINGS = False
    settings.MATCHING_PROVIDER_TIMEOUT = 1


@pytest.fixture
def need(cn_patents, enterprise):
    PushPreference.objects.create(
        organization=enterprise,
        email="buyer@example.cn",
        mobile="13812345678",
        wechat_openid="o-bound-openid",
        weekly_cap=10,
    )
    return TechNeed.objects.create(
        organization=enterprise,
        title="输电线路驱鸟装置",
        description="高压输电线路上鸟类筑巢导致跳闸，需要一种可靠的驱鸟保护装置，要求免维护。",
        industry="electrical",
        cooperation_mode="licence",
        contact_name="王工",
        contact_mobile="13800138000",
        status=TechNeed.Status.PUBLISHED,
        published_at=timezone.now(),
        keywords=[["输电线路", 1.0], ["驱鸟", 0.9]],
        predicted_ipc=[["H02G", 0.6], ["A01M", 0.3]],
    )


def test_staff_page_pushes_by_sms_through_the_provider(
    aliyun,  # noqa: F811
    need,
    cn_patents,
    staff_user,
    client,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff_user)
    url = reverse("matching:need_staff_detail", args=[need.pk])
    page = client.get(url).content.decode()
    assert 'value="sms"' in page and 'value="log"' not in page  # DEBUG is off
    top = next(p for p in cn_patents if p.publication_number == TOP_MATCH)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"push": "1", "patent_ids": [top.pk], "channel": "sms"})
    push = Push.objects.get()
    assert push.need == need and push.provider == "aliyun"
    assert push.status == Push.Status.SENT and push.delivery == Push.Delivery.PENDING
    assert list(push.items.values_list("patent_id", flat=True)) == [top.pk]
    assert [p["PhoneNumbers"] for p in aliyun.sent.values()] == ["13812345678"]
    refused = client.post(url, {"push": "1", "patent_ids": [top.pk], "channel": "log"})
    assert refused.status_code == 200 and Push.objects.count() == 1  # form error, no push


def test_api_pushes_by_wechat_through_the_provider(
    wechat,  # noqa: F811
    need,
    staff_user,
    django_capture_on_commit_callbacks,
):
    api = APIClient()
    api.force_authenticate(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/pushes/",
            {"need": need.pk, "patents": [TOP_MATCH], "channel": "wechat"},
            format="json",
        )
    assert response.status_code == 201, response.content
    push = Push.objects.get(pk=response.json()["id"])
    assert push.provider == "wechat" and push.delivery == Push.Delivery.PENDING
    [message] = wechat.sent.values()
    assert message["touser"] == "o-bound-openid"


def test_weekly_digest_mails_top_matches_over_smtp_once(
    smtp,  # noqa: F811
    need,
    django_capture_on_commit_callbacks,
):
    matches = match_need(need=need, top=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert push_digest_send(top=3) == 1
    push = Push.objects.get()
    assert push.channel == Push.Channel.EMAIL and matches
    assert list(push.items.order_by("pk").values_list("patent_id", flat=True)) == [
        m.patent_id for m in matches
    ]
    assert TOP_MATCH in push.items.order_by("pk").first().title
    assert push.delivery == Push.Delivery.DELIVERED and len(smtp.messages) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert push_digest_send(top=3) == 0  # nothing new for this enterprise
    assert len(smtp.messages) == 1
