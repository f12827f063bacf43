"""The allocation assistant (*fordelingsassistent*): a mixed-integer programme, pure Python.

Given the applications of a call (items) and the frames they count against, it
proposes an amount per application that maximises the quality-weighted amount
funded, Σ quality × amount, within every frame and every cap:

* amounts are whole NOK (integer variables);
* where a minimum amount applies (C2-R04: at least NOK 10 000) a binary
  "funded" variable makes the amount either 0 or between the minimum and the cap;
* an application below its area's quality threshold (C0-R15), or whose
  assessment is not locked, gets 0;
* lines a caseworker has set (``fixed``) are kept and use their frames' money
  first; the assistant allocates the rest.

The programme is solved twice: first for the best quality-weighted sum, then,
holding that sum, preferring lower application ids, so that ties are broken by
id and the answer is the same every time. Every proposal carries a reason in
bokmål and English.

No Django here: :mod:`tilskudd.grants.allocation.frames` builds the items from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from tilskudd.core.formatting import format_decimal, format_nok, format_number

if TYPE_CHECKING:
    import numpy as np

#: Qualities are used in thousandths, so the objective's coefficients are integers.
QUALITY_SCALE = 1000
TIME_LIMIT_SECONDS = 30.0


class AllocationError(Exception):
    """The optimiser found no allocation (it always should: all zeros is one)."""


@dataclass(frozen=True)
class FrameSpec:
    """A limit on the sum of the amounts of the items that name it."""

    id: str
    amount: int
    #: How the explanation names it: "rammen for område 2" / "the frame for area 2".
    label_nb: str = ""
    label_en: str = ""

    def names(self) -> tuple[str, str]:
        return (self.label_nb or f"rammen {self.id}", self.label_en or f"the frame {self.id}")


@dataclass(frozen=True)
class Item:
    application_id: int
    area: str
    applied: int
    cap: int
    #: The locked assessment's total; None when not locked or no criterion applied.
    quality: Decimal | float | None
    threshold: Decimal | float | None = None
    #: Either 0 or at least this much (C2-R04); 0 for none.
    minimum: int = 0
    frames: tuple[str, ...] = ()
    #: False while the assessment is not locked.
    locked: bool = True
    #: A caseworker's amount, kept as it is.
    fixed: int | None = None
    #: Why the cap is below the amount applied, e.g. "stønaden er høyst 1 G per deltakerår (C0-R18)".
    cap_reason_nb: str = ""
    cap_reason_en: str = ""
    area_label_nb: str = ""
    area_label_en: str = ""
    #: The rule behind the threshold, for the explanation.
    threshold_rule: str = "C0-R15"
    minimum_rule: str = "C2-R04"

    def area_names(self) -> tuple[str, str]:
        return (self.area_label_nb or f"område {self.area}", self.area_label_en or f"area {self.area}")


@dataclass(frozen=True)
class Proposal:
    application_id: int
    amount: int
    #: not_locked, no_quality, below_threshold, fixed, full, capped, partial, frame_used, below_minimum, no_cap
    reason: str
    explanation_nb: str
    explanation_en: str


# --- formatting ----------------------------------------------------------------


def quality_text(value: Decimal | float) -> tuple[str, str]:
    """5.300 → ('5,3', '5.3'); 4.25 → ('4,25', '4.25'); 5 → ('5,0', '5.0'): a quality always shows a decimal."""
    nb, en = format_decimal(value, "nb"), format_decimal(value, "en")
    return (nb, en) if "." in en else (f"{nb},0", f"{en}.0")


def _scaled(value: Decimal | float) -> int:
    return int((Decimal(str(value)) * QUALITY_SCALE).to_integral_value(rounding=ROUND_HALF_UP))


# --- the programme ---------------------------------------------------------------


def propose(items: Sequence[Item], frames: Sequence[FrameSpec]) -> list[Proposal]:
    """One proposal per item, in the order of ``items``."""
    by_id = {frame.id: frame for frame in frames}
    for item in items:
        unknown = [f for f in item.frames if f not in by_id]
        if unknown:
            raise ValueError(f"item {item.application_id} names unknown frames {unknown}")
    decided: dict[int, Proposal] = {}
    free: list[Item] = []
    for item in items:
        early = _settled(item)
        if early is not None:
            decided[item.application_id] = early
        else:
            free.append(item)
    # What the fixed lines leave of each frame.
    left = {frame.id: frame.amount for frame in frames}
    for item in items:
        if item.fixed is not None:
            for frame_id in item.frames:
                left[frame_id] -= item.fixed
    amounts = _solve(sorted(free, key=lambda i: i.application_id), {k: max(v, 0) for k, v in left.items()})
    used = defaultdict(int)
    for item in items:
        amount = item.fixed if item.fixed is not None else amounts.get(item.application_id, 0)
        for frame_id in item.frames:
            used[frame_id] += amount
    slack = {frame.id: frame.amount - used[frame.id] for frame in frames}
    ranks = _ranks(items)
    result = []
    for item in items:
        if item.application_id in decided:
            result.append(decided[item.application_id])
        else:
            result.append(_explain(item, amounts[item.application_id], slack, by_id, ranks))
    return result


def _settled(item: Item) -> Proposal | None:
    """The proposal for an item the programme need not consider, or None."""
    if item.fixed is not None:
        return Proposal(
            item.application_id,
            item.fixed,
            "fixed",
            f"Satt av saksbehandler: {format_number(item.fixed)} kr av {format_number(item.applied)} kr.",
            f"Set by the caseworker: {format_nok(item.fixed, 'en')} of {format_number(item.applied, 'en')}.",
        )
    if not item.locked:
        return Proposal(
            item.application_id,
            0,
            "not_locked",
            "Ikke ferdig vurdert (vurderingen er ikke låst).",
            "Not fully assessed (the assessment is not locked).",
        )
    if item.quality is None:
        return Proposal(
            item.application_id,
            0,
            "no_quality",
            "Vurderingen har ingen kvalitetssum (ingen kriterier var relevante): får ikke tilskudd.",
            "The assessment has no quality total (no criterion applied): no grant.",
        )
    if item.threshold is not None and Decimal(str(item.quality)) < Decimal(str(item.threshold)):
        q_nb, q_en = quality_text(item.quality)
        t_nb, t_en = quality_text(item.threshold)
        area_nb, area_en = item.area_names()
        return Proposal(
            item.application_id,
            0,
            "below_threshold",
            f"Kvalitet {q_nb} er under kvalitetsterskelen {t_nb} for {area_nb} ({item.threshold_rule}): "
            "får ikke tilskudd.",
            f"Quality {q_en} is below the quality threshold {t_en} for {area_en} ({item.threshold_rule}): no grant.",
        )
    if item.cap <= 0 or (item.minimum and item.cap < item.minimum):
        return Proposal(
            item.application_id,
            0,
            "no_cap",
            f"Det er ikke noe beløp å gi innenfor taket ({format_number(max(item.cap, 0))} kr"
            + (f", minstebeløpet er {format_number(item.minimum)} kr" if item.minimum else "")
            + ").",
            f"There is no amount to give within the cap ({format_nok(max(item.cap, 0), 'en')}"
            + (f", the minimum is {format_nok(item.minimum, 'en')}" if item.minimum else "")
            + ").",
        )
    return None


def _solve(items: list[Item], capacity: dict[str, int]) -> dict[int, int]:
    """Integer amounts for ``items`` (sorted by id) within ``capacity`` per frame."""
    if not items:
        return {}
    # SciPy and NumPy take a second to import: only the assistant's run pays it, not every process that
    # imports this module at start (Django's setup does, through grants.receivers; issue #14, point 5).
    import numpy as np  # noqa: PLC0415
    from scipy import sparse  # noqa: PLC0415
    from scipy.optimize import LinearConstraint  # noqa: PLC0415

    n = len(items)
    minimum_items = [i for i, item in enumerate(items) if item.minimum]
    m = len(minimum_items)
    size = n + m  # x_0..x_{n-1}, then one binary per item with a minimum
    lower = np.zeros(size)
    upper = np.array([float(item.cap) for item in items] + [1.0] * m)
    integrality = np.ones(size)
    # The constraint matrix is sparse (each row names a frame's items, or one item and its binary):
    # built as coordinates, never as dense rows, so memory grows with the items, not their square.
    cells_row: list[int] = []
    cells_col: list[int] = []
    cells_value: list[float] = []
    row_low: list[float] = []
    row_high: list[float] = []

    def add_row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        row = len(row_low)
        for column, value in entries:
            cells_row.append(row)
            cells_col.append(column)
            cells_value.append(value)
        row_low.append(low)
        row_high.append(high)

    frame_ids = sorted({f for item in items for f in item.frames})
    for frame_id in frame_ids:
        members = [(i, 1.0) for i, item in enumerate(items) if frame_id in item.frames]
        add_row(members, -np.inf, float(capacity[frame_id]))
    for k, i in enumerate(minimum_items):
        item = items[i]
        # x_i - cap_i·y_k ≤ 0  and  x_i - min_i·y_k ≥ 0
        add_row([(i, 1.0), (n + k, -float(item.cap))], -np.inf, 0.0)
        add_row([(i, 1.0), (n + k, -float(item.minimum))], 0.0, np.inf)
    weights = np.zeros(size)
    for i, item in enumerate(items):
        weights[i] = float(_scaled(item.quality))
    matrix = sparse.csr_array((cells_value, (cells_row, cells_col)), shape=(len(row_low), size))
    constraints = [LinearConstraint(matrix, row_low, row_high)] if row_low else []
    first = _run(-weights, integrality, lower, upper, constraints)
    best = float(weights @ first)
    # Ties go to lower ids. Without minimum amounts, the greedy fill (best quality first, then the
    # lowest id) is such an answer whenever it reaches the optimiser's best sum — always so when the
    # frames nest (a polymatroid) — and it is checked in exact integers before it is used.
    # Otherwise a second pass keeps the best sum and prefers lower ids.
    if not minimum_items:
        greedy = _greedy(items, capacity)
        if _quality_sum(items, greedy) >= _quality_sum(
            items, {it.application_id: round(first[i]) for i, it in enumerate(items)}
        ):
            return _repair(items, greedy, capacity)
    # Second pass: keep the best sum (less a rounding tolerance), prefer lower ids.
    tolerance = max(0.5, best * 1e-9)
    hold = LinearConstraint(sparse.csr_array(weights.reshape(1, -1)), [best - tolerance], [np.inf])
    prefer = np.zeros(size)
    for i in range(n):
        prefer[i] = float(n - i)
    second = _run(-prefer, integrality, lower, upper, [*constraints, hold])
    amounts = {item.application_id: int(round(second[i])) for i, item in enumerate(items)}
    return _repair(items, amounts, capacity)


def _greedy(items: list[Item], capacity: dict[str, int]) -> dict[int, int]:
    """Fill the best quality first (the lowest id first among equals), as far as every frame allows."""
    left = dict(capacity)
    amounts: dict[int, int] = {}
    for item in sorted(items, key=lambda i: (-_scaled(i.quality), i.application_id)):
        amount = min([item.cap, *(left[f] for f in item.frames)])
        amount = max(amount, 0)
        for frame_id in item.frames:
            left[frame_id] -= amount
        amounts[item.application_id] = amount
    return amounts


def _quality_sum(items: list[Item], amounts: dict[int, int]) -> int:
    return sum(_scaled(item.quality) * amounts.get(item.application_id, 0) for item in items)


def milp(*args, **kwargs):
    """``scipy.optimize.milp``, imported when first called (see _solve); a module name, so a caller can wrap it."""
    from scipy.optimize import milp as solve  # noqa: PLC0415 - see _solve

    return solve(*args, **kwargs)


def _run(c, integrality, lower, upper, constraints) -> np.ndarray:
    from scipy.optimize import Bounds  # noqa: PLC0415 - see _solve

    result = milp(
        c,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        constraints=constraints,
        options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT_SECONDS, "presolve": True},
    )
    if result.x is None:
        raise AllocationError(f"the optimiser found no allocation: {result.message}")
    return result.x


def _repair(items: list[Item], amounts: dict[int, int], capacity: dict[str, int]) -> dict[int, int]:
    """Guard against the solver's tolerances: every cap, minimum and frame holds in exact integers."""
    for item in items:
        amount = min(max(amounts[item.application_id], 0), item.cap)
        if item.minimum and 0 < amount < item.minimum:
            amount = 0
        amounts[item.application_id] = amount
    by_quality = sorted(items, key=lambda i: (_scaled(i.quality), -i.application_id))
    for frame_id, limit in capacity.items():
        over = sum(amounts[i.application_id] for i in items if frame_id in i.frames) - limit
        for item in by_quality:
            if over <= 0:
                break
            if frame_id not in item.frames or not amounts[item.application_id]:
                continue
            cut = min(over, amounts[item.application_id])
            amount = amounts[item.application_id] - cut
            if item.minimum and 0 < amount < item.minimum:
                cut, amount = amounts[item.application_id], 0
            amounts[item.application_id] = amount
            over -= cut
    return amounts


# --- explanations ----------------------------------------------------------------


def _ranks(items: Sequence[Item]) -> dict[int, tuple[int, int]]:
    """(rank, count) of each item by quality within its area, among those with a locked quality."""
    by_area: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.locked and item.quality is not None:
            by_area[item.area].append(item)
    ranks = {}
    for group in by_area.values():
        ordered = sorted(group, key=lambda i: (-Decimal(str(i.quality)), i.application_id))
        for position, item in enumerate(ordered, start=1):
            ranks[item.application_id] = (position, len(ordered))
    return ranks


def _explain(
    item: Item, amount: int, slack: dict[str, int], frames: dict[str, FrameSpec], ranks: dict[int, tuple[int, int]]
) -> Proposal:
    q_nb, q_en = quality_text(item.quality)
    area_nb, area_en = item.area_names()
    rank, count = ranks.get(item.application_id, (1, 1))
    standing_nb = f"kvalitet {q_nb}, nr. {rank} av {count} i {area_nb}"
    standing_en = f"quality {q_en}, no. {rank} of {count} in {area_en}"
    # The frames used up, the narrowest first (an area's frame before the whole call's).
    tight = sorted((frames[f] for f in item.frames if slack[f] <= 0), key=lambda f: (f.amount, f.id))
    if amount >= item.applied:
        return Proposal(
            item.application_id,
            amount,
            "full",
            f"Fullt beløp: {standing_nb}.",
            f"Full amount: {standing_en}.",
        )
    if amount >= item.cap:
        why_nb = f" ({item.cap_reason_nb})" if item.cap_reason_nb else ""
        why_en = f" ({item.cap_reason_en})" if item.cap_reason_en else ""
        return Proposal(
            item.application_id,
            amount,
            "capped",
            f"Høyeste beløp innenfor taket{why_nb}: får {format_number(amount)} av {format_number(item.applied)} kr; {standing_nb}.",
            f"The most within the cap{why_en}: gets {format_nok(amount, 'en')} of {format_number(item.applied, 'en')}; {standing_en}.",
        )
    if amount > 0:
        if tight:
            name_nb, name_en = tight[0].names()
            return Proposal(
                item.application_id,
                amount,
                "partial",
                f"Delvis: {name_nb} er brukt opp; får {format_number(amount)} av {format_number(item.applied)} kr ({standing_nb}).",
                f"Partly: {name_en} is used up; gets {format_nok(amount, 'en')} of {format_number(item.applied, 'en')} ({standing_en}).",
            )
        return Proposal(
            item.application_id,
            amount,
            "partial",
            f"Delvis: får {format_number(amount)} av {format_number(item.applied)} kr ({standing_nb}).",
            f"Partly: gets {format_nok(amount, 'en')} of {format_number(item.applied, 'en')} ({standing_en}).",
        )
    short = [frames[f] for f in item.frames if 0 < slack[f] < item.minimum]
    if item.minimum and short and not tight:
        name_nb, name_en = short[0].names()
        return Proposal(
            item.application_id,
            0,
            "below_minimum",
            f"Det er bare {format_number(slack[short[0].id])} kr igjen i {name_nb}, under minstebeløpet "
            f"{format_number(item.minimum)} kr ({item.minimum_rule}): får ikke tilskudd ({standing_nb}).",
            f"Only {format_nok(slack[short[0].id], 'en')} is left in {name_en}, below the minimum of "
            f"{format_nok(item.minimum, 'en')} ({item.minimum_rule}): no grant ({standing_en}).",
        )
    if tight:
        name_nb, name_en = tight[0].names()
        return Proposal(
            item.application_id,
            0,
            "frame_used",
            f"Ikke tilskudd: {name_nb} er brukt opp av søknader med høyere kvalitet ({standing_nb}).",
            f"No grant: {name_en} is used up by applications of higher quality ({standing_en}).",
        )
    return Proposal(
        item.application_id,
        0,
        "frame_used",
        f"Ikke tilskudd innenfor rammene ({standing_nb}).",
        f"No grant within the frames ({standing_en}).",
    )
