"""Admin registrations of matching."""

from django.contrib import admin

from portal.programme_admin import REASSIGN_ACTIONS

from .models import MatchWeights, NeedAttachment, Push, PushItem, PushPreference, TechNeed


class NeedAttachmentInline(admin.TabularInline):
    model = NeedAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(TechNeed)
class TechNeedAdmin(admin.ModelAdmin):
    actions = REASSIGN_ACTIONS  # bulk programme-line reassignment, audited
    list_display = ["title", "organization", "status", "programme_line", "published_at"]
    list_filter = ["status", "programme_line", "source", "cooperation_mode"]
    search_fields = ["title", "organization__name"]
    raw_id_fields = ["organization", "region"]
    readonly_fields = ["predicted_ipc", "keywords", "reviewed_by", "reviewed_at", "published_at"]
    inlines = [NeedAttachmentInline]


class PushItemInline(admin.TabularInline):
    model = PushItem
    extra = 0
    raw_id_fields = ["patent"]
    readonly_fields = ["dedup_key", "clicked_at", "feedback", "feedback_reason", "feedback_at"]


@admin.register(Push)
class PushAdmin(admin.ModelAdmin):
    actions = REASSIGN_ACTIONS  # bulk programme-line reassignment, audited
    list_display = ["organization", "channel", "status", "programme_line", "sent_at", "opened_at"]
    list_filter = ["status", "channel", "programme_line"]
    raw_id_fields = ["organization", "need"]
    inlines = [PushItemInline]


@admin.register(PushPreference)
class PushPreferenceAdmin(admin.ModelAdmin):
    list_display = ["organization", "personalised_opt_out", "unsubscribed_at", "weekly_cap"]
    raw_id_fields = ["organization"]


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    list_display = ["programme_line", "lexical", "semantic", "ipc", "consensus", "updated_at"]
