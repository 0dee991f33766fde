"""Admin of alliances."""

from __future__ import annotations

from django.contrib import admin

from .models import Alliance, AllianceMember, PatentPool, PoolLicence, PoolPatent


class MemberInline(admin.TabularInline):
    model = AllianceMember
    extra = 1
    raw_id_fields = ["organization"]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "chain", "founded_on"]
    inlines = [MemberInline]


class PoolPatentInline(admin.TabularInline):
    model = PoolPatent
    extra = 1
    raw_id_fields = ["patent", "contributor"]


class PoolLicenceInline(admin.TabularInline):
    """Read-only here: a licence is granted on the pool page (or the API), which
    records its trading.Deal; an admin-made row would have no deal."""

    model = PoolLicence
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["licensee", "status", "royalty", "signed_on", "starts_on", "ends_on", "deal"]
    readonly_fields = fields


@admin.register(PatentPool)
class PatentPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "alliance"]
    inlines = [PoolPatentInline, PoolLicenceInline]
