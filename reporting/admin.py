"""Admin of reporting: staff edit KPI targets, periods and projects here; issued
reports and their snapshots are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.programme import ProgrammeLine

from .measures import MEASURES
from .models import (
    KpiDefinition,
    KpiSnapshot,
    Project,
    ProjectTarget,
    QualitativeEvidence,
    Report,
    ReportingPeriod,
)


class KpiDefinitionForm(forms.ModelForm):
    measure = forms.ChoiceField(label=_("measure"), choices=())

    class Meta:
        model = KpiDefinition
        fields = [
            "code",
            "programme_line",
            "position",
            "name_zh",
            "name_en",
            "target_value",
            "unit",
            "comparison",
            "measure",
            "measure_params",
            "either_group",
            "computation_zh",
            "computation_en",
            "evidence_zh",
            "evidence_en",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = sorted(
            (name, f"{name} — {m.label}") for name, m in MEASURES.items()
        )


@admin.register(KpiDefinition)
class KpiDefinitionAdmin(admin.ModelAdmin):
    form = KpiDefinitionForm
    list_display = (
        "code",
        "programme_line",
        "name_zh",
        "comparison",
        "target_value",
        "unit",
        "measure",
        "either_group",
        "active",
    )
    list_filter = ("programme_line", "active", "measure")
    list_editable = ("target_value", "active")
    search_fields = ("code", "name_zh", "name_en")


class ProjectForm(forms.ModelForm):
    programme_lines = forms.MultipleChoiceField(
        label=_("programme lines"),
        choices=ProgrammeLine.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "programme_lines",
            "funder_name",
            "starts_on",
            "ends_on",
            "funders",
            "active",
        ]


class ProjectTargetInline(admin.TabularInline):
    model = ProjectTarget
    extra = 0
    autocomplete_fields = ("definition",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectForm
    list_display = ("code", "name", "funder_name", "starts_on", "ends_on", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("funders",)
    inlines = [ProjectTargetInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("label", "kind", "start", "end")
    list_filter = ("kind",)


class KpiSnapshotInline(admin.TabularInline):
    model = KpiSnapshot
    extra = 0
    can_delete = False
    fields = ("code", "name_zh", "target_value", "value", "evidence_count", "measurable")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("project", "period", "status", "render_state", "issued_at")
    list_filter = ("status", "period")
    inlines = [KpiSnapshotInline]
    readonly_fields = (
        "status",
        "render_state",
        "progress",
        "failure",
        "pdf_file",
        "pdf_sha256",
        "xlsx_file",
        "xlsx_sha256",
        "issued_at",
        "issued_by",
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_issued:
            return [*self.readonly_fields, "project", "period", "narrative"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_issued


class QualitativeEvidenceForm(forms.ModelForm):
    class Meta:
        model = QualitativeEvidence
        fields = ["kind", "programme_line", "title", "counterparty", "dated_on", "document"]


@admin.register(QualitativeEvidence)
class QualitativeEvidenceAdmin(admin.ModelAdmin):
    """Staff record the documents behind the qualitative targets; a record is added
    through ``qualitative_evidence_add`` (checked upload, SHA-256, audit) and not edited."""

    form = QualitativeEvidenceForm
    list_display = ("dated_on", "kind", "programme_line", "title", "document_sha256")
    list_filter = ("kind", "programme_line")
    readonly_fields = ("document_sha256", "recorded_by", "created_at")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        from django.core.exceptions import ValidationError

        from .services import qualitative_evidence_add

        data = form.cleaned_data
        try:
            saved = qualitative_evidence_add(
                kind=data["kind"],
                programme_line=data["programme_line"],
                title=data["title"],
                counterparty=data["counterparty"],
                dated_on=data["dated_on"],
                document=data["document"],
                actor=request.user,
            )
        except ValidationError as exc:
            from django.contrib import messages

            messages.error(request, " ".join(exc.messages))
            return
        obj.pk = saved.pk
