"""What a widget holds, in words, for the read-only review of the application."""

from __future__ import annotations

from tilskudd.applications.formbuilder.widgets import Input, Widget
from tilskudd.core.text import is_english
from tilskudd.rules.schema import Text


def display_value(widget: Widget, language: str | None = "nb") -> list[str]:
    """What a widget holds, in words, for the review page (one string per line)."""
    english = is_english(language)
    if widget.kind == "readonly":
        value = widget.display
        if value is None:
            return []
        if isinstance(value, list):
            return [", ".join(value)] if value else []
        return [value.get("en" if english else "nb") if isinstance(value, Text) else str(value)]
    lines: list[str] = []
    if widget.kind in ("input", "group"):
        for item in widget.inputs:
            text = _input_words(item, english)
            if text:
                lines.append(f"{item.label.get('en' if english else 'nb')}: {text}" if widget.kind == "group" else text)
    elif widget.kind == "rows":
        for row in widget.rows:
            if row.is_new:
                continue
            parts = [_input_words(item, english) for item in row.inputs]
            lines.append(" · ".join(p for p in parts if p))
    elif widget.kind == "attachment":
        lines = [upload.name for upload in widget.uploads]
    return lines


def _input_words(item: Input, english: bool) -> str:
    language = "en" if english else "nb"
    if item.kind in ("radio", "select", "checkboxes"):
        return ", ".join(o.label.get(language) for o in item.options if o.checked and o.value)
    if item.kind == "checkbox":
        return ("✓ " + item.label.get(language)) if item.options and item.options[0].checked else ""
    if item.kind == "money" and item.value:
        return f"{item.value} kr" if not english else f"NOK {item.value}"
    return str(item.value or "")
