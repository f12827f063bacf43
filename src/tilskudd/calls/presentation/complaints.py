"""The section on complaints (*klage*)."""

from __future__ import annotations

from tilskudd.calls.presentation.pages import Block, Line, Row, Table
from tilskudd.calls.presentation.words import DECISION_KIND_NAMES, GRANTOR_KIND_NAMES, as_sentence, rule_ids, text_in
from tilskudd.core.phrases import Phrase, phrase
from tilskudd.core.text import is_english, lower_first, pick
from tilskudd.rules.schema import CallDefinition


def complaint_words(right, language: str | None) -> Phrase:
    """'Ja, innen 3 uker. Sendes til IMDi. Avgjøres av …' or 'Nei.'"""
    if not right.allowed:
        return phrase(pick(language, "Nei.", "No."))
    weeks = right.deadline_weeks
    words = pick(
        language,
        f"Ja, innen {weeks} uker etter at dere fikk vedtaket.",
        f"Yes, within {weeks} weeks of receiving the decision.",
    )
    if right.sent_to:
        words += pick(language, " Klagen sendes til ", " Send the complaint to ") + as_sentence(
            lower_first(text_in(right.sent_to, language))
        )
    if right.decided_by:
        words += pick(language, " Klagen avgjøres av ", " Decided by ") + as_sentence(
            text_in(right.decided_by, language)
        )
    return phrase(words)


def complaints_block(call: CallDefinition, language: str | None) -> Block:
    complaints = call.complaints
    index = 1 if is_english(language) else 0
    rows = []
    for kind in ("allocation", "refusal", "rejection"):
        right = getattr(complaints, kind)
        rows.append(
            Row(
                (
                    phrase(DECISION_KIND_NAMES[kind][index]),
                    complaint_words(right, language),
                    phrase(text_in(right.legal_reference, language)),
                ),
                (right.rule,),
            )
        )
    table = Table(
        pick(language, "Kan dere klage på vedtaket?", "Can you appeal the decision?"),
        (
            pick(language, "Vedtak", "Decision"),
            pick(language, "Klageadgang", "Right to complain"),
            pick(language, "Hjemmel", "Legal basis"),
        ),
        tuple(rows),
    )
    lines = []
    allowed_rules = rule_ids(
        *(getattr(complaints, k).rule for k in ("allocation", "refusal", "rejection") if getattr(complaints, k).allowed)
    )
    for kind, body in complaints.decided_by_grantor_kind.items():
        # The call file says who decides as a whole sentence («IMDi er klageinstans for …»), as the decision
        # letter prints it (grants.decisions.letters.complaint_facts); it is not the end of a sentence of ours.
        lines.append(
            Line(
                phrase(as_sentence(text_in(body, language))),
                allowed_rules,
                term=pick(
                    language,
                    f"Vedtak gjort av {GRANTOR_KIND_NAMES[kind][0]}",
                    f"Decisions made by {GRANTOR_KIND_NAMES[kind][1]}",
                ),
            )
        )
    return Block("klage", pick(language, "Klage", "Complaints"), tuple(lines), (table,))
