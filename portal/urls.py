from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views
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

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    # Before the versioned router, whose <version> would otherwise swallow "schema".
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/<version>/", include(router.urls)),
    *(path(prefix, include(module)) for prefix, module in APP_PREFIXES),
]
