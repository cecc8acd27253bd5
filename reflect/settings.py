"""Settings for Reflect, driven by the environment.

Every variable has an embedded default that suits a single developer machine; bad values fail
loudly at start-up. `.env.example` lists them all. Values that must agree with others (the
time limits above all) default to what those others imply and are checked together, in
reflect/settings_checks.py.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from reflect import settings_checks as checks
from reflect.environment import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


# Blank means the default for every path and URL below: .env.example leaves them blank.
DATA_DIR = Path(env_str("REFLECT_DATA_DIR", "") or BASE_DIR / "var").resolve()

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    # Serves the API docs page's Swagger files locally instead of from a CDN (self-hosted, offline).
    "ninja",
    "reflect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "reflect.content_security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "reflect.uploads.NamedUploadsMiddleware",
]

if not DEBUG:
    # Development serves static files from the ASGI handler (reflect/asgi.py); production from
    # the web process too, out of STATIC_ROOT as collectstatic left it.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# DEBUG's error page never shows a connection URL (they carry passwords).
DEFAULT_EXCEPTION_REPORTER_FILTER = "reflect.error_reports.CredentialsFilter"

ROOT_URLCONF = "reflect.urls"
WSGI_APPLICATION = "reflect.wsgi.application"
ASGI_APPLICATION = "reflect.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reflect.context_processors.unread_notifications",
                "reflect.context_processors.queue_status",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'reflect.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates the file but not its folder; a fresh clone has no var/ yet.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Web and worker write concurrently: WAL lets readers proceed, the timeout makes a
    # writer wait for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not memory, so a real worker process can share the test database; the pid
    # keeps concurrent test runs apart.
    DATABASES["default"]["TEST"] = {
        "NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")
    }

AUTH_USER_MODEL = "reflect.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "documents"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The image collects static files at build time, apart from the data volume.
STATIC_ROOT = Path(env_str("REFLECT_STATIC_ROOT", "") or DATA_DIR / "staticfiles")
# Uploads live outside the web root and are only ever served through an owner-checked view.
MEDIA_ROOT = Path(env_str("REFLECT_MEDIA_ROOT", "") or DATA_DIR / "media").resolve()
MEDIA_URL = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Uploads and extraction limits ---------------------------------------------------------
REFLECT_MAX_UPLOAD_BYTES = env_int("REFLECT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
REFLECT_MAX_FILES_PER_UPLOAD = env_int("REFLECT_MAX_FILES_PER_UPLOAD", 100)
REFLECT_MAX_DOCX_UNCOMPRESSED_BYTES = env_int(
    "REFLECT_MAX_DOCX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024
)
REFLECT_MAX_PDF_PAGES = env_int("REFLECT_MAX_PDF_PAGES", 2000)
# What one file's text may hold, checked while extracting (#14): 2 M characters are about
# 500k tokens, a 40-hour transcript; the counts bound files of many tiny pieces.
REFLECT_MAX_EXTRACTED_CHARS = env_int("REFLECT_MAX_EXTRACTED_CHARS", 2_000_000)
REFLECT_MAX_DOCX_PARAGRAPHS = env_int("REFLECT_MAX_DOCX_PARAGRAPHS", 100_000)
REFLECT_MAX_TRANSCRIPT_CUES = env_int("REFLECT_MAX_TRANSCRIPT_CUES", 100_000)
REFLECT_MAX_TEXT_LINES = env_int("REFLECT_MAX_TEXT_LINES", 200_000)
if (
    min(
        REFLECT_MAX_EXTRACTED_CHARS,
        REFLECT_MAX_DOCX_PARAGRAPHS,
        REFLECT_MAX_TRANSCRIPT_CUES,
        REFLECT_MAX_TEXT_LINES,
    )
    < 1
):
    raise ImproperlyConfigured("REFLECT_MAX_* extraction limits must be at least 1")
REFLECT_EXTRACTION_SOFT_TIME_LIMIT = env_int("REFLECT_EXTRACTION_SOFT_TIME_LIMIT", 120)
# Django refuses request bodies over this before our own per-file check can speak; keep it
# above the per-file limit so the user gets our specific message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = REFLECT_MAX_FILES_PER_UPLOAD
FILE_UPLOAD_TEMP_DIR = None

# --- Celery ------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
# Results live in our own tables; the Celery result backend would be a second source of truth.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finished, so a killed worker's task is redelivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Reflections are long: a worker must not hoard queued tasks another worker could run.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process whose resident memory passed this (KiB) is replaced once its task ends, so
# one large file does not leave a worker holding its peak for the tasks after it.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600 * 1024
)
# JSON only: task arguments are ids, never pickled objects.
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Filled further down: the visibility timeout next to the time limits it must outlast, the
# connect timeout with the reliability settings.
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# Fail fast when Redis is down so the web app can say "queue unavailable" instead of hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = env_str("REFLECT_QUEUE", "reflect")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Reflection engine: the model provider --------------------------------------------------
# Any OpenAI-compatible server works; with neither variable set the offline analyzer answers.
OPENAI_API_KEY = env_str("OPENAI_API_KEY", "")
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL", "")
# "openai" or "offline" forces a provider; blank chooses by the two variables above.
REFLECT_PROVIDER = env_str("REFLECT_PROVIDER", "")
# The model configuration lives here, not in code: models are retired every few months.
REFLECT_MODEL = env_str("REFLECT_MODEL", "gpt-5.6")
# A cheaper model may read the parts of a large corpus; the main model always synthesises.
REFLECT_MAP_MODEL = env_str("REFLECT_MAP_MODEL", "") or REFLECT_MODEL
# Independent answers a consensus reflection asks (of the map model) before the main model
# merges them by agreement.
REFLECT_CONSENSUS_SAMPLES = env_int("REFLECT_CONSENSUS_SAMPLES", 3)
if REFLECT_CONSENSUS_SAMPLES < 2:
    raise ImproperlyConfigured(
        f"REFLECT_CONSENSUS_SAMPLES must be at least 2 (got {REFLECT_CONSENSUS_SAMPLES}): "
        "consensus compares several answers"
    )
# Default reasoning effort when a person does not choose one.
REFLECT_EFFORT = env_str("REFLECT_EFFORT", "medium")
# Input + output tokens one request may hold (gpt-5.6 reads about 922k input tokens).
REFLECT_CONTEXT_TOKENS = env_int("REFLECT_CONTEXT_TOKENS", 922_000)
# Room kept for reasoning + visible output; also the output limit sent with each call.
REFLECT_OUTPUT_RESERVE_TOKENS = env_int("REFLECT_OUTPUT_RESERVE_TOKENS", 25_000)
# "chat" (Chat Completions) works on every compatible server; "responses" is OpenAI's newer API.
REFLECT_API_STYLE = env_str("REFLECT_API_STYLE", "chat")
# Known quirks of a backend (role names, output-limit parameter): openai, vllm, ollama,
# llamacpp, lmstudio. See reflect/reasoning/client.py.
REFLECT_BACKEND_PROFILE = env_str("REFLECT_BACKEND_PROFILE", "openai")
# JSON object merged over the built-in price table (USD per 1M tokens), e.g.
# {"my-model": {"input": 1.0, "cached_input": 0.1, "output": 4.0}}.
REFLECT_PRICES = env_str("REFLECT_PRICES", "")
# Seconds one model request may take before it counts as a (retryable) timeout.
REFLECT_REQUEST_TIMEOUT = env_float("REFLECT_REQUEST_TIMEOUT", 600.0)
# The SDK retries without an idempotency key (a retried create may be billed twice): keep small.
REFLECT_SDK_MAX_RETRIES = env_int("REFLECT_SDK_MAX_RETRIES", 2)
# The task owns the longer backoff: retries of a reflection after a transient failure.
REFLECT_TASK_MAX_RETRIES = env_int("REFLECT_TASK_MAX_RETRIES", 5)
# First task retry waits about this long, doubling each time (with jitter) up to the maximum.
REFLECT_RETRY_BACKOFF_SECONDS = env_float("REFLECT_RETRY_BACKOFF_SECONDS", 30.0)
REFLECT_RETRY_BACKOFF_MAX_SECONDS = env_float(
    "REFLECT_RETRY_BACKOFF_MAX_SECONDS", 900.0
)
# The time limits below nest (settings_checks says why): each defaults to what the one inside
# it implies, so a deployer who raises the request timeout need not recompute the rest. A run
# stopped by its soft limit keeps its finished parts and resumes where it was.
REFLECT_SOFT_TIME_LIMIT = env_int(
    "REFLECT_SOFT_TIME_LIMIT",
    checks.default_soft_time_limit(REFLECT_REQUEST_TIMEOUT, REFLECT_SDK_MAX_RETRIES),
)
REFLECT_HARD_TIME_LIMIT = env_int(
    "REFLECT_HARD_TIME_LIMIT", checks.default_hard_time_limit(REFLECT_SOFT_TIME_LIMIT)
)
# A running reflection whose worker has not reported for this long is presumed dead and may be
# claimed again.
REFLECT_CLAIM_STALE_SECONDS = env_int(
    "REFLECT_CLAIM_STALE_SECONDS",
    checks.default_claim_stale_seconds(REFLECT_HARD_TIME_LIMIT),
)
# Redis redelivers a task whose worker was lost once this passes.
REFLECT_VISIBILITY_TIMEOUT = env_int(
    "REFLECT_VISIBILITY_TIMEOUT",
    checks.default_visibility_timeout(REFLECT_HARD_TIME_LIMIT),
)
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = REFLECT_VISIBILITY_TIMEOUT

if REFLECT_PROVIDER not in {"", "openai", "offline"}:
    raise ImproperlyConfigured("REFLECT_PROVIDER must be blank, openai or offline")
if REFLECT_API_STYLE not in {"chat", "responses"}:
    raise ImproperlyConfigured("REFLECT_API_STYLE must be chat or responses")
if REFLECT_BACKEND_PROFILE not in {"openai", "vllm", "ollama", "llamacpp", "lmstudio"}:
    raise ImproperlyConfigured(
        "REFLECT_BACKEND_PROFILE must be openai, vllm, ollama, llamacpp or lmstudio"
    )
try:
    json.loads(REFLECT_PRICES or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"REFLECT_PRICES must be a JSON object: {exc}") from None
checks.check_token_budget(
    context_tokens=REFLECT_CONTEXT_TOKENS,
    output_reserve_tokens=REFLECT_OUTPUT_RESERVE_TOKENS,
)
checks.check_time_limits(
    request_timeout=REFLECT_REQUEST_TIMEOUT,
    sdk_max_retries=REFLECT_SDK_MAX_RETRIES,
    soft_time_limit=REFLECT_SOFT_TIME_LIMIT,
    hard_time_limit=REFLECT_HARD_TIME_LIMIT,
    claim_stale_seconds=REFLECT_CLAIM_STALE_SECONDS,
    visibility_timeout=REFLECT_VISIBILITY_TIMEOUT,
)

# --- Notifications -----------------------------------------------------------------------------
# Development prints mail to the console, production sends it by SMTP (EMAIL_* as usual).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "reflect@localhost")
# REFLECT_BASE_URL (absolute links in mail and webhooks) and the sign-up policy live with the
# account settings in settings_operations.py.
# Pages and the API come from gunicorn (threads), the live-events stream from uvicorn (async):
# unset, pages open the stream on their own host at REFLECT_EVENTS_PORT; a path ("/events/")
# when a proxy routes it on the same origin; or a full URL (docs/deploy.md, "Routing").
REFLECT_EVENTS_URL = env_str("REFLECT_EVENTS_URL", "")
REFLECT_EVENTS_PORT = env_int("REFLECT_EVENTS_PORT", 8001)
# Webhooks to loopback or private addresses could probe the internal network: refused unless
# an operator allows them (a self-hosted team posting to its own chat server, or tests).
REFLECT_WEBHOOK_ALLOW_PRIVATE = env_bool("REFLECT_WEBHOOK_ALLOW_PRIVATE", False)
REFLECT_WEBHOOK_TIMEOUT = env_float("REFLECT_WEBHOOK_TIMEOUT", 10.0)
# The outbox (reflect.deliveries): an email or webhook is tried this many times in all,
# 10 s, 20 s, 40 s ... apart (capped), then shown as failed on the settings page.
REFLECT_DELIVERY_MAX_ATTEMPTS = env_int("REFLECT_DELIVERY_MAX_ATTEMPTS", 6)
REFLECT_DELIVERY_BACKOFF_SECONDS = env_float("REFLECT_DELIVERY_BACKOFF_SECONDS", 10.0)
REFLECT_DELIVERY_BACKOFF_MAX_SECONDS = env_float(
    "REFLECT_DELIVERY_BACKOFF_MAX_SECONDS", 600.0
)
# A sender's claim on a delivery outlives the send task's 120 s limit, so a live sender is
# never doubled; a dead one's claim expires after it.
REFLECT_DELIVERY_LEASE_SECONDS = 150
# A delivery still pending this long after it was due lost its message: the sweep resends.
REFLECT_DELIVERY_RESEND_AFTER_SECONDS = env_int(
    "REFLECT_DELIVERY_RESEND_AFTER_SECONDS", 60
)
if REFLECT_DELIVERY_MAX_ATTEMPTS < 1 or REFLECT_DELIVERY_BACKOFF_SECONDS < 0:
    raise ImproperlyConfigured(
        "REFLECT_DELIVERY_MAX_ATTEMPTS must be at least 1 and "
        "REFLECT_DELIVERY_BACKOFF_SECONDS at least 0"
    )

# --- Storage (shared volume or S3-compatible) --------------------------------------------------
# Uploads go to MEDIA_ROOT (a volume web and workers share) unless a bucket is named; then to
# S3 or any S3-compatible store (MinIO, R2...), and web and workers need no common disk.
REFLECT_S3_BUCKET = env_str("REFLECT_S3_BUCKET", "")
if REFLECT_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": REFLECT_S3_BUCKET,
            # Blank means AWS itself; set it for MinIO, R2 and other compatible stores.
            "endpoint_url": env_str("REFLECT_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("REFLECT_S3_REGION", "") or None,
            # Blank keys let boto3 find credentials itself (instance role, AWS_* variables).
            "access_key": env_str("REFLECT_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("REFLECT_S3_SECRET_ACCESS_KEY", "") or None,
            # Object key prefix, so one bucket can serve several deployments.
            "location": env_str("REFLECT_S3_PREFIX", "uploads"),
            "custom_domain": env_str("REFLECT_S3_CUSTOM_DOMAIN", "") or None,
            # Uploads are private; any URL handed out must be signed and short-lived.
            "querystring_auth": env_bool("REFLECT_S3_QUERYSTRING_AUTH", True),
            "querystring_expire": 300,
            "default_acl": "private",
            # S3Storage overwrites by default; two uploads of "notes.txt" must both survive.
            "file_overwrite": False,
        },
    }
else:
    # No location option: FileSystemStorage reads MEDIA_ROOT, which tests override.
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


# The operational knobs (periodic work, reliability, security, rate limits, inbox) live in
# settings_operations.py to keep each file readable; they are settings all the same.
from reflect.settings_operations import *  # noqa: E402, F403
