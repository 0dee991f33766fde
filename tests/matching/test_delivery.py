"""Real delivery: the providers' SDKs against local servers speaking their documented APIs.

Each test drives a push (or a verification code) through the portal's service,
the provider's own SDK and a fake provider on 127.0.0.1 (tests/matching/providers.py)
that checks the request signature; delivery state then follows only the receipts.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from matching.checks import counted_channels_deliver
from matching.forms import PushForm
from matching.models import Push, PushPreference
from matching.selectors import push_items_delivered_in_period
from matching.services import (
    PushItemSpec,
    push_create,
    push_preference_get,
    push_receipts_poll,
    push_send,
    push_send_due,
)
from portal.programme import ProgrammeLine

from . import providers

LINE = ProgrammeLine.INDUSTRY_OPERATIONS
pytestmark = pytest.mark.django_db


def _specs(patents):
    return [PushItemSpec(kind="patent", patent_id=p.pk, title=p.title) for p in patents]


@pytest.fixture
def push_to(cn_patents, enterprise, django_capture_on_commit_callbacks):
    """Push ``count`` fresh patents by ``channel``; the send runs as after commit."""
    used = iter(range(len(cn_patents)))

    def push(channel, *, count=2, **preference):
        PushPreference.objects.update_or_create(
            organization=enterprise, defaults={"weekly_cap": 50, **preference}
        )
        patents = [cn_patents[next(used)] for _ in range(count)]
        with django_capture_on_commit_callbacks(execute=True):
            created = push_create(
                organization=enterprise, items=_specs(patents), channel=channel, programme_line=LINE
            )
        created.refresh_from_db()
        return created

    return push


@pytest.fixture(autouse=True)
def _delivery_settings(settings):
    settings.MATCHING_PROVIDER_TIMEOUT = 1
    settings.MATCHING_PUSH_DAILY_CAP = 50


@pytest.fixture
def aliyun(settings):
    with providers.FakeAliyunSms() as fake:
        settings.MATCHING_SMS_PROVIDER = "aliyun"
        settings.ALIYUN_SMS = fake.settings()
        yield fake


@pytest.fixture
def tencent(settings):
    with providers.FakeTencentSms() as fake:
        settings.MATCHING_SMS_PROVIDER = "tencent"
        settings.TENCENT_SMS = fake.settings()
        yield fake


@pytest.fixture
def wechat(settings):
    from matching.delivery import wechat as adapter

    adapter._CLIENTS.clear()
    with providers.FakeWeChat() as fake:
        settings.WECHAT_MP = fake.settings()
        yield fake
    adapter._CLIENTS.clear()


@pytest.fixture
def smtp(settings, tmp_path, monkeypatch):
    with providers.FakeSmtp(tmp_path) as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        monkeypatch.setenv("SSL_CERT_FILE", fake.cert)  # the client verifies the server
        yield fake


def _delivered_count(push) -> int:
    today = timezone.localdate()
    return (
        push_items_delivered_in_period(start=today, end=today + dt.timedelta(days=1))
        .filter(push=push)
        .count()
    )


# --- e-mail: a real SMTP server (STARTTLS + AUTH) ---------------------------------------


def test_email_goes_over_smtp_with_tls_and_auth_and_counts_on_acceptance(smtp, push_to):
    push = push_to("email", email="buyer@example.cn")
    assert push.status == Push.Status.SENT
    assert smtp.logins == [providers.FakeSmtp.USER]
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == ["buyer@example.cn"]
    content = envelope.content.decode()
    assert "multipart/alternative" in content and "text/html" in content
    assert push.provider == "smtp" and push.provider_message_id in content
    assert push.delivery == Push.Delivery.DELIVERED and push.delivered_at is not None
    assert _delivered_count(push) == 2


def test_smtp_refused_recipient_fails_at_once_with_the_server_reason(smtp, push_to):
    push = push_to("email", email="nobody@example.cn")
    assert push.status == Push.Status.FAILED and push.attempts == 1
    assert push.delivery == Push.Delivery.FAILED
    assert "Recipient address rejected" in push.delivery_reason
    assert smtp.messages == [] and _delivered_count(push) == 0


def test_smtp_temporary_refusal_is_retried_with_backoff(smtp, push_to):
    push = push_to("email", email="busy@example.cn")
    assert push.status == Push.Status.QUEUED and push.attempts == 1
    assert push.next_attempt_at > timezone.now()
    assert push_send_due() == 0  # not due yet
    later = push.next_attempt_at + dt.timedelta(seconds=1)
    assert push_send_due(now=later) == 1
    push.refresh_from_db()
    assert push.attempts == 2 and push.next_attempt_at - later >= dt.timedelta(minutes=5)


def test_smtp_wrong_password_is_not_delivered(smtp, push_to, settings):
    settings.EMAIL_HOST_PASSWORD = "wrong"
    push = push_to("email", email="buyer@example.cn")
    assert push.status == Push.Status.FAILED and push.delivery == Push.Delivery.FAILED
    assert push.delivery_reason.startswith("535") and smtp.messages == []


# --- Aliyun SMS: SendSms, QuerySendDetails pull, SmsReport push ------------------------


def test_aliyun_sms_push_is_delivered_only_when_the_status_pull_says_so(aliyun, push_to):
    push = push_to("sms", mobile="13812345678")
    assert push.status == Push.Status.SENT and push.provider == "aliyun"
    sent = aliyun.sent[push.provider_message_id]
    assert sent["SignName"] == "山东专利运营" and sent["TemplateCode"] == "SMS_480001"
    params = json.loads(sent["TemplateParam"])
    assert params["count"] == "2" and f"/matching/p/{push.token}/" in params["link"]
    assert push.delivery == Push.Delivery.PENDING and _delivered_count(push) == 0

    assert push_receipts_poll() == 0  # SendStatus 1: waiting for the carrier
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.PENDING
    aliyun.status[push.provider_message_id] = (3, "DELIVERED")
    assert push_receipts_poll() == 1
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.DELIVERED and _delivered_count(push) == 2
    assert [r["action"] for r in aliyun.requests] == ["SendSms", *["QuerySendDetails"] * 2]


def test_aliyun_failed_report_keeps_the_carrier_reason(aliyun, push_to):
    push = push_to("sms", mobile="13812345678")
    aliyun.status[push.provider_message_id] = (2, "MK:0001")
    push_receipts_poll()
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.FAILED and push.delivery_reason == "MK:0001"


def test_aliyun_signature_is_checked(aliyun, push_to, settings):
    settings.ALIYUN_SMS = {**aliyun.settings(), "access_key_secret": "not-the-secret"}
    push = push_to("sms", mobile="13812345678")
    assert push.status == Push.Status.FAILED and aliyun.sent == {}
    assert "SignatureDoesNotMatch" in push.delivery_reason


def test_aliyun_rejected_template_fails_without_retry(aliyun, push_to, settings):
    settings.ALIYUN_SMS = {**aliyun.settings(), "push_template": "SMS_BAD"}
    push = push_to("sms", mobile="13812345678")
    assert push.status == Push.Status.FAILED and push.attempts == 1
    assert "isv.SMS_TEMPLATE_ILLEGAL" in push.delivery_reason


def test_aliyun_invalid_number_fails_without_retry(aliyun, push_to):
    push = push_to("sms", mobile=providers.INVALID)
    assert push.status == Push.Status.FAILED and push.next_attempt_at is None
    assert "isv.MOBILE_NUMBER_ILLEGAL" in push.delivery_reason


def test_aliyun_rate_limit_is_retried_then_given_up(aliyun, push_to, settings):
    settings.MATCHING_SEND_ATTEMPTS = 3
    push = push_to("sms", mobile=providers.RATE_LIMITED)
    assert push.status == Push.Status.QUEUED and "BUSINESS_LIMIT_CONTROL" in push.status_reason
    for attempt in (2, 3):
        push_send(push_id=push.pk, now=push.next_attempt_at)
        push.refresh_from_db()
        assert push.attempts == attempt
    assert push.status == Push.Status.FAILED and push.delivery == Push.Delivery.FAILED
    assert "isv.BUSINESS_LIMIT_CONTROL" in push.delivery_reason
    assert len([r for r in aliyun.requests if r["action"] == "SendSms"]) == 3


def test_aliyun_timeout_is_transient(aliyun, push_to):
    push = push_to("sms", mobile=providers.STALLS)
    assert push.status == Push.Status.QUEUED and push.next_attempt_at is not None
    assert push.status_reason.startswith("network")


def test_aliyun_sms_report_callback_is_token_checked_and_idempotent(aliyun, push_to, client):
    push = push_to("sms", mobile="13812345678")
    url = reverse("matching:receipt_aliyun_sms", args=["aliyun-callback-secret"])
    wrong = reverse("matching:receipt_aliyun_sms", args=["guess"])
    body = aliyun.report(
        push.provider_message_id, success=True, err_code="DELIVERED", err_msg="用户接收成功"
    )
    assert client.post(wrong, body, content_type="application/json").status_code == 404
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.PENDING
    answer = client.post(url, body, content_type="application/json")
    assert answer.json() == {"code": 0, "msg": "OK"}
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.DELIVERED
    first = push.receipt_at
    # A duplicate (even a contradicting one) is acknowledged and changes nothing.
    late = aliyun.report(push.provider_message_id, success=False, err_code="MK:0001", err_msg="x")
    assert client.post(url, late, content_type="application/json").json()["code"] == 0
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.DELIVERED and push.receipt_at == first
    bad = client.post(url, "not json", content_type="application/json")
    assert bad.status_code == 400


# --- Tencent Cloud SMS: SendSms + status-report callback ---------------------------------


def test_tencent_sms_push_follows_the_status_callback(tencent, push_to, client):
    push = push_to("sms", mobile="13812345678")
    assert push.status == Push.Status.SENT and push.provider == "tencent"
    sent = tencent.sent[push.provider_message_id]
    assert sent["PhoneNumberSet"] == ["+8613812345678"] and sent["TemplateId"] == "1900001"
    assert sent["TemplateParamSet"][1] == "2"
    assert push.delivery == Push.Delivery.PENDING

    url = reverse("matching:receipt_tencent_sms", args=["tencent-callback-secret"])
    report = tencent.report(
        push.provider_message_id, success=True, errmsg="DELIVRD", description="用户短信送达成功"
    )
    for _ in range(2):  # the provider re-sends: the second report changes nothing
        answer = client.post(url, report, content_type="application/json")
        assert answer.json() == {"result": 0, "errmsg": "OK"}
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.DELIVERED and _delivered_count(push) == 2
    assert Push.objects.filter(delivery=Push.Delivery.DELIVERED).count() == 1
    wrong = reverse("matching:receipt_tencent_sms", args=["guess"])
    assert client.post(wrong, report, content_type="application/json").status_code == 404


def test_tencent_failed_report_keeps_the_reason(tencent, push_to, client):
    push = push_to("sms", mobile="13812345678")
    url = reverse("matching:receipt_tencent_sms", args=["tencent-callback-secret"])
    report = tencent.report(
        push.provider_message_id, success=False, errmsg="MK:0005", description="空号"
    )
    client.post(url, report, content_type="application/json")
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.FAILED and push.delivery_reason == "MK:0005 空号"
    assert _delivered_count(push) == 0


@pytest.mark.parametrize(
    ("change", "mobile", "code", "retried"),
    [
        (
            {"push_template": "BAD-1"},
            "13812345678",
            "FailedOperation.TemplateIncorrectOrUnapproved",
            False,
        ),
        ({}, providers.RATE_LIMITED, "LimitExceeded.PhoneNumberDailyLimit", True),
        ({}, providers.INVALID, "InvalidParameterValue.IncorrectPhoneNumber", False),
        ({"secret_key": "not-the-key"}, "13812345678", "AuthFailure.SignatureFailure", False),
        ({}, providers.STALLS, "network", True),
    ],
    ids=["rejected-template", "rate-limit", "invalid-number", "bad-signature", "timeout"],
)
def test_tencent_failure_modes(tencent, push_to, settings, change, mobile, code, retried):
    settings.TENCENT_SMS = {**tencent.settings(), **change}
    push = push_to("sms", mobile=mobile)
    assert push.status_reason.startswith(code)
    if retried:
        assert push.status == Push.Status.QUEUED and push.next_attempt_at is not None
    else:
        assert push.status == Push.Status.FAILED and push.delivery == Push.Delivery.FAILED
    assert tencent.sent == {}


# --- WeChat template messages + signed TEMPLATESENDJOBFINISH events ----------------------


def test_wechat_push_follows_the_signed_job_finish_event(wechat, push_to, client):
    push = push_to("wechat", wechat_openid="o-bound-openid")
    assert push.status == Push.Status.SENT and push.provider == "wechat"
    message = wechat.sent[push.provider_message_id]
    assert message["touser"] == "o-bound-openid" and message["template_id"] == wechat.TEMPLATE
    assert f"/matching/p/{push.token}/" in message["url"]
    assert push.delivery == Push.Delivery.PENDING

    url = reverse("matching:receipt_wechat")
    event = wechat.job_finish_event(push.provider_message_id, "success")
    forged = client.post(f"{url}?signature=0&timestamp=1&nonce=2", event, content_type="text/xml")
    assert forged.status_code == 403
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.PENDING
    query = "&".join(f"{k}={v}" for k, v in wechat.signed_query().items())
    for _ in range(2):
        answer = client.post(f"{url}?{query}", event, content_type="text/xml")
        assert answer.content == b"success"
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.DELIVERED and _delivered_count(push) == 2
    echo = client.get(f"{url}?{query}&echostr=hello")
    assert echo.content == b"hello"


def test_wechat_user_block_is_a_failed_delivery(wechat, push_to, client):
    push = push_to("wechat", wechat_openid="o-bound-openid")
    query = "&".join(f"{k}={v}" for k, v in wechat.signed_query().items())
    event = wechat.job_finish_event(push.provider_message_id, "failed:user block")
    client.post(f"{reverse('matching:receipt_wechat')}?{query}", event, content_type="text/xml")
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.FAILED and push.delivery_reason == "failed:user block"


@pytest.mark.parametrize(
    ("openid", "template", "code", "retried"),
    [
        ("o-bound-openid", "tmpl-unknown", "40037", False),
        ("o-rate-limited", None, "45009", True),
        ("x-not-an-openid", None, "40003", False),
        ("o-unfollowed", None, "43004", False),
        ("", None, "no_openid", False),
        ("o-stall", None, "network", True),
    ],
    ids=["rejected-template", "rate-limit", "invalid-user", "unfollowed", "unbound", "timeout"],
)
def test_wechat_failure_modes(wechat, push_to, settings, openid, template, code, retried):
    if template:
        settings.WECHAT_MP = {**wechat.settings(), "push_template_id": template}
    push = push_to("wechat", wechat_openid=openid)
    assert push.status_reason.startswith(code)
    expected = Push.Status.QUEUED if retried else Push.Status.FAILED
    assert push.status == expected and wechat.sent == {}


# --- rules every channel obeys -----------------------------------------------------------


def test_log_channel_never_counts_and_is_offered_only_with_debug(push_to, settings):
    push = push_to("log")
    assert push.status == Push.Status.SENT and push.delivery == Push.Delivery.UNKNOWN
    assert push.delivered_at is None and _delivered_count(push) == 0
    settings.DEBUG = False
    assert "log" not in dict(PushForm(patent_choices=[]).fields["channel"].choices)
    settings.DEBUG = True
    assert "log" in dict(PushForm(patent_choices=[]).fields["channel"].choices)


def test_pending_without_report_becomes_unknown_not_delivered(aliyun, push_to):
    push = push_to("sms", mobile="13812345678")
    assert push_receipts_poll(now=timezone.now() + dt.timedelta(hours=73)) == 1
    push.refresh_from_db()
    assert push.delivery == Push.Delivery.UNKNOWN and push.delivered_at is None


@pytest.mark.parametrize("channel", ["email", "sms", "wechat"])
def test_opt_out_after_queueing_is_honoured_by_every_channel(
    channel, aliyun, wechat, smtp, cn_patents, enterprise, django_capture_on_commit_callbacks
):
    preference = push_preference_get(organization=enterprise)
    preference.email, preference.mobile = "buyer@example.cn", "13812345678"
    preference.wechat_openid = "o-bound-openid"
    preference.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        push = push_create(
            organization=enterprise,
            items=_specs(cn_patents[:1]),
            channel=channel,
            programme_line=LINE,
        )
    PushPreference.objects.filter(pk=preference.pk).update(unsubscribed_at=timezone.now())
    for callback in callbacks:
        callback()
    push.refresh_from_db()
    assert push.status == Push.Status.SUPPRESSED and push.attempts == 0
    assert smtp.messages == [] and aliyun.sent == {} and wechat.sent == {}


def test_daily_cap_applies_across_channels(aliyun, wechat, smtp, push_to, settings):
    settings.MATCHING_PUSH_DAILY_CAP = 2
    contact = {
        "email": "buyer@example.cn",
        "mobile": "13812345678",
        "wechat_openid": "o-bound-openid",
    }
    assert push_to("email", **contact).status == Push.Status.SENT
    assert push_to("sms", **contact).status == Push.Status.SENT
    third = push_to("wechat", **contact)
    assert third.status == Push.Status.SUPPRESSED and "每日推送上限" in third.status_reason
    assert wechat.sent == {}


# --- mobile verification: the same SMS adapter ------------------------------------------


def test_mobile_verification_code_goes_through_the_sms_provider(aliyun, settings, rf):
    from portal.mobile import MobileVerificationError, mobile_code_send
    from tests.factories import UserFactory

    settings.SMS_BACKEND = "matching.delivery.sms.sms_verification_send"
    user = UserFactory(username="verifier")
    request = rf.post("/")
    mobile_code_send(user=user, mobile="13812345678", request=request)
    [sent] = aliyun.sent.values()
    assert sent["TemplateCode"] == "SMS_480002" and sent["PhoneNumbers"] == "13812345678"
    assert json.loads(sent["TemplateParam"])["code"].isdigit()
    with pytest.raises(MobileVerificationError, match="验证码未能发送"):
        mobile_code_send(user=user, mobile=providers.RATE_LIMITED, request=request)


# --- production check --------------------------------------------------------------------


def test_deploy_check_refuses_console_and_log_channels(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.MATCHING_SMS_PROVIDER = ""
    settings.WECHAT_MP = {**settings.WECHAT_MP, "app_id": ""}
    settings.SMS_BACKEND = "portal.mobile.console_sms_backend"
    ids = {error.id for error in counted_channels_deliver(None)}
    assert ids == {"matching.E001", "matching.E003", "matching.E004", "matching.E006"}
    settings.MATCHING_PUSH_CHANNELS = {"sms": "matching.channels.LogChannel"}
    assert "matching.E005" in {error.id for error in counted_channels_deliver(None)}
    with pytest.raises(SystemCheckError, match=r"console\.EmailBackend, which delivers nothing"):
        call_command("check", "--deploy", "--tag", "security")


def test_deploy_check_passes_with_every_provider_configured(aliyun, wechat, smtp, settings):
    settings.SMS_BACKEND = "matching.delivery.sms.sms_verification_send"
    assert counted_channels_deliver(None) == []
    settings.EMAIL_HOST_PASSWORD = ""
    [error] = counted_channels_deliver(None)
    assert error.id == "matching.E002" and "EMAIL_HOST_PASSWORD" in error.msg


# --- callbacks over real HTTP: the provider posts to a running portal ---------------------


@pytest.mark.django_db(transaction=True)
def test_providers_post_their_reports_to_the_running_portal(live_server, settings, enterprise):
    settings.TENCENT_SMS = {**settings.TENCENT_SMS, "callback_token": "tencent-callback-secret"}
    wechat = providers.FakeWeChat()
    settings.WECHAT_MP = wechat.settings()
    common = {"organization": enterprise, "programme_line": LINE, "status": Push.Status.SENT}
    sms = Push.objects.create(
        channel="sms",
        provider="tencent",
        provider_message_id="2640:77",
        delivery=Push.Delivery.PENDING,
        sent_at=timezone.now(),
        **common,
    )
    mp = Push.objects.create(
        channel="wechat",
        provider="wechat",
        provider_message_id="88",
        delivery=Push.Delivery.PENDING,
        sent_at=timezone.now(),
        **common,
    )
    path = reverse("matching:receipt_tencent_sms", args=["tencent-callback-secret"])
    report = json.dumps(
        providers.FakeTencentSms.report(
            "2640:77", success=False, errmsg="MK:0005", description="空号"
        )
    )
    status, body = providers.post_callback(live_server.url + path, report, "application/json")
    assert status == 200 and json.loads(body) == {"result": 0, "errmsg": "OK"}
    query = "&".join(f"{k}={v}" for k, v in wechat.signed_query().items())
    url = f"{live_server.url}{reverse('matching:receipt_wechat')}?{query}"
    status, body = providers.post_callback(
        url, wechat.job_finish_event("88", "success"), "text/xml"
    )
    assert status == 200 and body == b"success"
    sms.refresh_from_db()
    mp.refresh_from_db()
    assert sms.delivery == Push.Delivery.FAILED and sms.delivery_reason == "MK:0005 空号"
    assert mp.delivery == Push.Delivery.DELIVERED and mp.delivered_at is not None
