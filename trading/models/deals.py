"""The one deal record: every transfer, licence, open licence, pool licence and
equity contribution in the portal is one ``Deal``, so each is counted once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.programme import ProgrammeLine
from portal.uploads import RandomUploadPath

from .base import PartnerSharedRecord


class Deal(PartnerSharedRecord):
    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        LICENCE_EXCLUSIVE = "licence_exclusive", _("Exclusive licence")
        LICENCE_SOLE = "licence_sole", _("Sole licence")
        LICENCE_ORDINARY = "licence_ordinary", _("Ordinary licence")
        OPEN_LICENCE = "open_licence", _("Open licence")
        POOL_LICENCE = "pool_licence", _("Pool licence")
        EQUITY = "equity", _("Equity contribution")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        RECORDED = "recorded", _("Recorded with CNIPA")
        CANCELLED = "cancelled", _("Cancelled")

    # Kinds that keep the patentee from granting an exclusive or sole licence.
    EXCLUSIVE_KINDS = (Kind.LICENCE_EXCLUSIVE, Kind.LICENCE_SOLE)
    LICENCE_KINDS = (
        Kind.LICENCE_EXCLUSIVE,
        Kind.LICENCE_SOLE,
        Kind.LICENCE_ORDINARY,
        Kind.OPEN_LICENCE,
        Kind.POOL_LICENCE,
    )

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    assignor = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        related_name="deals_as_assignor",
        verbose_name=_("assignor / licensor"),
    )
    assignee = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        related_name="deals_as_assignee",
        verbose_name=_("assignee / licensee"),
    )
    patents = models.ManyToManyField("patents.Patent", through="DealPatent", related_name="deals")
    amount = models.DecimalField(_("amount (RMB)"), max_digits=14, decimal_places=2, default=0)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, db_index=True)
    # A licence runs for a term; a transfer has no end.
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=64, blank=True)
    recordal_number = models.CharField(_("CNIPA recordal number"), max_length=64, blank=True)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.TRADING_HUB,
        db_index=True,
    )
    listing = models.ForeignKey(
        "trading.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("listing"),
    )
    broker = models.ForeignKey(
        "trading.Broker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("broker"),
    )
    # What led to the deal: trading sits above operations_center and matching,
    # so it holds these keys. Deleting the event or push keeps the deal.
    source_event = models.ForeignKey(
        "operations_center.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("source event"),
    )
    source_push = models.ForeignKey(
        "matching.Push",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("source push"),
    )
    commission_amount = models.DecimalField(
        _("commission (RMB)"), max_digits=14, decimal_places=2, default=0
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_number"],
                condition=~models.Q(external_source=""),
                name="deal_external_uniq",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"


class DealPatent(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="deal_patents")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("deal patent")
        verbose_name_plural = _("deal patents")
        constraints = [models.UniqueConstraint(fields=["deal", "patent"], name="deal_patent_uniq")]

    def __str__(self) -> str:
        return f"{self.deal_id}:{self.patent_id}"


class DealEvidence(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="trading/evidence/%Y/%m/", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.title


class SettlementMilestone(models.Model):
    """One step of settlement. No money moves through the portal: it records
    what the parties report, and who reported it."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        INSTALMENT = "instalment", _("Instalment")
        FINAL_PAYMENT = "final_payment", _("Final payment")
        COMMISSION = "commission", _("Broker commission")

    class Status(models.TextChoices):
        # Context: patents' "Pending" is a pending application (审查中).
        PENDING = "pending", pgettext_lazy("settlement milestone", "Pending")
        PAID = "paid", _("Paid")
        CONFIRMED = "confirmed", _("Confirmed by the payee")
        WAIVED = "waived", _("Waived")

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=1)
    amount = models.DecimalField(_("amount (RMB)"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("settlement milestone")
        verbose_name_plural = _("settlement milestones")
        ordering = ["deal", "sequence", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class DealAuditEntry(models.Model):
    """Append-only trail of every change to a deal and its settlement."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="audit_trail")
    milestone = models.ForeignKey(
        SettlementMilestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deal audit entry")
        verbose_name_plural = _("deal audit trail")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"


class DealContract(models.Model):
    """A deal's contract as signed by the parties (PAdES), kept only once every
    signature has verified; the checksum identifies the exact file."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="contracts")
    file = models.FileField(
        _("signed contract"),
        upload_to=RandomUploadPath("trading/contracts"),
        max_length=255,
    )
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    # [{"organization": ..., "common_name": ..., "serial": ..., "signed_at": ...}, ...]
    signers = models.JSONField(_("signers"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed contract")
        verbose_name_plural = _("signed contracts")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.deal_id}:{self.sha256[:12]}"
