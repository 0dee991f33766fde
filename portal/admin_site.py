"""The admin site: staff must have passed a TOTP second factor to use it.

Logging in happens on the portal's own login page (lockout, audit) followed
by the second-factor step; the admin's own login page only sends people there.
``ADMIN_REQUIRE_OTP`` exists so the test suite can exercise admin pages without
a device (tests/conftest.py turns it off; tests/security turn it back on).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

# Admin pages of the apps a programme line owns (docs/architecture.md "Programme
# lines and staff pages"): staff of *other* lines are refused, as on the staff pages.
ADMIN_APP_LINES = {
    "operations_center": "industry_operations",
    "alliances": "industry_operations",
    "trading": "trading_hub",
    "talent": "talent",
}


def admin_app_allowed(user, app_label: str) -> bool:
    from .permissions import staff_lines

    line = ADMIN_APP_LINES.get(app_label)
    if line is None:
        return True
    lines = staff_lines(user)
    # None: every line (centre management, superusers); empty: not line staff
    # (reviewers, administrators), whose access the model permissions decide.
    return lines is None or not lines or line in lines


def user_needs_otp(user) -> bool:
    return bool(getattr(settings, "ADMIN_REQUIRE_OTP", True)) and user.is_staff


def user_is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class PortalAdminSite(AdminSite):
    site_header = _("Patent Operations Portal administration")
    site_title = _("Portal administration")
    index_title = _("Staff console")
    # Every admin page is a page or a form: any other method answers 405. The
    # permission matrix (tests/security/urlwalk.py) reads this to know what a
    # route of this site allows, since the admin wraps its views lazily.
    http_methods = ("GET", "HEAD", "POST")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def line_checked(request, *args, **kwargs):
            parts = request.path_info.split("/")
            # /admin/<app_label>/...: another programme line's app is refused.
            if len(parts) > 2 and not admin_app_allowed(request.user, parts[2]):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied
            return inner(request, *args, **kwargs)

        line_checked.__dict__.update(getattr(inner, "__dict__", {}))
        return require_http_methods(list(self.http_methods))(line_checked)

    def get_app_list(self, request, app_label=None):
        return [
            app
            for app in super().get_app_list(request, app_label)
            if admin_app_allowed(request.user, app["app_label"])
        ]

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return not user_needs_otp(request.user) or user_is_verified(request.user)

    def get_urls(self):
        # The login page only sends people to the portal's login page; nothing
        # is posted to it (it is the one admin URL not wrapped by admin_view).
        urls = super().get_urls()
        for pattern in urls:
            if getattr(pattern, "name", None) == "login":
                pattern.callback = require_safe(pattern.callback)
        return urls

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated and request.user.is_staff:
            return redirect(f"{reverse('otp_verify')}?{urlencode({'next': next_url})}")
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
