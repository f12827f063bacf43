"""The payment plan (*utbetalingsplan*) of a grant, from the call file (issue #11, point 3).

Pure: the call's ``payment`` section, the amount and the year in, the terms out. One term unless the call says
more; C2-R10 pays a grant over NOK 30 000 in two terms, spring and autumn. Amounts are whole kroner that add
up exactly to the grant (the odd kroner in the first terms). The spring term falls due when the grantee
accepts; the autumn term not before its season's first day (``SEASON_START``, Europe/Oslo dates) — the
reading is recorded in docs/decisions.md («Payment plan»).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tilskudd.rules.schema import CallDefinition, PaymentTrigger

#: The first day of each season a term may fall due in (month, day).
SEASON_START = {"spring": (1, 1), "autumn": (9, 1)}


@dataclass(frozen=True)
class PlannedTerm:
    number: int
    amount: int
    season: str = ""
    earliest: dt.date | None = None


def split(amount: int, terms: int) -> list[int]:
    """``amount`` in ``terms`` equal parts in whole kroner, the odd kroner in the first terms."""
    base, rest = divmod(amount, terms)
    return [base + (1 if index < rest else 0) for index in range(terms)]


def term_count(definition: CallDefinition, amount: int) -> tuple[int, list[str]]:
    """How many terms a grant of ``amount`` is paid in, and their seasons (empty where the call names none)."""
    payment = definition.payment
    if payment.two_terms_threshold is not None and amount > payment.two_terms_threshold:
        return payment.terms_above_threshold, list(payment.schedule)
    return payment.terms, []


#: The most terms a caseworker may set where the call leaves the plan to the letter.
MAX_DECIDED_TERMS = 4


def decided(amount: int, terms: int, dates: list[dt.date | None]) -> list[PlannedTerm]:
    """The caseworker's plan: ``terms`` equal terms, each after the first not before its date (None: on acceptance)."""
    return [
        PlannedTerm(number=index + 1, amount=part, earliest=dates[index - 1] if 0 < index <= len(dates) else None)
        for index, part in enumerate(split(amount, terms))
    ]


def plan(
    definition: CallDefinition,
    amount: int,
    year: int,
    terms: int | None = None,
    dates: list[dt.date | None] | None = None,
) -> list[PlannedTerm]:
    """The terms of a grant of ``amount`` in ``year`` (a grant of 0 has none): the caseworker's plan where the call
    leaves it to the letter and the decision sets one (``terms``, ``dates``), else the call's."""
    if amount <= 0:
        return []
    if terms and definition.payment.plan_in_decision:
        return decided(amount, terms, list(dates or []))
    count, seasons = term_count(definition, amount)
    planned = []
    for index, part in enumerate(split(amount, count)):
        season = seasons[index] if index < len(seasons) else ""
        earliest = None
        if season and index > 0:
            month, day = SEASON_START[season]
            earliest = dt.date(year, month, day)
        planned.append(PlannedTerm(number=index + 1, amount=part, season=season, earliest=earliest))
    return planned


def due_on(earliest: dt.date | None, trigger_day: dt.date) -> dt.date:
    """The day a term falls due: the day of its trigger (acceptance or decision), not before its season."""
    return max(trigger_day, earliest) if earliest else trigger_day


def pays_on_decision(definition: CallDefinition) -> bool:
    return definition.payment.trigger == PaymentTrigger.ON_DECISION


def decision_plan(decision) -> list[PlannedTerm]:
    """The plan a decision gives (its own where the caseworker set one, else the call's)."""
    definition = decision.application.call_version.parsed()
    dates = [dt.date.fromisoformat(d) if d else None for d in (decision.payment_dates or [])]
    return plan(definition, decision.amount, definition.year, decision.payment_terms, dates)
