"""The call page, built from the definition: the facts and the sections in order, and the short sections at
the top and bottom (purpose, notes, readings).
"""

from __future__ import annotations

import datetime as dt

from tilskudd.calls.presentation.after_grant import after_grant_block, signing_block
from tilskudd.calls.presentation.areas import areas_block
from tilskudd.calls.presentation.assessment import assessment_block
from tilskudd.calls.presentation.budget import budget_block
from tilskudd.calls.presentation.complaints import complaints_block
from tilskudd.calls.presentation.contacts import contact_block
from tilskudd.calls.presentation.content import content_block
from tilskudd.calls.presentation.deadlines import deadline_block
from tilskudd.calls.presentation.eligibility import eligibility_block
from tilskudd.calls.presentation.frame import frame_block
from tilskudd.calls.presentation.pages import Block, CallPage, Fact, Line
from tilskudd.calls.presentation.summary import short_facts
from tilskudd.calls.presentation.words import applicant_types_text, format_frame, is_open, note_line, text_in
from tilskudd.core.phrases import Link, Part, phrase
from tilskudd.core.phrases import datetime_moment as format_datetime
from tilskudd.core.text import pick, upper_first
from tilskudd.rules.schema import CallDefinition


def call_page(call: CallDefinition, language: str | None, now: dt.datetime) -> CallPage:
    """Everything the call page says, built from the definition."""
    blocks = [
        purpose_block(call, language),
        frame_block(call, language),
        deadline_block(call, language, now),
        eligibility_block(call, language),
        areas_block(call, language),
        content_block(call, language),
        budget_block(call, language),
        assessment_block(call, language),
        signing_block(call, language),
        after_grant_block(call, language),
        complaints_block(call, language),
        contact_block(call, language),
        notes_block(call, language),
        readings_block(call, language),
        source_block(call, language),
    ]
    return CallPage(
        title=text_in(call.title, language),
        summary=text_in(call.summary, language),
        is_open=is_open(call.deadline.instant, now),
        facts=_facts(call, language),
        blocks=tuple(block for block in blocks if block is not None),
        short=short_facts(call, language),
    )


def _facts(call: CallDefinition, language: str | None) -> tuple[Fact, ...]:
    grantor = text_in(call.grantor.name, language)
    if call.local_grantors:
        count = len(call.local_grantors.municipalities)
        grantor += pick(language, f" og {count} kommuner", f" and {count} municipalities")
    return (
        Fact(pick(language, "Tilskuddsforvalter", "Grantor"), phrase(grantor)),
        Fact(pick(language, "Ramme", "Frame"), phrase(format_frame(call.frame.amount, call.frame.up_to, language))),
        Fact(pick(language, "Søknadsfrist", "Deadline"), phrase(format_datetime(call.deadline.instant, language))),
        Fact(
            pick(language, "Hvem kan søke", "Who may apply"),
            phrase(upper_first(applicant_types_text(call.eligibility.applicant_types.allowed, language))),
        ),
    )


def purpose_block(call: CallDefinition, language: str | None) -> Block | None:
    lines: list[Line] = []
    if call.purpose:
        lines.append(Line(phrase(text_in(call.purpose, language))))
    for note in call.target_groups:
        lines.append(note_line(note, language, term=pick(language, "Målgruppe", "Target group")))
    for note in call.legal_basis:
        lines.append(note_line(note, language, term=pick(language, "Hjemmel", "Legal basis")))
    if call.circular:
        lines.append(Line(phrase(call.circular), term=pick(language, "Rundskriv", "Circular")))
    if call.source and call.source.startswith(("http://", "https://")):
        lines.append(
            Line(phrase(Link(call.source, call.source)), term=pick(language, "Utlysningsteksten", "The call text"))
        )
    if not lines:
        return None
    return Block("formal", pick(language, "Formål", "Purpose"), tuple(lines))


def notes_block(call: CallDefinition, language: str | None) -> Block | None:
    if not call.notes:
        return None
    return Block(
        "andre-regler",
        pick(language, "Andre regler", "Other rules"),
        tuple(note_line(note, language) for note in call.notes),
        internal=True,
    )


def source_block(call: CallDefinition, language: str | None) -> Block | None:
    """Where the call file's rules come from: a file name or a web address, for the grantor's staff."""
    if not call.source:
        return None
    source: Part = Link(call.source, call.source) if call.source.startswith(("http://", "https://")) else call.source
    return Block(
        "kilde",
        pick(language, "Kilde", "Source"),
        (Line(phrase(source), term=pick(language, "Utlysningsteksten", "The call text")),),
        internal=True,
    )


def readings_block(call: CallDefinition, language: str | None) -> Block | None:
    if not call.readings:
        return None
    return Block(
        "tolkninger",
        pick(language, "Slik tolker vi utlysningen", "How we read the call"),
        tuple(Line(phrase(text_in(reading.text, language)), (reading.rule,)) for reading in call.readings),
        intro=pick(
            language,
            "Der utlysningsteksten kan forstås på flere måter, følger vi denne tolkningen:",
            "Where the call text can be understood in more than one way, we follow this reading:",
        ),
        internal=True,
    )
