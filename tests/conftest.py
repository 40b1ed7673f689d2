import os
import shutil
from pathlib import Path

import pytest

# Debian's Chromium, which the browser tests drive (Playwright cannot download its own here).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SKIP_REASON = (
    "BROWSER TESTS SKIPPED: Chromium is not installed (on Debian: apt-get install chromium)"
)


def pytest_terminal_summary(terminalreporter):
    # Said at the end of the run, where nobody can miss it; CI fails when it sees it.
    if not HAVE_CHROMIUM:
        terminalreporter.write_sep("!", SKIP_REASON, red=True)


def named_patterns(resolver=None, namespace=""):
    """Every named URL of the service, read from its URL configuration: (name, pattern)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


@pytest.fixture
def practice_a_ids(practice, clinician, patient) -> dict:
    """Practice A's records, one of each kind a URL can name, by the URL's argument name."""
    from clinical_photos.patient_upload import services as upload_services
    from clinical_photos.photo_requests.models import PatientLink
    from clinical_photos.photo_requests.tests.factories import make_request, token_of
    from clinical_photos.photos.tests.images import jpeg
    from clinical_photos.records.tests.factories import file_photos, send_view_link

    [photo] = file_photos(by=clinician, patient=patient, labels=("where",))
    open_request = make_request(clinician, patient)
    # A photo the patient has chosen through the open request's link and not sent yet.
    [chosen], _ = upload_services.add_photos(
        open_request.current_link, [(jpeg(), "rash.jpg", "where")]
    )
    response = photo.response
    ids = {
        "patient_id": patient.id,
        "request_id": open_request.id,
        "user_id": clinician.id,
        "template_id": practice.request_templates.get(name="Rash").id,
        "message_id": open_request.text_messages.first().id,
        "photo_id": photo.id,
        "token": token_of(open_request),
        "link_id": PatientLink.objects.get(photo_request=open_request).id,
        # A filed submission (the patient's answer) and its filing.
        "response_id": response.id,
        "submission_id": response.id,
        "filing_id": response.filing.id,
        # A link the patient was sent to see their own photos (sent below).
        "view_link_id": None,
        # Where one URL needs an id of its own under a shared name (a patient's view link has
        # a token of another kind than an upload link): {"url name": {"kwarg": id}}.
        "by_url": {
            "patient_upload:photo_preview": {"photo_id": chosen.id},
            "patient_view:open_link": {
                "token": send_view_link(
                    by=clinician, patient=patient, body_site=photo.body_site_code
                )
            },
        },
    }
    ids["view_link_id"] = patient.view_links.get().id
    # Filing opened a clinical review; a follow-up series follows the open request.
    from clinical_photos.photo_requests.follow_ups.services import start_series

    ids["review_id"] = response.filing.review.id
    ids["series_id"] = start_series(
        by=clinician, follows=open_request, every=2, unit="weeks", times=3
    ).id
    return ids


def url_for(name: str, pattern, ids: dict) -> tuple[str | None, list[str]]:
    """The URL of `name` with practice A's ids; None and the arguments it has no id for."""
    from django.urls import reverse

    these = {**ids, **ids["by_url"].get(name, {})}
    kwargs = list(pattern.pattern.converters)
    missing = [k for k in kwargs if k not in these]
    if missing:
        return None, missing
    return reverse(name, kwargs={k: these[k] for k in kwargs}), []
