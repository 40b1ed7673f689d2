"""The one Jinja environment: nhsuk-frontend-jinja's macros plus the service's own helpers."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from clinical_photos.accounts.permissions import Permission
from clinical_photos.core import jinja_helpers
from clinical_photos.photo_requests.presenters import status_tag


def environment(**options) -> Environment:
    # nhsuk-frontend-jinja reads params["x"]["y"] freely, so it needs a forgiving Undefined.
    # That hides template mistakes: every page in the view tests is checked instead
    # (clinical_photos/core/tests/page_checks.py).
    options["undefined"] = ChainableUndefined
    # Django's loader (each app's jinja2/ folder) first, then the design system's macros.
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PackageLoader("nhsuk_frontend_jinja", "templates"),
            # The page template extends "template.jinja" by its bare name.
            PackageLoader("nhsuk_frontend_jinja", "templates/nhsuk"),
        ]
    )
    options.setdefault("autoescape", True)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    # `{% do rows.append(...) %}` builds table rows in a loop (a `set` there is loop-local).
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 (autoescape is on: set just above)
    env.globals.update(
        {
            "static": static,
            "url": lambda name, *args, **kwargs: reverse(name, args=args or None, kwargs=kwargs),
            "get_messages": get_messages,
            "settings": settings,
            "field": jinja_helpers.field,
            "nhs_field": jinja_helpers.nhs_field,
            "error_summary_items": jinja_helpers.error_summary_items,
            "choice_items": jinja_helpers.choice_items,
            "link": jinja_helpers.link,
            "request_status_tag": status_tag,
            # Templates ask `staff_user.may(Permission.X)` before offering what X allows.
            "Permission": Permission,
        }
    )
    env.filters.update(
        {
            "nhs_number": jinja_helpers.format_nhs_number,
            "date_long": jinja_helpers.date_long,
            "datetime_long": jinja_helpers.datetime_long,
            "phone": jinja_helpers.format_phone,
            "phone_link": jinja_helpers.phone_link,
        }
    )
    return env
