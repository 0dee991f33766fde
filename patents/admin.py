import json
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.uploads import validate_upload

from .importing.formats import FORMAT_MODULES
from .importing.formats.table import FIELDS as TABLE_FIELDS
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
from .services import import_job_create, import_upload_kind


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


class ImportJobForm(forms.ModelForm):
    """Upload form: the file, its format and the options the importer takes."""

    format = forms.ChoiceField(label=_("Format"), choices=())
    encoding = forms.CharField(
        label=_("Encoding"),
        initial="auto",
        help_text=_("'auto' detects UTF-8 or GBK; or name one, e.g. gb18030."),
    )
    sheet = forms.CharField(
        label=_("Worksheet"), required=False, help_text=_("Excel files: the sheet to read.")
    )
    mapping = forms.CharField(
        label=_("Column mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Table format: a JSON object of your column headers to fields, e.g. "
            '{"编号": "publication_number"}. Chinese export headers are known already.'
        ),
    )

    class Meta:
        model = ImportJob
        fields = ["source_file"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The admin builds this form for the (read-only) change page too.
        if "format" in self.fields:
            self.fields["format"].choices = [(f, f) for f in sorted(FORMAT_MODULES)]
        if "source_file" in self.fields:
            self.fields["source_file"].help_text = _(
                "CSV, TSV, Excel (.xlsx) or gzip-compressed CSV; a PatentsView folder as .zip."
            )

    def clean_source_file(self):
        return validate_upload(self.cleaned_data["source_file"], kind=import_upload_kind())

    def clean_mapping(self) -> dict | None:
        text = self.cleaned_data["mapping"].strip()
        if not text:
            return None
        try:
            mapping = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("The mapping is not valid JSON: %(error)s") % {"error": exc}
            ) from exc
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and v in TABLE_FIELDS for k, v in mapping.items()
        ):
            raise forms.ValidationError(
                _("Give an object of header to field; fields are: %(fields)s")
                % {"fields": ", ".join(TABLE_FIELDS)}
            )
        return mapping

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("source_file")
        if cleaned.get("format") == "patentsview" and upload and not upload.name.endswith(".zip"):
            self.add_error("source_file", _("PatentsView tables are uploaded as one .zip file."))
        return cleaned

    def import_options(self) -> dict:
        options = {"encoding": self.cleaned_data["encoding"] or "auto"}
        for key in ("sheet", "mapping"):
            if self.cleaned_data.get(key):
                options[key] = self.cleaned_data[key]
        return options


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Staff upload files here; the import runs as a Celery task while the change
    page shows its progress, then offers the error report for download."""

    form = ImportJobForm
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
        "original_name",
        "format",
        "options",
        "status",
        "progress",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_rejected",
        "error_report_link",
        "failure",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    class Media:
        js = ["patents/admin/import_progress.js"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["source_file", "format", "encoding", "sheet", "mapping"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def has_change_permission(self, request, obj=None) -> bool:
        # A job is a record of what happened: it is viewed, never edited.
        return False

    def save_model(self, request, obj, form, change) -> None:
        job = import_job_create(
            uploaded_file=form.cleaned_data["source_file"],
            format=form.cleaned_data["format"],
            options=form.import_options(),
            user=request.user,
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the job.
        obj.__dict__.update(job.__dict__)

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the job's page, where the progress bar runs.
        return HttpResponseRedirect(reverse("admin:patents_importjob_change", args=[obj.pk]))

    @admin.display(description=_("Progress"))
    def progress(self, obj: ImportJob) -> str:
        return format_html(
            '<progress max="100" value="{}" data-progress-url="{}" style="width:20em"></progress>'
            ' <span class="import-progress-label">{}%</span>',
            obj.progress_percent,
            reverse("admin:patents_importjob_progress", args=[obj.pk]),
            obj.progress_percent,
        )

    @admin.display(description=_("Error report"))
    def error_report_link(self, obj: ImportJob) -> str:
        if not obj.error_report:
            return _("none (no row was rejected)") if obj.status == obj.Status.SUCCEEDED else "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:patents_importjob_error_report", args=[obj.pk]),
            _("Download the rejected rows (CSV)"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/progress/",
                wrap(self.progress_view),
                name="patents_importjob_progress",
            ),
            path(
                "<int:pk>/error-report/",
                wrap(self.error_report_view),
                name="patents_importjob_error_report",
            ),
            *super().get_urls(),
        ]

    def _job_or_404(self, request, pk: int) -> ImportJob:
        job = get_object_or_404(ImportJob, pk=pk)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def progress_view(self, request, pk: int) -> JsonResponse:
        job = self._job_or_404(request, pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "percent": job.progress_percent,
                "done": job.status in (job.Status.SUCCEEDED, job.Status.FAILED),
                "read": job.rows_read,
                "created": job.rows_created,
                "updated": job.rows_updated,
                "rejected": job.rows_rejected,
                "failure": job.failure,
            }
        )

    def error_report_view(self, request, pk: int) -> FileResponse:
        # Reports hold uploaded data: served only here, to staff allowed to see
        # the job, never from a public media URL.
        job = self._job_or_404(request, pk)
        if not job.error_report:
            raise Http404(_("This import has no error report."))
        try:
            handle = job.error_report.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("The error report file is missing.")) from exc
        name = f"{Path(job.original_name).stem}-rejected-rows.csv"
        return FileResponse(handle, as_attachment=True, filename=name, content_type="text/csv")
