"""Staff console for open licences: fee ranges and read access to records."""

from django.contrib import admin

from portal.programme_admin import REASSIGN_ACTIONS

from . import models


@admin.register(models.FeeRange)
class FeeRangeAdmin(admin.ModelAdmin):
    list_display = [
        "patent_type",
        "lump_sum_min",
        "lump_sum_max",
        "royalty_rate_min",
        "royalty_rate_max",
    ]


class ConsentInline(admin.TabularInline):
    model = models.PatenteeConsent
    raw_id_fields = ["organization"]
    extra = 0


@admin.register(models.Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    actions = REASSIGN_ACTIONS  # bulk programme-line reassignment, audited
    list_display = ["patent", "status", "fee_lump_sum", "royalty_rate", "announced_on", "source"]
    list_filter = ["status", "source"]
    search_fields = ["patent__publication_number", "master_id"]
    raw_id_fields = ["patent", "created_by"]
    readonly_fields = ["status", "announced_on", "withdrawn_on"]
    inlines = [ConsentInline]


@admin.register(models.OpenLicence)
class OpenLicenceAdmin(admin.ModelAdmin):
    actions = REASSIGN_ACTIONS  # bulk programme-line reassignment, audited
    list_display = ["declaration", "licensee", "status", "paid_on", "filing_due_on", "filed_on"]
    list_filter = ["status"]
    raw_id_fields = ["declaration", "licensee", "deal", "created_by"]
    readonly_fields = ["status", "deal"]


@admin.register(models.SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["at", "direction", "source", "created", "changed", "withdrawn", "unchanged"]
    readonly_fields = ["conflicts", "errors"]
