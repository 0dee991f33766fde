from captcha import urls as captcha_urls
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, include, path
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import account_views, audit_views, health, membership_views, privacy_views, views
from .api import router

# Each app owns its pages under its own prefix.
APP_PREFIXES = (
    ("patents/", "patents.urls"),
    ("matching/", "matching.urls"),
    ("navigation/", "operations_center.urls"),
    ("alliances/", "alliances.urls"),
    ("open-licence/", "openlicense.urls"),
    ("trading/", "trading.urls"),
    ("talent/", "talent.urls"),
    ("reporting/", "reporting.urls"),
)


def _with_methods(patterns, decorator) -> list[URLPattern]:
    """A third-party app's URL patterns with their views limited to some methods."""
    return [URLPattern(p.pattern, decorator(p.callback), p.default_args, p.name) for p in patterns]


urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", account_views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/verify/", account_views.otp_verify, name="otp_verify"),
    path("accounts/2fa/setup/", account_views.otp_setup, name="otp_setup"),
    path("accounts/mobile/", account_views.mobile_verify, name="mobile_verify"),
    path(
        "accounts/organization/",
        membership_views.organization_membership,
        name="organization_membership",
    ),
    path(
        "accounts/membership-requests/",
        membership_views.membership_requests,
        name="membership_requests",
    ),
    path(
        "accounts/membership-requests/<int:pk>/decision/",
        membership_views.membership_request_decision,
        name="membership_request_decision",
    ),
    path(
        "accounts/membership-requests/<int:pk>/licence/",
        membership_views.membership_evidence,
        name="membership_evidence",
    ),
    # The captcha's images, sound and refresh are read-only: GET/HEAD only.
    path("captcha/", include(_with_methods(captcha_urls.urlpatterns, require_safe))),
    path("health/", health.health, name="health"),
    path("privacy/", privacy_views.privacy_notice, name="privacy_notice"),
    path(
        "privacy/requests/new/", privacy_views.privacy_request_create, name="privacy_request_create"
    ),
    path("privacy/requests/", privacy_views.privacy_requests_mine, name="privacy_requests_mine"),
    path("audit/export.csv", audit_views.audit_export_csv, name="audit_export_csv"),
    # Django's view also redirects on GET without changing anything; the
    # language switcher posts (templates/base.html), so POST only.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Before api/<version>/, which would otherwise take "schema" for a version
    # and answer 404 "invalid version"; no URL versioning on these two.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(api_version="v1", versioning_class=None),
        name="api-schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", versioning_class=None),
        name="api-docs",
    ),
    path("api/<version>/", include(router.urls)),
    *(path(prefix, include(module)) for prefix, module in APP_PREFIXES),
]
