"""The demo on a laptop: SQLite, texts kept in the outbox, password-only login for seeded users."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = True
SECRET_KEY = "demo-only-not-secret-a8f3c2d1e5b7f9a0c4d6e8f1a3b5c7d9e0f2a4b6"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Texts and emails carry links to the service: to the port scripts/run-demo serves on
# (DEMO_PORT, 8000 unless given), so they open on the server that is running. A whole address
# (SERVICE_BASE_URL) wins, for a demo reached some other way.
DEMO_PORT = os.environ.get("DEMO_PORT") or "8000"
SERVICE_BASE_URL = os.environ.get("SERVICE_BASE_URL") or f"http://127.0.0.1:{DEMO_PORT}"
INSTALLED_APPS = [*INSTALLED_APPS, "clinical_photos.demo"]

# Plain http on a laptop: browsers drop Secure and __Host- cookies there.
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "session"
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_NAME = "csrftoken"
PATIENT_SESSION_COOKIE_NAME = "patient-session"
PATIENT_VIEW_SESSION_COOKIE_NAME = "patient-view-session"

SMS_BACKEND = "outbox"
MAILERS = {"default": {"BACKEND": "clinical_photos.messaging.mailbox.MailboxBackend"}}
ACCEPT_FICTIONAL_PHONE_NUMBERS = True
# The login page says so while this is off.
SECOND_FACTOR_REQUIRED = False

# A published key for the demo: anyone can read photos stored with it.
PHOTO_ENCRYPTION_KEYS = "demo-1:ZGVtby1vbmx5LWtleS1ub3Qtc2VjcmV0LTMyYnl0ZXM="
PHOTO_ENCRYPTION_KEY_ID = "demo-1"
