"""Staff console for the trading hub: configuration (value indicators, brokers,
financing institutions, policies, partner markets) and read access to deals."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.programme_admin import REASSIGN_ACTIONS

from . import models


class DealPatentInline(admin.TabularInline):
    model = models.DealPatent
    raw_id_fields = ["patent"]
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = models.SettlementMilestone
    extra = 0
    readonly_fields = ["status", "paid_on", "reference"]


@admin.register(models.Deal)
class DealAdmin(admin.ModelAdmin):
    actions = REASSIGN_ACTIONS  # bulk programme-line reassignment, audited
    list_display = ["id", "kind", "status", "assignor", "assignee", "amount", "signed_on"]
    list_filter = ["kind", "status", "programme_line"]
    search_fields = [
        "title",
        "contract_number",
        "recordal_number",
        "assignor__name",
        "assignee__name",
    ]
    raw_id_fields = [
        "assignor",
        "assignee",
        "listing",
        "broker",
        "source_event",
        "source_push",
        "created_by",
    ]
    # State changes go through the services (and the audit trail), not the admin.
    readonly_fields = ["status"]
    inlines = [DealPatentInline, MilestoneInline]


@admin.register(models.Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["title", "holder", "purpose", "status", "asking_price", "listed_at"]
    list_filter = ["status", "purpose", "subject"]
    search_fields = ["title", "holder__name"]
    raw_id_fields = ["holder", "broker", "created_by"]
    readonly_fields = ["status", "notice_starts_on", "notice_ends_on", "listed_at"]


@admin.register(models.ValueIndicator)
class ValueIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "dimension", "name", "weight", "enabled"]
    list_editable = ["weight", "enabled"]
    list_filter = ["dimension"]


@admin.register(models.Broker)
class BrokerAdmin(admin.ModelAdmin):
    list_display = ["name", "qualification", "certificate_number", "commission_rate", "active"]
    raw_id_fields = ["user", "organization"]
    search_fields = ["name", "certificate_number"]


@admin.register(models.FinancingInstitution)
class FinancingInstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ticket_min", "ticket_max", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


@admin.register(models.FinancingRequest)
class FinancingRequestAdmin(admin.ModelAdmin):
    list_display = ["organization", "amount", "stage", "industry", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["organization", "listing"]


@admin.register(models.Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "issuer", "document_number", "issued_on"]
    list_filter = ["level", "topic"]
    search_fields = ["title", "full_text", "document_number"]


class PartnerMarketForm(forms.ModelForm):
    """The partner's token is a credential we send, so it must stay readable by
    the fetcher, but the console never shows it again once saved: the field is
    write-only, and leaving it empty keeps the stored token."""

    feed_token = forms.CharField(
        label=_("feed token"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Sent as 'Authorization: Token <token>' when fetching the partner's feed. "
            "Never shown again once saved; leave empty to keep the current token."
        ),
    )
    clear_feed_token = forms.BooleanField(label=_("remove the stored token"), required=False)

    class Meta:
        model = models.PartnerMarket
        fields = ["code", "name", "feed_url", "feed_token", "active", "fetched_until"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear_feed_token"):
            cleaned["feed_token"] = ""
        elif not cleaned.get("feed_token"):
            cleaned["feed_token"] = self.instance.feed_token
        return cleaned


@admin.register(models.PartnerMarket)
class PartnerMarketAdmin(admin.ModelAdmin):
    form = PartnerMarketForm
    list_display = ["code", "name", "active", "last_import_at", "last_fetch_at", "last_fetch_error"]
    readonly_fields = ["last_import_at", "last_fetch_at", "last_fetch_error"]


@admin.register(models.PartnerImportRun)
class PartnerImportRunAdmin(admin.ModelAdmin):
    list_display = ["market", "at", "created", "updated", "unchanged"]
    readonly_fields = ["market", "created", "updated", "unchanged", "errors"]
