"""Brokers, financing, policies and the partner markets the hub shares data with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Broker(models.Model):
    """A technology broker (技术经纪人)."""

    name = models.CharField(_("name"), max_length=128)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="broker_profile",
    )
    organization = models.ForeignKey(
        "patents.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokers",
        verbose_name=_("organization"),
    )
    qualification = models.CharField(_("qualification"), max_length=255, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    qualified_on = models.DateField(_("qualified on"), null=True, blank=True)
    commission_rate = models.DecimalField(
        _("commission rate"), max_digits=5, decimal_places=4, default=0
    )
    specialties = models.CharField(_("specialties"), max_length=255, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("broker")
        verbose_name_plural = _("brokers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FinancingInstitution(models.Model):
    class Kind(models.TextChoices):
        VENTURE = "venture", _("Venture capital")
        BANK = "bank", _("Science-tech bank")
        GUARANTEE = "guarantee", _("Guarantee / insurance")
        FUND = "fund", _("Government guidance fund")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # IPC subclasses or class prefixes (e.g. "H01M", "G06") the institution invests in.
    industries = models.JSONField(_("industries (IPC prefixes)"), default=list, blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    ticket_min = models.DecimalField(
        _("minimum ticket (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    ticket_max = models.DecimalField(
        _("maximum ticket (RMB)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    region = models.ForeignKey(
        "patents.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("financing institution")
        verbose_name_plural = _("financing institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FinancingRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        "patents.Organization", on_delete=models.PROTECT, related_name="financing_requests"
    )
    listing = models.ForeignKey(
        "trading.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="financing_requests",
    )
    amount = models.DecimalField(_("amount sought (RMB)"), max_digits=14, decimal_places=2)
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    industry = models.CharField(_("industry (IPC prefix)"), max_length=16, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("financing request")
        verbose_name_plural = _("financing requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization} {self.amount}"


class Policy(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")

    title = models.CharField(_("title"), max_length=255)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    region = models.ForeignKey(
        "patents.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=64, blank=True, db_index=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True, db_index=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    url = models.URLField(_("source URL"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    full_text = models.TextField(_("full text"), blank=True)
    # Tokens from the search service's analysis (patents.search.analysis), space
    # delimited with a space at both ends; kept in step by save().
    search_tokens = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        from patents.search.analysis import index_tokens

        text = " ".join(
            (
                self.title,
                self.issuer,
                self.document_number,
                self.topic,
                self.summary,
                self.full_text,
            )
        )
        tokens = {token for group in index_tokens(text) for token in group}
        self.search_tokens = f" {' '.join(sorted(tokens))} " if tokens else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_tokens"}
        super().save(*args, **kwargs)


class PartnerMarket(models.Model):
    """Another technology market the hub exchanges listings and deals with."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    feed_url = models.URLField(
        _("feed URL"),
        blank=True,
        help_text=_("The partner's API root, e.g. https://market.example.cn/api/v1/"),
    )
    feed_token = models.CharField(
        _("feed token"),
        max_length=255,
        blank=True,
        help_text=_("Sent as 'Authorization: Token <token>' when fetching the partner's feed."),
    )
    active = models.BooleanField(_("active"), default=True)
    last_import_at = models.DateTimeField(_("last import"), null=True, blank=True)
    # The scheduled HTTP fetch asks for changes since this moment (the start of
    # the last fetch that read every section); empty means everything.
    fetched_until = models.DateTimeField(_("fetched changes until"), null=True, blank=True)
    last_fetch_at = models.DateTimeField(_("last fetch"), null=True, blank=True)
    last_fetch_error = models.TextField(_("last fetch error"), blank=True)

    class Meta:
        verbose_name = _("partner market")
        verbose_name_plural = _("partner markets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerImportRun(models.Model):
    market = models.ForeignKey(PartnerMarket, on_delete=models.CASCADE, related_name="runs")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.market} {self.at:%Y-%m-%d %H:%M}"
