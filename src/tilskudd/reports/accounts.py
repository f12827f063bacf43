"""The accounts of a report (*regnskap*, issue #12 point 2): budget against actual, and the unused amount.

Pure arithmetic in whole kroner, no Django. The budget is the application's, as submitted: each cost line of
the grant's year (lines without a year count for it). The grantee gives the actual cost of each line, the
other income and the own contribution (*egenandel*) booked; then

    net costs = actual costs − other income − own contribution
    unused    = granted − net costs, never below 0 nor above the grant

— the part of the grant the project did not need, which the grantor may claim back (C1-R13, C2-R12). Costs
above what the grant and the other money cover are the grantee's own: they make no negative unused amount.

In a later year of a multi-year grant, part of the year's grant may be last year's unused money that the
grantor let the project keep (*overført fra i fjor*, C0-R26, C1-R12): consent raised the year's commitment by
it, so it is part of ``granted``, and ``carried_over`` shows it as the income it is — money the project already
holds — beside what is paid for the year (``paid_for_year``). The unused amount is the same sum either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BudgetLine:
    """One cost line of the application's budget: its place, category, description and amount."""

    index: int
    category: str
    description: str
    budget: int


@dataclass(frozen=True)
class AccountLine:
    category: str
    description: str
    budget: int
    actual: int

    @property
    def difference(self) -> int:
        """Actual less budget: above 0 spent more than planned."""
        return self.actual - self.budget


@dataclass(frozen=True)
class Accounts:
    granted: int
    lines: tuple[AccountLine, ...]
    other_income: int
    own_contribution: int
    #: Of ``granted``: last year's unused grant carried into this year by consent (never more than ``granted``).
    carried_over: int = 0

    @property
    def paid_for_year(self) -> int:
        """The part of the grant that is new money for the year: the grant less what was carried over."""
        return self.granted - self.carried_over

    @property
    def total_budget(self) -> int:
        return sum(line.budget for line in self.lines)

    @property
    def total_actual(self) -> int:
        return sum(line.actual for line in self.lines)

    @property
    def net_costs(self) -> int:
        """What the grant had to cover: the actual costs less the other income and the own contribution."""
        return self.total_actual - self.other_income - self.own_contribution

    @property
    def unused(self) -> int:
        """The grant less what it had to cover: 0 when the costs used it all (or more), the whole grant when the
        other income and own contribution covered every cost."""
        return min(self.granted, max(0, self.granted - self.net_costs))

    def as_dict(self) -> dict[str, Any]:
        """As stored on the report and hashed with it (the carried-over keys only where something was carried, so
        the stored form of every other report is as before)."""
        stored: dict[str, Any] = {
            "granted": self.granted,
            "lines": [
                {
                    "category": line.category,
                    "description": line.description,
                    "budget": line.budget,
                    "actual": line.actual,
                }
                for line in self.lines
            ],
            "other_income": self.other_income,
            "own_contribution": self.own_contribution,
            "total_budget": self.total_budget,
            "total_actual": self.total_actual,
            "net_costs": self.net_costs,
            "unused": self.unused,
        }
        if self.carried_over:
            stored.update(carried_over=self.carried_over, paid_for_year=self.paid_for_year)
        return stored


class AccountsError(ValueError):
    """An amount that is not whole kroner of 0 or more, or actual costs that do not match the budget's lines."""


def budget_lines(lines: Iterable[Any], year: int | None) -> list[BudgetLine]:
    """The cost lines for ``year`` (each with ``category``, ``description``, ``amount``, ``year``) in order."""
    chosen = [line for line in lines if year is None or getattr(line, "year", None) in (None, year)]
    return [
        BudgetLine(index, line.category, line.description or "", int(line.amount)) for index, line in enumerate(chosen)
    ]


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AccountsError(f"{what}: not whole kroner")
    if value < 0:
        raise AccountsError(f"{what}: below 0")
    return value


def compute(
    granted: int,
    budget: Sequence[BudgetLine],
    actual: Mapping[int, int],
    other_income: int,
    own_contribution: int,
    carried_over: int = 0,
) -> Accounts:
    """The accounts from the budget's lines and the actual cost of each (by the line's index); ``carried_over``
    is the part of ``granted`` carried from last year (cut to ``granted``: it cannot be more than the grant)."""
    if set(actual) != {line.index for line in budget}:
        raise AccountsError("the actual costs must be given for exactly the budget's lines")
    granted = _whole(granted, "granted")
    return Accounts(
        granted=granted,
        lines=tuple(
            AccountLine(line.category, line.description, line.budget, _whole(actual[line.index], line.category))
            for line in budget
        ),
        other_income=_whole(other_income, "other income"),
        own_contribution=_whole(own_contribution, "own contribution"),
        carried_over=min(granted, _whole(carried_over, "carried over")),
    )
