from django.contrib import admin

from .models import (
    ImportJob,
    InventorMention,
    IPCCode,
    Organization,
    Patent,
    PatentApplicant,
    PatentClassification,
    Region,
)


class ApplicantInline(admin.TabularInline):
    model = PatentApplicant
    extra = 0
    raw_id_fields = ["organization"]


class InventorInline(admin.TabularInline):
    model = InventorMention
    extra = 0
    exclude = ["region"]


@admin.register(Patent)
class PatentAdmin(admin.ModelAdmin):
    list_display = [
        "publication_number",
        "title",
        "patent_type",
        "legal_status",
        "main_ipc",
        "publication_date",
        "source_dataset",
    ]
    list_filter = ["country", "patent_type", "legal_status", "source_dataset"]
    # Exact lookups only: a contains-scan over 100M titles is the search service's job.
    search_fields = ["=publication_number", "=application_number"]
    show_full_result_count = False
    readonly_fields = ["created_at", "updated_at", "import_job"]
    inlines = [ApplicantInline, InventorInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "uscc", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["=normalized_name", "name", "=uscc"]
    raw_id_fields = ["region"]
    show_full_result_count = False


@admin.register(InventorMention)
class InventorMentionAdmin(admin.ModelAdmin):
    list_display = ["raw_name", "patent", "sequence", "country"]
    search_fields = ["=normalized_name"]
    raw_id_fields = ["patent", "region"]
    show_full_result_count = False


@admin.register(IPCCode)
class IPCCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title_zh", "title_en"]
    list_filter = ["level"]
    search_fields = ["code", "title_zh", "title_en"]
    raw_id_fields = ["parent"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(PatentClassification)
class PatentClassificationAdmin(admin.ModelAdmin):
    list_display = ["patent", "scheme", "code", "is_main"]
    list_filter = ["scheme"]
    raw_id_fields = ["patent"]
    show_full_result_count = False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "format",
        "status",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_rejected",
        "created_at",
    ]
    list_filter = ["status", "format"]
    readonly_fields = [
        "status",
        "bytes_total",
        "bytes_done",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_rejected",
        "error_report",
        "failure",
        "created_by",
        "started_at",
        "finished_at",
    ]
