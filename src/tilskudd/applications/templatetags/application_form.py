"""Template helpers for the application pages (``{% load application_form %}``)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tilskudd.applications.formbuilder.display import display_value
from tilskudd.core.text import is_english
from tilskudd.core.text import lower_first as _lower_first

register = template.Library()


@register.filter
def message_text(message) -> str:
    """A finding or format error in the active language."""
    return message.text(get_language()) if message is not None else ""


@register.filter
def review_lines(widget) -> list[str]:
    """What a widget holds, in words, for the read-only review."""
    return display_value(widget, get_language())


@register.filter
def filesize(size) -> str:
    """1536 → '1,5 kB' (or '1.5 kB')."""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    for unit, limit in (("MB", 1024 * 1024), ("kB", 1024)):
        if size >= limit:
            text = f"{size / limit:.1f}"
            return (text if is_english(get_language()) else text.replace(".", ",")) + f" {unit}"
    return f"{size} B"


@register.filter
def errors_only(messages) -> list:
    return [m for m in messages or [] if m.is_error]


@register.filter
def warnings_only(messages) -> list:
    return [m for m in messages or [] if not m.is_error]


@register.filter
def short_hash(value) -> str:
    value = str(value or "")
    return f"{value[:12]}…{value[-6:]}" if len(value) > 20 else value


@register.filter
def lower_first(value) -> str:
    """'Rådmannen i kommunen' → 'rådmannen i kommunen' inside a sentence; 'NAV' stays."""
    return _lower_first(str(value or ""))
