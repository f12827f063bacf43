"""«Kort om tilskuddet»: the call in five lines at the top of its page (issue #13, point 3).

Who can apply, for what, how much, by when and how — each from the call file, in words an applicant reads
without the rest of the page: the deadline as a date and time in Norwegian time, the amounts as the checks
on the amount applied for and the budget state them, the signing as the signing rule says it.
"""

from __future__ import annotations

from tilskudd.calls.presentation.pages import Fact
from tilskudd.calls.presentation.words import applicant_types_text, format_frame, text_in
from tilskudd.core.formatting import format_nok
from tilskudd.core.phrases import Phrase, phrase
from tilskudd.core.phrases import datetime_moment as format_datetime
from tilskudd.core.text import join_words, lower_first, pick, upper_first
from tilskudd.rules.schema import AmountCheck, BudgetTotalCheck, CallDefinition

#: The short verbs of the signing rule (after_grant.signing_block says the same at length).
_SIGN_VERBS = {"sign": ("signeres", "sign"), "confirm": ("bekreftes", "confirm"), "approve": ("godkjennes", "approve")}


def short_facts(call: CallDefinition, language: str | None) -> tuple[Fact, ...]:
    """The five lines: who, what for, how much, by when, how."""
    return (
        Fact(pick(language, "Hvem kan søke", "Who can apply"), _who(call, language)),
        Fact(pick(language, "Hva dere kan få tilskudd til", "What the grant is for"), _what(call, language)),
        Fact(pick(language, "Hvor mye", "How much"), _how_much(call, language)),
        Fact(pick(language, "Søknadsfrist", "Deadline"), _by_when(call, language)),
        Fact(pick(language, "Slik søker dere", "How to apply"), _how(call, language)),
    )


def _who(call: CallDefinition, language: str | None) -> Phrase:
    return phrase(upper_first(applicant_types_text(call.eligibility.applicant_types.allowed, language)) + ".")


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    for end in (". ", "? ", "! "):
        if end in text:
            text = text.split(end, 1)[0] + end.strip()
            break
    return text if text.endswith((".", "?", "!")) else text + "."


def _what(call: CallDefinition, language: str | None) -> Phrase:
    text = text_in(call.summary, language) or text_in(call.purpose, language)
    return (
        phrase(_first_sentence(text))
        if text
        else phrase(pick(language, "Se formålet nedenfor.", "See the purpose below."))
    )


def _how_much(call: CallDefinition, language: str | None) -> Phrase:
    lowest = highest = None
    budget_max = None
    for check in call.checks:
        if check.when is not None:
            continue
        if isinstance(check, AmountCheck):
            lowest, highest = check.min or lowest, check.max or highest
        elif isinstance(check, BudgetTotalCheck) and check.max is not None:
            budget_max = check.max
    parts = []
    if lowest is not None and highest is not None:
        parts.append(
            pick(
                language,
                f"Dere kan søke om fra {format_nok(lowest, language)} til {format_nok(highest, language)}",
                f"You can apply for {format_nok(lowest, language)} to {format_nok(highest, language)}",
            )
        )
    elif lowest is not None:
        parts.append(
            pick(
                language,
                f"Dere må søke om minst {format_nok(lowest, language)}",
                f"Apply for at least {format_nok(lowest, language)}",
            )
        )
    elif highest is not None:
        parts.append(
            pick(
                language,
                f"Dere kan søke om høyst {format_nok(highest, language)}",
                f"Apply for at most {format_nok(highest, language)}",
            )
        )
    if budget_max is not None:
        parts.append(
            pick(
                language,
                f"prosjektets budsjett kan være høyst {format_nok(budget_max, language)} per år",
                f"the project's budget may be at most {format_nok(budget_max, language)} a year",
            )
        )
    frame = call.frame
    if frame.amount is not None:
        parts.append(
            pick(
                language,
                f"i alt fordeles {format_frame(frame.amount, frame.up_to, language)}",
                f"{format_frame(frame.amount, frame.up_to, language)} is shared out in all",
            )
        )
    if not parts:
        return phrase(
            pick(
                language,
                "Utlysningen oppgir ikke noe beløp. Søk om det prosjektet trenger.",
                "The call states no amount. Apply for what the project needs.",
            )
        )
    return phrase(upper_first(join_words(parts, language, last="and")) + ".")


def _by_when(call: CallDefinition, language: str | None) -> Phrase:
    return phrase(
        format_datetime(call.deadline.instant, language),
        pick(
            language,
            " norsk tid. Søknaden må være sendt inn før dette.",
            " Norwegian time. The application must be sent before then.",
        ),
    )


def _how(call: CallDefinition, language: str | None) -> Phrase:
    signing = call.signing
    roles = join_words((lower_first(text_in(role, language)) for role in signing.roles), language, last="or")
    verb = _SIGN_VERBS.get(signing.verb, _SIGN_VERBS["sign"])
    grantor = text_in(call.grantor.name, language)
    return phrase(
        pick(
            language,
            f"Dere søker hos {grantor}. Logg inn, fyll ut søknadsskjemaet på denne nettsiden og send det inn. Dere kan lagre og fortsette senere. "
            f"Søknaden må {verb[0]} av {roles} før den sendes.",
            f"You apply to {grantor}. Log in, fill in the application form on this site and send it. You can save and come back later. "
            f"The {roles} must {verb[1]} it before it is sent.",
        )
    )
