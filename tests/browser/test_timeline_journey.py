"""A clinician opens a patient's photos (newest first), compares two of the forearm taken two
weeks apart (side by side, one faded over the other, zoomed in, one turned), zooms into one
photo, then removes one that must not be kept. On a desktop screen, a tablet, and a phone
without JavaScript; axe-core at every step."""

import re

import pytest
from django.core.servers.basehttp import WSGIServer
from playwright.sync_api import expect

from clinical_photos.photo_requests.tests.factories import FOREARM
from clinical_photos.records.tests.factories import file_photos, on

from .conftest import check_accessibility, login_as

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.screens("desktop", "tablet", "phone-without-javascript"),
]

FIRST_CLOSE_UP = "Close-up of the forearm, 3 March 2026"
LATER_CLOSE_UP = "Close-up of the forearm, 17 March 2026"


class _OneRequestAtATime(WSGIServer):
    """A live server that answers one request at a time (and closes each connection)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="module")
def live_server(request):
    """The live server, answering one request at a time.

    With an in-memory SQLite test database the live server's threads share one connection, so
    two requests that write at once (each image a clinician opens writes an audit entry, and a
    timeline asks for several images together) fail with "database table is locked". A file
    database or PostgreSQL makes the second writer wait; here the requests simply queue.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread.server_class = _OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture
def patient_with_photos(patient, clinician):
    for day in (3, 17):
        file_photos(
            by=clinician,
            patient=patient,
            body_site=FOREARM,
            sent_on=on(2026, 3, day),
            colour=(200 - day * 4, 120, 90),
        )
    return patient


def loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def when_i_open_the_patient_s_photos(page, patient):
    page.goto(f"/record/patients/{patient.id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Photos of {patient.full_name}")
    expect(page.get_by_role("heading", name="Forearm", exact=True)).to_be_visible()
    for alt in (FIRST_CLOSE_UP, LATER_CLOSE_UP):
        image = page.get_by_role("img", name=alt, exact=True)
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert loaded(image)
    check_accessibility(page, "record-01-timeline")


def when_i_show_the_newest_first(page):
    page.get_by_role("link", name="Newest first").click()
    expect(page.locator(".app-timeline__date")).to_have_text(["17 March 2026", "3 March 2026"])
    expect(page.get_by_text("Showing the newest photos first")).to_be_visible()
    check_accessibility(page, "record-01-newest-first")


def when_i_compare_the_first_and_latest_close_ups(page):
    page.get_by_role("button", name="Compare photos of Forearm").click()
    expect(page.get_by_role("heading", name="Compare photos")).to_be_visible()
    earlier = page.get_by_role("img", name=f"Earlier photo: {FIRST_CLOSE_UP}")
    later = page.get_by_role("img", name=f"Later photo: {LATER_CLOSE_UP}")
    expect(earlier).to_be_visible()
    expect(later).to_be_visible()
    box_a, box_b = earlier.bounding_box(), later.bounding_box()
    if page.viewport_size["width"] >= 768:
        # Side by side: level with each other, the earlier on the left.
        assert abs(box_a["y"] - box_b["y"]) < 2 and box_a["x"] < box_b["x"]
    check_accessibility(page, "record-02-compare")


def when_i_fade_one_over_the_other_and_zoom_in(page):
    slider = page.get_by_label("How much of the later photo to show")
    expect(slider).to_be_visible()
    slider.fill("80")
    top = page.get_by_role("img", name=f"Later photo, on top: {LATER_CLOSE_UP}")
    expect(top).to_have_css("opacity", "0.8")

    compare = page.locator('[data-module="app-compare"]')
    page.get_by_role("button", name="Zoom in").click()
    expect(compare).to_have_attribute("data-zoom", "150")
    viewport = page.get_by_role("group", name=f"Earlier photo: {FIRST_CLOSE_UP}")
    viewport.focus()
    page.keyboard.press("+")
    expect(compare).to_have_attribute("data-zoom", "225")
    # Zoomed about the middle, then moved right by a tenth of the photo; both photos alike.
    page.keyboard.press("ArrowRight")
    for image in (top, page.get_by_role("img", name=f"Earlier photo: {FIRST_CLOSE_UP}")):
        transform = image.evaluate("img => img.style.transform")
        assert transform == "translate(-72.5%, -62.5%) scale(2.25)"
    check_accessibility(page, "record-03-zoomed")
    page.get_by_role("button", name="Reset zoom").click()
    expect(compare).to_have_attribute("data-zoom", "100")


def when_i_choose_two_photos_without_javascript(page):
    # Without JavaScript there is no slider or zoom, and the form still chooses the photos.
    expect(page.get_by_label("How much of the later photo to show")).to_be_hidden()
    second = page.get_by_role("group", name="Second photo")
    second.get_by_label("Forearm, where it is, 17 March 2026 at 10:30am, photo 1 of 2").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("img", name=re.compile("^Later photo: Photo showing"))).to_be_visible()
    check_accessibility(page, "record-03-chosen")


def when_i_turn_the_earlier_photo_a_quarter_turn(page):
    # With JavaScript the photo turns in place; without, the link loads the page turned.
    page.get_by_role("link", name="Rotate the earlier photo right").click()
    earlier = page.get_by_role("img", name=re.compile("^Earlier photo: "))
    expect(earlier).to_have_attribute("src", re.compile(r"/image\?rotate=90$"))
    # Asked from here rather than by a script in the page, where timers never fire without
    # JavaScript.
    expect(earlier).to_have_js_property("complete", True)
    assert loaded(earlier)
    expect(page.locator("[data-compare-turned=earlier]")).to_have_text(
        re.compile("^Rotated 90° clockwise to view")
    )
    assert "rotate_earlier=90" in page.url
    check_accessibility(page, "record-03-turned")


def when_i_zoom_into_one_photo(page, patient):
    page.goto(f"/record/patients/{patient.id}/")
    page.get_by_role("link", name=LATER_CLOSE_UP, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LATER_CLOSE_UP)
    expect(page.get_by_role("link", name="Open the full-size photo")).to_have_attribute(
        "href", re.compile(r"/image$")
    )
    page.get_by_role("link", name="Zoom in to full size").click()
    photo = page.get_by_role("img", name=LATER_CLOSE_UP)
    expect(photo).to_have_js_property("complete", True)
    # At its own size, and no wider than the screen: it scrolls in its box instead.
    assert photo.evaluate("img => img.clientWidth === img.naturalWidth")
    check_accessibility(page, "record-04-zoomed-photo")
    page.get_by_role("link", name="Zoom out to fit the screen").click()
    expect(page.get_by_role("link", name="Zoom in to full size")).to_be_visible()


def when_i_remove_the_first_close_up(page, patient):
    page.goto(f"/record/patients/{patient.id}/")
    page.get_by_role("link", name=re.compile(f"^Remove from the record.*{FIRST_CLOSE_UP}$")).click()
    expect(page.get_by_role("heading", name="Remove this photo from the record")).to_be_visible()
    page.get_by_role("button", name="Remove photo for good").click()
    expect(page).to_have_title(re.compile("^Error: Remove this photo"))
    check_accessibility(page, "record-04-remove-errors")
    page.get_by_label("It is an intimate image").check()
    page.get_by_label("Say more (needed if you chose another reason)").fill(
        "Sent by mistake with the others"
    )
    check_accessibility(page, "record-05-remove")
    page.get_by_role("button", name="Remove photo for good").click()


def then_the_image_is_gone_and_a_tombstone_stays(page):
    expect(page.get_by_text("The photo has been removed from the record")).to_be_visible()
    expect(page.get_by_role("img", name=FIRST_CLOSE_UP, exact=True)).to_have_count(0)
    expect(page.get_by_role("img", name=LATER_CLOSE_UP, exact=True)).to_have_count(1)
    tombstone = page.locator(".app-timeline__photo--removed")
    expect(tombstone).to_contain_text("Photo removed from the record")
    expect(tombstone).to_contain_text("It is an intimate image: Sent by mistake with the others")
    check_accessibility(page, "record-06-removed")


def test_a_clinician_compares_photos_over_time_and_removes_one(
    page, clinician, patient_with_photos
):
    from clinical_photos.photos.models import Photo

    login_as(page, clinician)
    when_i_open_the_patient_s_photos(page, patient_with_photos)
    when_i_show_the_newest_first(page)
    when_i_compare_the_first_and_latest_close_ups(page)
    if page.context.javascript_enabled:
        when_i_fade_one_over_the_other_and_zoom_in(page)
    else:
        when_i_choose_two_photos_without_javascript(page)
    when_i_turn_the_earlier_photo_a_quarter_turn(page)
    when_i_zoom_into_one_photo(page, patient_with_photos)
    removed = Photo.objects.filter(patient=patient_with_photos, label="close_up").earliest(
        "response__created_at"
    )
    when_i_remove_the_first_close_up(page, patient_with_photos)
    then_the_image_is_gone_and_a_tombstone_stays(page)
    assert page.request.get(f"/record/photos/{removed.id}/image").status == 404
