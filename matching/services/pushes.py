"""Pushes (精准推送): create with deduplication and caps, send, record outcomes.

``push_create`` is the cross-app contract (openlicense and trading push their
items through it). Deduplication is a unique constraint on (recipient, item):
the same item never reaches the same enterprise twice, whoever pushes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization
from portal.background import task_enqueue

from ..models import Push, PushItem, PushPreference, TechNeed

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PushItemSpec:
    kind: str
    patent_id: int | None = None
    object_id: int | None = None
    title: str = ""
    url: str = ""

    @property
    def dedup_key(self) -> str:
        target = self.patent_id if self.kind == PushItem.Kind.PATENT else self.object_id
        return f"{self.kind}:{target}"


def push_preference_get(*, organization: Organization) -> PushPreference:
    preference, _created = PushPreference.objects.get_or_create(organization=organization)
    return preference


def _weekly_cap_reached(*, organization: Organization, cap: int) -> bool:
    since = timezone.now() - dt.timedelta(days=7)
    sent = Push.objects.filter(
        organization=organization, status=Push.Status.SENT, sent_at__gte=since
    ).count()
    return sent >= cap


def _daily_cap_reached(*, organization: Organization, exclude_pk: int) -> bool:
    """Pushes queued or sent to this enterprise today, whatever the channel."""
    cap = int(getattr(settings, "MATCHING_PUSH_DAILY_CAP", 2))
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = (
        Push.objects.filter(
            organization=organization,
            status__in=[Push.Status.QUEUED, Push.Status.SENT],
            created_at__gte=start,
        )
        .exclude(pk=exclude_pk)
        .count()
    )
    return today >= cap


def _validate_spec(spec: PushItemSpec) -> None:
    if spec.kind not in PushItem.Kind.values:
        raise ValidationError(_("Unknown push item kind: %(kind)s") % {"kind": spec.kind})
    if spec.kind == PushItem.Kind.PATENT and not spec.patent_id:
        raise ValidationError(_("A patent item needs a patent."))
    if spec.kind != PushItem.Kind.PATENT and not spec.object_id:
        raise ValidationError(_("An open-licence or listing item needs its object id."))


@transaction.atomic
def push_create(
    *,
    organization: Organization,
    items: list[PushItemSpec],
    channel: str,
    programme_line: str,
    need: TechNeed | None = None,
    created_by=None,
    personalised: bool = True,
) -> Push:
    """Record a push and send it after commit.

    Items already pushed to this organization are dropped. The push is stored
    with status "suppressed" (and a reason) when nothing new is left, when the
    enterprise unsubscribed, opted out of personalised pushes (PIPL art. 24) or
    reached its weekly cap — so every decision not to send is on record.
    """
    if channel not in Push.Channel.values:
        raise ValidationError(_("Unknown channel: %(channel)s") % {"channel": channel})
    if need is not None and need.status != TechNeed.Status.PUBLISHED:
        raise ValidationError(_("Only published needs receive pushes."), code="need_not_published")
    for spec in items:
        _validate_spec(spec)
    preference = push_preference_get(organization=organization)
    push = Push.objects.create(
        organization=organization,
        need=need,
        channel=channel,
        programme_line=programme_line,
        created_by=created_by,
        personalised=personalised,
    )
    already = set(
        PushItem.objects.filter(
            organization=organization, dedup_key__in=[s.dedup_key for s in items]
        ).values_list("dedup_key", flat=True)
    )
    seen: set[str] = set()
    for spec in items:
        key = spec.dedup_key
        if key in already or key in seen:
            continue
        seen.add(key)
        try:
            with transaction.atomic():
                PushItem.objects.create(
                    push=push,
                    organization=organization,
                    kind=spec.kind,
                    patent_id=spec.patent_id,
                    object_id=spec.object_id,
                    title=spec.title[:500],
                    url=spec.url[:500],
                    dedup_key=key,
                )
        except IntegrityError:
            # A concurrent push took it first: still never twice.
            continue
    reason = ""
    if not seen:
        reason = _("Every item was already pushed to this enterprise.")
    elif preference.unsubscribed_at:
        reason = _("The enterprise unsubscribed.")
    elif personalised and preference.personalised_opt_out:
        reason = _("The enterprise opted out of personalised pushes.")
    elif _weekly_cap_reached(organization=organization, cap=preference.weekly_cap):
        reason = _("Weekly cap reached; the items wait for the next digest.")
    elif _daily_cap_reached(organization=organization, exclude_pk=push.pk):
        reason = _("Daily cap reached across channels; the items wait for a later push.")
    if reason:
        push.status = Push.Status.SUPPRESSED
        push.status_reason = reason
        push.save(update_fields=["status", "status_reason"])
        if seen:
            # Items held back (cap, opt-out) were never sent: free their keys so
            # that a later push may carry them; the suppressed push stays on record.
            PushItem.objects.filter(push=push).delete()
        return push
    task_enqueue("matching.tasks.push_send_task", push_id=push.pk)
    return push


def _backoff(attempt: int) -> dt.timedelta:
    """1, 5, 25 minutes… after the first, second, third failed attempt."""
    base = int(getattr(settings, "MATCHING_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=base * 5 ** max(attempt - 1, 0))


def _schedule_retry(push: Push) -> None:
    delay = max((push.next_attempt_at - timezone.now()).total_seconds(), 0)
    task_enqueue("matching.tasks.push_send_task", countdown=delay, push_id=push.pk)


def push_send(*, push_id: int, now: dt.datetime | None = None) -> Push | None:
    """Hand one queued push to its channel's provider. Idempotent: sends once.

    A transient provider error (rate limit, timeout, provider fault) keeps the
    push queued with a backoff (``MATCHING_SEND_ATTEMPTS`` tries in all); a
    permanent one (rejected template, invalid number, no bound WeChat) fails it
    at once with the provider's reason. Delivery is left to the receipts.
    """
    from ..channels import channel_for
    from ..delivery import DeliveryError

    now = now or timezone.now()
    with transaction.atomic():
        push = Push.objects.select_for_update().filter(pk=push_id).first()
        if push is None or push.status != Push.Status.QUEUED:
            return push
        if push.next_attempt_at and push.next_attempt_at > now:
            return push  # a retry is scheduled for later
        preference = push_preference_get(organization=push.organization)
        if preference.unsubscribed_at or (push.personalised and preference.personalised_opt_out):
            # The opt-out came after the push was queued: honoured by every channel.
            push.status = Push.Status.SUPPRESSED
            push.status_reason = _("The enterprise opted out before the push went out.")
            push.save(update_fields=["status", "status_reason"])
            PushItem.objects.filter(push=push).delete()
            return push
        items = list(push.items.select_related("patent"))
        push.attempts += 1
        fields = ["attempts", "status", "status_reason", "next_attempt_at"]
        try:
            handoff = channel_for(push.channel).send(push=push, items=items, preference=preference)
        except DeliveryError as error:
            logger.warning("push %s attempt %s: %s", push.pk, push.attempts, error)
            attempts = int(getattr(settings, "MATCHING_SEND_ATTEMPTS", 4))
            push.status_reason = str(error)[:255]
            if error.transient and push.attempts < attempts:
                push.next_attempt_at = now + _backoff(push.attempts)
                push.save(update_fields=fields)
                _schedule_retry(push)
                return push
            push.status = Push.Status.FAILED
            push.next_attempt_at = None
            push.delivery = Push.Delivery.FAILED
            push.delivery_reason = str(error)[:255]
            push.save(update_fields=[*fields, "delivery", "delivery_reason"])
            return push
        except Exception as error:  # an adapter bug is recorded, not raised, never retried
            logger.exception("push %s failed", push.pk)
            push.status = Push.Status.FAILED
            push.status_reason = str(error)[:255]
            push.next_attempt_at = None
            push.save(update_fields=fields)
            return push
        push.status = Push.Status.SENT
        push.status_reason = handoff.detail[:255]
        push.next_attempt_at = None
        push.sent_at = now
        push.provider = handoff.provider
        push.provider_message_id = handoff.message_id[:64]
        if handoff.delivered:
            # An SMTP server accepting the mail is e-mail's delivery evidence.
            push.delivery = Push.Delivery.DELIVERED
            push.delivered_at = now
            push.receipt_at = now
        elif handoff.message_id:
            push.delivery = Push.Delivery.PENDING
        else:
            # No provider id (log channel, non-SMTP mail backend): no receipt will come.
            push.delivery = Push.Delivery.UNKNOWN
            push.delivery_reason = _("No provider receipt for this channel.")
        push.save(
            update_fields=[
                *fields,
                "sent_at",
                "provider",
                "provider_message_id",
                "delivery",
                "delivery_reason",
                "delivered_at",
                "receipt_at",
            ]
        )
    return push


def push_send_due(*, now: dt.datetime | None = None) -> int:
    """Beat backstop: send queued pushes whose retry time has come."""
    now = now or timezone.now()
    due = Push.objects.filter(status=Push.Status.QUEUED, next_attempt_at__lte=now)
    count = 0
    for push_id in due.values_list("pk", flat=True):
        push_send(push_id=push_id, now=now)
        count += 1
    return count


def push_record_open(*, token: str) -> Push | None:
    push = Push.objects.filter(token=token).first()
    if push is not None and push.opened_at is None:
        Push.objects.filter(pk=push.pk, opened_at__isnull=True).update(opened_at=timezone.now())
        push.refresh_from_db()
    return push


def push_item_record_click(*, token: str, item_id: int) -> PushItem | None:
    item = PushItem.objects.select_related("push").filter(pk=item_id, push__token=token).first()
    if item is None:
        return None
    now = timezone.now()
    # A click proves the message was opened even when images were blocked.
    push_record_open(token=token)
    if item.clicked_at is None:
        PushItem.objects.filter(pk=item.pk, clicked_at__isnull=True).update(clicked_at=now)
        item.clicked_at = now
    return item


def push_item_record_feedback(
    *, item: PushItem, feedback: str, reason: str = "", note: str = ""
) -> PushItem:
    if feedback not in (PushItem.Feedback.INTERESTED, PushItem.Feedback.NOT_INTERESTED):
        raise ValidationError(_("Say whether you are interested."))
    if feedback == PushItem.Feedback.NOT_INTERESTED and not reason:
        raise ValidationError(_("Choose a reason so that we push better next time."))
    if reason and reason not in PushItem.Reason.values:
        raise ValidationError(_("Unknown reason."))
    item.feedback = feedback
    item.feedback_reason = reason if feedback == PushItem.Feedback.NOT_INTERESTED else ""
    item.feedback_note = note.strip()
    item.feedback_at = timezone.now()
    item.save(update_fields=["feedback", "feedback_reason", "feedback_note", "feedback_at"])
    return item


def push_item_record_outcome(*, item: PushItem, outcome: str) -> PushItem:
    if outcome not in (PushItem.Outcome.INTRODUCED, PushItem.Outcome.DEAL):
        raise ValidationError(_("Unknown follow-up."))
    item.outcome = outcome
    item.outcome_at = timezone.now()
    item.save(update_fields=["outcome", "outcome_at"])
    return item


def push_preference_update(
    *, preference: PushPreference, unsubscribe: bool, personalised_opt_out: bool
) -> PushPreference:
    preference.unsubscribed_at = (
        (preference.unsubscribed_at or timezone.now()) if unsubscribe else None
    )
    preference.personalised_opt_out = personalised_opt_out
    preference.save(update_fields=["unsubscribed_at", "personalised_opt_out"])
    return preference


def need_push(
    *,
    need: TechNeed,
    channel: str,
    patent_ids: list[int] | None = None,
    items: list[PushItemSpec] | None = None,
    top: int = 5,
    programme_line: str | None = None,
    created_by=None,
) -> Push | None:
    """Match, then push: the one way a need's enterprise receives a push.

    The staff page and the API name the patents (``patent_ids``), the open-licence
    push names its item (``items``), the weekly digest names neither and takes the
    need's ``top`` new matches. Returns None when there is nothing to push.
    """
    from ..channels import channel_selectable

    if channel not in Push.Channel.values or not channel_selectable(channel):
        raise ValidationError(_("Unknown channel: %(channel)s") % {"channel": channel})
    if need.status != TechNeed.Status.PUBLISHED:
        raise ValidationError(_("Only published needs receive pushes."))
    if items is None and patent_ids is not None:
        from patents.models import Patent

        patents = Patent.objects.in_bulk(list(patent_ids))
        missing = [pk for pk in patent_ids if pk not in patents]
        if missing:
            raise ValidationError(
                _("Unknown patents: %(ids)s") % {"ids": ", ".join(map(str, missing))}
            )
        items = [
            PushItemSpec(
                kind=PushItem.Kind.PATENT,
                patent_id=pk,
                title=f"{patents[pk].publication_number} {patents[pk].title}",
            )
            for pk in patent_ids
        ]
    elif items is None:
        from ..matcher import match_need

        items = [
            PushItemSpec(
                kind=PushItem.Kind.PATENT,
                patent_id=m.patent_id,
                title=f"{m.publication_number} {m.title}",
            )
            for m in match_need(need=need, top=top)
        ]
    if not items:
        return None
    return push_create(
        organization=need.organization,
        items=items,
        channel=channel,
        programme_line=programme_line or need.programme_line,
        need=need,
        created_by=created_by,
    )


def push_digest_send(*, programme_line: str | None = None, top: int = 5) -> int:
    """Weekly digest: for each published need, push its best new matches.

    Runs on Celery beat. Deduplication makes it idempotent: a second run in the
    same week finds nothing new for the same enterprise.
    """
    created = 0
    needs = TechNeed.objects.filter(status=TechNeed.Status.PUBLISHED).select_related("organization")
    if programme_line:
        needs = needs.filter(programme_line=programme_line)
    for need in needs.iterator():
        push = need_push(need=need, channel=Push.Channel.EMAIL, top=top)
        created += push is not None and push.status != Push.Status.SUPPRESSED
    return created
