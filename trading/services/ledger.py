"""The deposit and settlement ledger of trading sessions (records only: no
money moves through the portal). Deposits are received during the
announcement, frozen for the winner at the close and applied to the price at
the conclusion; every other deposit is refunded within the rule's deadline,
and overdue refunds and payments are reminded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization

from ..models import Deal, Deposit, LedgerEntry, SettlementMilestone, TradingSession
from .errors import TradingError
from .sessions import _audit, _ledger, _money

Status = TradingSession.Status


@transaction.atomic
def deposit_record(
    *,
    session: TradingSession,
    bidder: Organization,
    amount,
    received_on: dt.date,
    reference: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> Deposit:
    """Record a bidder's deposit as received; it registers the bidder."""
    session = (
        TradingSession.objects.select_for_update(of=("self",))
        .select_related("listing")
        .get(pk=session.pk)
    )
    now = now or timezone.now()
    if session.mode == TradingSession.Mode.AGREED:
        raise TradingError(_("An agreed transfer takes no deposits."))
    if session.status != Status.ANNOUNCED or now >= session.ends_at:
        raise TradingError(_("Deposits are taken only while the transaction is announced."))
    if now >= session.starts_at:
        raise TradingError(_("Registration closed when bidding started; no new deposits."))
    if bidder.pk == session.listing.holder_id:
        raise TradingError(_("The seller cannot register as a bidder."))
    amount = _money(amount, field=_("The deposit"))
    if amount is None or amount < session.deposit_amount:
        raise TradingError(
            _("The deposit for this transaction is %(d)s RMB.") % {"d": session.deposit_amount}
        )
    if received_on is None or received_on > timezone.localtime(now).date():
        raise TradingError(_("Give the date the deposit was received (not in the future)."))
    try:
        with transaction.atomic():
            deposit = Deposit.objects.create(
                session=session,
                bidder=bidder,
                amount=amount,
                status=Deposit.Status.RECEIVED,
                received_on=received_on,
                reference=reference.strip(),
            )
    except IntegrityError:
        raise TradingError(_("This bidder's deposit is already recorded.")) from None
    _ledger(
        session,
        LedgerEntry.Kind.DEPOSIT_RECEIVED,
        deposit,
        actor,
        on=received_on,
        reference=reference,
    )
    _audit(session, actor=actor, action="deposit_received", deposit=deposit.pk)
    return deposit


@transaction.atomic
def deposit_refund(
    *, deposit: Deposit, refunded_on: dt.date, reference: str = "", actor=None
) -> Deposit:
    deposit = Deposit.objects.select_for_update().select_related("session").get(pk=deposit.pk)
    session = deposit.session
    if deposit.status == Deposit.Status.REFUNDED:
        raise TradingError(_("This deposit is already refunded."))
    if deposit.status in (Deposit.Status.FROZEN, Deposit.Status.APPLIED):
        raise TradingError(_("The winner's deposit is applied to the price, not refunded."))
    if session.status == Status.ANNOUNCED:
        raise TradingError(_("Deposits are refunded after the bidding closes."))
    if refunded_on is None or refunded_on < deposit.received_on:
        raise TradingError(_("A deposit cannot be refunded before it was received."))
    if refunded_on > timezone.localdate():
        raise TradingError(_("Record a refund once it is made, not in advance."))
    deposit.status = Deposit.Status.REFUNDED
    deposit.refunded_on = refunded_on
    deposit.save(update_fields=["status", "refunded_on"])
    _ledger(
        session,
        LedgerEntry.Kind.DEPOSIT_REFUNDED,
        deposit,
        actor,
        on=refunded_on,
        reference=reference,
    )
    _audit(session, actor=actor, action="deposit_refunded", deposit=deposit.pk)
    return deposit


@transaction.atomic
def payment_record(
    *,
    session: TradingSession,
    milestone: SettlementMilestone,
    paid_on: dt.date,
    reference: str = "",
    actor=None,
) -> LedgerEntry:
    """The winner's payment of a milestone of the session's deal, into the ledger
    and onto the milestone."""
    from .deals import milestone_mark_paid

    if session.deal_id is None or milestone.deal_id != session.deal_id:
        raise TradingError(_("This payment is not one of this transaction's deal."))
    if milestone.kind == SettlementMilestone.Kind.DEPOSIT:
        raise TradingError(_("The deposit is already applied; it is not paid again."))
    milestone_mark_paid(milestone=milestone, paid_on=paid_on, reference=reference, actor=actor)
    entry = _ledger(
        session,
        LedgerEntry.Kind.PAYMENT_RECEIVED,
        None,
        actor,
        on=paid_on,
        amount=milestone.amount,
        party=session.deal.assignee,
        milestone=milestone,
        reference=reference,
    )
    _audit(session, actor=actor, action="payment_received", milestone=milestone.pk)
    return entry


def session_reconciliation(session: TradingSession) -> dict:
    """The ledger against the deal's milestones and the deposits held."""
    totals = {
        row["kind"]: row["s"]
        for row in session.ledger.values("kind").annotate(s=Sum("amount")).order_by()
    }
    received = totals.get(LedgerEntry.Kind.DEPOSIT_RECEIVED, Decimal(0))
    refunded = totals.get(LedgerEntry.Kind.DEPOSIT_REFUNDED, Decimal(0))
    applied = totals.get(LedgerEntry.Kind.DEPOSIT_APPLIED, Decimal(0))
    rows = []
    if session.deal_id:
        ledgered = {
            row["milestone_id"]: row["s"]
            for row in session.ledger.filter(milestone__isnull=False)
            .values("milestone_id")
            .annotate(s=Sum("amount"))
            .order_by()
        }
        for m in session.deal.milestones.all():
            recorded = ledgered.get(m.pk, Decimal(0))
            settled = (
                m.status
                in (
                    SettlementMilestone.Status.PAID,
                    SettlementMilestone.Status.CONFIRMED,
                )
                or m.kind == SettlementMilestone.Kind.DEPOSIT
            )
            rows.append(
                {
                    "milestone": m,
                    "ledger": recorded,
                    "matches": recorded == (m.amount if settled else Decimal(0)),
                }
            )
    return {
        "deposits_received": received,
        "deposits_refunded": refunded,
        "deposits_applied": applied,
        "deposits_held": received - refunded - applied,
        "payments": totals.get(LedgerEntry.Kind.PAYMENT_RECEIVED, Decimal(0)),
        "milestones": rows,
        "balanced": all(r["matches"] for r in rows),
    }


def deposits_refund_overdue(*, today: dt.date | None = None):
    today = today or timezone.localdate()
    return Deposit.objects.filter(
        status=Deposit.Status.RECEIVED, refund_due_on__lt=today
    ).select_related("session__listing", "bidder")


def session_payments_overdue(*, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        SettlementMilestone.objects.filter(
            deal__session__isnull=False,
            status=SettlementMilestone.Status.PENDING,
            due_on__lt=today,
        )
        .exclude(deal__status=Deal.Status.CANCELLED)
        .select_related("deal")
    )


def _trading_staff_emails() -> list[str]:
    from portal.permissions import is_line_staff
    from portal.programme import ProgrammeLine

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return [u.email for u in users if is_line_staff(u, ProgrammeLine.TRADING_HUB)]


def overdue_reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail the hub's staff (and the bidder) about each refund past its deadline,
    once per deposit. A deposit counts as reminded only when a mail went out."""
    today = today or timezone.localdate()
    staff = _trading_staff_emails()
    sent = 0
    for deposit in deposits_refund_overdue(today=today).filter(reminded_on__isnull=True):
        bidder_emails = list(
            get_user_model()
            .objects.filter(profile__organization=deposit.bidder, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        recipients = sorted(set(staff + bidder_emails))
        if not recipients:
            continue
        delivered = send_mail(
            subject=_("Deposit refund overdue: %(t)s") % {"t": deposit.session.listing.title},
            message=_(
                "The deposit of %(a)s RMB from %(b)s was due back by %(d)s and is not yet "
                "recorded as refunded."
            )
            % {"a": deposit.amount, "b": deposit.bidder.name, "d": deposit.refund_due_on},
            from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
            recipient_list=recipients,
        )
        if delivered:
            deposit.reminded_on = today
            deposit.save(update_fields=["reminded_on"])
            sent += 1
    return sent
