"""The test suite: the same security settings as production, fast hashing, texts in the outbox."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-4e1c9b7a2d5f8e3a6c0b9d2f5a8e1c4b7d0a3f6e"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SERVICE_BASE_URL = "https://photos.test"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = "outbox"
ACCEPT_FICTIONAL_PHONE_NUMBERS = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
NOTIFY_CALLBACK_TOKEN = "test-callback-token-7f3a9c2e"  # noqa: S105
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The browser tests talk to a live server over plain http.
if os.environ.get("BROWSER_TESTS_HTTP"):
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False

# A published key for the tests: anyone can read photos stored with it.
PHOTO_ENCRYPTION_KEYS = "test-1:dGVzdC1vbmx5LWtleS1ub3Qtc2VjcmV0LTMyYnl0ZXM="
PHOTO_ENCRYPTION_KEY_ID = "test-1"

# A file, not memory: the browser tests' live server answers several requests at once (a
# timeline loads its images together), and an in-memory SQLite database shares one connection
# between its threads.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # TEST_SQLITE_NAME lets two test runs on one checkout keep to their own files.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("TEST_SQLITE_NAME") or str(REPO_DIR / "var" / "test.sqlite3")  # noqa: F405
    }
