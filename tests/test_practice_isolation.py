"""A user of practice B asks for every practice-A page, by GET and by POST: each answers 404.

The URLs are read from the URL configuration itself, so a new page is covered the day it is
added; a new kind of id in a URL fails this test until it is given a practice-A record in
tests/conftest.py (practice_a_ids).
"""

import pytest

from clinical_photos.accounts.tests.factories import UserFactory
from conftest import logged_in_client
from tests.conftest import named_patterns, url_for


@pytest.mark.parametrize("role", ["clinician", "practice_manager", "admin"])
def test_another_practices_staff_get_404_for_every_practice_page(
    practice_a_ids, other_practice, role
):
    outsider = logged_in_client(UserFactory(practice=other_practice, role=role))
    checked = 0
    for name, pattern in named_patterns():
        # Patients' pages answer to a patient's own session, not to staff logins; their
        # tests (patient_upload/tests) show another link's session cannot reach them.
        patients_page = name.startswith(("patient_upload:", "patient_view:"))
        staff_page = name in ("patient_view:send", "patient_view:revoke")
        if not pattern.pattern.converters or (patients_page and not staff_page):
            continue
        url, missing = url_for(name, pattern, practice_a_ids)
        assert not missing, f"{name} takes {missing}: add a practice-A record for it"
        for method in ("get", "post"):
            response = getattr(outsider, method)(url)
            assert response.status_code in (404, 405), (
                f"{method.upper()} {url} answered {response.status_code}"
            )
            checked += response.status_code == 404
    assert checked >= 8
