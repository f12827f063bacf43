"""Findings of the rule engine and problems with the document's shape, as messages of the form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from tilskudd.applications.formbuilder.widgets import Message
from tilskudd.rules.application import Application as ExchangeApplication
from tilskudd.rules.schema import CallDefinition


def finding_messages(findings: Iterable[Any]) -> list[Message]:
    """Engine findings (``rules.Finding``) as messages."""
    return [
        Message(
            f.rule_id,
            f.severity.value if hasattr(f.severity, "value") else str(f.severity),
            f.message_nb,
            f.message_en,
            f.field,
        )
        for f in findings
    ]


FORMAT_RULE = "X-R03"

_FORMAT_TEXTS: dict[str, tuple[str, str]] = {
    "missing": ("Må fylles ut.", "Required."),
    "int_type": (
        "Må være et helt tall. Beløp skrives i hele kroner.",
        "Must be a whole number. Amounts are in whole kroner.",
    ),
    "int_parsing": (
        "Må være et helt tall. Beløp skrives i hele kroner.",
        "Must be a whole number. Amounts are in whole kroner.",
    ),
    "int_from_float": (
        "Må være et helt tall. Beløp skrives i hele kroner.",
        "Must be a whole number. Amounts are in whole kroner.",
    ),
    "float_parsing": ("Må være et tall, for eksempel 1 eller 0,5.", "Must be a number, for example 1 or 0.5."),
    "float_type": ("Må være et tall, for eksempel 1 eller 0,5.", "Must be a number, for example 1 or 0.5."),
    "string_type": ("Må være tekst.", "Must be text."),
    "bool_type": ("Svar ja eller nei.", "Answer yes or no."),
    "bool_parsing": ("Svar ja eller nei.", "Answer yes or no."),
    "too_short": ("Legg til minst én.", "Add at least one."),
    "list_type": ("Må være en liste.", "Must be a list."),
    "dict_type": ("Har feil form.", "Has the wrong shape."),
    "date_from_datetime_parsing": (
        "Må være en dato, for eksempel 31.12.2019.",
        "Must be a date, for example 2019-12-31.",
    ),
    "date_parsing": ("Må være en dato, for eksempel 31.12.2019.", "Must be a date, for example 2019-12-31."),
    "date_type": ("Må være en dato, for eksempel 31.12.2019.", "Must be a date, for example 2019-12-31."),
    "extra_forbidden": ("Dette feltet hører ikke hjemme her.", "This field does not belong here."),
    "enum": ("Er ikke et gyldig valg.", "Is not a valid choice."),
}


def loc_path(loc: Iterable[Any]) -> str:
    """pydantic's ('budget', 'lines', 2, 'amount') → 'budget.lines[2].amount'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


_WHOLE_NUMBER_ERRORS = {"int_type", "int_parsing", "int_from_float"}


def _owning_rule(call: CallDefinition | None, path: str) -> str:
    """The rule of the call's field that holds ``path`` (``budget.lines[2].amount`` → the budget field's rule)."""
    if call is None:
        return ""
    best = None
    for form_field in call.fields:
        value_path = form_field.value_path
        if path == value_path or path.startswith(value_path + ".") or path.startswith(value_path + "["):
            if best is None or len(value_path) > len(best.value_path):
                best = form_field
    return (best.rule or "") if best else ""


def format_errors(document: Mapping[str, Any], call: CallDefinition | None = None) -> list[Message]:
    """Field-precise problems with the document's shape, in plain words (empty when it is valid).

    The rule id is X-R03 where an amount is not whole kroner, else the rule of
    the call's field that holds the value (none when no field does).
    """
    try:
        ExchangeApplication.model_validate(document)
    except ValidationError as error:
        messages = []
        for problem in error.errors():
            kind = problem.get("type", "")
            context = problem.get("ctx") or {}
            if kind == "greater_than_equal":
                nb, en = f"Kan ikke være mindre enn {context.get('ge')}.", f"Cannot be less than {context.get('ge')}."
            elif kind == "greater_than":
                nb, en = f"Må være mer enn {context.get('gt')}.", f"Must be more than {context.get('gt')}."
            elif kind == "less_than_equal":
                nb, en = f"Kan ikke være mer enn {context.get('le')}.", f"Cannot be more than {context.get('le')}."
            elif kind in _FORMAT_TEXTS:
                nb, en = _FORMAT_TEXTS[kind]
            else:
                nb, en = f"Har feil form: {problem.get('msg')}.", f"Has the wrong shape: {problem.get('msg')}."
            path = loc_path(problem.get("loc", ()))
            rule = FORMAT_RULE if kind in _WHOLE_NUMBER_ERRORS else _owning_rule(call, path)
            messages.append(Message(rule, "error", nb, en, path))
        return messages
    return []
