"""Template helpers for bokmål-first pages.

``{% t "Søknadsfrist" "Deadline" %}`` picks the fixed text by the active
language (bokmål unless English is chosen); ``{{ text|lang }}`` does the same
for a :class:`~tilskudd.rules.schema.Text` from a call definition; ``|nok``,
``|oslo_date`` and ``|oslo_datetime`` write money and time the one way
(``tilskudd.core.formatting``). ``{% form_field form.name %}`` renders a field
in Designsystemet's markup with its help and error tied by
``aria-describedby``; ``{% error_summary form %}`` lists every error at the
top of the page with a link to its field (``core/_error_summary.html``, which
views with their own list of (anchor, text) include with ``entries=``).
"""

from __future__ import annotations

from django import forms, template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tilskudd.core.formatting import format_date, format_datetime, format_nok
from tilskudd.core.phrases import Link, Moment, Phrase
from tilskudd.core.text import pick

register = template.Library()


@register.simple_tag
def t(nb: str, en: str) -> str:
    """The bokmål text, or the English one when the page is in English."""
    return pick(get_language(), nb, en)


@register.filter
def lang(value):
    """A Text (or an (nb, en) pair) in the active language; anything else unchanged."""
    if value is None:
        return ""
    language = get_language() or "nb"
    if hasattr(value, "get") and hasattr(value, "nb"):
        return value.get(language)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return pick(language, value[0], value[1])
    return value


@register.filter
def nok(amount):
    """52300000 → '52 300 000 kr' (or 'NOK 52,300,000' in English)."""
    if amount is None or amount == "":
        return ""
    return format_nok(int(amount), get_language())


@register.filter
def oslo_date(value):
    """A date (or an instant's Oslo date): '01.09.2030' or '1 September 2030'."""
    return format_date(value, get_language()) if value else ""


@register.filter
def oslo_datetime(value):
    """An instant in Oslo time: '28.02.2027 kl. 12:00' or '28 February 2027 at 12:00'."""
    return format_datetime(value, get_language()) if value else ""


def _part_html(part) -> str:
    if isinstance(part, Moment):
        return format_html('<time datetime="{}">{}</time>', part.iso, part.text)
    if isinstance(part, Link):
        return format_html('<a class="ds-link" href="{}">{}</a>', part.href, part.text)
    return conditional_escape(part)


@register.filter
def phrase(value):
    """A presentation Phrase as HTML: dates in <time>, links as links, the rest escaped."""
    if isinstance(value, Phrase):
        return mark_safe("".join(str(_part_html(part)) for part in value.parts))
    if isinstance(value, (Moment, Link)):
        return mark_safe(_part_html(value))
    return conditional_escape(value)


@register.simple_tag
def rule_ids(ids):
    """Small neutral tags with the rule ids, for caseworkers to trace a statement to its rule."""
    if not ids:
        return ""
    label = pick(get_language(), "Regel", "Rule")
    return format_html(
        '<span class="tilskudd-rules">{}</span>',
        format_html_join(
            " ",
            '<span class="ds-tag tilskudd-rule" data-color="neutral" data-size="sm">'
            '<span class="ds-sr-only">{} </span>{}</span>',
            ((label, rule_id) for rule_id in ids),
        ),
    )


# --- form fields and the error summary -------------------------------------------


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


@register.inclusion_tag("core/_field.html")
def form_field(bound, mark_optional=True, **extra):
    """The field with its label, help and error; ``mark_optional=False`` for filters, where every field is optional.

    A field the form requires only in some cases (``field.required_when = True``, its help saying when) is not
    marked «valgfritt»: the label would contradict the rule."""
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
        "required": bound.field.required or not mark_optional or getattr(bound.field, "required_when", False),
        "optional": pick(get_language(), "valgfritt", "optional"),
    }


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*forms_):
    entries = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        first = next(iter(form.visible_fields()), None)
        for message in form.non_field_errors():
            entries.append((anchor(first) if first is not None else "", message))
        for bound in form:
            for message in bound.errors:
                entries.append((anchor(bound), message))
    return {"entries": entries}
