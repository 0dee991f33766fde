"""Pushes (精准推送): create with deduplication and caps, send, record outcomes.

``push_create`` is the cross-app contract (openlicense and trading push their
items through it). Deduplication is a unique constraint on (recipient, item):
the same item never reaches the same enterprise twice, whoever pushes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization
from portal.background import task_enqueue
from portal.programme import ProgrammeLine

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


def push_send(*, push_id: int) -> Push | None:
    """Deliver one queued push through its channel. Idempotent: sends once."""
    from ..channels import channel_for

    with transaction.atomic():
        push = Push.objects.select_for_update().filter(pk=push_id).first()
        if push is None or push.status != Push.Status.QUEUED:
            return push
        preference = push_preference_get(organization=push.organization)
        items = list(push.items.select_related("patent"))
        try:
            result = channel_for(push.channel).send(push=push, items=items, preference=preference)
        except Exception as error:  # a channel failure is recorded, not raised
            logger.exception("push %s failed", push.pk)
            push.status = Push.Status.FAILED
            push.status_reason = str(error)[:255]
            push.save(update_fields=["status", "status_reason"])
            return push
        now = timezone.now()
        push.status = Push.Status.SENT if result.ok else Push.Status.FAILED
        push.status_reason = result.detail[:255]
        push.sent_at = now
        if result.ok and result.delivered:
            push.delivered_at = now
        push.save(update_fields=["status", "status_reason", "sent_at", "delivered_at"])
    return push


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


def push_digest_send(*, programme_line: str | None = None, top: int = 5) -> int:
    """Weekly digest: for each published need, push its best new matches.

    Runs on Celery beat. Deduplication makes it idempotent: a second run in the
    same week finds nothing new for the same enterprise.
    """
    from ..matcher import match_need

    line = programme_line or ProgrammeLine.INDUSTRY_OPERATIONS
    created = 0
    needs = TechNeed.objects.filter(status=TechNeed.Status.PUBLISHED).select_related("organization")
    if programme_line:
        needs = needs.filter(programme_line=programme_line)
    for need in needs.iterator():
        matches = match_need(need=need, top=top)
        specs = [
            PushItemSpec(kind=PushItem.Kind.PATENT, patent_id=m.patent_id, title=m.title)
            for m in matches
        ]
        if not specs:
            continue
        push = push_create(
            organization=need.organization,
            items=specs,
            channel=Push.Channel.EMAIL,
            programme_line=need.programme_line or line,
            need=need,
        )
        created += push.status != Push.Status.SUPPRESSED
    return created
