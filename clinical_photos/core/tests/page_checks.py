"""Checks every rendered page in the view tests must pass.

Jinja's forgiving Undefined (which the NHS macros need) hides template mistakes, so the pages
themselves are checked: one h1, a title that starts with it, no duplicate ids, and the CSP
nonce on every script.
"""

import re
from collections import Counter
from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1s: list[str] = []
        self.title = ""
        self.ids: Counter = Counter()
        self.script_nonces: list[str | None] = []
        self.external_urls: list[str] = []
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        if tag == "script":
            self.script_nonces.append(attrs.get("nonce"))
        for name in ("src", "href", "action"):
            value = attrs.get(name) or ""
            if re.match(r"^(https?:)?//", value):
                self.external_urls.append(value)
        if tag in ("h1", "title"):
            self._in, self._text = tag, []

    def handle_endtag(self, tag):
        if tag == self._in:
            text = " ".join("".join(self._text).split())
            if tag == "h1":
                self.h1s.append(text)
            elif not self.title:  # an inline SVG's <title> comes later, in the body
                self.title = text
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def check_page(response) -> _Page:
    """Assert the page is well formed; returns the parsed page for further checks."""
    assert response["Content-Type"].startswith("text/html")
    page = _Page()
    page.feed(response.content.decode())
    assert len(page.h1s) == 1, f"expected one h1, found {page.h1s}"
    title = page.title.removeprefix("Error: ")
    assert title.startswith(page.h1s[0]), f"title {page.title!r} does not start with the h1"
    duplicates = [i for i, n in page.ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    csp = response.get("Content-Security-Policy", "")
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce, "the page has no CSP nonce"
    assert page.script_nonces and all(n == nonce.group(1) for n in page.script_nonces), (
        "every script must carry the page's nonce"
    )
    assert not page.external_urls, f"the page points at other hosts: {page.external_urls}"
    return page
