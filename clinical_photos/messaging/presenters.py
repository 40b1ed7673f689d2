"""How texts are shown to staff."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings

from . import text
from .models import TextMessage

STATUS_COLOURS = {
    TextMessage.Status.QUEUED: "grey",
    TextMessage.Status.SENT: "blue",
    TextMessage.Status.DELIVERED: "green",
    TextMessage.Status.FAILED: "red",
}


@dataclass(frozen=True)
class TextPart:
    text: str
    # Where the part links to, when it is the service's own link.
    href: str | None = None


@dataclass(frozen=True)
class OutboxEntry:
    message: TextMessage
    to: str
    created_at: datetime
    status_text: str
    status_colour: str
    # The text line by line, each line in parts so its link can be clicked. None if unreadable.
    lines: list[list[TextPart]] | None


def outbox_entries(messages) -> list[OutboxEntry]:
    return [
        OutboxEntry(
            message=message,
            to=message.to,
            created_at=message.created_at,
            status_text=message.get_status_display(),
            status_colour=STATUS_COLOURS.get(message.status, "grey"),
            lines=_lines(body) if (body := message.readable_body) is not None else None,
        )
        for message in messages
    ]


def _lines(body: str) -> list[list[TextPart]]:
    return [_parts(line) for line in body.splitlines()]


def _parts(line: str) -> list[TextPart]:
    parts, position = [], 0
    for match in text.LINK_PATTERN.finditer(line):
        if match.start() > position:
            parts.append(TextPart(line[position : match.start()]))
        parts.append(TextPart(match.group(), href=_own_path(match.group())))
        position = match.end()
    if position < len(line):
        parts.append(TextPart(line[position:]))
    return parts


def _own_path(url: str) -> str | None:
    """The link as a path on this service, so it opens on whichever address the demo runs at.

    Only the service's own links are made clickable: a text should never hold another, and
    the staff pages never point at another host.
    """
    own, link = urlsplit(settings.SERVICE_BASE_URL), urlsplit(url)
    if not own.netloc or (link.scheme, link.netloc) != (own.scheme, own.netloc):
        return None
    return link.path + (f"?{link.query}" if link.query else "")
