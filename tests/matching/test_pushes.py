"""Pushes: deduplication, consent, caps, delivery, tracking, feedback, funnel, KPIs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.models import Push, PushItem, PushPreference, TechNeed
from matching.selectors import needs_published_in_period, push_funnel, push_items_sent_in_period
from matching.services import PushItemSpec, push_create
from portal.programme import ProgrammeLine

LINE = ProgrammeLine.INDUSTRY_OPERATIONS


def _specs(patents):
    return [PushItemSpec(kind="patent", patent_id=p.pk, title=p.title) for p in patents]


@pytest.fixture
def sent_push(cn_patents, enterprise, enterprise_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        push = push_create(
            organization=enterprise,
            items=_specs(cn_patents[:3]),
            channel="email",
            programme_line=LINE,
        )
    push.refresh_from_db()
    return push


@pytest.mark.django_db
def test_push_is_mailed_with_tracked_links_and_unsubscribe(sent_push):
    assert sent_push.status == Push.Status.SENT
    # The locmem backend is no SMTP server: nothing proves delivery, so it is not counted.
    assert sent_push.delivery == Push.Delivery.UNKNOWN
    assert sent_push.delivered_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["buyer@example.org"]
    body = message.body
    assert f"/matching/t/c/{sent_push.token}/" in body
    assert f"/matching/p/{sent_push.token}/preferences/" in body
    html = message.alternatives[0][0]
    assert f"/matching/t/o/{sent_push.token}.gif" in html


@pytest.mark.django_db
def test_the_same_item_never_reaches_the_same_enterprise_twice(sent_push, cn_patents, enterprise):
    again = push_create(
        organization=enterprise, items=_specs(cn_patents[:4]), channel="email", programme_line=LINE
    )
    assert list(again.items.values_list("patent_id", flat=True)) == [cn_patents[3].pk]
    repeat = push_create(
        organization=enterprise, items=_specs(cn_patents[:3]), channel="sms", programme_line=LINE
    )
    assert repeat.status == Push.Status.SUPPRESSED
    assert repeat.items.count() == 0
    assert PushItem.objects.filter(organization=enterprise, patent=cn_patents[0]).count() == 1


@pytest.mark.django_db
def test_opt_out_and_unsubscribe_are_honoured(client, sent_push, cn_patents, enterprise):
    url = reverse("matching:unsubscribe", args=[sent_push.token])
    response = client.post(url, {"personalised_opt_out": "on"})
    assert response.status_code == 200
    preference = PushPreference.objects.get(organization=enterprise)
    assert preference.personalised_opt_out and preference.unsubscribed_at is None
    push = push_create(
        organization=enterprise, items=_specs(cn_patents[5:6]), channel="email", programme_line=LINE
    )
    assert push.status == Push.Status.SUPPRESSED
    assert "个性化" in push.status_reason or "personalised" in push.status_reason
    # The suppressed item was not sent, so a later (non-personalised) push may carry it.
    later = push_create(
        organization=enterprise,
        items=_specs(cn_patents[5:6]),
        channel="log",
        programme_line=LINE,
        personalised=False,
    )
    assert later.items.count() == 1

    client.post(url, {"unsubscribe": "on"})
    preference.refresh_from_db()
    assert preference.unsubscribed_at is not None
    final = push_create(
        organization=enterprise,
        items=_specs(cn_patents[7:8]),
        channel="email",
        programme_line=LINE,
        personalised=False,
    )
    assert final.status == Push.Status.SUPPRESSED


@pytest.mark.django_db
def test_weekly_cap_holds_back_pushes(
    cn_patents, enterprise, enterprise_user, django_capture_on_commit_callbacks
):
    PushPreference.objects.create(organization=enterprise, weekly_cap=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = push_create(
            organization=enterprise,
            items=_specs(cn_patents[:1]),
            channel="log",
            programme_line=LINE,
        )
    first.refresh_from_db()
    assert first.status == Push.Status.SENT
    second = push_create(
        organization=enterprise, items=_specs(cn_patents[1:2]), channel="log", programme_line=LINE
    )
    assert second.status == Push.Status.SUPPRESSED
    assert not PushItem.objects.filter(patent=cn_patents[1]).exists()


@pytest.mark.django_db
def test_unknown_kind_or_channel_is_refused(enterprise, cn_patents):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        push_create(
            organization=enterprise,
            items=[PushItemSpec(kind="poem", object_id=1)],
            channel="email",
            programme_line=LINE,
        )
    with pytest.raises(ValidationError):
        push_create(
            organization=enterprise,
            items=_specs(cn_patents[:1]),
            channel="pigeon",
            programme_line=LINE,
        )


@pytest.mark.django_db
def test_open_click_feedback_outcome_and_funnel(client, sent_push, staff_user):
    pixel = client.get(reverse("matching:track_open", args=[sent_push.token]))
    assert pixel["Content-Type"] == "image/gif"
    sent_push.refresh_from_db()
    assert sent_push.opened_at is not None

    first, second, _third = sent_push.items.order_by("pk")
    click = client.get(reverse("matching:track_click", args=[sent_push.token, first.pk]))
    assert click.status_code == 302
    assert click["Location"] == reverse("patents:detail", args=[first.patent.publication_number])
    assert client.get(reverse("matching:track_click", args=["wrong", first.pk])).status_code == 404

    feedback_url = reverse("matching:push_feedback", args=[sent_push.token])
    # "Not interested" without a reason is refused with an explanation.
    response = client.post(
        feedback_url, {"item": second.pk, f"item{second.pk}-feedback": "not_interested"}
    )
    second.refresh_from_db()
    assert second.feedback == ""
    assert "原因" in response.content.decode() or "reason" in response.content.decode()
    client.post(
        feedback_url,
        {
            "item": second.pk,
            f"item{second.pk}-feedback": "not_interested",
            f"item{second.pk}-reason": "too_expensive",
        },
    )
    client.post(feedback_url, {"item": first.pk, f"item{first.pk}-feedback": "interested"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.feedback == "interested"
    assert (second.feedback, second.feedback_reason) == ("not_interested", "too_expensive")

    client.force_login(staff_user)
    outcome_url = reverse("matching:push_item_outcome", args=[first.pk])
    back = client.post(outcome_url, {"outcome": "introduced", "next": "https://evil.example/x"})
    first.refresh_from_db()
    assert first.outcome == "introduced"
    # ``next`` is followed only on this site (portal.redirects), never to another host.
    assert back["Location"] == reverse("matching:funnel")
    own = reverse("matching:funnel") + "?line=talent"
    back = client.post(outcome_url, {"outcome": "introduced", "next": own})
    assert back["Location"] == own

    today = timezone.localdate()
    funnel = push_funnel(start=today, end=today + dt.timedelta(days=1))
    assert (
        funnel.sent,
        funnel.opened,
        funnel.clicked,
        funnel.interested,
        funnel.introduced,
        funnel.deal,
    ) == (3, 3, 1, 1, 1, 0)
    page = client.get(reverse("matching:funnel")).content.decode()
    assert "已发送" in page or "Sent" in page


@pytest.mark.django_db
def test_kpi_selectors_count_sent_items_and_published_needs(sent_push, enterprise):
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    assert push_items_sent_in_period(start=today, end=tomorrow).count() == 3
    assert push_items_sent_in_period(start=today, end=tomorrow, kinds=["listing"]).count() == 0
    assert (
        push_items_sent_in_period(
            start=today, end=tomorrow, programme_line=ProgrammeLine.TALENT
        ).count()
        == 0
    )
    assert (
        push_items_sent_in_period(start=tomorrow, end=tomorrow + dt.timedelta(days=1)).count() == 0
    )
    TechNeed.objects.create(
        organization=enterprise,
        title="需求",
        description="z" * 30,
        industry="mechanical",
        cooperation_mode="transfer",
        contact_name="王",
        contact_mobile="13800138000",
        status=TechNeed.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    assert needs_published_in_period(start=today, end=tomorrow).count() == 1
    assert (
        needs_published_in_period(
            start=today, end=tomorrow, programme_line=ProgrammeLine.TRADING_HUB
        ).count()
        == 0
    )


@pytest.mark.django_db
def test_the_kpi_counts_only_delivered_items_never_logged_ones(
    cn_patents, enterprise, enterprise_user, django_capture_on_commit_callbacks
):
    """Issue 15: pushes through the log channel and stubs said "delivered" and the KPI
    counted them; now only a provider's receipt is delivery (issue 16)."""
    from matching.delivery.base import Receipt
    from matching.selectors import push_items_delivered_in_period
    from matching.services import push_receipt_record

    PushPreference.objects.update_or_create(organization=enterprise, defaults={"weekly_cap": 10})
    today = timezone.localdate()
    period = {"start": today, "end": today + dt.timedelta(days=1)}
    with django_capture_on_commit_callbacks(execute=True):
        for patent, channel in zip(cn_patents[:2], ("log", "email"), strict=True):
            push_create(
                organization=enterprise,
                items=_specs([patent]),
                channel=channel,
                programme_line=LINE,
            )
    assert push_items_sent_in_period(**period).count() == 2  # sent, as the funnel shows
    # The log line and a hand-off to a console/locmem mail backend are no evidence.
    assert push_items_delivered_in_period(**period).count() == 0
    email = Push.objects.get(channel="email")
    assert email.delivery == Push.Delivery.UNKNOWN
    # The provider's report is: the e-mail push counts from its receipt.
    Push.objects.filter(pk=email.pk).update(
        provider="smtp", provider_message_id="<kpi-1@portal>", delivery=Push.Delivery.PENDING
    )
    push_receipt_record(receipt=Receipt("smtp", "<kpi-1@portal>", Push.Delivery.DELIVERED))
    assert push_items_delivered_in_period(**period).count() == 1
    # A log push marked delivered by a stub of an older release still never counts.
    Push.objects.filter(channel="log").update(delivered_at=timezone.now())
    assert push_items_delivered_in_period(**period).count() == 1
