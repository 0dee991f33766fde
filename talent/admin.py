"""Admin registrations of talent (staff console)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import models


@admin.register(models.Talent)
class TalentAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "display_name",
        "patent_count",
        "granted_invention_count",
        "is_high_yield",
        "suppressed",
    )
    list_filter = ("is_high_yield", "suppressed", "country")
    search_fields = ("display_name",)
    readonly_fields = (
        "name_variants",
        "block_key",
        "patent_count",
        "granted_invention_count",
        "cited_by_total",
        "recent_patent_count",
        "first_year",
        "last_year",
    )


@admin.register(models.TalentLink)
class TalentLinkAdmin(admin.ModelAdmin):
    list_display = ("mention", "talent", "confidence", "method", "review")
    list_filter = ("method", "review")
    raw_id_fields = ("mention", "talent")


@admin.register(models.TalentConstraint)
class TalentConstraintAdmin(admin.ModelAdmin):
    list_display = ("patent", "sequence", "raw_name", "talent", "kind", "created_by", "created_at")
    raw_id_fields = ("patent", "talent")


@admin.register(models.ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ("talent", "scope", "given_at", "withdrawn_at")
    raw_id_fields = ("talent",)


@admin.register(models.ProfileAccess)
class ProfileAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "talent", "action", "ip_address")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False  # an audit trail is read-only


@admin.register(models.Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "talent", "requester_name", "status")
    list_filter = ("status",)


@admin.register(models.SupplyItem)
class SupplyItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "source", "published_at")
    list_filter = ("status", "kind", "source")
    raw_id_fields = ("patent", "holder", "talents")


class EnrollmentInline(admin.TabularInline):
    model = models.Enrollment
    raw_id_fields = ("trainee",)
    fields = (
        "trainee",
        "attended",
        "assessment_score",
        "passed",
        "certificate_number",
        "certificate",
    )
    readonly_fields = ("passed", "certificate_number", "certificate")
    extra = 0

    @admin.display(description=_("certificate"))
    def certificate(self, obj):
        if obj.pk and obj.passed:
            return format_html('<a href="{}">PDF</a>', reverse("talent:certificate", args=[obj.pk]))
        return ""


@admin.register(models.TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("course", "starts_on", "ends_on", "place")
    inlines = [EnrollmentInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # "passed" follows the course's pass mark: the service decides, not the form.
        from .services import enrollment_assess

        for enrollment in formset.queryset.model.objects.filter(session=form.instance):
            enrollment_assess(
                enrollment=enrollment,
                attended=enrollment.attended,
                score=enrollment.assessment_score,
            )


admin.site.register(models.Course)
admin.site.register(models.Trainee)


class StepInline(admin.TabularInline):
    model = models.TalentProjectStep
    extra = 0


@admin.register(models.TalentProject)
class TalentProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "talent", "stage", "company", "investment_rmb", "patents_transferred")
    list_filter = ("stage",)
    raw_id_fields = ("talent", "patents", "company")
    inlines = [StepInline]
