"""What each role may do: one vocabulary of permissions, and one map from roles to them.

Every rule about who may do what is written here and nowhere else:

- a view declares what it needs with `@permission_required(Permission.X)`, and a test fails
  for any staff page that declares nothing (tests/test_permissions.py);
- a service guards its change with `require(by, Permission.X, of=obj)`, so that no caller
  (a view, a command, a task) can skip the rule;
- a template asks `staff_user.may(Permission.X)` before it offers a button.

Refusals are answered by one page (core/views.py `forbidden`), in words that say what the role
may not do. A page about one record looks it up in the visitor's own practice before it
refuses: someone from another practice gets the same 404 whatever their role, and learns
nothing about which ids exist elsewhere.
"""

import enum
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


class Permission(enum.StrEnum):
    # Every member of staff
    USE_OWN_ACCOUNT = "use_own_account"  # their second factor and their password
    FIND_PATIENTS = "find_patients"  # search the practice's patients and open one
    ADD_PATIENTS = "add_patients"  # to the practice's own index
    SEE_REQUESTS = "see_requests"  # the practice's photo requests and what became of them
    SEE_INBOX = "see_inbox"  # answers from patients, and requests that need attention
    SEE_RECORD = "see_record"  # which photos a patient's record holds, in words only
    SEE_DEMO_MESSAGES = "see_demo_messages"  # the demo's outbox and mailbox
    # The admin team and clinicians
    REQUEST_PHOTOS = "request_photos"  # ask, cancel, send again (with templates the role may use)
    FILE_SUBMISSIONS = "file_submissions"  # file photos into the record, without seeing them
    # Clinicians
    REQUEST_PHOTOS_FOR_ANY_REASON = "request_photos_for_any_reason"  # every active template
    SEE_PHOTOS = "see_photos"  # open and compare the images themselves
    CORRECT_RECORD = "correct_record"  # a photo's details, entered in error, removal
    FILE_INTO_ANOTHER_RECORD = "file_into_another_record"  # the wrong patient was asked
    SEND_PATIENT_VIEW_LINK = "send_patient_view_link"  # a patient's link to their own photos
    REVIEW_PHOTOS = "review_photos"  # review filed photos and record the outcome
    ASK_FOR_FOLLOW_UPS = "ask_for_follow_ups"  # photos of the same site again, on a schedule
    # Clinicians and practice managers
    SEE_REVIEWS = "see_reviews"  # which filed photos wait for review, and for whom (words only)
    ASSIGN_REVIEWS = "assign_reviews"  # give a review to a clinician
    # Practice managers
    MANAGE_PRACTICE = "manage_practice"  # users, request templates, how long links last
    EXPORT_RECORD = "export_record"  # a patient's photos for a subject access request


_EVERYONE = {
    Permission.USE_OWN_ACCOUNT,
    Permission.FIND_PATIENTS,
    Permission.ADD_PATIENTS,
    Permission.SEE_REQUESTS,
    Permission.SEE_INBOX,
    Permission.SEE_RECORD,
    Permission.SEE_DEMO_MESSAGES,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.ADMIN: frozenset(_EVERYONE | {Permission.REQUEST_PHOTOS, Permission.FILE_SUBMISSIONS}),
    Role.CLINICIAN: frozenset(
        _EVERYONE
        | {
            Permission.REQUEST_PHOTOS,
            Permission.FILE_SUBMISSIONS,
            Permission.REQUEST_PHOTOS_FOR_ANY_REASON,
            Permission.SEE_PHOTOS,
            Permission.CORRECT_RECORD,
            Permission.FILE_INTO_ANOTHER_RECORD,
            Permission.SEND_PATIENT_VIEW_LINK,
            Permission.REVIEW_PHOTOS,
            Permission.ASK_FOR_FOLLOW_UPS,
            Permission.SEE_REVIEWS,
            Permission.ASSIGN_REVIEWS,
        }
    ),
    # Practice managers look after the practice, not patients' care.
    Role.PRACTICE_MANAGER: frozenset(
        _EVERYONE
        | {
            Permission.MANAGE_PRACTICE,
            Permission.EXPORT_RECORD,
            # Overdue reviews are flagged to them: they can see who has what, and move it.
            Permission.SEE_REVIEWS,
            Permission.ASSIGN_REVIEWS,
        }
    ),
}

# What the refusal page says, after "You cannot open this page".
REFUSALS: dict[Permission, str] = {
    Permission.REQUEST_PHOTOS: "Only clinicians and the admin team can ask patients for photos.",
    Permission.FILE_SUBMISSIONS: "Only clinicians and the admin team file photos.",
    Permission.SEE_PHOTOS: "Only clinicians can see photos.",
    Permission.CORRECT_RECORD: "Only clinicians can change or remove photos in the record.",
    Permission.FILE_INTO_ANOTHER_RECORD: (
        "Only clinicians can file photos into another patient's record."
    ),
    Permission.SEND_PATIENT_VIEW_LINK: (
        "Only clinicians can send patients a link to see their photos."
    ),
    Permission.REVIEW_PHOTOS: "Only clinicians can review photos.",
    Permission.ASK_FOR_FOLLOW_UPS: "Only clinicians can ask for follow-up photos.",
    Permission.SEE_REVIEWS: "Only clinicians and practice managers can see photos to review.",
    Permission.ASSIGN_REVIEWS: "Only clinicians and practice managers can assign reviews.",
    Permission.MANAGE_PRACTICE: "Only practice managers can change the practice's settings.",
    Permission.EXPORT_RECORD: "Only practice managers can export a patient's photos.",
}


def permissions_of(role: str) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(role, frozenset())


class Refused(PermissionDenied):
    """A member of staff asked for something their role does not allow."""

    def __init__(self, permission: Permission, *, recorded: bool = False):
        self.permission = permission
        # Whether the refusal was written to the audit log (the page then says so).
        self.recorded = recorded
        super().__init__(REFUSALS.get(permission, "Your role does not allow this."))


def require(user, permission: Permission, *, of=None) -> None:
    """Refuse (raise `Refused`) unless `user` is active, their role has `permission`, and
    `of` (a record with a practice, if given) belongs to their practice."""
    if not (user.is_active and user.may(permission)):
        raise Refused(permission)
    if of is not None and of.practice_id != user.practice_id:
        raise PermissionDenied("This belongs to another practice.")


def permission_required(permission: Permission, *, scope=None, when_refused=None):
    """A staff view's one declaration of what it needs; checked on every request.

    `scope(request, **url_kwargs)` finds the page's record in the visitor's own practice (and
    raises 404 when it is not there); it runs before a refusal so that another practice's id
    answers 404 whatever the role. `when_refused(user, record)` runs before the refusal, to
    write it down where a refusal matters (someone asking for a patient's image).

    Django's own `permission_required` cannot do either, and cannot be read back by the test
    that every staff page declares a permission, so this small decorator stands in for it.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.may(permission):
                found = scope(request, *args, **kwargs) if scope is not None else None
                if when_refused is not None:
                    when_refused(request.user, found)
                raise Refused(permission, recorded=when_refused is not None)
            return view(request, *args, **kwargs)

        # Read by tests/test_permissions.py; functools.wraps carries it through outer decorators.
        wrapped.permission = permission
        return wrapped

    return decorate
