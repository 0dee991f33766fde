"""Delivery receipts: the only way a sent push becomes delivered, failed or unknown.

Reports come from the providers' callbacks (Tencent SMS status reports, WeChat
``TEMPLATESENDJOBFINISH`` events; ``matching.views.receipts``) or from the
scheduled status pull (Aliyun ``QuerySendDetails``, ``push_receipts_poll``).
Recording is idempotent: the first final report wins, a duplicate changes
nothing. A push with no report within ``MATCHING_RECEIPT_WAIT_HOURS`` becomes
"unknown" — never "delivered".
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..delivery import DeliveryError, Receipt
from ..models import Push

logger = logging.getLogger(__name__)

_FINAL = (Push.Delivery.DELIVERED, Push.Delivery.FAILED)


@transaction.atomic
def push_receipt_record(*, receipt: Receipt, now: dt.datetime | None = None) -> Push | None:
    """Apply one provider report. Returns the push, or None for an unknown id."""
    if receipt.state not in _FINAL or not receipt.message_id:
        raise ValueError(f"not a delivery report: {receipt!r}")
    push = (
        Push.objects.select_for_update()
        .filter(provider=receipt.provider, provider_message_id=receipt.message_id)
        .first()
    )
    if push is None:
        logger.warning("receipt for unknown %s message %s", receipt.provider, receipt.message_id)
        return None
    if push.delivery in _FINAL:
        return push  # duplicate (or late) report: the first final one stands
    now = now or timezone.now()
    push.delivery = receipt.state
    push.delivery_reason = receipt.reason[:255]
    push.receipt_at = now
    push.delivered_at = now if receipt.state == Push.Delivery.DELIVERED else None
    push.save(update_fields=["delivery", "delivery_reason", "receipt_at", "delivered_at"])
    return push


def push_receipts_poll(*, now: dt.datetime | None = None) -> int:
    """Beat: pull reports where the provider offers a pull; expire the silent ones.

    Returns how many pushes got a final state.
    """
    from ..channels import _recipient_mobile
    from ..delivery.sms import PROVIDERS
    from .pushes import push_preference_get

    now = now or timezone.now()
    settled = 0
    pending = Push.objects.filter(delivery=Push.Delivery.PENDING).select_related(
        "organization", "need"
    )
    for push in pending.filter(provider="aliyun").iterator():
        preference = push_preference_get(organization=push.organization)
        try:
            receipt = PROVIDERS["aliyun"]().poll(
                message_id=push.provider_message_id,
                mobile=_recipient_mobile(push, preference),
                sent_at=push.sent_at,
            )
        except DeliveryError as error:
            logger.warning("status pull for push %s failed: %s", push.pk, error)
            continue
        if receipt is not None and push_receipt_record(receipt=receipt, now=now):
            settled += 1
    wait = dt.timedelta(hours=int(getattr(settings, "MATCHING_RECEIPT_WAIT_HOURS", 72)))
    settled += Push.objects.filter(delivery=Push.Delivery.PENDING, sent_at__lt=now - wait).update(
        delivery=Push.Delivery.UNKNOWN,
        delivery_reason=_("No delivery report from the provider."),
    )
    return settled
