from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from .audit import AuditAction, audit_events_csv_rows, audit_record
from .models import (
    AuditEvent,
    ConsentRecord,
    DataRightsRequest,
    UserProfile,
    WorkCalendarDay,
    WorkCalendarYear,
)
from .pipl import data_rights_request_assign, data_rights_request_close
from .roles import ADMIN_ROLES


class WorkCalendarDayInline(admin.TabularInline):
    model = WorkCalendarDay
    extra = 3
    fields = ["date", "kind", "name"]


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(admin.ModelAdmin):
    """Staff add next year's holidays and make-up working days from the State Council
    notice; until they do, ``portal.workdays`` refuses to count days in that year."""

    list_display = ["year", "notice"]
    inlines = [WorkCalendarDayInline]


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "mobile", "mobile_verified_at"]
    search_fields = ["user__username", "organization__name", "mobile"]
    raw_id_fields = ["user", "organization"]


class ReadOnlyAdminMixin:
    """Nobody adds, edits or deletes these in the admin, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_label",
        "action",
        "target_type",
        "target_repr",
        "ip_address",
    ]
    list_filter = ["action", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = [
        "actor_label",
        "action",
        "target_repr",
        "=target_id",
        "=request_id",
        "=ip_address",
    ]
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    show_full_result_count = False  # counting a large trail on every page is slow

    @admin.action(description=_("Export selected events as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        audit_record(
            action=AuditAction.EXPORTED,
            details={"what": "audit_events", "count": queryset.count()},
            request=request,
        )
        response = StreamingHttpResponse(
            audit_events_csv_rows(queryset.order_by("created_at")),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
        return response


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recorded_at", "user", "subject_reference", "purpose", "granted", "method"]
    list_filter = ["purpose", "granted", "method"]
    search_fields = ["user__username", "=subject_reference"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("open", _("Open"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        if self.value() == "overdue":
            return queryset.filter(
                status__in=DataRightsRequest.OPEN_STATUSES, due_on__lt=timezone.localdate()
            )
        if self.value() == "open":
            return queryset.filter(status__in=DataRightsRequest.OPEN_STATUSES)
        return queryset


@admin.register(DataRightsRequest)
class DataRightsRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "received_at", "due_on", "assigned_to"]
    list_filter = [OverdueFilter, "status", "kind"]
    search_fields = ["=id", "name", "contact"]
    readonly_fields = [
        "kind",
        "requester",
        "name",
        "contact",
        "description",
        "received_at",
        "due_on",
        "assigned_to",
        "closed_at",
        "status",
    ]
    fields = [*readonly_fields, "resolution"]
    actions = ["assign_to_me", "complete", "reject"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        for item in queryset.filter(status__in=DataRightsRequest.OPEN_STATUSES):
            data_rights_request_assign(rights_request=item, staff=request.user, request=request)

    def _close(self, request, queryset, *, rejected: bool):
        for item in queryset:
            try:
                data_rights_request_close(
                    rights_request=item,
                    staff=request.user,
                    resolution=item.resolution,
                    rejected=rejected,
                    request=request,
                )
            except ValueError as exc:
                self.message_user(request, f"#{item.pk}: {exc}", level=messages.ERROR)

    @admin.action(
        description=_("Close as completed (the answer must be filled in)"), permissions=["change"]
    )
    def complete(self, request, queryset):
        self._close(request, queryset, rejected=False)

    @admin.action(
        description=_("Close as rejected (the reasons must be filled in)"), permissions=["change"]
    )
    def reject(self, request, queryset):
        self._close(request, queryset, rejected=True)


# --- Users: refuse 三员 clashes with a form error instead of a failed save -------

_ADMIN_GROUPS = {role.value for role in ADMIN_ROLES}


class PortalUserChangeForm(UserChangeForm):
    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None and len({g.name for g in groups} & _ADMIN_GROUPS) > 1:
            raise forms.ValidationError(
                _("System, security and audit administration must be held by different people.")
            )
        return groups


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    form = PortalUserChangeForm
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-factor authentication (lost phone)"))
    def reset_second_factor(self, request, queryset):
        from django.core.exceptions import PermissionDenied

        from .second_factor import second_factor_reset

        try:
            for user in queryset:
                second_factor_reset(user=user, reset_by=request.user, request=request)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request, _("Second factor reset; the users enrol again at their next staff page.")
        )
