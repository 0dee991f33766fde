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
    model = PoolLicence
    extra = 0
    raw_id_fields = ["licensee"]


@admin.register(PatentPool)
class PatentPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "alliance"]
    inlines = [PoolPatentInline, PoolLicenceInline]
