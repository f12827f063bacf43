"""Accessible form fields in Designsystemet's markup.

``{% form_field form.name %}`` renders the label tied to the input, the help
text and the error, both referred to by ``aria-describedby``;
``{% error_summary form %}`` lists every error at the top of the page with a
link to its field.
"""

from __future__ import annotations

from django import forms, template
from django.utils.translation import get_language

from tilskudd.calls.presentation import pick

register = template.Library()


def _kind(bound) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def anchor(bound) -> str:
    """The id of the element the error summary links to."""
    if _kind(bound) == "checkboxes":
        return f"{bound.auto_id}_0"
    return bound.auto_id


@register.inclusion_tag("orgs/_field.html")
def form_field(bound, **extra):
    help_id = f"{bound.auto_id}-help" if bound.help_text else ""
    error_id = f"{bound.auto_id}-error" if bound.errors else ""
    described = " ".join(part for part in (help_id, error_id) if part)
    kind = _kind(bound)
    attrs = {}
    if described and kind != "checkboxes":
        attrs["aria-describedby"] = described
    if bound.errors and kind != "checkboxes":
        attrs["aria-invalid"] = "true"
    attrs.update(extra)
    return {
        "field": bound,
        "kind": kind,
        "widget": bound.as_widget(attrs=attrs) if kind != "checkboxes" else "",
        "help_id": help_id,
        "error_id": error_id,
        "described": described,
        "required": bound.field.required,
        "optional": pick(get_language(), "valgfritt", "optional"),
    }


@register.inclusion_tag("orgs/_error_summary.html")
def error_summary(*forms_):
    entries = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            entries.append(("", message))
        for bound in form:
            for message in bound.errors:
                entries.append((anchor(bound), message))
    return {"entries": entries}
