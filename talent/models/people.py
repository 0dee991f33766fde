"""Talents (resolved people), their mention links, staff corrections and PIPL records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patents.models import InventorMention, Patent, Region


class Talent(models.Model):
    """One person, resolved from the inventor mentions of patent documents.

    Everything here except the consent-gated contact fields is derived from
    published patent data (PIPL: publicly disclosed information, reasonable scope).
    """

    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=255, db_index=True)
    name_variants = models.JSONField(_("name variants"), default=list, blank=True)
    # The key the engine blocked on ("wang|w"): lets an increment find the right talents.
    block_key = models.CharField(max_length=128, db_index=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    patent_count = models.PositiveIntegerField(_("patents"), default=0)
    granted_invention_count = models.PositiveIntegerField(_("granted inventions"), default=0)
    cited_by_total = models.PositiveIntegerField(_("citations"), default=0)
    recent_patent_count = models.PositiveIntegerField(_("patents in the last 3 years"), default=0)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_high_yield = models.BooleanField(_("high-yield talent"), default=False, db_index=True)
    # PIPL: an upheld objection hides the profile everywhere; survives re-imports
    # because the talent's mentions are pinned to it (see services.objection_decide).
    suppressed = models.BooleanField(_("withdrawn on objection"), default=False, db_index=True)
    # Contact details exist only while a consent record of kind "contact" is active.
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    biography = models.TextField(_("biography (with consent)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["-patent_count", "id"]

    def __str__(self) -> str:
        return self.display_name


class TalentLink(models.Model):
    """An inventor mention resolved to a talent, with the engine's confidence."""

    class Method(models.TextChoices):
        ENGINE = "engine", _("Automatic")
        PINNED = "pinned", _("Staff correction")

    class Review(models.TextChoices):
        NONE = "", _("Not needed")
        PENDING = "pending", _("Awaiting review")
        CONFIRMED = "confirmed", _("Confirmed")

    mention = models.OneToOneField(
        InventorMention, on_delete=models.CASCADE, related_name="talent_link"
    )
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="links")
    confidence = models.FloatField(_("confidence"))
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    # The engine's block ("wang|w"): an increment reloads only the blocks it touches.
    block_key = models.CharField(max_length=128, db_index=True, blank=True)
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.ENGINE)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("talent link")
        verbose_name_plural = _("talent links")
        indexes = [models.Index(fields=["review", "confidence"], name="talentlink_review_idx")]

    def __str__(self) -> str:
        return f"{self.mention_id} → {self.talent_id} ({self.confidence:.2f})"


class TalentConstraint(models.Model):
    """A staff correction: the inventor at this place of this patent is that talent.

    Merge, split, move, confirmation and upheld objections all reduce to such pins;
    every run (full or incremental) seeds the engine with them first. They are keyed
    on (patent, inventor sequence), not on the mention row, because a re-import
    replaces a patent's mention rows while the patent row itself is upserted.
    """

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        MOVE = "move", _("Move")
        CONFIRM = "confirm", _("Confirm")
        OBJECTION = "objection", _("Objection")

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveSmallIntegerField()
    # The name when the pin was made: a pin never applies to a different name.
    raw_name = models.CharField(max_length=255)
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="constraints")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("talent correction")
        verbose_name_plural = _("talent corrections")
        constraints = [
            models.UniqueConstraint(fields=["patent", "sequence"], name="talent_pin_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.patent_id}/{self.sequence} → {self.talent_id}"


class ConsentRecord(models.Model):
    """A person's consent to show more than the patent documents publish."""

    class Scope(models.TextChoices):
        CONTACT = "contact", _("Contact details")
        PROFILE = "profile", _("Biography and extra profile data")

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    evidence = models.CharField(_("evidence"), max_length=255)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.talent_id}: {self.scope}"


class Objection(models.Model):
    """An objection or takedown request about a profile (PIPL art. 44–47)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UPHELD = "upheld", _("Upheld: profile withdrawn")
        REJECTED = "rejected", _("Rejected")

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="objections")
    requester_name = models.CharField(_("your name"), max_length=128)
    requester_contact = models.CharField(_("how to reach you"), max_length=255)
    message = models.TextField(_("what should change"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    decision_note = models.TextField(_("decision"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.requester_name}"


class ProfileAccess(models.Model):
    """Who viewed or exported which profile (the portal-wide audit log may absorb it)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("profile access")
        verbose_name_plural = _("profile accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.talent_id}"
