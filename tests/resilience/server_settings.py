"""Settings for the service when a resilience test runs it as a process of its own.

The test settings, with the database (DATABASE_URL) and the photo folder (PHOTO_STORAGE_DIR)
taken from the environment by base.py, so the test and the server share both. Only the
date-of-birth rate limit is raised: every flow comes from 127.0.0.1.
"""

from clinical_photos.config.settings.test import *  # noqa: F403

DATE_OF_BIRTH_RATE_LIMIT = "100000/h"

# The server's log goes to a file the test shows when something fails; requests it refused
# are worth seeing there.
LOGGING["loggers"]["django.request"]["level"] = "WARNING"  # noqa: F405
