"""The section on who may apply (*hvem kan søke*)."""

from __future__ import annotations

from tilskudd.calls.presentation.pages import Block, Line
from tilskudd.calls.presentation.words import applicant_types_text, note_line, text_in
from tilskudd.core.phrases import phrase
from tilskudd.core.text import is_english, pick, upper_first
from tilskudd.rules.messages import PRESENCE_NAMES
from tilskudd.rules.schema import CallDefinition


def eligibility_block(call: CallDefinition, language: str | None) -> Block:
    rules = call.eligibility
    lines = [
        Line(
            phrase(
                pick(language, "Disse kan søke: ", "These may apply: ")
                + applicant_types_text(rules.applicant_types.allowed, language)
                + "."
            ),
            (rules.applicant_types.rule,),
        )
    ]
    if rules.allow_list:
        allow = rules.allow_list
        details = tuple(
            phrase(
                f"{allow.names[number]} ({pick(language, 'org.nr.', 'org. no.')} {number})"
                if number in allow.names
                else f"{pick(language, 'Org.nr.', 'Org. no.')} {number}"
            )
            for number in allow.org_numbers
        )
        lines.append(
            Line(
                phrase(pick(language, "Bare disse organisasjonene kan søke:", "Only these organisations may apply:")),
                (allow.rule,),
                details,
            )
        )
        if allow.note:
            lines.append(Line(phrase(text_in(allow.note, language)), (allow.rule,)))
    if rules.voluntary_register and rules.voluntary_register.required:
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Søkeren må være registrert i Frivillighetsregisteret.",
                        "The applicant must be registered in the Register of Non-Profit Organisations "
                        "(Frivillighetsregisteret).",
                    )
                ),
                (rules.voluntary_register.rule,),
            )
        )
    if rules.minimum_age:
        years = rules.minimum_age.years
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Organisasjonen må ha eksistert i minst {years} år på datoen søknaden sendes.",
                        f"The organisation must have existed for at least {years} years on the date of application.",
                    )
                ),
                (rules.minimum_age.rule,),
            )
        )
    if rules.national_presence:
        presence = rules.national_presence
        index = 1 if is_english(language) else 0
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Organisasjonen må være landsdekkende. Den må ha minst ett av dette i minst "
                        f"{presence.min_counties} fylker:",
                        f"The organisation must be national. It must have at least one of the following in at least "
                        f"{presence.min_counties} counties:",
                    )
                ),
                (presence.rule,),
                tuple(
                    phrase(upper_first(PRESENCE_NAMES.get(kind.value, (kind.value, kind.value))[index]))
                    for kind in presence.any_of
                ),
            )
        )
    if rules.joint:
        joint = rules.joint
        if joint.allowed:
            sentence = pick(
                language,
                "Flere kan søke sammen i én felles søknad",
                "Several applicants may apply together in one joint application",
            )
            if joint.member_types:
                sentence += pick(language, " (", " (") + applicant_types_text(joint.member_types, language) + ")"
            sentence += "."
            if joint.lead_signs:
                sentence += pick(
                    language,
                    " Hovedsøkeren tar prosjektansvaret, signerer og sender inn søknaden.",
                    " The lead applicant takes responsibility for the project, signs and submits the application.",
                )
        else:
            sentence = pick(
                language, "Det er ikke mulig å søke sammen med andre.", "Joint applications are not allowed."
            )
        lines.append(Line(phrase(sentence), (joint.rule,)))
    lines += [note_line(note, language) for note in rules.notes]
    return Block("hvem-kan-soke", pick(language, "Hvem kan søke", "Who may apply"), tuple(lines))
