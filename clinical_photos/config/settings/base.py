"""Settings shared by every environment.

Secure values are the defaults here; `local.py` relaxes what a laptop demo needs and
`production.py` demands its secrets from the environment. Nothing here reads a `.env` file.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
REPO_DIR = PACKAGE_DIR.parent

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "clinical_photos.core",
    "clinical_photos.audit",
    "clinical_photos.accounts",
    "clinical_photos.patients",
    "clinical_photos.patient_links",
    "clinical_photos.photo_requests",
    "clinical_photos.messaging",
    "clinical_photos.photos",
    "clinical_photos.patient_upload",
    "clinical_photos.records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "clinical_photos.core.csrf.FetchMetadataCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinical_photos.core.middleware.NoStoreForStaffMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "clinical_photos.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "clinical_photos.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinical_photos.config.urls"
WSGI_APPLICATION = "clinical_photos.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "clinical_photos.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.csp",
                "clinical_photos.core.context_processors.page",
                "clinical_photos.records.inbox.context_processors.inbox",
                "clinical_photos.records.review.context_processors.reviews",
                "clinical_photos.messaging.context_processors.mailbox_link",
            ],
        },
    },
]

# SQLite by default so that a laptop needs nothing installed; PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{REPO_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waits for a writer instead of failing at once when the web server and the task worker
    # write at the same moment, and lets readers go on while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

# Staff must prove a second factor (TOTP) after their password. Only the demo switches this off.
SECOND_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = "Clinical photos"

# Sessions: 15 minutes idle (the cookie age, renewed on every request) and 12 hours in all
# (checked by SessionLifetimeMiddleware against the time of login).
SESSION_COOKIE_AGE = int(timedelta(minutes=15).total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-session"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
# Patients get a session of their own, separate from staff sessions: a signed cookie naming
# only their link, for 30 minutes after their last step.
PATIENT_SESSION_COOKIE_NAME = "__Host-patient-session"
PATIENT_SESSION_MINUTES = 30
PATIENT_VIEW_SESSION_COOKIE_NAME = "__Host-patient-view-session"
CSRF_FAILURE_VIEW = "clinical_photos.core.views.csrf_failure"

# Repeated failed logins lock the account (not the address: a practice shares one address).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns when addresses are not locked out too; a whole practice shares one address, so
# locking it would lock out every member of staff because one of them mistyped.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # Django looks for its own CSRF middleware by name; ours is a subclass of it
    # (core/csrf.py), and tests/test_security_headers.py shows it refuses forged posts.
    "security.W003",
]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_CALLABLE = "clinical_photos.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A strict policy: every script carries the request's nonce; nothing loads from another host.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}

# Staff are told by email when a patient answers. Production sends through SMTP; the demo
# keeps emails in a mailbox page instead.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": True,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clinical-photos@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# The service serves the NHS design system's assets itself from /assets/, where the compiled
# CSS expects them (see frontend/build.mjs).
STATIC_URL = "/assets/"
STATIC_ROOT = REPO_DIR / "var" / "static"
STATICFILES_DIRS = [REPO_DIR / "build" / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Patients may send up to 5 photos of up to 20 MB each in one post (with JavaScript off).
# Larger files go to a temporary file rather than memory; the whole post has a ceiling.
PATIENT_UPLOAD_MAX_BYTES = 5 * 20 * 1024 * 1024 + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Wrong dates of birth from one address before it must wait (whatever links it tries).
DATE_OF_BIRTH_RATE_LIMIT = "20/h"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# How text messages leave the service: "outbox" keeps them for a staff page; "notify" sends them
# through GOV.UK Notify.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notify")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")

# Photos are stored encrypted (AES-256-GCM, a key per photo) in this folder, never served
# from it directly. Each photo's key is wrapped by a key-encryption key: PHOTO_ENCRYPTION_KEYS
# holds them as "id:base64-of-32-bytes" separated by commas, and PHOTO_ENCRYPTION_KEY_ID names
# the one new photos use. Older ids stay listed until `manage.py rotate_photo_keys` has run.
PHOTO_STORAGE_DIR = Path(os.environ.get("PHOTO_STORAGE_DIR", REPO_DIR / "var" / "photos"))
PHOTO_ENCRYPTION_KEYS = os.environ.get("PHOTO_ENCRYPTION_KEYS", "")
PHOTO_ENCRYPTION_KEY_ID = os.environ.get("PHOTO_ENCRYPTION_KEY_ID", "")

# Ofcom's drama numbers (07700 900xxx) reach no phone; only the demo and tests accept them.
ACCEPT_FICTIONAL_PHONE_NUMBERS = False

# The address patients' links start with, e.g. https://photos.example.nhs.uk. Links are built
# from this, never from the Host header of whoever happened to make the request.
SERVICE_BASE_URL = os.environ.get("SERVICE_BASE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "clinical_photos.core.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Django logs the full path of every request it refuses; patients' links carry a token.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
