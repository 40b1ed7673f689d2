"""Keeps the JavaScript unit tests' pages (frontend/tests/fixtures) the pages the service draws.

Each fixture is a component's root element as a view renders it, <template> elements and all,
with what differs from run to run (the CSRF token, photos' ids) made the same every time. A
test fails when a template changes and its fixture does not; run it again with
UPDATE_FRONTEND_FIXTURES=1 to write the fixture afresh, then look at the difference.
"""

import os
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[3] / "frontend" / "tests" / "fixtures"
# Elements with no end tag: they open no level of nesting.
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _RootFinder(HTMLParser):
    """Finds where the element with data-module="<module>" starts and ends in the page."""

    def __init__(self, module: str):
        super().__init__(convert_charrefs=False)
        self.module = module
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID or self.end:
            return
        if self.start:
            self._depth += 1
        elif dict(attrs).get("data-module") == self.module:
            self.start, self._depth = self.getpos(), 1

    def handle_endtag(self, tag):
        if self.start and not self.end and tag not in _VOID:
            self._depth -= 1
            if self._depth == 0:
                self.end = self.getpos()


def component_root(html: str, module: str) -> str:
    """The outer HTML of the element with data-module="<module>"."""
    finder = _RootFinder(module)
    finder.feed(html)
    finder.close()
    assert finder.start and finder.end, f'no element with data-module="{module}" in the page'
    line_starts = [0, *(match.end() for match in re.finditer("\n", html))]

    def offset(position):
        line, column = position
        return line_starts[line - 1] + column

    end = html.index(">", offset(finder.end)) + 1
    return html[offset(finder.start) : end]


def _steady(html: str) -> str:
    html = re.sub(
        r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1csrf-token-for-the-tests"', html
    )
    ids: dict[str, str] = {}

    def same_every_time(match):
        return ids.setdefault(match.group(0), str(uuid.UUID(int=len(ids) + 1)))

    return re.sub(_UUID, same_every_time, html)


def check_fixture(response, module: str, name: str) -> None:
    """Assert frontend/tests/fixtures/<name> is the component's root as `response` draws it."""
    rendered = _steady(component_root(response.content.decode(), module)) + "\n"
    fixture = FIXTURES / name
    if os.environ.get("UPDATE_FRONTEND_FIXTURES") == "1":
        fixture.write_text(rendered)
    assert fixture.exists() and fixture.read_text() == rendered, (
        f"frontend/tests/fixtures/{name} is not the {module} component as the service draws it: "
        "run this test with UPDATE_FRONTEND_FIXTURES=1, then check the difference and npm test"
    )
