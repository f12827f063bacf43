"""The section on the deadline (*søknadsfrist*, X-R01), the answer expected and a transition."""

from __future__ import annotations

import datetime as dt

from tilskudd.calls.presentation.pages import Block, Line
from tilskudd.calls.presentation.words import is_open, text_in
from tilskudd.core.phrases import Phrase, phrase
from tilskudd.core.phrases import date_moment as format_date
from tilskudd.core.phrases import datetime_moment as format_datetime
from tilskudd.core.text import pick
from tilskudd.rules.schema import OSLO, CallDefinition


def deadline_block(call: CallDefinition, language: str | None, now: dt.datetime) -> Block:
    deadline = call.deadline
    lines = [
        Line(
            phrase(
                pick(language, "Søknaden må være sendt inn senest ", "The application must be submitted by "),
                format_datetime(deadline.instant, language),
                pick(language, " (norsk tid).", " (Norwegian time)."),
            ),
            (deadline.rule,),
        )
    ]
    if not deadline.time_given:
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Utlysningsteksten oppgir ingen klokkeslett for fristen. "
                        "Vi regner derfor fristen til og med kl. 23:59:59 denne dagen.",
                        "The call text gives no time of day for the deadline, "
                        "so we count the deadline as running until 23:59:59 that day.",
                    )
                ),
                (deadline.rule,),
            )
        )
    elif deadline.instant.astimezone(OSLO).second == 59:
        # A call that writes «kl. 23.59» means the whole minute (issue #10, point 4): the file gives 23:59:59.
        minute = deadline.instant.astimezone(OSLO).strftime("%H.%M")
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Utlysningen oppgir fristen som kl. {minute}. Hele dette minuttet er med: "
                        f"en søknad som er sendt inn til og med kl. {minute.replace('.', ':')}:59, er i tide.",
                        f"The call gives the deadline as {minute}. The whole of that minute counts: "
                        f"an application submitted up to {minute.replace('.', ':')}:59 is on time.",
                    )
                ),
                (deadline.rule,),
            )
        )
    lines.append(
        Line(
            phrase(
                pick(
                    language,
                    "Det er klokken på vår server som avgjør om søknaden kom i tide, ikke klokken på din maskin. "
                    "En søknad som kommer for sent, blir ikke tatt imot.",
                    "Our server's clock decides whether an application is on time, not the clock on your device. "
                    "A late application is not accepted.",
                )
            ),
            ("X-R01",),
        )
    )
    if not is_open(deadline.instant, now):
        lines.append(Line(phrase(pick(language, "Søknadsfristen er ute.", "The deadline has passed."))))
    if call.answer_expected:
        lines.append(
            Line(phrase(text_in(call.answer_expected, language)), term=pick(language, "Svar", "Answer expected"))
        )
    if call.transition:
        transition = call.transition
        details: tuple[Phrase, ...] = ()
        if transition.finish_by:
            details = (
                phrase(
                    pick(language, "Prosjektet må være avsluttet innen ", "The project must be finished by "),
                    format_date(transition.finish_by, language),
                    ".",
                ),
            )
        lines.append(
            Line(
                phrase(text_in(transition.text, language)),
                (transition.rule,),
                details,
                term=pick(language, "Overgangsordning", "Transition"),
            )
        )
    return Block("frist", pick(language, "Søknadsfrist", "Deadline"), tuple(lines))
