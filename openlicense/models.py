"""Open licence (专利开放许可, Patent Law arts. 50–52): declarations, the
patentees' consent, concluded licences and the sync runs with the master platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patents.models import PatentType
from portal.programme import ProgrammeLine
from portal.uploads import RandomUploadPath


class FeeRange(models.Model):
    """The reasonable fee range staff configure per patent type and fee kind
    (lump sum; royalty on sales; royalty on profit); the pre-check refuses a
    declaration outside it. The seeded defaults are configuration, not law:
    see ``docs/open-licence-format.md``."""

    patent_type = models.CharField(
        _("patent type"), max_length=16, choices=PatentType.choices, unique=True
    )
    lump_sum_min = models.DecimalField(
        _("minimum lump sum (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    lump_sum_max = models.DecimalField(
        _("maximum lump sum (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    royalty_rate_min = models.DecimalField(
        _("minimum royalty rate on sales"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    royalty_rate_max = models.DecimalField(
        _("maximum royalty rate on sales"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    profit_royalty_rate_min = models.DecimalField(
        _("minimum royalty rate on profit"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    profit_royalty_rate_max = models.DecimalField(
        _("maximum royalty rate on profit"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    basis = models.TextField(
        _("basis of these figures"),
        blank=True,
        help_text=_("Where the range comes from (a decision, a guideline, the portal default)."),
    )
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        verbose_name = _("reasonable fee range")
        verbose_name_plural = _("reasonable fee ranges")
        ordering = ["patent_type"]

    def __str__(self) -> str:
        return self.get_patent_type_display()


class Declaration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ANNOUNCED = "announced", _("Announced")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RoyaltyBase(models.TextChoices):
        SALES = "sales", _("Sales revenue")
        PROFIT = "profit", _("Profit")

    class PaymentMethod(models.TextChoices):
        ONE_OFF = "one_off", _("One-off payment")
        ANNUAL = "annual", _("Annual payment")
        LUMP_PLUS_ROYALTY = "lump_plus_royalty", _("Entry fee plus royalties")

    class Source(models.TextChoices):
        LOCAL = "local", _("Declared in this portal")
        MASTER = "master", _("Master platform")

    patent = models.ForeignKey(
        "patents.Patent", on_delete=models.PROTECT, related_name="open_licence_declarations"
    )
    patentees = models.ManyToManyField(
        "patents.Organization", through="PatenteeConsent", related_name="open_licence_declarations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    fee_lump_sum = models.DecimalField(
        _("lump-sum fee (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    royalty_rate = models.DecimalField(
        _("royalty rate"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("A fraction, e.g. 0.03 for 3%."),
    )
    royalty_base = models.CharField(
        _("royalty base"), max_length=8, choices=RoyaltyBase.choices, blank=True
    )
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    term_years = models.PositiveSmallIntegerField(_("licence term (years)"))
    declared_on = models.DateField(_("declaration date"))
    evaluation_report_number = models.CharField(
        _("patent evaluation report number"), max_length=64, blank=True
    )
    pledged = models.BooleanField(_("pledged"), default=False)
    pledgee_consent = models.BooleanField(_("pledgee consents"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True, db_index=True)
    # CNIPA's announcement (公告号) of the declaration: the declaration takes effect when
    # CNIPA announces it (Patent Law art. 50), so "in force" follows these two fields.
    cnipa_announcement_number = models.CharField(
        _("CNIPA announcement number"), max_length=64, blank=True
    )
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True)
    withdrawal_requested_at = models.DateTimeField(
        _("withdrawal requested at"), null=True, blank=True
    )
    withdrawn_on = models.DateField(_("withdrawal announced on"), null=True, blank=True)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.TRADING_HUB,
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.LOCAL
    )
    master_id = models.CharField(_("master platform id"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("open licence declaration")
        verbose_name_plural = _("open licence declarations")
        ordering = ["-declared_on", "-id"]

    def __str__(self) -> str:
        return f"{self.patent} ({self.get_status_display()})"

    @property
    def in_force(self) -> bool:
        """In force once CNIPA has announced it (number and date on record) and until
        a withdrawal is announced."""
        return (
            self.status == self.Status.ANNOUNCED
            and bool(self.cnipa_announcement_number)
            and self.announced_on is not None
        )


class PatenteeConsent(models.Model):
    """One patentee (co-owner) of the declared patent and whether it consents."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="consents")
    organization = models.ForeignKey(
        "patents.Organization", on_delete=models.PROTECT, related_name="+"
    )
    consented = models.BooleanField(_("consents"), default=False)
    consented_on = models.DateField(_("consented on"), null=True, blank=True)
    # The co-owner's signed written consent (a scan); consent without it does not count.
    document = models.FileField(
        _("written consent"),
        upload_to=RandomUploadPath("openlicense/consents"),
        max_length=255,
        blank=True,
    )
    document_sha256 = models.CharField(
        _("SHA-256 of the written consent"), max_length=64, blank=True
    )
    # The co-owner's written consent to withdraw the declaration.
    withdrawal_document = models.FileField(
        _("written consent to withdraw"),
        upload_to=RandomUploadPath("openlicense/consents"),
        max_length=255,
        blank=True,
    )
    withdrawal_document_sha256 = models.CharField(max_length=64, blank=True)
    withdrawal_consented_on = models.DateField(_("consented to withdraw on"), null=True, blank=True)

    class Meta:
        verbose_name = _("patentee consent")
        verbose_name_plural = _("patentee consents")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "organization"], name="patentee_consent_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.consented}"


class DeclarationStatusChange(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"

    @property
    def to_label(self) -> str:
        return Declaration.Status(self.to_status).label


class OpenLicence(models.Model):
    """A licence concluded under an announced declaration: the licensee's
    written notice, its payment, and the filing (备案) with its deadline."""

    class Status(models.TextChoices):
        NOTIFIED = "notified", _("Notice sent, awaiting payment")
        PAYMENT_REPORTED = "paid", _("Payment reported, awaiting confirmation")
        IN_FORCE = "in_force", _("In force")
        FILED = "filed", _("In force and filed")

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="licences")
    licensee = models.ForeignKey(
        "patents.Organization", on_delete=models.PROTECT, related_name="open_licences_taken"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOTIFIED
    )
    notice_sent_on = models.DateField(_("written notice sent on"))
    notice_text = models.TextField(_("notice text"), blank=True)
    # The notice delivered to the patentee through the portal's e-mail channel: set only
    # when the mail was handed off to at least one patentee address.
    notice_delivered_at = models.DateTimeField(_("notice delivered at"), null=True, blank=True)
    notice_delivered_to = models.TextField(_("notice delivered to"), blank=True)
    payment_proof = models.FileField(
        _("payment proof"),
        upload_to=RandomUploadPath("openlicense/payments"),
        max_length=255,
        blank=True,
    )
    payment_proof_sha256 = models.CharField(
        _("SHA-256 of the payment proof"), max_length=64, blank=True
    )
    payment_confirmed_at = models.DateTimeField(_("payment confirmed at"), null=True, blank=True)
    payment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payment_confirmed_as = models.CharField(
        _("payment confirmed as"),
        max_length=12,
        blank=True,
        choices=[("patentee", _("Patentee")), ("staff", _("Centre staff on proof"))],
    )
    payment_amount = models.DecimalField(
        _("payment (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=128, blank=True)
    deal = models.OneToOneField(
        "trading.Deal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="open_licence",
    )
    filing_due_on = models.DateField(_("filing due on"), null=True, blank=True, db_index=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=64, blank=True)
    reminders_sent = models.JSONField(_("reminders sent"), default=list, blank=True)
    programme_line = models.CharField(
        _("programme line"),
        max_length=32,
        choices=ProgrammeLine.choices,
        default=ProgrammeLine.TRADING_HUB,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("open licence")
        verbose_name_plural = _("open licences")
        ordering = ["-notice_sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "licensee"], name="open_licence_once_per_licensee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.declaration.patent} → {self.licensee}"


class SyncRun(models.Model):
    """One import from (or export to) the master platform, with its report."""

    class Direction(models.TextChoices):
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    direction = models.CharField(max_length=8, choices=Direction.choices)
    source = models.CharField(_("source"), max_length=64)
    file_name = models.CharField(max_length=255, blank=True)
    created = models.PositiveIntegerField(_("new"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("master platform sync")
        verbose_name_plural = _("master platform syncs")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.direction} {self.source} {self.at:%Y-%m-%d %H:%M}"
