"""Settings for the seminar portal: one module, read from the environment.

Without any environment the portal runs for a newcomer: SQLite databases (the
portal's and the Celery broker's) under var/, mail written to var/mail/. Production sets DATABASE_URL,
REDIS_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS and leaves DEBUG off.
"""
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

from config.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
# The embedded defaults (SQLite, the broker's SQLite file, mail folder) live here; created on first start.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# No default outside DEBUG: a production start without a secret fails at once.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The office as it signs a letter sent by post or FAX to an applicant without email (office/letters.py);
# empty: the series' title and contact address.
OFFICE_NAME = env.str("OFFICE_NAME", default="")
OFFICE_PHONE = env.str("OFFICE_PHONE", default="")
OFFICE_POSTAL_ADDRESS = env.str("OFFICE_POSTAL_ADDRESS", default="")
# An expired form comes back filled in (the application form) or explained, under the series' header.
CSRF_FAILURE_VIEW = "registrations.form_expired.csrf_failure"

INSTALLED_APPS = [
    # modeltranslation must come before admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    # django-csp: its system checks catch settings of the pre-4.0 format.
    "csp",
    # Locks out repeated failed logins to the admin (settings below).
    "axes",
    # A second factor for staff (django-otp): authenticator apps (TOTP), recovery codes, passkeys (WebAuthn).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # Staff sign-in: the second factor's pages, its enrolment and reset, the idle sign-out.
    "staff_auth",
    "seminars",
    "speakers",
    "registrations",
    # The mail outbox: rows written with the event that causes them, sent by Celery (outbox/delivery.py).
    "outbox",
    # Certificates of attendance and of course completion (PDF), their verification page, the course record.
    "certificates",
    # The questionnaire after each session (アンケート): built by the office, answered through the personal link.
    "questionnaires",
    # Zoom Webinars: a personal joining link per confirmed applicant, attendance from Zoom's report.
    "zoom",
    # The office's statistics pages and its report to the council (XLSX, PDF).
    "office_stats",
    # The office's everyday tools: applications by phone, fax or paper, notes, announcements, the lottery draw.
    "office",
    # The demo content (`manage.py load_demo`): the seed's series and a demo year worked through every app's services.
    "demo",
    # The office's news (お知らせ) on the home page, the sessions' pages, a list and an Atom feed.
    "news",
]

MIDDLEWARE = [
    # First: X-Forwarded-Proto/-For count only from our reverse proxy (FORWARDED_ALLOW_IPS; config/client_ip.py).
    "config.client_ip.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag on each page, and 304 Not Modified when the browser revalidates a copy that is still current.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A form body Django cannot read answers the 400 page here, in the URL's language, on every URL (the 404
    # page's CSRF check would read it again and fail): config/request_body.py.
    "config.request_body.UnreadableBodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Staff: no admin page before a second factor; signed out after STAFF_SESSION_IDLE_MINUTES idle.
    "staff_auth.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After (config/errors.py).
    "config.errors.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "seminars.context_processors.series",
                "seminars.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Reuse connections between requests in production; 0 keeps tests predictable.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is checked before reuse, so a database restart fails no request that comes after it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Transactions take the write lock when they begin, so two workers claiming mail queue instead of
    # failing with "database is locked" when both read first and then write.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese first: the series is a Tokyo public service.
# Django 6's default now: a web address typed without a scheme in a form is read as https://.
FORMS_URLFIELD_ASSUME_HTTPS = True
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# A missing translation of content falls back to the other language.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ja", "en"), "ja": ("en",), "en": ("ja",)}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production; plain finders while developing and testing.
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: a readable folder by default; EMAIL_URL (smtp://user:pass@host:587/?tls=True) in production.
# With a display name, so mail lists show who writes rather than a bare address.
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default='"カスタマーハラスメント防止対策セミナー 事務局" <seminars@example.org>'
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in mail and calendar files (manage link, session page); no request to build them from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Celery: Redis in production. Without REDIS_URL, kombu's SQLAlchemy transport on a SQLite file under
# var/, so no server is needed. Not kombu's folder transport: it creates a message file before it writes
# it, and a worker may take the empty file meanwhile and stop with "Unrecoverable error: JSONDecodeError"
# (beat publishes every 2 seconds, so that came within minutes). The SQLAlchemy transport takes a message
# in one transaction (BEGIN IMMEDIATE on SQLite), so beat, web and worker can publish and consume at once.
# The file is the broker's alone, apart from the portal's database. SQLite lets one writer in at a time:
# each connection waits up to 30 s for the lock (pysqlite's busy timeout) instead of failing at once.
# Every option below goes to SQLAlchemy's create_engine, so kombu's own (polling_interval) cannot be set:
# the worker looks for messages every second.
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_DATABASE = VAR_DIR / "broker.sqlite3"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL = f"sqla+sqlite:///{BROKER_DATABASE}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 30}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How long a worker holds the batch of mail it claimed; a killed worker's rows go again after this (outbox/delivery.py).
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=120)
# Mails per second each worker process sends at most (many relays refuse senders above 10-50/s); 0: no limit.
EMAIL_MAX_PER_SECOND = env.float("EMAIL_MAX_PER_SECOND", default=0)
# Keep LOGGING below in charge in the worker too, so its lines are redacted like the web's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A worker that holds no task and has received none for this long while messages wait in
# its queue is restarted (config/worker_watchdog.py); beat's sweep queues one every 30 s.
WORKER_STALL_SECONDS = env.float("WORKER_STALL_SECONDS", default=60)


def _next_redis_db(url: str) -> str:
    """Return the Redis URL with the database number after the one it names (redis://h:6379/0 -> /1)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{number + 1}"))


# Shared cache (rate limits must be counted across gunicorn workers): Redis in production;
# a folder under var/ by default (its increments are not atomic: good enough for one developer).
# By default the cache takes the Redis database after the broker's: clearing the cache (FLUSHDB)
# must never drop queued mail tasks.
CACHE_URL = env.str("CACHE_URL", default=_next_redis_db(REDIS_URL) if REDIS_URL else "")
if CACHE_URL:
    CACHES = {
        "default": {
            # django-redis rather than Django's RedisCache: one pooled client per process and an incr in one
            # round trip (the rate limits count with add + incr on every application; bench/apply.py).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis host that vanished must not hold a request for the kernel's TCP timeout: pages are
            # then served uncached and applications let through (config/cache_outage.py).
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# The applicant's address behind the reverse proxy too (config/client_ip.py); REMOTE_ADDR alone
# would be the proxy's, and every applicant would share one limit.
RATELIMIT_IP_META_KEY = "config.client_ip.client_ip"

# Applying (registrations), per client address (django-ratelimit syntax): applications that reach
# the service (valid forms), generous enough for a company's staff behind one NAT address...
APPLY_RATE_LIMIT = env.str("APPLY_RATE_LIMIT", default="20/h")
# ...and every POST to an application form, valid or not, so that typos never use up the first.
APPLY_POST_RATE_LIMIT = env.str("APPLY_POST_RATE_LIMIT", default="200/h")
# A count the cache cannot give lets the application through, as an unreachable cache does (registrations/views.py).
RATELIMIT_FAIL_OPEN = True
# The version of the privacy notice (templates/registrations/privacy.html) each consent records;
# change it whenever the notice's text changes.
PRIVACY_NOTICE_VERSION = "2026-12"
# Public pages (series, sessions, speakers, archive) are cached this long per language: the
# session states they show follow the clock and the places taken within this many seconds.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=30)
# A person attended a session when their minutes in it reach this share of its length (0.5: half);
# each session may set its own (Session.attendance_min_share).
ATTENDANCE_MIN_SHARE = env.float("ATTENDANCE_MIN_SHARE", default=0.5)
# The largest attendee report file read, uploaded or by the import_attendance command (registrations.attendance):
# a 5,000-person Zoom report is about 1 MB; the limit bounds what one upload holds a web worker for.
ATTENDANCE_REPORT_MAX_BYTES = env.int("ATTENDANCE_REPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Days after a session ends until its applicants' personal data is erased; the privacy notice states it.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=90)

# Admin login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one
# client address, that pair is locked out for the cool-off time (per pair, so a stranger guessing an
# office user's password cannot lock that user out everywhere). Attempts are kept in the database.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Not on the password alone: a password followed by wrong codes would start the count again. Failures are
# forgotten when a sign-in is complete, second factor included (staff_auth/receivers.py, staff_auth/views.py).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client address: REMOTE_ADDR, or behind the reverse proxy (a peer listed in FORWARDED_ALLOW_IPS,
# as for gunicorn) the address that proxy appended last to X-Forwarded-For (config/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])

# The office's second factor (staff_auth): every staff account sets one up before any admin page, on by
# default whenever DEBUG is off. Only a test instance without real personal data may turn it off (README).
# A staff member who has set one up is asked for it at every sign-in either way.
STAFF_SECOND_FACTOR_REQUIRED = env.bool("STAFF_SECOND_FACTOR_REQUIRED", default=not DEBUG)
# A staff session ends after this many minutes without a request, and when the browser closes (its cookie
# has no expiry date): staff_auth/middleware.py. Applicants' sessions are not touched.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Seminar portal")
# Passkeys belong to one domain name (WebAuthn's relying party) and work only on the pages of the allowed
# origins: SITE_URL's unless set. Browsers refuse an IP address there, so a server on 127.0.0.1
# (scripts/start) offers passkeys at http://localhost:PORT; plain http is allowed for localhost only.
_SITE = urlsplit(SITE_URL)
_PASSKEY_HOST = "localhost" if _SITE.hostname in ("127.0.0.1", "::1", None) else _SITE.hostname
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=_PASSKEY_HOST)
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS", default=[f"{_SITE.scheme}://{_PASSKEY_HOST}" + (f":{_SITE.port}" if _SITE.port else "")]
)
# A passkey is the second step after the password, never instead of it (the lockout counts passwords).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Security headers for production (HTTPS behind a proxy). X-Forwarded-Proto reaches Django only
# from a peer in FORWARDED_ALLOW_IPS: config.client_ip.ProxyHeadersMiddleware drops it from others.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Cookies only over HTTPS in production; scripts/start turns this off to serve plain http on 127.0.0.1.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): only our own scripts and styles, no inline code.
# Frames only from the privacy-enhanced YouTube and Vimeo players (archive videos);
# media from anywhere over HTTPS (direct video files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "media-src": ["'self'", "https:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Logs go to stderr, one line per record: text by default, JSON lines with LOG_FORMAT=json.
# The formatters redact emails, phone numbers, URL paths (joining links) and tokens (config/logging.py);
# LOG_REDACT_PATTERNS adds regular expressions to redact as well.
LOGGING = logging_config(
    log_format=env.str("LOG_FORMAT", default="plain"),
    level=env.str("LOG_LEVEL", default="INFO"),
    extra_patterns=env.list("LOG_REDACT_PATTERNS", default=[]),
)


# --- Zoom Webinars (zoom app) ---
# The office's Server-to-Server OAuth app. Without all three, every session uses its shared joining link.
ZOOM_ACCOUNT_ID = env.str("ZOOM_ACCOUNT_ID", default="")
ZOOM_CLIENT_ID = env.str("ZOOM_CLIENT_ID", default="")
ZOOM_CLIENT_SECRET = env.str("ZOOM_CLIENT_SECRET", default="")
ZOOM_API_URL = env.str("ZOOM_API_URL", default="https://api.zoom.us/v2")
ZOOM_OAUTH_URL = env.str("ZOOM_OAUTH_URL", default="https://zoom.us/oauth/token")
# Closer to the session than this, a confirmation still waiting for its personal link goes with the shared link.
ZOOM_FALLBACK_HOURS = env.float("ZOOM_FALLBACK_HOURS", default=24)
# Each request to Zoom gives up after this (connect, read); the task retries later.
ZOOM_TIMEOUT_SECONDS = env.float("ZOOM_TIMEOUT_SECONDS", default=10)
# First retry after this; each further one waits twice as long, at most 30 minutes.
ZOOM_RETRY_SECONDS = env.float("ZOOM_RETRY_SECONDS", default=30)
# Beat fetches attendance this long after a session ends: Zoom's report is complete only a while after.
ZOOM_ATTENDANCE_AFTER_HOURS = env.float("ZOOM_ATTENDANCE_AFTER_HOURS", default=3)
