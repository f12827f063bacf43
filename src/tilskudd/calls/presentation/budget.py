"""The section on the budget: the kinds of cost and the budget checks."""

from __future__ import annotations

from tilskudd.calls.presentation.checks import describe_check, is_budget_check
from tilskudd.calls.presentation.pages import Block, Line, Row, Table
from tilskudd.calls.presentation.words import note_line, text_in
from tilskudd.core.phrases import phrase
from tilskudd.core.text import pick
from tilskudd.rules.schema import CallDefinition


def budget_block(call: CallDefinition, language: str | None) -> Block:
    budget = call.budget
    categories = sorted(budget.categories, key=lambda c: not c.eligible)
    rows = []
    for category in categories:
        if category.eligible:
            answer = pick(language, "Ja", "Yes")
        elif category.severity == "warning":
            answer = pick(language, "Nei (gir en advarsel)", "No (gives a warning)")
        else:
            answer = pick(language, "Nei", "No")
        rows.append(Row((phrase(text_in(category.label, language)), phrase(answer)), (category.rule,)))
    table = Table(
        pick(language, "Kostnader tilskuddet kan og ikke kan dekke", "Costs the grant can and cannot cover"),
        (pick(language, "Kostnad", "Cost"), pick(language, "Kan dekkes av tilskuddet", "Covered by the grant")),
        tuple(rows),
    )
    lines = [describe_check(check, call, language) for check in call.checks if is_budget_check(check)]
    lines += [note_line(note, language) for note in budget.notes]
    if budget.rule:
        lines.insert(
            0,
            Line(
                phrase(
                    pick(
                        language,
                        "Hver budsjettlinje hører til én av kostnadstypene under.",
                        "Each budget line belongs to one of the kinds of cost below.",
                    )
                ),
                (budget.rule,),
            ),
        )
    return Block("budsjett", pick(language, "Budsjett", "Budget"), tuple(lines), (table,))
