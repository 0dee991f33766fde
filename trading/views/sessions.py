"""Transaction pages: open a mode on a listing, the session page with its live
price, bids, deposits and ledger, and the staff actions of each state."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.permissions import public_view, staff_required

from .. import services
from ..forms import BidForm, CancelForm, ConcludeForm, DepositForm, RefundForm, SessionOpenForm
from ..models import Bid, Deposit, Listing, SettlementMilestone, TradingSession
from ..services.sessions import bidding_is_open, minimum_next_bid
from .common import OWN_LINE, form_errors, is_staff, run_service, user_organization

PUBLIC_STATUSES = set(TradingSession.Status.values)


@staff_required(line=OWN_LINE)
@require_http_methods(["GET", "HEAD", "POST"])
def session_open(request, pk: int):
    listing = get_object_or_404(Listing, pk=pk)
    form = SessionOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_open(
                listing=listing, actor=request.user, **form.cleaned_data
            )
        except services.TradingError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Transaction opened."))
            return redirect("trading:session_detail", pk=session.pk)
    return render(request, "trading/session_form.html", {"form": form, "listing": listing})


def _bidder_labels(session) -> dict[int, str]:
    """Bidders appear to the public as 竞买人 1, 2, … in the order they registered."""
    order = list(session.deposits.order_by("id").values_list("bidder_id", flat=True))
    for bidder_id in session.bids.order_by("id").values_list("bidder_id", flat=True):
        if bidder_id not in order:
            order.append(bidder_id)
    return {bidder_id: _("Bidder %(n)s") % {"n": i} for i, bidder_id in enumerate(order, 1)}


def live_state(session: TradingSession, *, now=None) -> dict:
    now = now or timezone.now()
    sealed = session.mode == TradingSession.Mode.TENDER
    seconds_left = None
    if session.ends_at and session.status == TradingSession.Status.ANNOUNCED:
        target = session.starts_at if now < session.starts_at else session.ends_at
        seconds_left = max(0, int((target - now).total_seconds()))
    price = session.winning_price if session.winning_price is not None else session.current_price
    return {
        "status": session.status,
        "status_label": str(session.get_status_display()),
        "open": bidding_is_open(session, now=now),
        "started": bool(session.starts_at and now >= session.starts_at),
        "current_price": None
        if sealed and session.winning_price is None
        else (str(price) if price is not None else None),
        "minimum_next": None if sealed else str(minimum_next_bid(session)),
        "accepted_bids": session.accepted_bids,
        "ends_at": timezone.localtime(session.ends_at).isoformat() if session.ends_at else None,
        "seconds_left": seconds_left,
        "extensions": session.extensions,
    }


def _visible(request, session) -> bool:
    return (
        session.status in PUBLIC_STATUSES
        and session.listing.status
        in (
            Listing.Status.LISTED,
            Listing.Status.CLOSED,
        )
    ) or is_staff(request.user)


@public_view
@require_safe
def session_detail(request, pk: int):
    session = get_object_or_404(
        TradingSession.objects.select_related("listing", "listing__holder", "winner", "deal"), pk=pk
    )
    if not _visible(request, session):
        raise Http404
    staff = is_staff(request.user)
    org = user_organization(request.user)
    labels = _bidder_labels(session)
    sealed_open = session.mode == TradingSession.Mode.TENDER and session.status == "announced"
    bids = [
        {
            "bid": b,
            "who": b.bidder.name if staff else labels.get(b.bidder_id, "—"),
            "mine": org is not None and b.bidder_id == org.pk,
        }
        for b in session.bids.filter(status=Bid.Status.ACCEPTED)
        .select_related("bidder")
        .order_by("-sequence")
        if not sealed_open or staff or (org is not None and b.bidder_id == org.pk)
    ]
    context = {
        "session": session,
        "listing": session.listing,
        "staff": staff,
        "live": live_state(session),
        "bids": bids,
        "my_deposit": session.deposits.filter(bidder=org).first() if org else None,
        "reserve_public": session.rules.get("reserve_public", False) or staff,
        "bid_form": BidForm(),
        "deposit_form": DepositForm(),
        "refund_form": RefundForm(),
        "cancel_form": CancelForm(),
        "conclude_form": ConcludeForm(),
    }
    if staff:
        context["deposits"] = session.deposits.select_related("bidder")
        context["ledger"] = session.ledger.select_related("party")
        context["reconciliation"] = services.session_reconciliation(session)
        context["refused"] = session.bids.filter(status=Bid.Status.REFUSED).select_related("bidder")
        context["payable"] = (
            session.deal.milestones.exclude(kind=SettlementMilestone.Kind.DEPOSIT).filter(
                status=SettlementMilestone.Status.PENDING
            )
            if session.deal_id
            else []
        )
    return render(request, "trading/session_detail.html", context)


@public_view
@require_safe
@never_cache
def session_live(request, pk: int):
    """The price and time left, polled by static/trading/bidding.js."""
    session = get_object_or_404(TradingSession.objects.select_related("listing"), pk=pk)
    if not _visible(request, session):
        raise Http404
    return JsonResponse(live_state(session))


@login_required
@require_POST
def bid_place(request, pk: int):
    session = get_object_or_404(TradingSession, pk=pk)
    org = user_organization(request.user)
    form = BidForm(request.POST)
    if org is None:
        messages.error(request, _("Your account acts for no organization, so it cannot bid."))
    elif not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.bid_place(
                session=session, bidder=org, amount=form.cleaned_data["amount"], actor=request.user
            ),
            success=_("Your bid is accepted."),
        )
    return redirect("trading:session_detail", pk=pk)


@staff_required(line=OWN_LINE)
@require_POST
def deposit_record(request, pk: int):
    session = get_object_or_404(TradingSession, pk=pk)
    form = DepositForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.deposit_record(
                session=session, actor=request.user, **form.cleaned_data
            ),
            success=_("Deposit recorded; the bidder is registered."),
        )
    return redirect("trading:session_detail", pk=pk)


@staff_required(line=OWN_LINE)
@require_POST
def deposit_refund(request, pk: int):
    deposit = get_object_or_404(Deposit, pk=pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            lambda: services.deposit_refund(
                deposit=deposit, actor=request.user, **form.cleaned_data
            ),
            success=_("Refund recorded."),
        )
    return redirect("trading:session_detail", pk=deposit.session_id)


@staff_required(line=OWN_LINE)
@require_POST
def session_action(request, pk: int, action: str):
    session = get_object_or_404(TradingSession, pk=pk)
    if action == "close":
        call = lambda: services.session_close(session=session, actor=request.user)  # noqa: E731
        success = _("Bidding closed.")
    elif action == "conclude":
        form = ConcludeForm(request.POST)
        price = form.cleaned_data.get("price") if form.is_valid() else None
        call = lambda: services.session_conclude(  # noqa: E731
            session=session, price=price, actor=request.user
        )
        success = _("Concluded: the deal is drafted for signing.")
    elif action == "cancel":
        call = lambda: services.session_cancel(  # noqa: E731
            session=session, reason=request.POST.get("reason", ""), actor=request.user
        )
        success = _("Transaction cancelled.")
    elif action == "pay":
        milestone = get_object_or_404(SettlementMilestone, pk=request.POST.get("milestone") or 0)
        form = RefundForm(
            {"refunded_on": request.POST.get("paid_on"), "reference": request.POST.get("reference")}
        )
        if not form.is_valid():
            messages.error(request, _("Give the date the payment was received."))
            return redirect("trading:session_detail", pk=pk)
        call = lambda: services.payment_record(  # noqa: E731
            session=session,
            milestone=milestone,
            paid_on=form.cleaned_data["refunded_on"],
            reference=form.cleaned_data["reference"],
            actor=request.user,
        )
        success = _("Payment recorded in the ledger.")
    else:
        raise Http404
    run_service(request, call, success=success)
    return redirect("trading:session_detail", pk=pk)
