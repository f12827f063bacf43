"""The arithmetic of assessment: totals, several assessors combined, disagreements.

Pure Python (no Django), so that it can be tested exactly and reused by the
allocation assistant. A criterion is anything with ``id``, ``weight`` and
``scale.min``/``scale.max`` (a :class:`tilskudd.rules.schema.Criterion`; a
criterion without an explicit scale has the schema's default 1–6, weight 1).

*Not applicable* (*ikke relevant*) is ``None``: it is left out of the total —
both its value and its weight — never counted as zero. A criterion missing
from an assessor's values is *not scored yet*, which is different from
not applicable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

#: Totals and means are kept to three decimals (the lock's column).
PLACES = Decimal("0.001")
#: Values on one criterion that differ by this many points or more are a disagreement.
POINTS_APART = 2
#: Proposed amounts where the largest is more than this share above the smallest are a disagreement.
AMOUNT_SHARE = Decimal("0.25")

Number = int | Decimal


class _Scale(Protocol):
    min: int
    max: int


class CriterionLike(Protocol):
    id: str
    weight: float
    scale: _Scale


def _decimal(value: Number | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def weighted_total(criteria: Iterable[CriterionLike], values: Mapping[str, Number | None]) -> Decimal | None:
    """Σ weight·value / Σ weight over the applicable criteria; None when none is applicable.

    A criterion that is not applicable (None) or not scored (missing) adds
    neither its value nor its weight. The result lies on the criteria's scale.
    """
    weighted = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        value = values.get(criterion.id)
        if value is None:
            continue
        weight = _decimal(criterion.weight)
        weighted += weight * _decimal(value)
        weights += weight
    if not weights:
        return None
    return _round(weighted / weights)


def in_scale(criterion: CriterionLike, value: Number | None) -> bool:
    """None (not applicable) or a value on the criterion's scale."""
    return value is None or criterion.scale.min <= value <= criterion.scale.max


@dataclass(frozen=True)
class Combined:
    """Several assessors together: per criterion the mean of the applicable values, and the total."""

    means: dict[str, Decimal | None]
    total: Decimal | None


def combine(criteria: Sequence[CriterionLike], assessments: Sequence[Mapping[str, Number | None]]) -> Combined:
    """Per criterion the mean of the values that are applicable (None if nobody found it applicable)."""
    means: dict[str, Decimal | None] = {}
    for criterion in criteria:
        applicable = [_decimal(a[criterion.id]) for a in assessments if a.get(criterion.id) is not None]
        means[criterion.id] = _round(sum(applicable, Decimal(0)) / len(applicable)) if applicable else None
    return Combined(means=means, total=weighted_total(criteria, means))


@dataclass(frozen=True)
class Disagreement:
    """Where assessors disagree: on one criterion (``criterion`` set) or on the amount (``criterion`` None)."""

    kind: str  # "points" | "applicability" | "amount"
    criterion: str | None
    #: The assessors' values, in the order given (None = not applicable; amounts for "amount").
    values: tuple[Number | None, ...] = field(default_factory=tuple)


def disagreements(
    criteria: Sequence[CriterionLike],
    assessments: Sequence[Mapping[str, Number | None]],
    proposed_amounts: Sequence[int | None] = (),
) -> list[Disagreement]:
    """The disagreements among assessors.

    * a criterion where one finds it not applicable and another scores it ("applicability");
    * a criterion where the scored values lie ``POINTS_APART`` (2) or more apart ("points");
    * proposed amounts where the largest is more than 25 % above the smallest ("amount";
      a zero beside anything positive counts).

    Criteria an assessor has not scored yet, and amounts not proposed, are left out.
    """
    found: list[Disagreement] = []
    for criterion in criteria:
        given = [a[criterion.id] for a in assessments if criterion.id in a]
        if len(given) < 2:
            continue
        scored = [v for v in given if v is not None]
        if scored and len(scored) < len(given):
            found.append(Disagreement("applicability", criterion.id, tuple(given)))
        elif len(scored) >= 2 and max(scored) - min(scored) >= POINTS_APART:
            found.append(Disagreement("points", criterion.id, tuple(given)))
    amounts = [a for a in proposed_amounts if a is not None]
    if len(amounts) >= 2:
        low, high = min(amounts), max(amounts)
        if high > low and (low == 0 or Decimal(high - low) / Decimal(low) > AMOUNT_SHARE):
            found.append(Disagreement("amount", None, tuple(amounts)))
    return found
