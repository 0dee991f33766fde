"""Transaction modes of a listing, one state machine each, in one place.

Agreed transfer: OPEN (or PREPUBLICATION first when the seller is a university
or institute) → CONCLUDED. Online bidding and auction: ANNOUNCED (deposits
taken during the announcement; bids only inside the window, a late bid extends
it) → RESULT_NOTICE (or FAILED) → CONCLUDED. Tender: ANNOUNCED (sealed tenders
until the deadline) → RESULT_NOTICE (or FAILED) → CONCLUDED. Any active session
may be CANCELLED. Every refusal is a ``TradingError`` with the user's message.

Bids are decided by the database: the session row is locked
(``select_for_update``) while a bid is checked against the price and the clock
and the price is moved; the close takes the same lock, so a bid is either in
before the close or refused after it, and the partial unique index
``one_winning_bid_per_session`` keeps a second winner out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization
from portal.audit import audit_record

from ..dates import add_working_days
from ..models import Bid, Deal, Deposit, LedgerEntry, Listing, SettlementMilestone, TradingSession
from ..models.sessions import ACTIVE_STATUSES
from .errors import TradingError
from .rules import mode_rules, rule_decimal

Mode = TradingSession.Mode
Status = TradingSession.Status


def _money(value, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise TradingError(_("%(field)s is not an amount.") % {"field": field}) from None
    if amount < 0:
        raise TradingError(_("%(field)s cannot be negative.") % {"field": field})
    return amount


def _audit(session: TradingSession, *, actor, action: str, **details) -> None:
    audit_record(actor=actor, action=f"trading.session_{action}", target=session, details=details)


def prepublication_required(listing: Listing, rules: dict) -> bool:
    return listing.holder.kind in rules.get("prepublication_seller_kinds", [])


# --- opening ------------------------------------------------------------------------------


@transaction.atomic
def session_open(
    *,
    listing: Listing,
    mode: str,
    starting_price=None,
    reserve_price=None,
    increment=None,
    deposit_amount=None,
    starts_at: dt.datetime | None = None,
    bidding_minutes: int | None = None,
    agreed_price=None,
    counterparty: Organization | None = None,
    actor=None,
    today: dt.date | None = None,
) -> TradingSession:
    """Open a trading session of ``mode`` on a public listing."""
    today = today or timezone.localdate()
    if mode not in Mode.values:
        raise TradingError(_("Unknown transaction mode: %(mode)s.") % {"mode": mode})
    listing = Listing.objects.select_for_update().select_related("holder").get(pk=listing.pk)
    if listing.status != Listing.Status.LISTED:
        raise TradingError(_("Only a public listing can be put up for a transaction."))
    if listing.sessions.filter(status__in=ACTIVE_STATUSES).exists():
        raise TradingError(_("This listing already has a transaction under way."))
    rules = mode_rules(mode)
    session = TradingSession(listing=listing, mode=mode, rules=rules, created_by=_user(actor))
    if mode == Mode.AGREED:
        _open_agreed(session, listing, rules, agreed_price, counterparty, today)
    else:
        _open_competitive(
            session,
            rules,
            starting_price=starting_price,
            reserve_price=reserve_price,
            increment=increment,
            deposit_amount=deposit_amount,
            starts_at=starts_at,
            bidding_minutes=bidding_minutes,
            today=today,
        )
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        raise TradingError(_("This listing already has a transaction under way.")) from None
    _audit(session, actor=actor, action="opened", mode=mode, status=session.status)
    return session


def _open_agreed(session, listing, rules, agreed_price, counterparty, today) -> None:
    price = _money(agreed_price, field=_("The agreed price"))
    if not price:
        raise TradingError(_("State the agreed price."))
    if counterparty is None:
        raise TradingError(_("Name the buyer of the agreed transfer."))
    if counterparty.pk == listing.holder_id:
        raise TradingError(_("The buyer cannot be the seller."))
    session.agreed_price = price
    session.counterparty = counterparty
    session.announced_on = today
    if prepublication_required(listing, rules):
        days = int(rules["prepublication_days"])
        session.status = Status.PREPUBLICATION
        # Published for ``days`` days, today included; the contract may follow after.
        session.prepublication_ends_on = today + dt.timedelta(days=days - 1)
    else:
        session.status = Status.OPEN


def _open_competitive(
    session,
    rules,
    *,
    starting_price,
    reserve_price,
    increment,
    deposit_amount,
    starts_at,
    bidding_minutes,
    today,
) -> None:
    start_price = _money(starting_price, field=_("The starting price"))
    if not start_price:
        raise TradingError(_("State a starting price above zero."))
    reserve = _money(reserve_price, field=_("The reserve price"))
    if reserve is not None and reserve < start_price:
        raise TradingError(_("The reserve price cannot be below the starting price."))
    step = _money(increment, field=_("The bid increment"))
    min_step = rule_decimal(rules, "min_increment")
    if step is None:
        step = min_step
    if session.mode != Mode.TENDER and (step <= 0 or step < min_step):
        raise TradingError(
            _("The bid increment must be at least %(min)s RMB under the rules of this mode.")
            % {"min": max(min_step, Decimal("0.01"))}
        )
    deposit = _money(deposit_amount, field=_("The deposit")) or Decimal(0)
    if rules.get("deposit_required") and deposit <= 0:
        raise TradingError(_("The rules of this mode require a deposit from every bidder."))
    announcement_ends = add_working_days(today, int(rules["announcement_working_days"]))
    if starts_at is None:
        raise TradingError(_("Give the time bidding starts."))
    if timezone.localtime(starts_at).date() <= announcement_ends:
        raise TradingError(
            _(
                "The announcement runs %(days)s working days, until %(date)s; "
                "bidding can start only after it."
            )
            % {"days": rules["announcement_working_days"], "date": announcement_ends.isoformat()}
        )
    minutes = int(bidding_minutes or rules["bidding_minutes"])
    if minutes <= 0:
        raise TradingError(_("The bidding window must last at least one minute."))
    session.status = Status.ANNOUNCED
    session.starting_price = start_price
    session.reserve_price = reserve
    session.increment = step
    session.deposit_amount = deposit
    session.announced_on = today
    session.announcement_ends_on = announcement_ends
    session.starts_at = starts_at
    session.ends_at = session.scheduled_ends_at = starts_at + dt.timedelta(minutes=minutes)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def session_cancel(*, session: TradingSession, reason: str, actor=None) -> TradingSession:
    session = TradingSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.status not in ACTIVE_STATUSES:
        raise TradingError(_("This transaction is already over."))
    if not reason.strip():
        raise TradingError(_("Give the reason for cancelling the transaction."))
    previous = session.status
    session.status = Status.CANCELLED
    session.note = reason.strip()
    session.closed_at = timezone.now()
    session.save()
    _schedule_refunds(session, exclude_bidder_id=None)
    _audit(session, actor=actor, action="cancelled", **{"from": previous})
    return session


# --- bidding ------------------------------------------------------------------------------


def bidding_is_open(session: TradingSession, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        session.status == Status.ANNOUNCED
        and session.starts_at is not None
        and session.starts_at <= now < session.ends_at
    )


def minimum_next_bid(session: TradingSession) -> Decimal:
    if session.mode == Mode.TENDER or session.current_price is None:
        return session.starting_price
    return session.current_price + session.increment


def _bid_refusal(session, *, bidder, amount, now) -> str | None:
    if session.mode == Mode.AGREED:
        return _("An agreed transfer takes no bids.")
    if session.status != Status.ANNOUNCED:
        return _("Bidding on this transaction is closed.")
    if now < session.starts_at:
        return _("Bidding has not started; it opens at %(at)s.") % {
            "at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
        }
    if now >= session.ends_at:
        return _("Bidding closed at %(at)s; the bid came too late.") % {
            "at": timezone.localtime(session.ends_at).strftime("%Y-%m-%d %H:%M:%S")
        }
    if bidder.pk == session.listing.holder_id:
        return _("The seller cannot bid on its own listing.")
    if (
        session.rules.get("deposit_required")
        and not Deposit.objects.filter(
            session=session, bidder=bidder, status=Deposit.Status.RECEIVED
        ).exists()
    ):
        return _("Only a bidder whose deposit has been received may bid.")
    if session.mode == Mode.TENDER:
        if session.bids.filter(bidder=bidder, status=Bid.Status.ACCEPTED).exists():
            return _("Each tenderer submits one sealed tender.")
        if amount < session.starting_price:
            return _("A tender cannot be below the starting price of %(p)s RMB.") % {
                "p": session.starting_price
            }
        return None
    # Read after the lock (a fresh statement): a join taken with the locked row
    # could miss the leading bid committed while this one waited for the lock.
    leader = Bid.objects.filter(pk=session.leading_bid_id).values_list("bidder_id", flat=True)
    if session.leading_bid_id and leader.first() == bidder.pk:
        return _("You already hold the highest bid.")
    floor = minimum_next_bid(session)
    if amount < floor:
        if session.current_price is None:
            return _("The first bid must be at least the starting price of %(p)s RMB.") % {
                "p": floor
            }
        return _(
            "A bid must be at least the current price plus the increment: %(p)s RMB or more."
        ) % {"p": floor}
    return None


def bid_place(
    *,
    session: TradingSession,
    bidder: Organization,
    amount,
    actor=None,
    now: dt.datetime | None = None,
) -> Bid:
    """Place one bid (or sealed tender). Accepted or refused, the attempt is kept
    and audited; a refusal raises ``TradingError`` after it is recorded."""
    amount = _money(amount, field=_("The bid"))
    if amount is None or amount <= 0:
        raise TradingError(_("Enter the amount of your bid."))
    with transaction.atomic():
        locked = (
            TradingSession.objects.select_for_update(of=("self",))
            .select_related("listing")
            .get(pk=session.pk)
        )
        at = now or timezone.now()
        refusal = _bid_refusal(locked, bidder=bidder, amount=amount, now=at)
        if refusal is None:
            bid = _accept(locked, bidder=bidder, amount=amount, actor=actor, now=at)
    if refusal is not None:
        bid = Bid.objects.create(
            session_id=session.pk,
            bidder=bidder,
            placed_by=_user(actor),
            amount=amount,
            status=Bid.Status.REFUSED,
            reason=refusal[:255],
        )
        _audit(session, actor=actor, action="bid_refused", bid=bid.pk, reason=refusal[:120])
        raise TradingError(refusal)
    return bid


def _accept(session, *, bidder, amount, actor, now) -> Bid:
    session.accepted_bids += 1
    bid = Bid.objects.create(
        session=session,
        bidder=bidder,
        placed_by=_user(actor),
        amount=amount,
        status=Bid.Status.ACCEPTED,
        sequence=session.accepted_bids,
    )
    fields = ["accepted_bids", "updated_at"]
    if session.mode != Mode.TENDER:
        session.current_price = amount
        session.leading_bid = bid
        fields += ["current_price", "leading_bid"]
        window = dt.timedelta(minutes=int(session.rules.get("extension_window_minutes") or 0))
        extend = dt.timedelta(minutes=int(session.rules.get("extension_minutes") or 0))
        limit = int(session.rules.get("max_extensions") or 0)
        if window and extend and session.ends_at - now <= window and session.extensions < limit:
            session.ends_at = now + extend
            session.extensions += 1
            fields += ["ends_at", "extensions"]
    session.save(update_fields=fields)
    _audit(session, actor=actor, action="bid_accepted", bid=bid.pk, sequence=bid.sequence)
    return bid


@transaction.atomic
def session_close(
    *, session: TradingSession, actor=None, now: dt.datetime | None = None
) -> TradingSession:
    """Close a bidding, auction or tender once its window has ended: the best
    valid bid wins and its result notice starts, or the session fails."""
    session = (
        TradingSession.objects.select_for_update(of=("self",))
        .select_related("listing")
        .get(pk=session.pk)
    )
    now = now or timezone.now()
    if session.mode == Mode.AGREED:
        raise TradingError(_("An agreed transfer is concluded, not closed."))
    if session.status != Status.ANNOUNCED:
        raise TradingError(_("Only a transaction taking bids can be closed."))
    if now < session.ends_at:
        raise TradingError(
            _("Bidding runs until %(at)s; it can be closed only after that.")
            % {"at": timezone.localtime(session.ends_at).strftime("%Y-%m-%d %H:%M:%S")}
        )
    best = _best_bid(session)
    session.closed_at = now
    if best is None or (session.reserve_price is not None and best.amount < session.reserve_price):
        session.status = Status.FAILED
        session.save()
        _schedule_refunds(session, exclude_bidder_id=None)
        _audit(session, actor=actor, action="failed", bids=session.accepted_bids)
        return session
    best.won = True
    best.save(update_fields=["won"])
    session.status = Status.RESULT_NOTICE
    session.winner_id = best.bidder_id
    session.winning_price = best.amount
    session.current_price = best.amount if session.mode == Mode.TENDER else session.current_price
    session.result_notice_ends_on = add_working_days(
        timezone.localtime(now).date(), int(session.rules["result_notice_working_days"])
    )
    session.save()
    _schedule_refunds(session, exclude_bidder_id=best.bidder_id)
    winner_deposit = session.deposits.filter(bidder_id=best.bidder_id).first()
    if winner_deposit is not None:
        winner_deposit.status = Deposit.Status.FROZEN
        winner_deposit.save(update_fields=["status"])
        _ledger(session, LedgerEntry.Kind.DEPOSIT_FROZEN, winner_deposit, actor, on=now.date())
    _audit(session, actor=actor, action="closed", winning_bid=best.pk)
    return session


def sessions_close_due(*, now: dt.datetime | None = None) -> int:
    """Close every bidding, auction or tender whose window has ended (scheduled
    every minute); a session another worker closed first is skipped."""
    now = now or timezone.now()
    closed = 0
    due = TradingSession.objects.filter(status=Status.ANNOUNCED, ends_at__lte=now).exclude(
        mode=Mode.AGREED
    )
    for session in due:
        try:
            session_close(session=session, now=now)
        except TradingError:
            continue
        closed += 1
    return closed


def _best_bid(session) -> Bid | None:
    accepted = session.bids.filter(status=Bid.Status.ACCEPTED)
    if session.mode == Mode.TENDER:
        # Price only; at equal prices the earlier tender wins.
        return accepted.order_by("-amount", "sequence").first()
    return Bid.objects.filter(pk=session.leading_bid_id).first()


def _schedule_refunds(session, *, exclude_bidder_id) -> None:
    """Every deposit not held for the winner is due back within the rule's deadline."""
    days = int(session.rules.get("refund_working_days") or 5)
    due = add_working_days(timezone.localtime(session.closed_at or timezone.now()).date(), days)
    pending = session.deposits.filter(status=Deposit.Status.RECEIVED, refund_due_on__isnull=True)
    if exclude_bidder_id is not None:
        pending = pending.exclude(bidder_id=exclude_bidder_id)
    pending.update(refund_due_on=due)


def _ledger(
    session, kind, deposit, actor, *, on, amount=None, party=None, milestone=None, reference=""
):
    return LedgerEntry.objects.create(
        session=session,
        deposit=deposit,
        milestone=milestone,
        kind=kind,
        party=party or deposit.bidder,
        amount=amount if amount is not None else deposit.amount,
        on=on,
        reference=reference,
        recorded_by=_user(actor),
    )


# --- conclusion ---------------------------------------------------------------------------


@transaction.atomic
def session_conclude(
    *,
    session: TradingSession,
    price=None,
    actor=None,
    today: dt.date | None = None,
) -> TradingSession:
    """Turn the outcome into the deal (a draft to be signed) with its payments."""
    today = today or timezone.localdate()
    session = (
        TradingSession.objects.select_for_update(of=("self",))
        .select_related("listing", "listing__holder", "counterparty", "winner")
        .get(pk=session.pk)
    )
    if session.mode == Mode.AGREED:
        buyer, amount = _agreed_outcome(session, price, today)
    else:
        if session.status != Status.RESULT_NOTICE:
            raise TradingError(
                _("Only a transaction with a winner in its result notice is concluded.")
            )
        if today <= session.result_notice_ends_on:
            raise TradingError(
                _("The result notice runs until %(date)s; the deal follows after it.")
                % {"date": session.result_notice_ends_on.isoformat()}
            )
        buyer, amount = session.winner, session.winning_price
    deal = _make_deal(session, buyer=buyer, amount=amount, actor=actor, today=today)
    previous = session.status
    session.status = Status.CONCLUDED
    session.deal = deal
    session.save()
    _audit(session, actor=actor, action="concluded", deal=deal.pk, **{"from": previous})
    return session


def _agreed_outcome(session, price, today):
    if session.status not in (Status.PREPUBLICATION, Status.OPEN):
        raise TradingError(_("This agreed transfer is no longer open."))
    if session.status == Status.PREPUBLICATION and today <= session.prepublication_ends_on:
        raise TradingError(
            _(
                "A university or research institute transferring at an agreed price publishes "
                "the name and price first (Law on Promoting the Transformation of Scientific and "
                "Technological Achievements, art. 18); the pre-publication runs until %(date)s."
            )
            % {"date": session.prepublication_ends_on.isoformat()}
        )
    amount = (
        _money(price, field=_("The price")) if price not in (None, "") else session.agreed_price
    )
    if amount != session.agreed_price:
        raise TradingError(
            _(
                "The contract price must be the published price of %(p)s RMB; a new price "
                "needs a new pre-publication."
            )
            % {"p": session.agreed_price}
        )
    return session.counterparty, amount


def _make_deal(session, *, buyer, amount, actor, today) -> Deal:
    from .deals import deal_create, milestone_add

    listing = session.listing
    kind = (
        Deal.Kind.TRANSFER
        if listing.purpose != Listing.Purpose.LICENCE
        else (Deal.Kind.LICENCE_ORDINARY)
    )
    rate = Decimal(str(session.rules.get("commission_rate") or 0))
    deal = deal_create(
        kind=kind,
        assignor=listing.holder,
        assignee=buyer,
        patents=[lp.patent for lp in listing.listing_patents.select_related("patent")],
        amount=amount,
        title=listing.title,
        listing=listing,
        programme_line=listing.programme_line,
        created_by=_user(actor),
        today=today,
    )
    deal.notes = _("Hub commission due: %(c)s RMB.") % {
        "c": (amount * rate).quantize(Decimal("0.01"))
    }
    deal.save(update_fields=["notes"])
    pay_by = add_working_days(today, int(session.rules.get("payment_working_days") or 5))
    deposit = session.deposits.filter(bidder=buyer, status=Deposit.Status.FROZEN).first()
    balance = amount
    if deposit is not None and deposit.amount:
        applied = min(deposit.amount, amount)
        milestone = milestone_add(
            deal=deal,
            kind=SettlementMilestone.Kind.DEPOSIT,
            amount=applied,
            due_on=today,
            actor=actor,
        )
        deposit.status = Deposit.Status.APPLIED
        deposit.save(update_fields=["status"])
        _ledger(
            session,
            LedgerEntry.Kind.DEPOSIT_APPLIED,
            deposit,
            actor,
            on=today,
            amount=applied,
            milestone=milestone,
        )
        balance -= applied
    if balance > 0:
        milestone_add(
            deal=deal,
            kind=SettlementMilestone.Kind.FINAL_PAYMENT,
            amount=balance,
            due_on=pay_by,
            actor=actor,
        )
    return deal


def commission_due(session: TradingSession) -> Decimal:
    price = session.winning_price or session.agreed_price or Decimal(0)
    rate = Decimal(str(session.rules.get("commission_rate") or 0))
    return (price * rate).quantize(Decimal("0.01"))
