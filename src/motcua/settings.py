"""Settings for motcua, read from environment variables (see the README's configuration table).

Three modes, chosen by ``MOTCUA_ENV``:

- ``local`` (default): what ``make run`` uses on a workstation or an intranet test box. DEBUG is off
  unless asked for; when no SECRET_KEY is given, a random one is generated once and kept in
  ``DATA_DIR/secret_key`` (never a built-in default); cookies are not marked Secure so that plain
  HTTP on 127.0.0.1 works.
- ``production``: refuses to start without a real SECRET_KEY, with DEBUG on, or without
  ALLOWED_HOSTS; HTTPS-only cookies, HSTS and SSL redirect, so that ``motcua check --deploy`` is clean.
- ``test``: what pytest uses (fast hasher, eager tasks, no network).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


MOTCUA_ENV = env("MOTCUA_ENV", "local")
if MOTCUA_ENV not in {"local", "production", "test"}:
    raise ImproperlyConfigured(f"MOTCUA_ENV must be local, production or test, not {MOTCUA_ENV!r}")
PRODUCTION = MOTCUA_ENV == "production"
TESTING = MOTCUA_ENV == "test"

DATA_DIR = Path(env("DATA_DIR", str(Path.cwd() / "var"))).resolve()

# Known placeholders that must never sign a production session.
INSECURE_SECRET_KEYS = {"", "change-me", "changeme", "secret", "django-insecure", "motcua-demo"}


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if PRODUCTION:
        if key in INSECURE_SECRET_KEYS or key.startswith("django-insecure") or len(key) < 50:
            raise ImproperlyConfigured(
                "Production needs SECRET_KEY: a random value of at least 50 characters "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))')."
            )
        return key
    if key:
        return key
    if TESTING:
        return secrets.token_urlsafe(64)
    # Local mode: one random key per installation, kept beside the data.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (MOTCUA_ENV=production).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=motcua.example.gov.vn")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "motcua.core",
    "motcua.org",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.notify",
    "motcua.portal",
    "motcua.reports",
    "motcua.documents",
    "motcua",  # the composition root: demo data and the production server command
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves Swagger UI from our own static files (no CDN: intranets are offline)
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.core.middleware.ClientIPMiddleware",
    # Axes last, as its documentation asks, so that it sees the authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite (embedded default) runs in WAL mode with IMMEDIATE transactions and a busy timeout, so
# that concurrent writers queue instead of failing with "database is locked".
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60, conn_health_checks=True)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    _db["CONN_MAX_AGE"] = 0 if TESTING else 600
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].setdefault("connect_timeout", 5)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set (shared by all app servers), else per-process memory. Nothing that
# must be exact lives in it (the look-up's limits are counted in a table: ``portal.limits``). ----------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so that a locked-out client is refused before any check
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "motcua.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "motcua.views.lockout"
AXES_VERBOSE = False
API_TOKEN_TTL_HOURS = int(env("API_TOKEN_TTL_HOURS", "12"))
NUM_PROXIES = int(env("NUM_PROXIES", "0"))  # reverse proxies in front of the app, for the client address

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy: everything from our own origin; no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# The province the deployment serves, as names read it ("Sở Nội vụ tỉnh Hà Giang"); the demo data uses it.
PROVINCE_NAME = env("PROVINCE_NAME", "Hà Giang")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploaded files (scans, results) go through Django's storage API: local disk under MEDIA_ROOT by default, or
# any storage backend by configuration, e.g. S3-compatible object storage with django-storages:
# STORAGE_BACKEND=storages.backends.s3.S3Storage STORAGE_OPTIONS='{"bucket_name": "motcua", "endpoint_url": …}'.
try:
    _storage_options = json.loads(env("STORAGE_OPTIONS", "{}"))
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"STORAGE_OPTIONS must be a JSON object: {error}") from None
STORAGES = {
    "default": {"BACKEND": env("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
                "OPTIONS": _storage_options},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING

# === notify: e-mail, SMS and background tasks (owner: notify) ===================================
# Notifications are sent after the action commits, by a django-tasks task (``motcua.notify.tasks``).
# TASKS_BACKEND: ``database`` (default; run ``motcua db_worker`` beside the web server) or ``immediate``
# (sent in the web process right after commit; no worker needed). Tests always use ``immediate``.
# ``motcua notify_retry`` (cron, every few minutes) sends whatever is due when no worker runs.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
_TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
_task_backend = "immediate" if TESTING else env("TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or immediate, not {_task_backend!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# E-mail: the console in local mode, memory in tests, SMTP when EMAIL_HOST is set; EMAIL_BACKEND overrides.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
_LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_BACKEND = _LOCMEM if TESTING else env("EMAIL_BACKEND", _SMTP if env("EMAIL_HOST") else _CONSOLE)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))  # seconds; a hung mail server must not hold a worker
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "motcua@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS: the log backend (writes each message to the log) unless SMS_HTTP_URL names a provider's JSON endpoint
# (POST {"to", "message", "reference"}, bearer SMS_HTTP_TOKEN); SMS_BACKEND overrides (a dotted class path).
SMS_HTTP_URL = env("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN")
SMS_HTTP_TIMEOUT = float(env("SMS_HTTP_TIMEOUT", "10"))
SMS_BACKEND = env("SMS_BACKEND", "motcua.notify.sms.HttpBackend" if SMS_HTTP_URL else "motcua.notify.sms.LogBackend")
# === end notify ===================================================================================

# === sso: citizens' single sign-on by OpenID Connect (owner: sso; see motcua.portal.sso) ===============
# Off unless OIDC_ENABLED. The provider (VNeID, a provincial SSO) is named by its discovery document
# (OIDC_OP_DISCOVERY_URL, read on first use) or by its four endpoints; the explicit ones win. Register the
# callback https://<site>/oidc/callback/ with the provider. Staff never sign in this way.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_OP_DISCOVERY_URL = env("OIDC_OP_DISCOVERY_URL")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER")  # checked against the id_token's iss when known (or from discovery)
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")  # add "phone" if the provider offers it
OIDC_ID_NUMBER_CLAIM = env("OIDC_ID_NUMBER_CLAIM")  # the claim carrying the 12-digit personal ID; none by default
OIDC_LABEL = env("OIDC_LABEL", "Đăng nhập bằng VNeID / SSO tỉnh")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = float(env("OIDC_TIMEOUT", "10"))  # seconds for each call to the provider
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
OIDC_AUTHENTICATE_CLASS = "motcua.portal.sso.AuthenticationRequestView"
OIDC_CALLBACK_CLASS = "motcua.portal.sso.CallbackView"
if OIDC_ENABLED:
    if not OIDC_RP_CLIENT_ID:
        raise ImproperlyConfigured("OIDC_ENABLED needs OIDC_RP_CLIENT_ID (and usually OIDC_RP_CLIENT_SECRET).")
    _oidc_endpoints = [OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT,
                       OIDC_OP_JWKS_ENDPOINT if OIDC_RP_SIGN_ALGO[:2] in {"RS", "ES", "PS"} else "-"]
    if not OIDC_OP_DISCOVERY_URL and not all(_oidc_endpoints):
        raise ImproperlyConfigured(
            "OIDC_ENABLED needs OIDC_OP_DISCOVERY_URL, or OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, "
            "OIDC_OP_USER_ENDPOINT and OIDC_OP_JWKS_ENDPOINT.")
    AUTHENTICATION_BACKENDS.insert(1, "motcua.portal.sso.CitizenOIDCBackend")  # after axes
# === end sso ======================================================================================

# --- Logging: to stderr, one line per event, so that the process manager collects it. ----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    # WeasyPrint logs every step of every PDF at INFO: only its warnings are worth a line.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Largest catalogue file an import reads (JSON or Excel), in bytes.
CATALOG_IMPORT_MAX_BYTES = int(env("CATALOG_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# Value of one hour of a citizen's time (VND) for compliance costs: average income per person per year
# ÷ (250 working days × 8 h). Illustrative default (about 65 million VND a year); set it from the
# statistics office's figure for the year.
COMPLIANCE_VALUE_OF_HOUR = int(env("COMPLIANCE_VALUE_OF_HOUR", "32500"))

# Largest file attached to a dossier (a scan, a supplement, a result), in bytes.
DOSSIER_MAX_UPLOAD_BYTES = int(env("DOSSIER_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Official documents: largest file (a scan, a draft, an attachment, an edXML package), in bytes.
DOCUMENT_MAX_UPLOAD_BYTES = int(env("DOCUMENT_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
# OCR of scanned documents (Tesseract, Vietnamese): at most this many pages per file, each within this many
# seconds, so that a hostile file cannot hold a worker.
OCR_MAX_PAGES = int(env("OCR_MAX_PAGES", "50"))
OCR_TIMEOUT_SECONDS = int(env("OCR_TIMEOUT_SECONDS", "120"))
# The agency's signing certificate and key (PEM) for PAdES signatures; the chain to include, and the roots a
# signature is trusted by when verified. Empty in local mode: ``motcua demo`` makes a demo CA under
# DATA_DIR/signing (NOT for real use) and these point there.
_demo_signing = DATA_DIR / "signing"
SIGNING_CERT_FILE = env("SIGNING_CERT_FILE", "" if PRODUCTION or TESTING else str(_demo_signing / "agency.pem"))
SIGNING_KEY_FILE = env("SIGNING_KEY_FILE", "" if PRODUCTION or TESTING else str(_demo_signing / "agency.key"))
SIGNING_KEY_PASSPHRASE = env("SIGNING_KEY_PASSPHRASE")
SIGNING_CHAIN_FILES = env_list("SIGNING_CHAIN_FILES", "" if PRODUCTION or TESTING else str(_demo_signing / "root.pem"))
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS", "" if PRODUCTION or TESTING else str(_demo_signing / "root.pem"))
# The public address of this site, printed in the QR code of the receipt (Mẫu 01) so that a citizen's phone
# opens the dossier look-up page; empty: the address the receipt was printed from.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL").rstrip("/")

# Public dossier look-up: failed attempts allowed per client address and per dossier code in a window ("20/10m":
# 20 in 10 minutes), counted in the database by ``portal.limits``; once used up, every look-up is refused.
LOOKUP_RATE_PER_CLIENT = env("LOOKUP_RATE_PER_CLIENT", "20/10m")
LOOKUP_RATE_PER_CODE = env("LOOKUP_RATE_PER_CODE", "10/h")

# Reports: the data cut-off day of standard periods (a quarter runs from this day of the month before it to
# the day before it in its last month; NĐ 09/2019 pattern, article unverified); 1 = calendar periods.
REPORT_CUTOFF_DAY = int(env("REPORT_CUTOFF_DAY", "15"))
if not 1 <= REPORT_CUTOFF_DAY <= 28:
    raise ImproperlyConfigured("REPORT_CUTOFF_DAY must be between 1 and 28")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
