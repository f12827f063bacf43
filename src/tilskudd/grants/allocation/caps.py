"""Caps (*tak*): the most an application can be given, within the call's checks.

How each kind of check caps the amount is found by the check's kind in :data:`CAPS`
(:class:`~tilskudd.rules.registry.Registry`): one entry per kind in
:data:`~tilskudd.rules.schema.CHECK_KINDS`, and a kind that does not cap has the
explicit entry :func:`no_cap`. ``tests/rules/test_registry.py`` holds :data:`CAPS` to
every kind, so a new kind of check without an entry here fails there.

Public API: :func:`cap_of` and :class:`Cap`; :func:`stipend_cap`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tilskudd.applications.models import Application
from tilskudd.casework.facts import applied_for
from tilskudd.core.cache import BoundedCache
from tilskudd.core.formatting import format_nok, format_number
from tilskudd.rules.application import Application as Exchange
from tilskudd.rules.plan import compile_condition, stipend_participants
from tilskudd.rules.plan import stipend_cap as engine_stipend_cap
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

__all__ = ["CAPS", "Cap", "Capping", "cap_of", "no_cap", "stipend_cap"]


def stipend_cap(check: StipendCapCheck, definition, stipend, participants: Any = None) -> int:
    """The largest stipend the engine accepts (C0-R18/C0-R19), with the G in force on the call's deadline."""
    deadline_day = definition.deadline.instant.astimezone(OSLO).date()
    return engine_stipend_cap(check, stipend, g_on(deadline_day).amount, participants)


@dataclass(frozen=True)
class Cap:
    amount: int
    minimum: int = 0
    reason_nb: str = ""
    reason_en: str = ""
    minimum_rule: str = ""


@dataclass
class Capping:
    """The cap so far, while the call's checks are gone through in their order."""

    definition: CallDefinition
    exchange: Exchange
    #: The amount applied for.
    applied: int
    #: The most so far (starts at the amount applied).
    amount: int
    minimum: int = 0
    minimum_rule: str = ""
    #: Why the amount was lowered, (bokmål, English), in the order of the checks.
    reasons: list[tuple[str, str]] = field(default_factory=list)

    def lower(self, amount: int, reason_nb: str, reason_en: str) -> None:
        self.amount = amount
        self.reasons.append((reason_nb, reason_en))

    def cap(self) -> Cap:
        return Cap(
            max(self.amount, 0),
            self.minimum,
            "; ".join(nb for nb, _ in self.reasons),
            "; ".join(en for _, en in self.reasons),
            self.minimum_rule,
        )


#: How a kind of check caps the amount: the check (which applies) and the cap so far in; the cap lowered in place.
Capper = Callable[[Any, Capping], None]

#: How each kind of check caps the amount an application can be given.
CAPS: Registry[Capper] = Registry("capped in allocation (grants/allocation/caps.py)", CHECK_KINDS)


def no_cap(check: Any, capping: Capping) -> None:
    """The kind of check says nothing about how much an application can be given."""


for _kind in (
    RangeCheck,
    PartnerCheck,
    AttachmentCheck,
    OwnContributionCheck,
    FundingSourcesCheck,
    ConfirmationCheck,
    ProjectPeriodCheck,
):
    CAPS.add(_kind, no_cap)


def _at_most(capping: Capping, most: int | None, rule: str, per_nb: str, per_en: str) -> None:
    """Lower the cap to a check's maximum, when there is one below it: «høyst 500 000 kr per søker, C0-R07»."""
    if most is not None and most < capping.amount:
        capping.lower(
            most,
            f"høyst {format_number(most)} kr {per_nb}, {rule}",
            f"at most {format_nok(most, 'en')} {per_en}, {rule}",
        )


@CAPS.register(AmountCheck)
def cap_amount(check: AmountCheck, capping: Capping) -> None:
    _at_most(capping, check.max, check.rule, "per søker", "per applicant")
    if check.min:
        capping.minimum, capping.minimum_rule = max(capping.minimum, check.min), check.rule


@CAPS.register(BudgetTotalCheck)
def cap_budget_total(check: BudgetTotalCheck, capping: Capping) -> None:
    _at_most(capping, check.max, check.rule, "per år", "a year")


@CAPS.register(BudgetBalanceCheck)
def cap_budget_balance(check: BudgetBalanceCheck, capping: Capping) -> None:
    """No more than the project's total costs (issue #10, point 7)."""
    costs = capping.exchange.budget.total_costs
    if capping.exchange.budget.lines and costs < capping.amount:
        capping.lower(
            costs,
            f"høyst kostnadene, {format_number(costs)} kr, {check.rule}",
            f"at most the costs, {format_nok(costs, 'en')}, {check.rule}",
        )


@CAPS.register(StipendCapCheck)
def cap_stipend(check: StipendCapCheck, capping: Capping) -> None:
    stipend = capping.exchange.budget.stipend
    if stipend is None:
        return
    most = stipend_cap(check, capping.definition, stipend, stipend_participants(check, capping.exchange))
    if stipend.amount_applied > most:
        cut = capping.applied - (stipend.amount_applied - most)
        if cut < capping.amount:
            capping.lower(
                max(cut, 0),
                f"stønaden er høyst {format_number(most)} kr for disse deltakerne, {check.rule}",
                f"the stipend is at most {format_nok(most, 'en')} for these participants, {check.rule}",
            )


def _applies(check, exchange: Exchange) -> bool:
    if check.when is None:
        return True
    areas, test = compile_condition(check.when)
    if areas is not None and not (areas & set(exchange.areas)):
        return False
    return test is None or bool(test(exchange))


#: Caps already worked out in this process, by what they depend on alone (issue #14, point 4: parsing each row's
#: submitted application took ~3 ms of the allocation page's ~55 ms of CPU per row of 50). Never stale: a changed
#: application, amount or call version is another key.
_CAPS: BoundedCache[Cap] = BoundedCache(20_000)


def _cap_key(application: Application, applied: int) -> tuple:
    content = json.dumps(application.submitted_content, sort_keys=True, separators=(",", ":"), default=str)
    return (application.pk, application.call_version_id, applied, hashlib.blake2b(content.encode()).hexdigest())


def cap_of(application: Application) -> Cap:
    """The most ``application`` can get in the call's year: the amount applied, within the call's checks."""
    applied = applied_for(application)
    key = _cap_key(application, applied)
    found = _CAPS.get(key)
    if found is None:
        found = _CAPS.put(key, _work_out_cap(application, applied))
    return found


def _work_out_cap(application: Application, applied: int) -> Cap:
    definition = application.call_version.parsed()
    try:
        exchange = application.submitted()
    except ValueError:
        exchange = None
    if exchange is None:
        return Cap(applied)
    capping = Capping(definition, exchange, applied, applied)
    for check in definition.checks:
        if _applies(check, exchange):
            CAPS.for_(check)(check, capping)
    return capping.cap()
