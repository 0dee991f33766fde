"""Matchmaking meetings, roadshows, trainings and auctions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from patents.models import Organization, Patent
from portal.programme import ProgrammeLine


class Event(models.Model):
    class Kind(models.TextChoices):
        MATCHMAKING = "matchmaking", _("Matchmaking meeting")
        ROADSHOW = "roadshow", _("Roadshow")
        TRAINING = "training", _("Training")
        AUCTION = "auction", _("Auction")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    organizer = models.CharField(_("organizer"), max_length=200)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.INDUSTRY_OPERATIONS,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    chain = models.ForeignKey(
        "operations_center.IndustryChain",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("industry chain"),
    )
    registration_open = models.BooleanField(_("online registration open"), default=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    patents = models.ManyToManyField(
        Patent, through="EventPatent", related_name="presented_at_events", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")
        INVESTOR = "investor", _("Investor")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("participant type"), max_length=16, choices=Kind.choices)
    organization_name = models.CharField(_("organization"), max_length=255)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=64)
    mobile = models.CharField(_("mobile number"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "organization_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "mobile"], name="registration_event_mobile")
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} / {self.contact_name}"


class EventPatent(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="patent_links")
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="+")
    presenter = models.CharField(_("presented by"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("patent presented")
        verbose_name_plural = _("patents presented")
        constraints = [models.UniqueConstraint(fields=["event", "patent"], name="eventpatent_uniq")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.patent_id}"


class EventOutcome(models.Model):
    class Kind(models.TextChoices):
        INTENTION = "intention", _("Intention signed")
        DEAL = "deal", _("Deal reached")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parties = models.CharField(_("parties"), max_length=500)
    patents = models.ManyToManyField(Patent, blank=True, related_name="+")
    amount = models.DecimalField(
        _("amount (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    signed_on = models.DateField(_("signed on"))
    note = models.TextField(_("note"), blank=True)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.INDUSTRY_OPERATIONS,
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.parties}"
