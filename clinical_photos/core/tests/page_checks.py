"""Every page the view tests receive is checked, then read as a page rather than as text.

Jinja's forgiving Undefined (which the NHS macros need) hides template mistakes, so the pages
themselves are checked: one h1, a title that starts with it, no duplicate ids, the CSP nonce on
every script and no address on another host. `PageClient` does this on every HTML response and
hands back `response.page`, a `Page` to query: its h1, its visible text, its error summary, its
notification banners, tables, forms, links and images.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.test import Client

# Elements that start a new line on screen: their text does not run into the next element's.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "label", "legend", "li", "main", "nav", "ol", "option",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_NOT_SHOWN = {"script", "style", "template", "head"}
_ELSEWHERE = re.compile(r"^(https?:)?//")


def _words(text: str) -> str:
    return " ".join(text.split())


def _visible_text(node: Tag) -> str:
    parts: list[str] = []

    def walk(element: Tag) -> None:
        for child in element.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag) and child.name not in _NOT_SHOWN:
                block = child.name in _BLOCKS
                if block:
                    parts.append(" ")
                walk(child)
                if block:
                    parts.append(" ")

    walk(node)
    return _words("".join(parts))


@dataclass
class Link:
    text: str
    href: str


@dataclass
class Image:
    src: str
    alt: str


@dataclass
class Form:
    """A form as a browser would send it: the names it draws and the values it holds."""

    element: Tag
    action: str
    method: str
    names: set[str] = field(default_factory=set)
    values: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        found = self.values.get(name, [])
        assert len(found) <= 1, f"{name} holds several values: {found}"
        return found[0] if found else None

    def checked(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def options(self, name: str) -> list[str]:
        """Every value offered for a field: its checkboxes, radios or select options."""
        offered = []
        for element in self.element.find_all(attrs={"name": name}):
            if element.name == "select":
                offered += [option.get("value", option.get_text()) for option in element("option")]
            elif element.get("type") in ("checkbox", "radio"):
                offered.append(element.get("value", "on"))
        return offered


class Page:
    """A parsed page, with the parts a user reads named."""

    def __init__(self, html: str):
        self.source = html
        self.soup = BeautifulSoup(html, "html.parser")
        title = self.soup.find("title")  # an inline SVG's <title> comes later, in the body
        self.title = _words(title.get_text()) if title else ""
        self.h1s = [_words(h1.get_text()) for h1 in self.soup.find_all("h1")]
        self.ids = Counter(tag["id"] for tag in self.soup.find_all(id=True))

    def __contains__(self, words: str) -> bool:
        return words in self.text

    @property
    def h1(self) -> str:
        [h1] = self.h1s
        return h1

    @property
    def text(self) -> str:
        """What the page says, entities decoded, each run of white space one space."""
        return _visible_text(self.soup.body or self.soup)

    @property
    def main(self) -> Tag:
        return self.soup.find("main")

    def text_of(self, selector: str) -> list[str]:
        return [_visible_text(element) for element in self.soup.select(selector)]

    def select(self, selector: str) -> list[Tag]:
        return self.soup.select(selector)

    def select_one(self, selector: str) -> Tag:
        [element] = self.soup.select(selector)
        return element

    def error_summary(self) -> dict[str, str]:
        """The error summary's messages by the href each links to.

        Every link must point at an element on the page, or it takes the user nowhere, and the
        title must start with "Error: " so a screen reader hears it first.
        """
        summaries = self.soup.select(".nhsuk-error-summary")
        assert len(summaries) == 1, "the page has no error summary"
        errors = {}
        for link in summaries[0].select(".nhsuk-error-summary__list a"):
            target = link["href"]
            assert target.startswith("#") and self.ids[target[1:]] == 1, (
                f"the error summary links to {target}, not on the page"
            )
            errors[target] = _visible_text(link)
        assert self.title.startswith("Error: "), f"title {self.title!r} does not say Error:"
        return errors

    def notification_banners(self) -> list[str]:
        return self.text_of(".nhsuk-notification-banner__content")

    def summary_list(self) -> dict[str, str]:
        """A summary list's values by their keys, as in "Number of photos: 2"."""
        return {
            _visible_text(row.select_one(".nhsuk-summary-list__key")): _visible_text(
                row.select_one(".nhsuk-summary-list__value")
            )
            for row in self.soup.select(".nhsuk-summary-list__row")
        }

    def table_rows(self, selector: str = "table") -> list[list[str]]:
        """The text of each cell, row by row, of a table's body."""
        [table] = self.soup.select(selector)
        body = table.find("tbody") or table
        return [
            [_visible_text(cell) for cell in row.find_all(["th", "td"])]
            for row in body.find_all("tr")
        ]

    def links(self, selector: str = "") -> list[Link]:
        return [
            Link(_visible_text(a), a["href"])
            for a in self.soup.select(f"{selector} a[href]".strip())
        ]

    def hrefs(self, selector: str = "") -> list[str]:
        return [link.href for link in self.links(selector)]

    def images(self, selector: str = "img") -> list[Image]:
        return [Image(img.get("src", ""), img.get("alt", "")) for img in self.soup.select(selector)]

    def form(self, selector: str = "main form", *, field: str = "") -> Form:
        """The one form that matches `selector` (by default the form in the page's main), or
        the one that holds a field of this name."""
        if field:
            selector = f"{selector}:has([name='{field}'])"
        [element] = self.soup.select(selector)
        form = Form(element, element.get("action", ""), element.get("method", "get").lower())
        for control in element.find_all(["input", "textarea", "select", "button"]):
            name = control.get("name")
            if not name:
                continue
            form.names.add(name)
            kind = control.get("type", "text").lower()
            if control.name == "select":
                sent = [
                    o.get("value", o.get_text())
                    for o in control("option")
                    if o.has_attr("selected")
                ]
            elif control.name == "textarea":
                sent = [control.get_text()]
            elif control.name == "button" or kind in ("submit", "button", "file"):
                continue
            elif kind in ("checkbox", "radio"):
                sent = [control.get("value", "on")] if control.has_attr("checked") else []
            else:
                sent = [control.get("value", "")]
            form.values.setdefault(name, []).extend(sent)
        return form


def check_page(response) -> Page:
    """Assert the response is a well-formed page of the service; return it parsed."""
    assert response["Content-Type"].startswith("text/html")
    page = Page(response.content.decode())
    assert len(page.h1s) == 1, f"expected one h1, found {page.h1s}"
    title = page.title.removeprefix("Error: ")
    assert title.startswith(page.h1s[0]), f"title {page.title!r} does not start with the h1"
    duplicates = [i for i, n in page.ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    csp = response.get("Content-Security-Policy", "")
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce, "the page has no CSP nonce"
    scripts = page.soup.find_all("script")
    assert scripts and all(s.get("nonce") == nonce.group(1) for s in scripts), (
        "every script must carry the page's nonce"
    )
    elsewhere = [
        tag[name]
        for name in ("src", "href", "action", "formaction", "srcset")
        for tag in page.soup.find_all(attrs={name: _ELSEWHERE})
    ]
    assert not elsewhere, f"the page points at other hosts: {elsewhere}"
    return page


def is_page(response) -> bool:
    """Whether a response is a page a person reads (not a redirect, a file or a JSON answer)."""
    return (
        not response.streaming
        and 200 <= response.status_code < 600
        and not 300 <= response.status_code < 400
        and response.get("Content-Type", "").startswith("text/html")
        and bool(response.content)
    )


class PageClient(Client):
    """A test client that checks every page it receives and hands it back as `response.page`."""

    def request(self, **request):
        response = super().request(**request)
        if is_page(response):
            response.page = check_page(response)
        return response
