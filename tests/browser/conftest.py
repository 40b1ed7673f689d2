"""Real Chromium, driven by Playwright, against the live test server; axe-core on every step.

Where Chromium is not installed the browser tests are skipped and the run says so loudly:
CI installs Chromium and fails a run that skipped them.
"""

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, HAVE_CHROMIUM, SKIP_REASON

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "var" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# pytest-django's live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # What a journey expects to see gets as long as its actions (15 s, set on each page)
    # rather than Playwright's 5: a photo uploaded and checked on a busy 2-core machine, with
    # the other half of the suite running beside it, can take longer than 5 seconds.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


# Every screen a journey runs on. A journey names its screens with @pytest.mark.screens(...);
# without one it runs on a desktop and on a small phone with JavaScript off.
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "tablet": {"viewport": {"width": 768, "height": 1024}, "has_touch": True},
    "phone": PHONE,
    "phone-without-javascript": {**PHONE, "java_script_enabled": False},
}
DEFAULT_SCREENS = ("desktop", "phone-without-javascript")


def pytest_generate_tests(metafunc):
    if "page" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("screens")
        metafunc.parametrize("page", marker.args if marker else DEFAULT_SCREENS, indirect=True)


@contextmanager
def _page_on(screen_name: str, browser, live_server):
    screen = SCREENS[screen_name]
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, **screen)
    context.javascript_enabled = screen.get("java_script_enabled", True)
    page = context.new_page()
    page.screen_name = screen_name
    page.server_url = live_server.url
    page.set_default_timeout(15_000)
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
    try:
        yield page
    finally:
        context.close()
    own = live_server.url.split("/")[2]
    assert requested_hosts <= {own}, f"the pages asked other hosts: {requested_hosts - {own}}"


@pytest.fixture
def page(request, browser, live_server):
    """A page in a browser context of its own, on the screen the test is run for. Every page
    it opens may ask the live server alone for anything: another host fails the test."""
    with _page_on(request.param, browser, live_server) as page:
        yield page


@pytest.fixture
def other_page(page, browser, live_server):
    """A second person's page on the same screen as `page` (the clinician beside the patient),
    in a context of its own so the two share no cookies, and held to the same rules."""
    with _page_on(page.screen_name, browser, live_server) as other:
        yield other


def login_as(page, user) -> None:
    """Give the browser the session a real login with both factors would (as MBS's
    SystemTestCase.login_as_role does): only the staff journey logs in through the form."""
    from django.conf import settings

    from clinical_photos.accounts.tests.factories import start_session

    host = page.server_url.split("/")[2].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": start_session(user).session_key,
                "domain": host,
                "path": "/",
                "secure": True,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


@pytest.fixture
def photo_request(clinician, patient):
    """Ada Lovelace, born 7 March 1984, asked for photos of a rash on the hand."""
    from clinical_photos.photo_requests.tests.factories import make_request

    return make_request(clinician, patient)


_AXE_SOURCE: str | None = None


def _run_axe(page) -> dict:
    # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
    page.evaluate(_AXE_SOURCE)
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )


def check_accessibility(page, step: str) -> None:
    """Run axe-core on the page as it is now and check nothing spills sideways off a small
    screen; fail with what was found. Keeps a screenshot of every step to look at."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = (REPO / "build" / "axe.min.js").read_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screen = getattr(page, "screen_name", "page")
    page.screenshot(path=str(SCREENSHOTS / f"{step}-{screen}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{step} is {overflow}px wider than the {screen} screen"
    if page.context.javascript_enabled:
        result = _run_axe(page)
    else:
        # axe waits on timers, which never fire while scripts are off: check a copy of the page
        # as it stands (scripts removed, so it stays the page a no-JavaScript user sees) in a
        # context of the same size with scripts on.
        html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
        copy_context = page.context.browser.new_context(viewport=page.viewport_size)
        copy = copy_context.new_page()
        copy.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
        copy.goto(page.url)
        result = _run_axe(copy)
        copy_context.close()
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    assert not violations, f"axe found problems on {step}:\n{json.dumps(violations, indent=1)}"
