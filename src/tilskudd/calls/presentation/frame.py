"""The section on the frame (*ramme*): the amount, last year's, the local grantors' share, per area."""

from __future__ import annotations

from tilskudd.calls.presentation.conditions import area_label
from tilskudd.calls.presentation.pages import Block, Line, Row, Table
from tilskudd.calls.presentation.words import format_frame, text_in
from tilskudd.core.formatting import format_nok, format_percent
from tilskudd.core.phrases import phrase
from tilskudd.core.text import join_words, lower_first, pick, upper_first
from tilskudd.rules.schema import CallDefinition


def frame_block(call: CallDefinition, language: str | None) -> Block:
    frame = call.frame
    lines: list[Line] = []
    if frame.amount is not None:
        lines.append(
            Line(
                phrase(
                    pick(language, "Rammen for utlysningen er ", "The frame for this call is ")
                    + format_frame(frame.amount, frame.up_to, language)
                    + "."
                ),
                (frame.rule,),
            )
        )
    else:
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Utlysningen oppgir ikke rammen som et beløp.",
                        "The call does not state its frame as an amount.",
                    )
                ),
                (frame.rule,),
            )
        )
    if frame.previous_year_amount is not None:
        lines.append(
            Line(
                phrase(
                    pick(language, f"I {call.year - 1} var rammen ", f"In {call.year - 1} the frame was ")
                    + format_nok(frame.previous_year_amount, language)
                    + "."
                ),
                (frame.rule,),
            )
        )
    if frame.note:
        lines.append(Line(phrase(text_in(frame.note, language)), (frame.rule,)))
    local = call.local_grantors
    if local:
        names = sorted(text_in(m.name, language) for m in local.municipalities)
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"{format_percent(local.share_percent, language)} av midlene i ordningen fordeles av "
                        f"{len(names)} kommuner, som lyser ut midlene lokalt med egne frister og kontaktpersoner: "
                        f"{join_words(names, language)}.",
                        f"{format_percent(local.share_percent, language)} of the scheme's funds are allocated by "
                        f"{len(names)} municipalities, which run their own local calls with their own deadlines "
                        f"and contacts: {join_words(names, language)}.",
                    )
                ),
                (local.rule,),
            )
        )
        if local.note:
            lines.append(Line(phrase(text_in(local.note, language)), (local.rule,)))
    tables: list[Table] = []
    if frame.area_amounts:
        label = upper_first(area_label(call, language))
        rows = []
        for area_id, amount in frame.area_amounts.items():
            area = call.area(area_id)
            share = format_percent(100 * amount / frame.amount, language) if frame.amount else "–"
            rows.append(
                Row(
                    (
                        phrase(text_in(area.title, language) if area else area_id),
                        phrase(format_nok(amount, language)),
                        phrase(share),
                    ),
                    (frame.rule,),
                )
            )
        tables.append(
            Table(
                pick(language, f"Rammen fordelt per {lower_first(label)}", f"The frame by {lower_first(label)}"),
                (label, pick(language, "Beløp", "Amount"), pick(language, "Andel av rammen", "Share of the frame")),
                tuple(rows),
            )
        )
    return Block("ramme", pick(language, "Ramme", "Frame"), tuple(lines), tuple(tables))
