"""The section on how applications are assessed."""

from __future__ import annotations

from tilskudd.calls.presentation.areas import criteria_table
from tilskudd.calls.presentation.pages import Block, Line
from tilskudd.calls.presentation.words import note_line, text_in
from tilskudd.core.phrases import phrase
from tilskudd.core.text import pick
from tilskudd.rules.schema import CallDefinition


def assessment_block(call: CallDefinition, language: str | None) -> Block:
    assessment = call.assessment
    lines: list[Line] = []
    scales = {(c.scale.min, c.scale.max) for c in assessment.criteria}
    if len(scales) == 1:
        low, high = scales.pop()
        labels = assessment.criteria[0].scale.labels
        details = tuple(phrase(f"{score} = {text_in(labels[score], language)}") for score in sorted(labels))
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Hvert kriterium får en poengsum fra {low} til {high}. "
                        "Vekten sier hvor mye kriteriet teller i den samlede vurderingen.",
                        f"Each criterion gets a score from {low} to {high}. "
                        "The weight says how much the criterion counts in the overall assessment.",
                    )
                ),
                details=details,
            )
        )
    if call.areas and any(area.criteria for area in call.areas.items):
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Noen områder har egne kriterier; de står under området. Ellers gjelder kriteriene her.",
                        "Some areas have their own criteria, shown under the area. Otherwise these apply.",
                    )
                )
            )
        )
    if assessment.grant_size:
        lines.append(
            note_line(assessment.grant_size, language, term=pick(language, "Tilskuddets størrelse", "Grant size"))
        )
    lines += [note_line(note, language) for note in assessment.notes]
    table = criteria_table(assessment.criteria, pick(language, "Vurderingskriterier", "Assessment criteria"), language)
    return Block(
        "vurdering", pick(language, "Slik vurderer vi søknadene", "How we assess applications"), tuple(lines), (table,)
    )
