"""Turn Django forms and values into the parameters the NHS design system's macros expect.

A field's errors, value, id and name come from the bound field, so every form on every page
reads the same way: an error summary that links to each field, and the field's own message.
"""

from datetime import date, datetime

import phonenumbers
from django import forms
from django.forms import BoundField
from django.utils import timezone
from jinja2 import pass_context
from markupsafe import Markup

# Where nhsuk-frontend-jinja keeps the macro for each component a field can be drawn with.
_COMPONENT_MACROS = {
    "input": ("nhsuk/components/input/macro.jinja", "input"),
    "textarea": ("nhsuk/components/textarea/macro.jinja", "textarea"),
    "dateInput": ("nhsuk/components/date-input/macro.jinja", "dateInput"),
    "radios": ("nhsuk/components/radios/macro.jinja", "radios"),
    "checkboxes": ("nhsuk/components/checkboxes/macro.jinja", "checkboxes"),
}
# Widget attributes that the input and textarea macros take as parameters of their own.
_WIDGET_PARAMS = {"class": "classes", "inputmode": "inputmode", "autocomplete": "autocomplete"}


def field(bound: BoundField, label: str | dict | None = None, **params) -> dict:
    """Parameters for input, textarea, select, radios or checkboxes from a bound field.

    `label` is the label's text, or the macro's whole label object (to make it the page's h1).
    """
    result: dict = {
        "id": bound.id_for_label or bound.html_name,
        "name": bound.html_name,
        "label": label if isinstance(label, dict) else {"text": label or bound.label},
    }
    if bound.help_text:
        result["hint"] = {"text": bound.help_text}
    value = bound.value()
    if value not in (None, "") and not isinstance(value, list):
        result["value"] = value
    if bound.errors:
        result["errorMessage"] = {"text": bound.errors[0]}
    result.update(params)
    return result


def component_of(bound: BoundField) -> str:
    """The NHS component that draws this field: its own `nhs_component`, else its widget's."""
    field = bound.field
    if getattr(field, "nhs_component", None):
        return field.nhs_component
    widget = field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "checkboxes"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def _fieldset(bound: BoundField, params: dict) -> dict:
    """What a component drawn as a fieldset (dates, radios, checkboxes) needs from its field."""
    result = {
        "fieldset": {"legend": {"text": bound.label, "size": "s"}},
        "errorMessage": {"text": bound.errors[0]} if bound.errors else None,
    }
    if bound.help_text:
        result["hint"] = {"text": bound.help_text}
    return {**result, **params}


def component_params(bound: BoundField, **params) -> dict:
    """The parameters of the field's NHS component, from the bound field; `params` win."""
    component = component_of(bound)
    if component == "dateInput":
        return _fieldset(bound, {"id": bound.auto_id, "items": date_items(bound), **params})
    if component in ("radios", "checkboxes"):
        return _fieldset(
            bound,
            {
                # Under the field's name, where error_summary_items links a choice field.
                "idPrefix": bound.html_name,
                "name": bound.html_name,
                "items": choice_items(bound),
                **params,
            },
        )
    attrs = bound.field.widget.attrs
    from_widget = {name: attrs[attr] for attr, name in _WIDGET_PARAMS.items() if attr in attrs}
    if attrs.get("spellcheck") == "false":
        from_widget["spellcheck"] = False
    return field(bound, **{**from_widget, **params})


@pass_context
def nhs_field(context, bound: BoundField, **params) -> Markup:
    """A form field drawn with its NHS component, its label, hint, value and error message.

    Templates call `nhs_field(form["date_of_birth"], fieldset={...})` rather than repeating a
    component's block; `params` are the component macro's own, laid over what the field gives.
    """
    template, macro = _COMPONENT_MACROS[component_of(bound)]
    draw = getattr(context.environment.get_template(template).module, macro)
    return draw(component_params(bound, **params))


def choice_items(bound: BoundField, hints: dict | None = None) -> list[dict]:
    """Items for radios or checkboxes, with the bound value(s) checked."""
    current = bound.value()
    selected = {str(v) for v in current} if isinstance(current, list | tuple) else {str(current)}
    return [
        {
            "value": value,
            "text": text,
            "checked": str(value) in selected,
            **({"hint": {"text": hints[value]}} if hints and value in hints else {}),
        }
        for value, text in bound.field.choices
        if value != ""
    ]


def date_items(bound: BoundField) -> list[dict]:
    """Items for the NHS date input from a DateOfBirthField or a DayMonthYearField.

    Each box carries the name the form reads (date_of_birth_0, _1, _2) and the id the error
    summary links to, rather than the macro's own "date_of_birth[day]".
    """
    values = bound.value() or [None, None, None]
    if isinstance(values, date):
        values = [values.day, values.month, values.year]
    error_class = " nhsuk-input--error" if bound.errors else ""
    parts = [("Day", 2), ("Month", 2), ("Year", 4)]
    return [
        {
            "name": f"{bound.html_name}_{index}",
            "id": f"{bound.auto_id}_{index}",
            "label": text,
            "value": values[index] if values[index] is not None else "",
            "classes": f"nhsuk-input--width-{width}{error_class}",
            "inputmode": "numeric",
        }
        for index, (text, width) in enumerate(parts)
    ]


def error_summary_items(*forms) -> list[dict]:
    """The error summary's list: each error links to the field it is about, and errors about
    the whole form to its first field."""
    items = []
    for form in forms:
        if form is None:
            continue
        first = next(iter(form), None)
        whole_form_target = f"#{first.auto_id}" if first else "#maincontent"
        for error in form.non_field_errors():
            items.append({"text": error, "href": whole_form_target})
        for bound in form:
            for error in bound.errors:
                target = bound.id_for_label or bound.html_name
                if getattr(bound.field, "widget", None) and hasattr(bound.field.widget, "widgets"):
                    target = f"{bound.auto_id}_0"
                items.append({"text": error, "href": f"#{target}"})
    return items


def link(href: str, text: str, **attributes) -> Markup:
    """An <a> for a macro's `html` parameter, with the text and attributes escaped."""
    extra = Markup("").join(
        Markup(' {}="{}"').format(k.replace("_", "-"), v) for k, v in attributes.items()
    )
    return Markup('<a href="{}"{}>{}</a>').format(href, extra, text)


def format_nhs_number(value: str) -> str:
    """NHS numbers are read in groups of 3, 3 and 4 digits."""
    digits = "".join(c for c in str(value) if c.isdigit())
    if len(digits) != 10:
        return str(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def format_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_link(value: str) -> Markup:
    """A phone number as a link a phone can call (tel: with the number in full), shown as it
    is read; words that are not a number (a practice may type anything) stay plain text."""
    if not value:
        return Markup("")
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return Markup("{}").format(value)
    if not phonenumbers.is_possible_number(number):
        return Markup("{}").format(value)
    return Markup('<a href="tel:{}">{}</a>').format(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
    )


def date_long(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def datetime_long(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.strftime("%I").lstrip("0")
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace(
        "PM", "pm"
    )
