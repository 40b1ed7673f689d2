"""The inbox's counts for the staff header, on every staff page.

The counts are worked out only when a template reads them, and then once per request: two COUNT
queries (inbox_services.counts), however large the practice's history.
"""

from functools import cached_property

from . import services as inbox_services


class InboxCounts:
    def __init__(self, practice):
        self._practice = practice

    @cached_property
    def _counts(self):
        return inbox_services.counts(self._practice)

    @property
    def unfiled(self) -> int:
        return self._counts.unfiled

    @property
    def needing_attention(self) -> int:
        return self._counts.needing_attention

    @property
    def total(self) -> int:
        return self.unfiled + self.needing_attention

    @property
    def nav_text(self) -> str:
        """The header link's words, e.g. "Inbox (2 to file, 1 to check)"."""
        parts = []
        if self.unfiled:
            parts.append(f"{self.unfiled} to file")
        if self.needing_attention:
            parts.append(f"{self.needing_attention} to check")
        return f"Inbox ({', '.join(parts)})" if parts else "Inbox"


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    staff = user if user is not None and user.is_authenticated else None
    practice = getattr(staff, "practice", None)
    return {
        "inbox_counts": InboxCounts(practice) if practice is not None else None,
    }
