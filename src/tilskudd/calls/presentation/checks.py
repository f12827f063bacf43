"""The checks the rule engine runs, in words: one sentence per check, with its rule id.

How each kind of check is worded, and where on the page, is found by the check's kind in
:data:`WORDINGS` and :data:`PLACES` (:class:`~tilskudd.rules.registry.Registry`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from tilskudd.calls.presentation.conditions import describe_condition, path_words
from tilskudd.calls.presentation.pages import Line
from tilskudd.calls.presentation.words import as_sentence, text_in
from tilskudd.core.formatting import format_fraction, format_nok, format_number
from tilskudd.core.phrases import Phrase, phrase
from tilskudd.core.phrases import date_moment as format_date
from tilskudd.core.text import is_english, join_words, pick, quote, upper_first
from tilskudd.rules.messages import PARTNER_FIELD_NAMES
from tilskudd.rules.reference import g_on
from tilskudd.rules.registry import Registry
from tilskudd.rules.schema import (
    CHECK_KINDS,
    OSLO,
    AmountCheck,
    AttachmentCheck,
    BudgetBalanceCheck,
    BudgetTotalCheck,
    CallDefinition,
    ConfirmationCheck,
    FundingSourcesCheck,
    OwnContributionCheck,
    PartnerCheck,
    ProjectPeriodCheck,
    RangeCheck,
    StipendCapCheck,
)


class Place(Enum):
    """Where on the call page a check is described."""

    #: Under 'Budsjett', with the kinds of cost.
    BUDGET = "budget"
    #: Under its priority area when its condition names areas, else under 'Andre krav til søknaden'.
    CONTENT = "content"


#: Where each kind of check is described on the call page.
PLACES: Registry[Place] = Registry("placed on the call page (calls/presentation/checks.py)", CHECK_KINDS)
_BUDGET_KINDS: tuple[type, ...] = (
    AmountCheck,
    BudgetTotalCheck,
    OwnContributionCheck,
    FundingSourcesCheck,
    BudgetBalanceCheck,
    StipendCapCheck,
)
_CONTENT_KINDS: tuple[type, ...] = (RangeCheck, PartnerCheck, AttachmentCheck, ConfirmationCheck, ProjectPeriodCheck)
for _kind in _BUDGET_KINDS:
    PLACES.add(_kind, Place.BUDGET)
for _kind in _CONTENT_KINDS:
    PLACES.add(_kind, Place.CONTENT)


def is_budget_check(check) -> bool:
    """Whether the call page describes ``check`` in the budget section."""
    return PLACES.for_(check) is Place.BUDGET


#: How a kind of check is worded: the check, the call, the language and the list of details
#: (to append to) in; the sentence, without its condition and full stop, out.
Wording = Callable[[Any, CallDefinition, "str | None", list[Phrase]], str]

#: How each kind of check is worded on the call page.
WORDINGS: Registry[Wording] = Registry("worded on the call page (calls/presentation/checks.py)", CHECK_KINDS)


def _bounds(minimum: str | None, maximum: str | None, language: str | None) -> str:
    if minimum is not None and maximum is not None:
        return pick(language, f"mellom {minimum} og {maximum}", f"between {minimum} and {maximum}")
    if minimum is not None:
        return pick(language, f"minst {minimum}", f"at least {minimum}")
    return pick(language, f"høyst {maximum}", f"at most {maximum}")


def _with_condition(sentence: str, condition: str) -> str:
    return as_sentence(f"{sentence} {condition}" if condition else sentence)


def describe_check(check, call: CallDefinition, language: str | None, *, skip_areas: bool = False) -> Line:
    """One check the rule engine runs, as a sentence with its rule id."""
    when = describe_condition(check.when, call, language, skip_areas=skip_areas)
    details: list[Phrase] = []
    wording = WORDINGS.get(check)
    if wording is not None:
        sentence = wording(check, call, language, details)
    elif check.message:  # a check kind added to the schema later: its own message says what it demands
        sentence = text_in(check.message, language).rstrip(".")
    else:
        sentence = pick(language, f"Regelen kontrolleres ({check.kind})", f"This rule is checked ({check.kind})")
    if check.severity == "warning":
        details.append(
            phrase(
                pick(
                    language,
                    "Brudd på dette gir en advarsel, ikke en feil.",
                    "Breaking this gives a warning, not an error.",
                )
            )
        )
    return Line(phrase(_with_condition(sentence, when)), (check.rule,), tuple(details))


@WORDINGS.register(RangeCheck)
def _range(check: RangeCheck, call: CallDefinition, language: str | None, details: list[Phrase]) -> str:
    label = text_in(call.field_label(check.field), language)
    low = format_number(check.min, language) if check.min is not None else None
    high = format_number(check.max, language) if check.max is not None else None
    return f"{upper_first(label)} {pick(language, 'må være', 'must be')} {_bounds(low, high, language)}"


@WORDINGS.register(PartnerCheck)
def _partner(check: PartnerCheck, call: CallDefinition, language: str | None, details: list[Phrase]) -> str:
    label = text_in(check.label, language)
    if check.min_count > 1:
        sentence = pick(
            language,
            f"Søknaden må ha med minst {check.min_count} av denne typen samarbeidspartner: {label}",
            f"The application must name at least {check.min_count} partners of this kind: {label}",
        )
    else:
        sentence = pick(
            language,
            f"Søknaden må ha med en samarbeidspartner: {label}",
            f"The application must name a partner: {label}",
        )
    if check.require_fields:
        index = 1 if is_english(language) else 0
        names = [PARTNER_FIELD_NAMES.get(name, (name, name))[index] for name in check.require_fields]
        details.append(phrase(pick(language, "Oppgi for hver: ", "For each, give: ") + join_words(names, language)))
    for confirmation in check.require_confirmations.values():
        details.append(phrase(pick(language, "Bekreft: ", "Confirm: ") + text_in(confirmation, language)))
    if check.allowed_org_forms:
        details.append(
            phrase(
                pick(language, "Tillatte organisasjonsformer: ", "Allowed organisation forms: ")
                + ", ".join(check.allowed_org_forms)
            )
        )
    return sentence


@WORDINGS.register(AttachmentCheck)
def _attachment(check: AttachmentCheck, call: CallDefinition, language: str | None, details: list[Phrase]) -> str:
    label = quote(text_in(check.label, language), language)
    return pick(
        language, f"Vedlegget {label} må følge søknaden", f"The attachment {label} must come with the application"
    )


@WORDINGS.register(AmountCheck)
def _amount(check: AmountCheck, call: CallDefinition, language: str | None, details: list[Phrase]) -> str:
    low = format_nok(check.min, language) if check.min is not None else None
    high = format_nok(check.max, language) if check.max is not None else None
    return pick(language, "Dere må søke om ", "You must apply for ") + _bounds(low, high, language)


@WORDINGS.register(BudgetTotalCheck)
def _budget_total(check: BudgetTotalCheck, call: CallDefinition, language: str | None, details: list[Phrase]) -> str:
    low = format_nok(check.min, language) if check.min is not None else None
    high = format_nok(check.max, language) if check.max is not None else None
    per_year = pick(language, " per år", " a year") if check.per_year else ""
    return (
        pick(language, "Prosjektets samlede budsjett kan være ", "The project's total budget may be ")
        + _bounds(low, high, language)
        + per_year
    )


@WORDINGS.register(OwnContributionCheck)
def _own_contribution(
    check: OwnContributionCheck, call: CallDefinition, language: str | None, details: list[Phrase]
) -> str:
    sentence = pick(
        language,
        "Søknaden må vise en egenandel (det dere selv bidrar med)",
        "The application must show an own contribution (what you put in yourselves)",
    )
    if check.min_amount > 1:
        sentence += pick(language, " på minst ", " of at least ") + format_nok(check.min_amount, language)
    if check.in_kind_must_be_quantified:
        details.append(
            phrase(
                pick(
                    language,
                    "Egeninnsats i form av arbeid og annet som ikke er penger, må regnes om til kroner.",
                    "Contributions in kind, such as work, must be stated in NOK.",
                )
            )
        )
    return sentence


@WORDINGS.register(FundingSourcesCheck)
def _funding_sources(
    check: FundingSourcesCheck, call: CallDefinition, language: str | None, details: list[Phrase]
) -> str:
    count = (
        pick(language, "minst én finansieringskilde", "at least one funding source")
        if check.min_count == 1
        else pick(
            language, f"minst {check.min_count} finansieringskilder", f"at least {check.min_count} funding sources"
        )
    )
    return pick(
        language,
        f"Søknaden må vise hvordan prosjektet finansieres, med {count}",
        f"The application must show how the project is funded, with {count}",
    )


@WORDINGS.register(BudgetBalanceCheck)
def _budget_balance(
    check: BudgetBalanceCheck, call: CallDefinition, language: str | None, details: list[Phrase]
) -> str:
    sentence = pick(
        language,
        "Beløpet det søkes om kan ikke være høyere enn de samlede kostnadene i budsjettet",
        "The amount applied for cannot be higher than the total costs in the budget",
    )
    if check.financing and check.sources == "all":
        details.append(
            phrase(
                pick(
                    language,
                    "Finansieringskildene er hele finansieringsplanen: de må til sammen bli det samme som "
                    "kostnadene, og ta med både beløpet det søkes om og egenandelen.",
                    "The funding sources are the whole financing plan: together they must equal the costs, "
                    "and include both the amount applied for and the own contribution.",
                )
            )
        )
    elif check.financing:
        details.append(
            phrase(
                pick(
                    language,
                    "Finansieringsplanen må gå opp: beløpet det søkes om, egenandelen og annen finansiering "
                    "må til sammen bli det samme som kostnadene.",
                    "The financing plan must add up: the amount applied for, the own contribution and other "
                    "funding must together equal the costs.",
                )
            )
        )
    return sentence


@WORDINGS.register(ProjectPeriodCheck)
def _project_period(
    check: ProjectPeriodCheck, call: CallDefinition, language: str | None, details: list[Phrase]
) -> str:
    parts = []
    if check.max_years is not None:
        parts.append(
            pick(language, f"kan vare i høyst {check.max_years} år", f"may last at most {check.max_years} years")
            if check.max_years != 1
            else pick(language, "kan vare i høyst ett år", "may last at most one year")
        )
    if check.ends_by is not None:
        parts.append(pick(language, "må avsluttes senest ", "must end by ") + str(format_date(check.ends_by, language)))
    return pick(language, "Prosjektet ", "The project ") + join_words(parts, language)


@WORDINGS.register(StipendCapCheck)
def _stipend_cap(check: StipendCapCheck, call: CallDefinition, language: str | None, details: list[Phrase]) -> str:
    cap = format_fraction(check.g_per_participant_year, language)
    sentence = pick(
        language,
        f"Tilskuddet kan dekke høyst {cap} G i stipend per deltaker per år",
        f"The grant may cover at most {cap} G in stipends per participant a year",
    )
    if check.max_years is not None:
        years = format_fraction(check.max_years, language)
        details.append(
            phrase(
                pick(
                    language,
                    f"Stønaden regnes for høyst {years} år per deltaker.",
                    f"The stipend counts at most {years} year{'' if check.max_years == 1 else 's'} per participant.",
                )
            )
        )
    if check.participants_field is not None:
        details.append(
            phrase(
                pick(
                    language,
                    "Det kan ikke søkes om stønad for flere deltakere enn prosjektet har.",
                    "No stipend may be applied for more participants than the project has.",
                )
            )
        )
    details.append(g_explained(call, language))
    return sentence


@WORDINGS.register(ConfirmationCheck)
def _confirmation(check: ConfirmationCheck, call: CallDefinition, language: str | None, details: list[Phrase]) -> str:
    label = path_words(call, check.field, language)
    return pick(language, f"Dere må svare ja på {label}", f"You must answer yes to {label}")


def g_explained(call: CallDefinition, language: str | None) -> Phrase:
    day = call.deadline.instant.astimezone(OSLO).date()
    try:
        g = g_on(day)
    except LookupError:
        return phrase(pick(language, "G er grunnbeløpet i folketrygden.", "G is the National Insurance basic amount."))
    return phrase(
        pick(
            language,
            f"G er grunnbeløpet i folketrygden. Vi bruker G som gjaldt på søknadsfristen: "
            f"{format_nok(g.amount, language)} (fra ",
            f"G is the National Insurance basic amount. We use the G in force on the deadline: "
            f"{format_nok(g.amount, language)} (from ",
        ),
        format_date(g.valid_from, language),
        ").",
    )
