"""Conditions in words: when a field or check applies ('når søknaden gjelder …'), and what a path is called."""

from __future__ import annotations

from collections.abc import Iterable

from tilskudd.calls.presentation.words import text_in
from tilskudd.core.text import is_english, join_words, lower_first, pick, quote
from tilskudd.rules.schema import CallDefinition, Condition, FieldType, FormField, PartnerCheck, Text


def field_at(call: CallDefinition, path: str) -> FormField | None:
    return next((f for f in call.fields if f.value_path == path), None)


#: Parts of the application format (``application.py``) a condition may name without a form field.
APPLICATION_PATHS = {
    "budget.amount_applied": ("beløpet det søkes om", "the amount applied for"),
    "budget.own_contribution.amount": ("egenandelen i kroner", "the own contribution in NOK"),
    "budget.own_contribution.in_kind_amount": ("egeninnsatsen regnet i kroner", "the contribution in kind in NOK"),
    "budget.own_contribution.description": ("beskrivelsen av egenandelen", "the description of the own contribution"),
    "budget.stipend.amount_applied": ("stønaden det søkes om", "the stipend applied for"),
    "applicant.founded_on": ("datoen organisasjonen ble stiftet", "the date the organisation was founded"),
}


def path_words(call: CallDefinition, path: str, language: str | None) -> str:
    """What a path in the application is called: a field's label in quotes, or a plain name."""
    if field_at(call, path) is not None:
        return quote(text_in(call.field_label(path), language), language)
    if path in APPLICATION_PATHS:
        return APPLICATION_PATHS[path][1 if is_english(language) else 0]
    return quote(path, language)


def area_label(call: CallDefinition, language: str | None) -> str:
    label = call.areas.label if call.areas else Text(nb="Prioritert område", en="Priority area")
    return lower_first(text_in(label, language))


def areas_words(call: CallDefinition, area_ids: Iterable[str], language: str | None) -> str:
    """'prioritert område «Område 3»' — the areas by their titles, joined with 'eller'."""
    titles = []
    for area_id in area_ids:
        area = call.area(area_id)
        titles.append(quote(text_in(area.title, language) if area else area_id, language))
    return f"{area_label(call, language)} {join_words(titles, language, last='or')}"


def _value_words(value, field: FormField | None, language: str | None) -> str:
    if value is True:
        return pick(language, "ja", "yes")
    if value is False:
        return pick(language, "nei", "no")
    if field is not None:
        choice = next((c for c in field.choices if c.value == value), None)
        if choice is not None:
            return quote(text_in(choice.label, language), language)
    return quote(str(value), language)


def _partner_label(call: CallDefinition, kind: str, language: str | None) -> str:
    check = next((c for c in call.checks if isinstance(c, PartnerCheck) and c.partner_kind == kind), None)
    return text_in(check.label, language) if check else kind


def describe_condition(
    condition: Condition | None, call: CallDefinition, language: str | None, *, skip_areas: bool = False
) -> str:
    """When a field or check applies, in words: 'når søknaden gjelder …'. Empty when always."""
    if condition is None:
        return ""
    parts: list[str] = []
    if condition.areas and not skip_areas:
        parts.append(
            pick(language, "søknaden gjelder ", "the application is for ")
            + areas_words(call, condition.areas, language)
        )
    if condition.field:
        target = field_at(call, condition.field)
        label = path_words(call, condition.field, language)
        is_boolean = target is not None and target.type is FieldType.BOOLEAN
        if condition.equals is not None:
            parts.append(f"{label} {pick(language, 'er', 'is')} {_value_words(condition.equals, target, language)}")
        elif condition.in_ is not None:
            values = join_words((_value_words(v, target, language) for v in condition.in_), language, last="or")
            parts.append(f"{label} {pick(language, 'er', 'is')} {values}")
        elif condition.truthy is True:
            parts.append(
                pick(language, f"{label} er besvart med ja", f"{label} is answered yes")
                if is_boolean
                else pick(language, f"{label} er fylt ut", f"{label} is filled in")
            )
        elif condition.truthy is False:
            parts.append(
                pick(language, f"{label} er besvart med nei", f"{label} is answered no")
                if is_boolean
                else pick(language, f"{label} ikke er fylt ut", f"{label} is not filled in")
            )
    if condition.partner:
        partner = quote(_partner_label(call, condition.partner, language), language)
        parts.append(pick(language, f"søknaden har med {partner}", f"the application names {partner}"))
    if not parts:
        return ""
    return pick(language, "når ", "when ") + join_words(parts, language)
