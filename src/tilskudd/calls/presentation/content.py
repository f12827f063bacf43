"""The section on what the application must contain: the form's fields and the other checks."""

from __future__ import annotations

from tilskudd.calls.presentation.checks import describe_check, is_budget_check
from tilskudd.calls.presentation.conditions import describe_condition
from tilskudd.calls.presentation.pages import Block, Line
from tilskudd.calls.presentation.words import text_in
from tilskudd.core.phrases import Phrase, phrase
from tilskudd.core.text import pick
from tilskudd.rules.schema import CallDefinition, ConfirmationCheck, FieldType, FormField, PartnerCheck


def _required_elsewhere(field: FormField, call: CallDefinition) -> tuple[bool, object, str]:
    """Whether a field the form marks optional is demanded by another rule of the call: (found, condition, rule).

    A field is not «valgfritt» when a check or the eligibility rules demand what it holds (issue #13, point 3:
    the page said «valgfritt» about the reception centre partner that C2-R09 says «må» be named, and about the
    registration in Frivillighetsregisteret that C2-R03 says the applicant «må» have).
    """
    for check in call.checks:
        if isinstance(check, PartnerCheck) and field.type is FieldType.PARTNERS:
            return True, check.when, check.rule
        if isinstance(check, ConfirmationCheck) and check.field == field.value_path:
            return True, check.when, check.rule
    register = call.eligibility.voluntary_register
    if register and register.required and field.value_path.startswith("applicant.voluntary_register"):
        return True, None, register.rule
    return False, None, ""


def _field_line(field: FormField, call: CallDefinition, language: str | None) -> Line:
    demanded, demanded_when, demanded_by = (False, None, "")
    if not field.required and not field.required_when:
        demanded, demanded_when, demanded_by = _required_elsewhere(field, call)
    if field.required:
        status = pick(language, "må fylles ut", "required")
        if field.type is FieldType.ATTACHMENT:
            status = pick(language, "må legges ved", "required")
    elif field.required_when:
        condition = describe_condition(field.required_when, call, language)
        status = (
            pick(language, "må legges ved ", "required ")
            if field.type is FieldType.ATTACHMENT
            else pick(language, "må fylles ut ", "required ")
        ) + condition
    elif demanded:
        status = (
            pick(language, "må fylles ut", "required")
            if field.type is not FieldType.ATTACHMENT
            else pick(language, "må legges ved", "required")
        )
        if demanded_when is not None:
            status += " " + describe_condition(demanded_when, call, language)  # type: ignore[arg-type]
    else:
        status = pick(language, "valgfritt", "optional")
    if field.type is FieldType.ATTACHMENT:
        status = pick(language, "vedlegg, ", "attachment, ") + status
    details: tuple[Phrase, ...] = ()
    if field.shown_when and field.shown_when != field.required_when:
        details = (
            phrase(
                pick(language, "Vises bare ", "Shown only ")
                + describe_condition(field.shown_when, call, language)
                + "."
            ),
        )
    rules = tuple(rule for rule in dict.fromkeys((field.rule, demanded_by)) if rule)
    return Line(phrase(status), rules, details, term=text_in(field.label, language))


def content_block(call: CallDefinition, language: str | None) -> Block:
    children = []
    for section in call.sections:
        fields = [f for f in call.fields if f.section == section.id]
        if not fields:
            continue
        children.append(
            Block(
                f"innhold-{section.id}",
                text_in(section.title, language),
                tuple(_field_line(f, call, language) for f in fields),
                intro=text_in(section.help, language),
            )
        )
    other = [check for check in call.checks if not is_budget_check(check) and not (check.when and check.when.areas)]
    if other:
        children.append(
            Block(
                "innhold-andre-krav",
                pick(language, "Andre krav til søknaden", "Other requirements"),
                tuple(describe_check(check, call, language) for check in other),
            )
        )
    return Block(
        "innhold",
        pick(language, "Hva søknaden må inneholde", "What the application must contain"),
        children=tuple(children),
        intro=pick(
            language,
            "Dette må dere fylle ut eller legge ved. Det som er merket «valgfritt», kan dere la stå tomt.",
            "This is what you must fill in or attach. You may leave what is marked “optional” empty.",
        ),
    )
