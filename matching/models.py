"""Models of matching: technology needs, the matcher's stored signals, and pushes.

Contract names (other apps import these): ``TechNeed``, ``Push``, ``PushItem``.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.programme import ProgrammeLine

from .levels import level_display, score_level


def _token() -> str:
    return secrets.token_urlsafe(24)


# The rules of a need's text live here, on the model's fields, so the public
# form, the API serializer, the Excel import and the admin refuse the same
# input with the same message (``full_clean`` in ``need_submit`` / ``need_update``).
NEED_TITLE_MIN_CHARS = 4
NEED_DESCRIPTION_MIN_CHARS = 20
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


# What the enterprise states when it submits a need (form, API, import, admin).
NEED_SUBMITTED_FIELDS = (
    "title",
    "description",
    "industry",
    "cooperation_mode",
    "budget_range",
    "deadline",
    "region",
    "contact_name",
    "contact_mobile",
)


def validate_need_title(value: str) -> None:
    if len((value or "").strip()) < NEED_TITLE_MIN_CHARS:
        raise ValidationError(
            _("Give the need a title of at least 4 characters."), code="title_too_short"
        )


def validate_need_description(value: str) -> None:
    if len((value or "").strip()) < NEED_DESCRIPTION_MIN_CHARS:
        raise ValidationError(
            _("Describe the need in at least 20 characters: the matcher reads this text."),
            code="description_too_short",
        )


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number, e.g. 13800138000."), code="mobile"
        )


class CooperationMode(models.TextChoices):
    TRANSFER = "transfer", _("Patent transfer")
    LICENCE = "licence", _("Patent licence")
    JOINT_RND = "joint_rnd", _("Joint R&D")
    TALENT = "talent", _("Talent cooperation")


class Industry(models.TextChoices):
    # The WIPO technology concordance's five sectors plus services; coarse on
    # purpose: the matcher relies on predicted IPC classes, not on this field.
    ELECTRICAL = "electrical", _("Electrical engineering")
    INSTRUMENTS = "instruments", _("Instruments")
    CHEMISTRY = "chemistry", _("Chemistry, materials, pharma")
    MECHANICAL = "mechanical", _("Mechanical engineering")
    OTHER_FIELDS = "other_fields", _("Other fields (construction, consumer goods)")
    AGRICULTURE = "agriculture", _("Agriculture and food")


class BudgetRange(models.TextChoices):
    UNDER_10 = "lt10", _("Under 100,000 RMB")
    FROM_10_TO_50 = "10_50", _("100,000 – 500,000 RMB")
    FROM_50_TO_200 = "50_200", _("500,000 – 2 million RMB")
    OVER_200 = "gt200", _("Over 2 million RMB")
    NEGOTIABLE = "negotiable", _("Negotiable")


class TechNeed(models.Model):
    """A technology need (技术需求) stated by an enterprise."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        FORM = "form", _("Public form")
        IMPORT = "import", _("Excel import")
        STAFF = "staff", _("Entered by staff")

    organization = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        related_name="tech_needs",
        verbose_name=_("enterprise"),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_need_title])
    description = models.TextField(_("description"), validators=[validate_need_description])
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    cooperation_mode = models.CharField(
        _("cooperation mode"), max_length=16, choices=CooperationMode.choices
    )
    budget_range = models.CharField(
        _("budget"), max_length=16, choices=BudgetRange.choices, default=BudgetRange.NEGOTIABLE
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    region = models.ForeignKey(
        "patents.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    contact_name = models.CharField(_("contact person"), max_length=64)
    contact_mobile = models.CharField(
        _("mobile number"), max_length=20, validators=[validate_mobile]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.INDUSTRY_OPERATIONS,
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    # Deep tagging (标引): filled in the background by ``need_tag``.
    predicted_ipc = models.JSONField(_("predicted IPC"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tech_needs",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("technology need")
        verbose_name_plural = _("technology needs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "published_at"], name="need_status_pub_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}"


class NeedAttachment(models.Model):
    need = models.ForeignKey(TechNeed, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="need-attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class PatentSignal(models.Model):
    """What the matcher stores per patent: its embedding and predicted classes.

    Kept out of ``patents.Patent`` so that the base schema stays narrow; one row
    per patent that has been embedded (see ``matching.embeddings`` for the order).
    """

    patent = models.OneToOneField(
        "patents.Patent", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # 384 float16 values of multilingual-e5-small (768 bytes).
    embedding = models.BinaryField(null=True, blank=True)
    model_name = models.CharField(max_length=64, blank=True)
    # Predicted IPC subclasses for patents that came without codes.
    predicted_ipc = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("patent matching signal")
        verbose_name_plural = _("patent matching signals")

    def __str__(self) -> str:
        return f"signal of patent {self.patent_id}"


class MatchWeights(models.Model):
    """How the matcher weighs its signals, tunable by staff per programme line."""

    programme_line = models.CharField(
        _("programme line"), max_length=32, choices=ProgrammeLine.choices, unique=True
    )
    # Defaults equal matching.matcher.scoring.DEFAULT_WEIGHTS (measured, see benchmarks).
    lexical = models.FloatField(_("shared terms"), default=0.30, validators=[MinValueValidator(0)])
    semantic = models.FloatField(
        _("semantic similarity"), default=0.30, validators=[MinValueValidator(0)]
    )
    ipc = models.FloatField(_("shared IPC"), default=0.30, validators=[MinValueValidator(0)])
    consensus = models.FloatField(
        _("technology group consensus"), default=0.30, validators=[MinValueValidator(0)]
    )
    holder = models.FloatField(_("holder type"), default=0.02, validators=[MinValueValidator(0)])
    region = models.FloatField(_("region"), default=0.03, validators=[MinValueValidator(0)])
    legal_status = models.FloatField(
        _("legal status"), default=0.03, validators=[MinValueValidator(0)]
    )
    availability = models.FloatField(
        _("open licence / listing"),
        default=0.05,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return self.get_programme_line_display()


class PushPreference(models.Model):
    """An enterprise's consent and caps for pushes (PIPL art. 24 opt-out)."""

    organization = models.OneToOneField(
        "patents.Organization", on_delete=models.CASCADE, related_name="push_preference"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    wechat_openid = models.CharField(max_length=64, blank=True)
    personalised_opt_out = models.BooleanField(_("no personalised pushes"), default=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    weekly_cap = models.PositiveSmallIntegerField(_("pushes per week at most"), default=3)
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)

    class Meta:
        verbose_name = _("push preference")
        verbose_name_plural = _("push preferences")

    def __str__(self) -> str:
        return str(self.organization)


class Push(models.Model):
    """One message to one enterprise carrying one or more items."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WECHAT = "wechat", _("WeChat")
        LOG = "log", _("Log (development)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent")

    class Delivery(models.TextChoices):
        NONE = "", "—"
        PENDING = "pending", _("Awaiting receipt")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Not delivered")
        UNKNOWN = "unknown", _("Delivery unknown")

    organization = models.ForeignKey(
        "patents.Organization",
        on_delete=models.PROTECT,
        related_name="pushes_received",
        verbose_name=_("recipient"),
    )
    need = models.ForeignKey(
        TechNeed, on_delete=models.SET_NULL, null=True, blank=True, related_name="pushes"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    programme_line = models.CharField(
        _("programme line"), max_length=32, choices=ProgrammeLine.choices
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    personalised = models.BooleanField(default=True)
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    # Delivery follows the provider's receipts only (matching.services.receipts):
    # "awaiting receipt" after the hand-off, then delivered / failed / unknown.
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, blank=True, default=""
    )
    delivery_reason = models.CharField(_("delivery report"), max_length=255, blank=True)
    provider = models.CharField(_("provider"), max_length=16, blank=True)
    provider_message_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    receipt_at = models.DateTimeField(_("receipt received at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.created_at:%Y-%m-%d}"


class PushItem(models.Model):
    class Kind(models.TextChoices):
        PATENT = "patent", _("Patent")
        OPEN_LICENCE = "open_licence", _("Open licence")
        LISTING = "listing", _("Listing")

    class Feedback(models.TextChoices):
        NONE = "", _("No feedback")
        INTERESTED = "interested", _("Interested")
        NOT_INTERESTED = "not_interested", _("Not interested")

    class Reason(models.TextChoices):
        NONE = "", "—"
        NOT_RELEVANT = "not_relevant", _("Technology does not fit")
        TOO_EXPENSIVE = "too_expensive", _("Too expensive")
        ALREADY_SOLVED = "already_solved", _("Already solved")
        IMMATURE = "immature", _("Technology not mature enough")
        WRONG_REGION = "wrong_region", _("Holder too far away")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        NONE = "", _("None yet")
        INTRODUCED = "introduced", _("Introduced to the holder")
        DEAL = "deal", _("Deal concluded")

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="items")
    # Denormalised from the push so that deduplication is one unique constraint.
    organization = models.ForeignKey(
        "patents.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    patent = models.ForeignKey(
        "patents.Patent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    url = models.CharField(max_length=500, blank=True)
    dedup_key = models.CharField(max_length=64)
    clicked_at = models.DateTimeField(_("clicked at"), null=True, blank=True)
    feedback = models.CharField(
        _("feedback"), max_length=16, choices=Feedback.choices, blank=True, default=""
    )
    feedback_reason = models.CharField(
        _("reason"), max_length=16, choices=Reason.choices, blank=True, default=""
    )
    feedback_note = models.TextField(_("note"), blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("follow-up"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push item")
        verbose_name_plural = _("push items")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "dedup_key"], name="pushitem_org_dedup_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.dedup_key


class StoredMatch(models.Model):
    """One patent of a need's match list, computed in the background (``need_rematch``).

    The staff page reads these rows instead of running the matcher. Each row also
    records what happened to the patent for this need — shown to staff, pushed,
    opened, answered — from evidence only (a page render, a sent push, a click or
    open, a feedback answer), so matching quality can later be measured from it.
    A patent that drops out of the list on a re-match keeps its row (``rank`` null)
    when something already happened to it; otherwise the row is removed.
    """

    need = models.ForeignKey(TechNeed, on_delete=models.CASCADE, related_name="stored_matches")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    signals = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()
    shown_at = models.DateTimeField(_("shown at"), null=True, blank=True)
    pushed_at = models.DateTimeField(_("pushed at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("stored match")
        verbose_name_plural = _("stored matches")
        ordering = ["need", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["need", "patent"], name="storedmatch_need_patent_uniq")
        ]

    def __str__(self) -> str:
        return f"need {self.need_id} → patent {self.patent_id} (#{self.rank})"

    # The same face as ``matching.matcher.Match`` for the staff page.
    @property
    def publication_number(self) -> str:
        return self.patent.publication_number

    @property
    def title(self) -> str:
        return self.patent.title

    @property
    def level(self) -> str:
        return score_level(self.score)

    @property
    def level_display(self) -> str:
        return level_display(self.level)

    @property
    def signal_rows(self) -> list[tuple[str, float]]:
        return signal_rows(self.signals)


def signal_rows(signals: dict[str, float]) -> list[tuple[str, float]]:
    """(translated signal name, value) — the numbers behind the level, on demand."""
    return [(str(_signal_label(name)), value) for name, value in signals.items()]


def _signal_label(name: str) -> str:
    try:
        return MatchWeights._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a signal without a weight field keeps its name
        return name
