"""The header's review link, on every staff page: "To review (2)" for a clinician, "Reviews
(1 overdue)" for a practice manager. One COUNT, worked out only when the header reads it."""

from functools import cached_property

from clinical_photos.accounts.permissions import Permission

from . import services


class ReviewCounts:
    def __init__(self, user):
        self._user = user

    @cached_property
    def nav_text(self) -> str:
        if self._user.may(Permission.REVIEW_PHOTOS):
            waiting = services.count_to_review(self._user)
            return f"To review ({waiting})" if waiting else "To review"
        overdue = services.count_overdue(self._user.practice)
        return f"Reviews ({overdue} overdue)" if overdue else "Reviews"


def reviews(request) -> dict:
    user = getattr(request, "user", None)
    shows = (
        user is not None
        and user.is_authenticated
        and getattr(user, "practice", None) is not None
        and user.may(Permission.SEE_REVIEWS)
    )
    return {"review_counts": ReviewCounts(user) if shows else None}
