"""Template helpers for bokmål-first pages.

``{% t "Søknadsfrist" "Deadline" %}`` picks the fixed text by the active
language (bokmål unless English is chosen); ``{{ text|lang }}`` does the same
for a :class:`~tilskudd.rules.schema.Text` from a call definition. We do not
use gettext catalogues: the source text is bokmål, and the English sits next
to it where it is used.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tilskudd.calls.presentation import Link, Moment, Phrase, format_nok, pick

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
