"""Transaction modes of a listing (交易方式): agreed transfer (协议转让) with the
pre-publication of name and price, online bidding (网络竞价), auction (拍卖) and
tender (招标). One ``TradingSession`` per attempt to sell a listing, with the
rules it runs under copied in when it is opened (``settings.TRADING_MODE_RULES``),
its bids, the bidders' deposits and the ledger of what was received, frozen,
applied and refunded. No money moves through the portal: the ledger records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIVE_STATUSES = ("prepublication", "open", "announced", "result_notice")


class TradingSession(models.Model):
    class Mode(models.TextChoices):
        AGREED = "agreed", _("Agreed transfer")
        BIDDING = "bidding", _("Online bidding")
        AUCTION = "auction", pgettext_lazy("transaction mode", "Auction")
        TENDER = "tender", _("Tender")

    class Status(models.TextChoices):
        PREPUBLICATION = "prepublication", _("Name and price pre-published")
        OPEN = "open", _("Open for agreement")
        ANNOUNCED = "announced", _("Announced, taking deposits and bids")
        RESULT_NOTICE = "result_notice", _("Result notice")
        CONCLUDED = "concluded", _("Concluded with a deal")
        FAILED = "failed", _("Failed (no valid bid)")
        CANCELLED = "cancelled", _("Cancelled")

    listing = models.ForeignKey(
        "trading.Listing", on_delete=models.PROTECT, related_name="sessions"
    )
    mode = models.CharField(_("transaction mode"), max_length=12, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    # The rules, as configured when the session was opened.
    rules = models.JSONField(_("rules"), default=dict)
    starting_price = models.DecimalField(
        _("starting price (RMB)"), max_digits=14, decimal_places=2, default=0
    )
    reserve_price = models.DecimalField(
        _("reserve price (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    increment = models.DecimalField(
        _("bid increment (RMB)"), max_digits=14, decimal_places=2, default=0
    )
    deposit_amount = models.DecimalField(
        _("deposit (RMB)"), max_digits=14, decimal_places=2, default=0
    )
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement_ends_on = models.DateField(_("announcement ends"), null=True, blank=True)
    starts_at = models.DateTimeField(_("bidding starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("bidding ends"), null=True, blank=True)
    scheduled_ends_at = models.DateTimeField(_("bidding ends as announced"), null=True, blank=True)
    extensions = models.PositiveIntegerField(_("extensions"), default=0)
    current_price = models.DecimalField(
        _("current price (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    leading_bid = models.ForeignKey(
        "trading.Bid", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_bids = models.PositiveIntegerField(_("accepted bids"), default=0)
    # Agreed transfer: the buyer and the price published before the contract.
    agreed_price = models.DecimalField(
        _("agreed price (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    counterparty = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buyer"),
    )
    prepublication_ends_on = models.DateField(_("pre-publication ends"), null=True, blank=True)
    closed_at = models.DateTimeField(
        pgettext_lazy("trading session", "closed at"), null=True, blank=True
    )
    result_notice_ends_on = models.DateField(_("result notice ends"), null=True, blank=True)
    winning_price = models.DecimalField(
        _("winning price (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    winner = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("winner"),
    )
    deal = models.OneToOneField(
        "trading.Deal", on_delete=models.SET_NULL, null=True, blank=True, related_name="session"
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trading session")
        verbose_name_plural = _("trading sessions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_session_per_listing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} · {self.listing}"

    @property
    def is_auction_like(self) -> bool:
        return self.mode in (self.Mode.BIDDING, self.Mode.AUCTION)


class Bid(models.Model):
    """Every bid attempt, accepted or refused, in the order the database took it.
    Accepted bids carry a gap-free ``sequence``; a refused one keeps its reason."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    session = models.ForeignKey(TradingSession, on_delete=models.CASCADE, related_name="bids")
    bidder = models.ForeignKey(
        "patents.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("bidder")
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(_("amount (RMB)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    won = models.BooleanField(_("winning bid"), default=False)
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["session", "placed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sequence"],
                condition=Q(sequence__isnull=False),
                name="bid_sequence_uniq",
            ),
            models.UniqueConstraint(
                fields=["session"], condition=Q(won=True), name="one_winning_bid_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.get_status_display()})"


class Deposit(models.Model):
    """A bidder's deposit (保证金) as the hub records it."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("deposit", "Received")
        FROZEN = "frozen", _("Frozen for the winner")
        APPLIED = "applied", _("Applied to the price")
        REFUNDED = "refunded", _("Refunded")

    session = models.ForeignKey(TradingSession, on_delete=models.CASCADE, related_name="deposits")
    bidder = models.ForeignKey(
        "patents.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("bidder")
    )
    amount = models.DecimalField(_("amount (RMB)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("payment reference"), max_length=128, blank=True)
    refund_due_on = models.DateField(_("refund due by"), null=True, blank=True, db_index=True)
    refunded_on = models.DateField(_("refunded on"), null=True, blank=True)
    reminded_on = models.DateField(_("overdue reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["session", "received_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "bidder"], name="one_deposit_per_bidder")
        ]

    def __str__(self) -> str:
        return f"{self.bidder} {self.amount}"


class LedgerEntry(models.Model):
    """Append-only record of a session's money, as reported to the hub."""

    class Kind(models.TextChoices):
        DEPOSIT_RECEIVED = "deposit_received", _("Deposit received")
        DEPOSIT_FROZEN = "deposit_frozen", _("Deposit frozen")
        DEPOSIT_APPLIED = "deposit_applied", _("Deposit applied to the price")
        DEPOSIT_REFUNDED = "deposit_refunded", _("Deposit refunded")
        PAYMENT_RECEIVED = "payment_received", _("Winner's payment received")
        COMMISSION_RECEIVED = "commission_received", _("Hub commission received")

    session = models.ForeignKey(TradingSession, on_delete=models.CASCADE, related_name="ledger")
    deposit = models.ForeignKey(
        Deposit, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    milestone = models.ForeignKey(
        "trading.SettlementMilestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    party = models.ForeignKey(
        "patents.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    amount = models.DecimalField(_("amount (RMB)"), max_digits=14, decimal_places=2)
    on = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=128, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["session", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
