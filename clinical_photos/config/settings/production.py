"""Production: every secret from the environment, and the service refuses to start without one."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SMS_BACKEND


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is not set. Set it before starting the service "
            "(see docs/deployment.md)."
        )
    return value


SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]
SERVICE_BASE_URL = required("SERVICE_BASE_URL")
DATABASE_URL = required("DATABASE_URL")
PHOTO_ENCRYPTION_KEYS = required("PHOTO_ENCRYPTION_KEYS")
PHOTO_ENCRYPTION_KEY_ID = required("PHOTO_ENCRYPTION_KEY_ID")

if SMS_BACKEND == "notify":
    NOTIFY_API_KEY = required("NOTIFY_API_KEY")
    NOTIFY_SMS_TEMPLATE_ID = required("NOTIFY_SMS_TEMPLATE_ID")
    NOTIFY_CALLBACK_TOKEN = required("NOTIFY_CALLBACK_TOKEN")

# TLS ends at the load balancer, which sets this header; Django trusts it only here.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# Behind the load balancer every request comes from its address; the patient's own address is
# the last one it adds to X-Forwarded-For (earlier ones are whatever the client claimed).
RATELIMIT_IP_META_KEY = "clinical_photos.core.client_address.client_address"
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
