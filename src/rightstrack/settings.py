"""Django settings, read from the environment so the same code runs the demo, CI and production.

Every setting a deployer may change is listed in README.md (a test checks it).
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("RIGHTSTRACK_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # private from the start (see core/datadir.py)
FILES_DIR = DATA_DIR / "files"
BACKUP_DIR = DATA_DIR / "backups"
# `rightstrack serve` takes a backup when the newest automatic one is older than this (0: never) and keeps
# the newest BACKUP_KEEP of them: organisations without IT staff still have yesterday's data.
BACKUP_EVERY_HOURS = float(os.environ.get("RIGHTSTRACK_BACKUP_EVERY_HOURS", "24"))
BACKUP_KEEP = int(os.environ.get("RIGHTSTRACK_BACKUP_KEEP", "14"))
# With a passphrase, backups are sealed (AES-256-GCM): a seized or lost disk does not give away identities.
BACKUP_PASSPHRASE = os.environ.get("RIGHTSTRACK_BACKUP_PASSPHRASE", "")


def _secret_key() -> str:
    """Use RIGHTSTRACK_SECRET_KEY, else a key file in the data dir created once with mode 0600."""
    if os.environ.get("RIGHTSTRACK_SECRET_KEY"):
        return os.environ["RIGHTSTRACK_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# A stale form answers with a page saying how to send it again, not Django's bare "CSRF verification failed".
CSRF_FAILURE_VIEW = "rightstrack.core.error_views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rightstrack.core",
    "rightstrack.evidence",
    "rightstrack.ingest",
    "rightstrack.trials",
    "rightstrack.incidents",
    "rightstrack.recommendations",
    "rightstrack.claims",
    "rightstrack.reports",
    "rightstrack.portal",
    "rightstrack.accounts",
    "rightstrack.field",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rightstrack.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "rightstrack.accounts.security.AccountSecurityMiddleware",
    "rightstrack.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "rightstrack.urls"
WSGI_APPLICATION = "rightstrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rightstrack.core.context_processors.rightstrack",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'rightstrack.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while the job worker writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        # Seconds a write waits for another writer before "database is locked".
        "timeout": float(os.environ.get("RIGHTSTRACK_SQLITE_TIMEOUT", "20")),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn refuses guessable passwords the common list misses (keyboard walks, names with years, …).
    {"NAME": "rightstrack.accounts.passwords.ZxcvbnValidator", "OPTIONS": {"min_score": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("RIGHTSTRACK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
# Order is the header switch's order (State language first); English stays the default and the fallback.
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
# The switch's short labels, each written in its own language.
LANGUAGE_SHORT_LABELS = {"kk": "ҚАЗ", "ru": "РУС", "en": "ENG"}
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from here after `collectstatic`, finders before
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: the size limit is checked before anything is written.
# A trial-monitoring figure based on fewer observed units than this is shown as "too few to report".
FINDINGS_MIN_OBSERVATIONS = int(os.environ.get("RIGHTSTRACK_FINDINGS_MIN_OBSERVATIONS", "5"))
MAX_UPLOAD_MB = int(os.environ.get("RIGHTSTRACK_MAX_UPLOAD_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. HTTPS-only settings switch on with RIGHTSTRACK_HTTPS=1 (behind a TLS proxy).
HTTPS = env_bool("RIGHTSTRACK_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after this many minutes without a request, and in any case this many hours after sign-in
# (docs/accounts.md): a phone left unlocked or a stolen cookie opens the account for a limited time.
SESSION_IDLE_MINUTES = float(os.environ.get("RIGHTSTRACK_SESSION_IDLE_MINUTES", "60"))
SESSION_ABSOLUTE_HOURS = float(os.environ.get("RIGHTSTRACK_SESSION_ABSOLUTE_HOURS", "12"))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_HOURS * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts and nothing from other hosts: the app must work offline on a local network.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)

# Background jobs run from a database queue: no extra server. `rightstrack worker` processes them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("RIGHTSTRACK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Outgoing email, from one URL (`smtp://user:pass@host:587/?tls=True`, `smtps://…`, `console://`); empty: no
# email at all — alerts stay in the app and password resets are issued by an administrator.
# EMAIL_ENABLED is the one flag the rest of the code reads.
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
EMAIL_ENABLED = bool(EMAIL_URL)
if EMAIL_ENABLED:
    import dj_email_url

    vars().update(dj_email_url.parse(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("RIGHTSTRACK_EMAIL_FROM", "RightsTrack <rightstrack@localhost>")
EMAIL_TIMEOUT = 20  # seconds: a hanging mail server must not hold a request or a worker
# Where users reach this server: links in emails are built from it (alerts are sent without a request).
BASE_URL = os.environ.get("RIGHTSTRACK_BASE_URL", "http://localhost:8000")

# Each job runs in its own process, stopped (and marked failed with the reason) past these limits, so one
# huge upload cannot hold the worker or the machine. Reading a document may take INGEST_TIME_LIMIT plus
# INGEST_SECONDS_PER_MB for each megabyte of the file.
JOB_TIME_LIMIT = float(os.environ.get("RIGHTSTRACK_JOB_TIME_LIMIT", "600"))
JOB_MEMORY_MB = int(os.environ.get("RIGHTSTRACK_JOB_MEMORY_MB", "1536"))
INGEST_TIME_LIMIT = float(os.environ.get("RIGHTSTRACK_INGEST_TIME_LIMIT", "300"))
INGEST_SECONDS_PER_MB = float(os.environ.get("RIGHTSTRACK_INGEST_SECONDS_PER_MB", "20"))
# /health/ fails when an expected worker has not written its heartbeat for this long.
WORKER_STALE_SECONDS = float(os.environ.get("RIGHTSTRACK_WORKER_STALE_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
