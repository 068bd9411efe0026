"""One settings module, driven by the environment.

PORTAL_ENV=production switches on the hardened settings (HTTPS, secure cookies, HSTS) that pass
``manage.py check --deploy``; everything else is shared. See docs/deployment.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Exactly one of these: anything else (a typo, "Production") refuses to start instead of
# silently running with DEBUG and the public development key.
ENV_DIKENAL = ("development", "production")
ENV = os.environ.get("PORTAL_ENV", "development")
if ENV not in ENV_DIKENAL:
    raise ImproperlyConfigured(
        f"PORTAL_ENV={ENV!r} tidak dikenal: isi tepat salah satu dari "
        f"{', '.join(ENV_DIKENAL)} (huruf kecil); tanpa variabel ini: development."
    )
PRODUCTION = ENV == "production"


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY wajib diisi untuk PORTAL_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"

DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "axes",
    "import_export",
    "django_tasks_db",
    "sop",
    "bpum",
    "danabergulir",
    "perizinan",
]
# Test-only models of the engine tests (tests/contoh_engine): installed while pytest runs (and
# only where the tests are, not in a copy of the sources a test runs makemessages on).
if os.environ.get("PYTEST_VERSION") and (BASE_DIR / "tests" / "contoh_engine").is_dir():
    INSTALLED_APPS.append("tests.contoh_engine")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sop.middleware.SesiGeser",
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "sop.context_processors.portal",
            ],
        },
    }
]

# Every form renders its fields through templates/includes/field.html (sop.formulir).
FORM_RENDERER = "sop.formulir.PortalRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the role the application connects as, when it is not the schema owner that runs
# migrate (docs/deployment.md, "Database roles"); after migrate its rights are granted again
# (sop.hak_db: audit tables SELECT/INSERT only). Empty: a single role (development).
PORTAL_DB_PERAN_APLIKASI = os.environ.get("DATABASE_APP_ROLE", "")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (sop.masuk): 5 failures per username + client address lock that pair for
# 15 minutes; PORTAL_BATAS_GAGAL_ALAMAT failures from one address across usernames lock the
# address. The address is the client's behind the trusted proxies (PORTAL_PROXY_TEPERCAYA).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "sop.klien.alamat_klien"
AXES_HANDLER = "sop.masuk.PenanganMasuk"
PORTAL_BATAS_GAGAL_ALAMAT = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "20"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/terkunci.html"
AXES_ENABLED = os.environ.get("AXES_ENABLED", "1") == "1"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# One upload check (sop.unggah): documents and attachments, and spreadsheets to import (MB).
PORTAL_MAKS_UNGGAH = int(os.environ.get("PORTAL_MAKS_UNGGAH", "10")) * 1024 * 1024
PORTAL_MAKS_IMPOR = int(os.environ.get("PORTAL_MAKS_IMPOR", "40")) * 1024 * 1024

# Django's built-in Tasks API; the database backend is run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION
            else "django.tasks.backends.immediate.ImmediateBackend",
        )
    }
}

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
            }
            if PRODUCTION
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal-sop@localhost")

# Content Security Policy: everything is served from this host (htmx is vendored).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_HTTPONLY = True
# Officers sign in again after a working day without activity (sliding: sop.middleware.SesiGeser
# moves the expiry at most every PORTAL_SESI_SEGARKAN seconds while they work).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_HOURS", "10")) * 3600
PORTAL_SESI_SEGARKAN = 300
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tanpa_traceback_403": {"()": "sop.log.TanpaTraceback403"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # a refused action (403) is one line, not a traceback
        "django.request": {"filters": ["tanpa_traceback_403"]},
    },
}

# The default cache (nothing depends on it: the public pages' failed-lookup limit has its own
# table, sop.lacak); in production it lives in the database (no extra service; `createcachetable`).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
        if PRODUCTION
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    )
}
# How many reverse proxies (nginx, a load balancer) stand in front of the app: the client's
# address is then taken from X-Forwarded-For, counted from the right. 0: REMOTE_ADDR.
PORTAL_PROXY_TEPERCAYA = int(os.environ.get("PORTAL_PROXY_TEPERCAYA", "0"))
# Public tracking pages: failed lookups allowed per client address per window (sop.lacak).
PORTAL_LACAK_BATAS = int(os.environ.get("PORTAL_LACAK_BATAS", "10"))
PORTAL_LACAK_JENDELA = int(os.environ.get("PORTAL_LACAK_JENDELA", "600"))  # seconds

# Portal-specific settings.
PORTAL_NAMA = os.environ.get("PORTAL_NAMA", "Portal Layanan SOP Koperasi & UKM")
PORTAL_PAGE_SIZE = 25
