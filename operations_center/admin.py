"""Admin of operations_center: staff edit chains (nodes inline), review tags, run events."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import (
    ChainNode,
    Event,
    EventOutcome,
    EventPatent,
    EventRegistration,
    IndustryChain,
    NavigationReport,
    PatentNodeTag,
    TaggingRun,
)
from .services.tagging import tag_review
from .tasks import tagging_run_enqueue


class ChainNodeInline(admin.TabularInline):
    model = ChainNode
    fk_name = "chain"
    extra = 1
    fields = [
        "position",
        "key",
        "name",
        "name_en",
        "stage",
        "parent",
        "ipc_codes",
        "cpc_codes",
        "keywords_zh",
        "keywords_en",
        "sei_industry_codes",
        "match_mode",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A node's parent must be in the same chain.
        if db_field.name == "parent":
            chain_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ChainNode.objects.filter(chain_id=chain_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sei_industry_code", "tagged_at", "facts_refreshed_at"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["tagged_at", "facts_refreshed_at"]
    inlines = [ChainNodeInline]
    actions = ["retag", "retag_full"]

    @admin.action(description=_("Re-tag changed nodes and new patents"))
    def retag(self, request, queryset):
        for chain in queryset:
            tagging_run_enqueue(chain=chain, user=request.user)
        self.message_user(request, _("Tagging queued."), messages.INFO)

    @admin.action(description=_("Re-tag everything"))
    def retag_full(self, request, queryset):
        for chain in queryset:
            tagging_run_enqueue(chain=chain, full=True, user=request.user)
        self.message_user(request, _("Tagging queued."), messages.INFO)


@admin.register(PatentNodeTag)
class PatentNodeTagAdmin(admin.ModelAdmin):
    list_display = ["patent", "node", "source", "reason", "status", "reviewed_by"]
    list_filter = ["chain", "status", "source"]
    search_fields = ["patent__publication_number", "patent__title"]
    raw_id_fields = ["patent", "node"]
    readonly_fields = ["reviewed_by", "reviewed_at"]
    actions = ["confirm", "reject"]

    def save_model(self, request, obj, form, change):
        obj.chain_id = obj.node.chain_id
        if not change:
            obj.source = PatentNodeTag.Source.MANUAL
            obj.status = PatentNodeTag.Status.CONFIRMED
            obj.reviewed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Confirm selected tags"))
    def confirm(self, request, queryset):
        for tag in queryset:
            tag_review(tag=tag, status=PatentNodeTag.Status.CONFIRMED, user=request.user)

    @admin.action(description=_("Reject selected tags"))
    def reject(self, request, queryset):
        for tag in queryset:
            tag_review(tag=tag, status=PatentNodeTag.Status.REJECTED, user=request.user)


@admin.register(TaggingRun)
class TaggingRunAdmin(admin.ModelAdmin):
    list_display = ["chain", "status", "full", "progress_percent", "tags_written", "created_at"]
    readonly_fields = [f.name for f in TaggingRun._meta.fields]


@admin.register(NavigationReport)
class NavigationReportAdmin(admin.ModelAdmin):
    list_display = ["chain", "region_code", "year_from", "year_to", "status", "created_at"]
    readonly_fields = ["status", "pdf", "xlsx", "failure", "finished_at"]


class RegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    raw_id_fields = ["organization"]


class EventPatentInline(admin.TabularInline):
    model = EventPatent
    extra = 0
    raw_id_fields = ["patent"]


class OutcomeInline(admin.StackedInline):
    model = EventOutcome
    extra = 0
    raw_id_fields = ["patents"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place", "status", "programme_line"]
    list_filter = ["kind", "status", "programme_line"]
    search_fields = ["title", "place", "organizer"]
    inlines = [RegistrationInline, EventPatentInline, OutcomeInline]
    exclude = ["patents"]
