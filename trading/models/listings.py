"""Listings (挂牌) with staff review, the public notice (公示) and objections,
and the stored valuation of what is listed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.programme import ProgrammeLine

from .base import PartnerSharedRecord


class Listing(PartnerSharedRecord):
    class Subject(models.TextChoices):
        PATENT = "patent", _("A patent")
        PACKAGE = "package", _("A package of patents")
        PROJECT = "project", _("A technology project")

    class Purpose(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        LICENCE = "licence", _("Licence")
        INVESTMENT = "investment", _("Investment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        REJECTED = "rejected", _("Rejected")
        NOTICE = "notice", _("In public notice")
        LISTED = "listed", _("Listed")
        CLOSED = "closed", _("Closed by a deal")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=255)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    purpose = models.CharField(
        pgettext_lazy("listing", "purpose"), max_length=12, choices=Purpose.choices
    )
    holder = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("holder"),
    )
    patents = models.ManyToManyField(
        "patents.Patent", through="ListingPatent", related_name="listings"
    )
    description = models.TextField(_("description"), blank=True)
    asking_price = models.DecimalField(
        _("asking price (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    terms = models.TextField(_("terms"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    notice_starts_on = models.DateField(_("public notice starts"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice ends"), null=True, blank=True)
    listed_at = models.DateTimeField(_("listed at"), null=True, blank=True, db_index=True)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.TRADING_HUB,
        db_index=True,
    )
    broker = models.ForeignKey(
        "trading.Broker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("broker"),
    )

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-listed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_number"],
                condition=~models.Q(external_source=""),
                name="listing_external_uniq",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ListingPatent(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="listing_patents")
    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "patent"], name="listing_patent_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}:{self.patent_id}"


class ListingDocument(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="trading/listings/%Y/%m/", max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("listing document")
        verbose_name_plural = _("listing documents")

    def __str__(self) -> str:
        return self.title


class ListingStatusChange(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("listing status change")
        verbose_name_plural = _("listing status history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"

    @property
    def to_label(self) -> str:
        return Listing.Status(self.to_status).label


class Objection(models.Model):
    """An objection lodged during the public notice; the listing cannot go live
    while one is open."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="objections")
    objector_name = models.CharField(_("objector"), max_length=255)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lodged_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at", "id"]

    def __str__(self) -> str:
        return f"{self.objector_name}: {self.get_status_display()}"


class ValueIndicator(models.Model):
    """One indicator of the patent value score. Staff edit weights and bands in
    the admin; the score page shows every indicator with its weight."""

    class Dimension(models.TextChoices):
        LEGAL = "legal", _("Legal")
        TECHNICAL = "technical", _("Technical")
        ECONOMIC = "economic", _("Economic")

    code = models.CharField(_("code"), max_length=32, unique=True)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    name = models.CharField(_("name"), max_length=128)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    # Scoring bands, e.g. {"bands": [[0, 20], [5, 60], [10, 100]]}: the value
    # at or above each threshold scores the band's points (0-100).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("value indicator")
        verbose_name_plural = _("value indicators")
        ordering = ["dimension", "code"]

    def __str__(self) -> str:
        return self.name


class IncomeValuation(models.Model):
    """Income approach: the present value of the royalty share of forecast
    revenue over the patent's remaining economic life."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="income_valuations")
    revenue_forecast = models.JSONField(_("revenue forecast per year (RMB)"))
    royalty_share = models.DecimalField(_("royalty share"), max_digits=6, decimal_places=4)
    discount_rate = models.DecimalField(_("discount rate"), max_digits=6, decimal_places=4)
    remaining_years = models.PositiveSmallIntegerField(_("remaining economic life (years)"))
    value = models.DecimalField(_("value (RMB)"), max_digits=16, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("income valuation")
        verbose_name_plural = _("income valuations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value}"
