from django.conf import settings
from django.middleware.csp import get_nonce


def page(request) -> dict:
    """What every page's layout needs: the CSP nonce, the user's practice and the navigation."""
    user = getattr(request, "user", None)
    staff = user if user is not None and user.is_authenticated else None
    return {
        # Django's nonce is lazy; the NHS template only writes it when it is a real string.
        "cspNonce": str(get_nonce(request)) if get_nonce(request) is not None else None,
        "staff_user": staff,
        "staff_practice": getattr(staff, "practice", None),
        "second_factor_required": settings.SECOND_FACTOR_REQUIRED,
        "outbox_enabled": settings.SMS_BACKEND == "outbox",
    }
