from django.contrib import admin

from .models import UserProfile


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "mobile", "mobile_verified_at"]
    search_fields = ["user__username", "organization__name", "mobile"]
    raw_id_fields = ["user", "organization"]
