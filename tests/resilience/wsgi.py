"""The service's own WSGI application, with the moments a crash matters most held open.

A kill lands inside a transaction only by luck: sending photos commits in a few milliseconds.
With RESILIENCE_HOLD_SECONDS set, the server waits that long just after it inserts a
submission's row and just after it inserts each photo's row (after the photo's blob is
written), both inside their transactions and before they commit, so the crash test's kills
can fall there: a submission half-written, a blob whose row never commits. Nothing else
changes; without the variable this is exactly clinical_photos.config.wsgi.
"""

import os
import time

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

HOLD_SECONDS = float(os.environ.get("RESILIENCE_HOLD_SECONDS") or 0)

if HOLD_SECONDS:
    from django.db.models.signals import post_save

    from clinical_photos.patient_upload.models import PatientResponse
    from clinical_photos.photos.models import Photo

    def hold(sender, created=False, **kwargs):
        if created:
            time.sleep(HOLD_SECONDS)

    post_save.connect(hold, sender=PatientResponse, weak=False)
    post_save.connect(hold, sender=Photo, weak=False)
