from . import mailbox


def mailbox_link(request) -> dict:
    """Whether the staff header links to the demo's mailbox (only while emails are kept)."""
    return {"mailbox_enabled": mailbox.is_enabled()}
