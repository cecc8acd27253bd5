"""Operational settings: periodic work, reliability, security, rate limits and the inbox.

Part of the settings (reflect/settings.py imports everything here at its end), split off
only to keep each file readable. It reads the values it builds on from the settings module,
which is always imported first.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from reflect import settings_checks as checks
from reflect.environment import env_bool, env_float, env_int, env_str
from reflect.settings import (
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_TASK_DEFAULT_QUEUE,
    DATA_DIR,
    DEBUG,
    REFLECT_EXTRACTION_SOFT_TIME_LIMIT,
    REFLECT_REQUEST_TIMEOUT,
    REFLECT_SDK_MAX_RETRIES,
    REFLECT_SOFT_TIME_LIMIT,
)

# --- Periodic work (Celery beat) ---------------------------------------------------------------
REFLECT_SWEEP_INTERVAL_SECONDS = env_int("REFLECT_SWEEP_INTERVAL_SECONDS", 30)
REFLECT_SCHEDULE_TICK_SECONDS = env_int("REFLECT_SCHEDULE_TICK_SECONDS", 60)
# How often the inbox folders are looked at (see "Scheduled reflections and inbox").
REFLECT_INBOX_SCAN_SECONDS = env_int("REFLECT_INBOX_SCAN_SECONDS", 30)
# Periodic work has its own queue, consumed by the small worker that runs beat (`make run`,
# compose's beat service), so a sweep never waits behind the long reflections it is meant to
# rescue, and only that process needs the inbox folders mounted.
REFLECT_MAINTENANCE_QUEUE = (
    env_str("REFLECT_MAINTENANCE_QUEUE", "")
    or f"{CELERY_TASK_DEFAULT_QUEUE}.maintenance"
)
# Work by latency class: extraction and deliveries are short and a person waits on them,
# so they have their own queue and worker slots and never wait behind long reflections.
REFLECT_INTERACTIVE_QUEUE = (
    env_str("REFLECT_INTERACTIVE_QUEUE", "")
    or f"{CELERY_TASK_DEFAULT_QUEUE}.interactive"
)
CELERY_TASK_ROUTES = {
    "reflect.tasks.extract_document": {"queue": REFLECT_INTERACTIVE_QUEUE},
    "reflect.tasks.send_delivery": {"queue": REFLECT_INTERACTIVE_QUEUE},
}
CELERY_BEAT_SCHEDULE = {
    # Requeues or fails work whose worker died or whose queue message was lost.
    "sweep-stale-work": {
        "task": "reflect.tasks.sweep_stale_work",
        "schedule": REFLECT_SWEEP_INTERVAL_SECONDS,
        # A sweep that waited in the queue past the next one is useless: dropped, not piled up.
        "options": {
            "expires": REFLECT_SWEEP_INTERVAL_SECONDS,
            "queue": REFLECT_MAINTENANCE_QUEUE,
        },
    },
    # Starts scheduled reflections that are due.
    "run-due-schedules": {
        "task": "reflect.tasks.run_due_schedules",
        "schedule": REFLECT_SCHEDULE_TICK_SECONDS,
        "options": {"queue": REFLECT_MAINTENANCE_QUEUE},
    },
    # Takes files dropped in the inbox folders (REFLECT_INBOX_DIR).
    "scan-inbox": {
        "task": "reflect.tasks.scan_inbox",
        "schedule": REFLECT_INBOX_SCAN_SECONDS,
        "options": {"queue": REFLECT_MAINTENANCE_QUEUE},
    },
}

# --- Reliability (stale work, queue availability) ----------------------------------------------
# A killed worker's task is redelivered only after the visibility timeout, hours away (it
# must outlast the longest live run, see the time limits above); the sweep does not wait. Every
# running claim has a key in Redis that its process refreshes every REFLECT_LIVENESS_INTERVAL
# seconds with a REFLECT_LIVENESS_TTL expiry, so a dead worker's reflection is released and
# requeued within TTL + REFLECT_DEAD_WORKER_GRACE_SECONDS + REFLECT_SWEEP_INTERVAL_SECONDS
# (about 90 s by default). REFLECT_CLAIM_STALE_SECONDS stays the backstop when Redis lost keys.
REFLECT_LIVENESS_TTL_SECONDS = env_int("REFLECT_LIVENESS_TTL_SECONDS", 20)
# How often a process refreshes its keys: several refreshes per TTL survive a slow Redis.
REFLECT_LIVENESS_INTERVAL_SECONDS = env_float("REFLECT_LIVENESS_INTERVAL_SECONDS", 5.0)
# A claim younger than this is never judged dead: covers clock skew between hosts.
REFLECT_DEAD_WORKER_GRACE_SECONDS = env_int("REFLECT_DEAD_WORKER_GRACE_SECONDS", 30)
# A reflection whose worker died this many times (a poison input that kills workers) fails
# with a clear, retryable error instead of being requeued forever.
REFLECT_SWEEP_MAX_ATTEMPTS = env_int("REFLECT_SWEEP_MAX_ATTEMPTS", 5)
# Queued work with no worker on it for this long lost its queue message (a Redis restart
# without persistence) and is sent again; at most once per this period, because duplicate
# messages are harmless (the claim is conditional) but not free. Keep it above the extraction
# time limit: a document still extracting after it is presumed abandoned.
REFLECT_REQUEUE_AFTER_SECONDS = env_int("REFLECT_REQUEUE_AFTER_SECONDS", 300)
# Documents still pending or extracting after this long fail with a message; before that
# they are sent again, as above.
REFLECT_EXTRACTION_GIVE_UP_SECONDS = env_int("REFLECT_EXTRACTION_GIVE_UP_SECONDS", 3600)
# Publishing a task to a Redis that is down must fail within seconds, not hang a page: the
# connect timeout bounds each try, CELERY_TASK_PUBLISH_RETRY_POLICY bounds the tries.
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = env_float(
    "REFLECT_BROKER_CONNECT_TIMEOUT", 2.0
)
checks.check_liveness(
    ttl_seconds=REFLECT_LIVENESS_TTL_SECONDS,
    interval_seconds=REFLECT_LIVENESS_INTERVAL_SECONDS,
)
checks.check_extraction(
    give_up_seconds=REFLECT_EXTRACTION_GIVE_UP_SECONDS,
    soft_time_limit=REFLECT_EXTRACTION_SOFT_TIME_LIMIT,
)

# --- Accounts and links -----------------------------------------------------------------------
# Absolute links in mail and webhooks. Blank = the address the app is served on: `make run`
# passes its --host/--port to every child as REFLECT_HOST/REFLECT_PORT, so web and workers
# agree. Behind a proxy or under compose, set it to the public address.
REFLECT_BASE_URL = checks.base_url(
    env_str("REFLECT_BASE_URL", ""),
    host=env_str("REFLECT_HOST", "127.0.0.1"),
    port=env_int("REFLECT_PORT", 8000),
)
# Who may create an account: open (anyone who reaches the site), invite-only (a link an
# administrator made in the admin) or closed (administrators add people). Blank = open on a
# developer's machine, invite-only once DJANGO_DEBUG is off: a reachable server with a paid
# model key should not let strangers spend it.
REFLECT_SIGNUP = checks.signup_policy(
    env_str("REFLECT_SIGNUP", ""), default="open" if DEBUG else "invite-only"
)
# An invitation link stops working this many days after it was made.
REFLECT_INVITATION_DAYS = env_int("REFLECT_INVITATION_DAYS", 14)
if REFLECT_INVITATION_DAYS < 1:
    raise ImproperlyConfigured(
        f"REFLECT_INVITATION_DAYS must be at least 1, got {REFLECT_INVITATION_DAYS}"
    )

# --- Security (production hardening, login throttling) -----------------------------------------
# Production (DJANGO_DEBUG=false) is served over HTTPS only: plain HTTP is redirected there,
# cookies never travel in clear and browsers remember to use HTTPS (HSTS).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and compose probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
# Start low (e.g. 3600) on a new domain; a year once HTTPS is known to work everywhere.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
# Subdomains served over plain HTTP would become unreachable: an operator decision.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG
)
# The header only consents to the browsers' preload list; the domain is listed once submitted.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
# Behind a TLS-terminating proxy the app sees plain HTTP; the proxy's header says what it was.
# Only set this when the proxy overwrites X-Forwarded-Proto, or clients could spoof it.
REFLECT_BEHIND_PROXY = env_bool("REFLECT_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if REFLECT_BEHIND_PROXY else None
)
# Browsers must not guess content types (an uploaded text rendered as HTML) nor frame our pages.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Links to other sites do not carry our URLs (document and reflection ids) in the Referer.
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Failed log-ins per username, and per client address (an office behind one NAT shares one),
# before further attempts are refused for REFLECT_LOGIN_LOCKOUT_SECONDS.
REFLECT_LOGIN_MAX_FAILURES = env_int("REFLECT_LOGIN_MAX_FAILURES", 5)
REFLECT_LOGIN_MAX_FAILURES_PER_IP = env_int("REFLECT_LOGIN_MAX_FAILURES_PER_IP", 30)
REFLECT_LOGIN_LOCKOUT_SECONDS = env_int("REFLECT_LOGIN_LOCKOUT_SECONDS", 15 * 60)
# A file over REFLECT_MAX_UPLOAD_BYTES is dropped while the request streams in, before it reaches
# memory or a temporary file; the other files of the same request are still read.
FILE_UPLOAD_HANDLERS = [
    "reflect.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Provider rate limits (shared by all workers through Redis) --------------------------------
# Requests in flight per model across all workers, so N workers cannot stampede into 429s; 0 = unlimited.
REFLECT_MODEL_MAX_CONCURRENCY = env_int("REFLECT_MODEL_MAX_CONCURRENCY", 0)
# Input + output-limit tokens per model per minute (the account's TPM limit); 0 = unlimited.
REFLECT_MODEL_TPM = env_int("REFLECT_MODEL_TPM", 0)
# A slot is a lease renewed while its request runs: a killed worker's slot frees within this.
REFLECT_MODEL_LEASE_SECONDS = env_float("REFLECT_MODEL_LEASE_SECONDS", 30.0)
# Longer than this waiting for a slot or budget, the task retries later instead of sleeping on.
REFLECT_MODEL_MAX_WAIT_SECONDS = env_float("REFLECT_MODEL_MAX_WAIT_SECONDS", 300.0)
if (
    min(REFLECT_MODEL_MAX_CONCURRENCY, REFLECT_MODEL_TPM) < 0
    or REFLECT_MODEL_LEASE_SECONDS <= 0
):
    raise ImproperlyConfigured(
        "REFLECT_MODEL_* rate limits must be 0 (unlimited) or positive"
    )

# --- Scheduled reflections and inbox -----------------------------------------------------------
# Watched folders: <dir>/<username>/ (or <username>/<collection name>/) are ingested for that person.
REFLECT_INBOX_DIR = Path(
    env_str("REFLECT_INBOX_DIR", "") or str(DATA_DIR / "inbox")
).resolve()
# Files dropped straight into <username>/ go to this collection, created on demand.
REFLECT_INBOX_COLLECTION = env_str("REFLECT_INBOX_COLLECTION", "Inbox")
# A file is taken once unchanged for this long: a recorder may still be writing it.
REFLECT_INBOX_SETTLE_SECONDS = env_float("REFLECT_INBOX_SETTLE_SECONDS", 10.0)
if not REFLECT_INBOX_COLLECTION.strip() or REFLECT_INBOX_SETTLE_SECONDS < 0:
    raise ImproperlyConfigured(
        "REFLECT_INBOX_COLLECTION must be set and REFLECT_INBOX_SETTLE_SECONDS >= 0"
    )

# --- OpenAI's own features: background mode, flex tier, reasoning summaries -------------------
# Responses style on the openai profile: each call is a background response, its id saved before
# waiting, so a dead worker's successor re-attaches instead of paying again. Background responses
# are stored by OpenAI (deleted once the answer is saved); off for zero-data-retention projects.
REFLECT_BACKGROUND = env_bool("REFLECT_BACKGROUND", True)
# Seconds between looks at a background response still computing.
REFLECT_BACKGROUND_POLL_SECONDS = env_float("REFLECT_BACKGROUND_POLL_SECONDS", 2.0)
if REFLECT_BACKGROUND_POLL_SECONDS <= 0:
    raise ImproperlyConfigured("REFLECT_BACKGROUND_POLL_SECONDS must be positive")
# A "not urgent" reflection (and a scheduled run) asks OpenAI's flex tier, which queues: OpenAI
# advises 15 minutes where 10 would do (1.5 × the request timeout unless set).
REFLECT_FLEX_REQUEST_TIMEOUT = env_float(
    "REFLECT_FLEX_REQUEST_TIMEOUT", 1.5 * REFLECT_REQUEST_TIMEOUT
)
if (
    REFLECT_FLEX_REQUEST_TIMEOUT * (REFLECT_SDK_MAX_RETRIES + 1)
    >= REFLECT_SOFT_TIME_LIMIT
):
    raise ImproperlyConfigured(
        f"REFLECT_SOFT_TIME_LIMIT={REFLECT_SOFT_TIME_LIMIT} must exceed "
        f"REFLECT_FLEX_REQUEST_TIMEOUT={REFLECT_FLEX_REQUEST_TIMEOUT:g} × "
        f"(REFLECT_SDK_MAX_RETRIES={REFLECT_SDK_MAX_RETRIES} + 1): one whole flex request "
        "must fit in a run"
    )
# Reasoning summaries asked of the Responses API on the openai profile (auto, concise, detailed;
# blank: none), shown folded under the answer.
REFLECT_REASONING_SUMMARY = env_str("REFLECT_REASONING_SUMMARY", "auto")
if REFLECT_REASONING_SUMMARY not in {"", "auto", "concise", "detailed"}:
    raise ImproperlyConfigured(
        "REFLECT_REASONING_SUMMARY must be blank, auto, concise or detailed"
    )
