"""Admin registrations of matching."""

from django.contrib import admin

from portal.programme_admin import REASSIGN_ACTIONS

from .models import (
    NEED_SUBMITTED_FIELDS,
    MatchWeights,
    NeedAttachment,
    Push,
    PushItem,
    PushPreference,
    TechNeed,
)
from .services import need_submit

_SUBMITTED_FIELDS = {*NEED_SUBMITTED_FIELDS, "programme_line"}


class NeedAttachmentInline(admin.TabularInline):
    """Shown, not added here: attachments arrive through ``need_submit``, which
    checks each file with ``portal.uploads.validate_upload``."""

    model = NeedAttachment
    extra = 0
    fields = ["original_name", "content_type", "size"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TechNeed)
class TechNeedAdmin(admin.ModelAdmin):
    actions = REASSIGN_ACTIONS  # bulk programme-line reassignment, audited
    list_display = ["title", "organization", "status", "programme_line", "published_at"]
    list_filter = ["status", "programme_line", "source", "cooperation_mode"]
    search_fields = ["title", "organization__name"]
    raw_id_fields = ["organization", "region"]
    # Status changes go through ``need_review`` (staff page or API), which audits them.
    readonly_fields = [
        "status",
        "predicted_ipc",
        "keywords",
        "reviewed_by",
        "reviewed_at",
        "published_at",
    ]
    inlines = [NeedAttachmentInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A need entered here is submitted like any other (same rules, tagging).
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in _SUBMITTED_FIELDS and value is not None
        }
        saved = need_submit(
            organization=form.cleaned_data["organization"],
            fields=fields,
            created_by=request.user,
            source=form.cleaned_data.get("source") or TechNeed.Source.STAFF,
        )
        obj.pk = saved.pk
        obj._state.adding = False


class PushItemInline(admin.TabularInline):
    model = PushItem
    extra = 0
    raw_id_fields = ["patent"]
    readonly_fields = ["dedup_key", "clicked_at", "feedback", "feedback_reason", "feedback_at"]


@admin.register(Push)
class PushAdmin(admin.ModelAdmin):
    actions = REASSIGN_ACTIONS  # bulk programme-line reassignment, audited
    list_display = [
        "organization",
        "channel",
        "status",
        "delivery",
        "programme_line",
        "sent_at",
        "opened_at",
    ]
    list_filter = ["status", "delivery", "channel", "programme_line"]
    raw_id_fields = ["organization", "need"]
    # Delivery follows the providers' receipts only: never edited by hand.
    readonly_fields = [
        "provider",
        "provider_message_id",
        "attempts",
        "next_attempt_at",
        "delivery",
        "delivery_reason",
        "receipt_at",
        "delivered_at",
    ]
    inlines = [PushItemInline]


@admin.register(PushPreference)
class PushPreferenceAdmin(admin.ModelAdmin):
    list_display = ["organization", "personalised_opt_out", "unsubscribed_at", "weekly_cap"]
    raw_id_fields = ["organization"]


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    list_display = ["programme_line", "lexical", "semantic", "ipc", "consensus", "updated_at"]
