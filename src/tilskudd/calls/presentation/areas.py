"""The section on the priority areas (*prioriterte områder*), with their checks and criteria."""

from __future__ import annotations

from tilskudd.calls.presentation.checks import describe_check, is_budget_check
from tilskudd.calls.presentation.pages import Block, Line, Row, Table
from tilskudd.calls.presentation.words import note_line, text_in
from tilskudd.core.formatting import format_nok, format_percent
from tilskudd.core.phrases import phrase
from tilskudd.core.text import is_english, join_words, lower_first, pick
from tilskudd.rules.schema import CallDefinition


def _area_checks(call: CallDefinition, area_id: str) -> list:
    return [
        check
        for check in call.checks
        if check.when and check.when.areas and area_id in check.when.areas and not is_budget_check(check)
    ]


def criteria_table(criteria, caption: str, language: str | None) -> Table:
    total = sum(criterion.weight for criterion in criteria)
    rows = []
    for criterion in criteria:
        weight = f"{criterion.weight:g}".replace(".", "," if not is_english(language) else ".")
        share = format_percent(100 * criterion.weight / total, language)
        rows.append(
            Row(
                (
                    phrase(text_in(criterion.label, language)),
                    phrase(text_in(criterion.description, language)),
                    phrase(f"{weight} ({share})"),
                ),
                (criterion.rule,),
            )
        )
    return Table(
        caption,
        (
            pick(language, "Kriterium", "Criterion"),
            pick(language, "Hva vi ser etter", "What we look for"),
            pick(language, "Vekt (andel)", "Weight (share)"),
        ),
        tuple(rows),
    )


def areas_block(call: CallDefinition, language: str | None) -> Block | None:
    areas = call.areas
    if areas is None:
        return None
    label = text_in(areas.label, language)
    heading = (
        pick(language, "Prioriterte områder", "Priority areas") if areas.label.nb == "Prioritert område" else label
    )
    selection = (
        pick(
            language,
            f"En søknad må gjelde nøyaktig ett {lower_first(label)}.",
            f"An application must be for exactly one {lower_first(label)}.",
        )
        if areas.select.value == "exactly_one"
        else pick(
            language,
            f"En søknad kan gjelde ett eller flere {lower_first(label)}.",
            f"An application may be for one or more {lower_first(label)}.",
        )
    )
    children = []
    for area in areas.items:
        lines: list[Line] = []
        if area.description:
            lines.append(Line(phrase(text_in(area.description, language))))
        if area.target_group:
            lines.append(
                Line(phrase(text_in(area.target_group, language)), term=pick(language, "Målgruppe", "Target group"))
            )
        if area.themes:
            lines.append(
                Line(
                    phrase(pick(language, "Tema:", "Themes:")),
                    details=tuple(phrase(text_in(theme, language)) for theme in area.themes),
                )
            )
        lines += [note_line(note, language) for note in area.notes]
        lines += [describe_check(check, call, language, skip_areas=True) for check in _area_checks(call, area.id)]
        if area.id in call.frame.area_amounts:
            lines.append(
                Line(
                    phrase(
                        pick(language, "Ramme for området: ", "Frame for this area: ")
                        + format_nok(call.frame.area_amounts[area.id], language)
                        + "."
                    ),
                    (call.frame.rule,),
                )
            )
        if area.quality_threshold is not None:
            threshold = f"{area.quality_threshold:g}"
            if not is_english(language):
                threshold = threshold.replace(".", ",")
            lines.append(
                Line(
                    phrase(
                        pick(
                            language,
                            f"Bare prosjekter med god nok kvalitet får tilskudd: minst {threshold} poeng i samlet "
                            f"vurdering. Får ingen søknad nok poeng, deles det ikke ut midler i dette området.",
                            f"Only projects of good enough quality get a grant: at least {threshold} points overall. "
                            f"If no application scores enough, no funds are given in this area.",
                        )
                    ),
                )  # the schema gives the threshold no rule id of its own; the area's notes carry it
            )
        if area.co_assessors:
            lines.append(
                Line(
                    phrase(
                        pick(language, "Vurderes sammen med ", "Assessed together with ")
                        + join_words([text_in(call.grantor.name, language), *area.co_assessors], language)
                        + "."
                    )
                )
            )
        tables: tuple[Table, ...] = ()
        if area.criteria:
            tables = (
                criteria_table(
                    area.criteria,
                    pick(language, "Vurderingskriterier for dette området", "Assessment criteria for this area"),
                    language,
                ),
            )
        children.append(Block(f"omrade-{area.id}", text_in(area.title, language), tuple(lines), tables))
    return Block("omrader", heading, (Line(phrase(selection), (areas.rule,)),), (), tuple(children))
