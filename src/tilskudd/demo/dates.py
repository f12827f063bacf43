"""Moving a demo call's dates and year with its deadline (issue #13, point 11).

A demo copy of a call closes a few weeks from today, so its year, project periods, payment dates and report
deadlines must move too, or a demo letter for a 2027 deadline talks about 2019. Every date in the definition
moves by the same whole number of years (day and month kept; 29 February becomes 28 February in a common year).

The walk goes by value over the validated definition (every ``date`` and ``datetime`` anywhere in it, whatever
field holds it), so a date field added to the call schema is moved without a change here. Calendar years kept
as plain integers are named in ``YEAR_FIELDS``; ``LENGTH_IN_YEARS_FIELDS`` names the integers that count years
and must not move. ``tests/demo/test_demo_dates.py`` fails when a new integer field about years is in neither.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from tilskudd.core.formatting import OSLO
from tilskudd.rules.schema import CallDefinition

#: Integer fields that hold a calendar year: (model name, field name).
YEAR_FIELDS = frozenset({("CallDefinition", "year")})

#: Integer (or fraction) fields with «year» in the name that count years or money, not a calendar year.
LENGTH_IN_YEARS_FIELDS = frozenset(
    {
        ("Frame", "previous_year_amount"),
        ("MinimumAge", "years"),
        ("ProjectPeriodCheck", "max_years"),
        ("StipendCapCheck", "g_per_participant_year"),
        ("StipendCapCheck", "max_years"),
        ("MultiYear", "max_years"),
        ("MultiYear", "normal_years"),
    }
)


def shift_date(day: dt.date, years: int) -> dt.date:
    """The same day and month ``years`` later (or earlier); 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year that has none
        return day.replace(year=day.year + years, day=28)


def shift_instant(moment: dt.datetime, years: int) -> dt.datetime:
    """The same Oslo wall-clock time ``years`` later, so 12:00 stays 12:00 across summer time."""
    local = moment.astimezone(OSLO) if moment.tzinfo else moment
    moved = dt.datetime.combine(shift_date(local.date(), years), local.time().replace(tzinfo=None))
    return moved.replace(tzinfo=OSLO) if moment.tzinfo else moved


def _shift(value: Any, years: int) -> Any:
    if isinstance(value, dt.datetime):
        return shift_instant(value, years)
    if isinstance(value, dt.date):
        return shift_date(value, years)
    if isinstance(value, BaseModel):
        model = type(value).__name__
        updates = {}
        for name in type(value).model_fields:
            current = getattr(value, name)
            if (model, name) in YEAR_FIELDS and isinstance(current, int):
                updates[name] = current + years
            else:
                moved = _shift(current, years)
                if moved is not current:
                    updates[name] = moved
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list | tuple):
        items = [_shift(item, years) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else type(value)(items)
    if isinstance(value, dict):
        moved_dict = {key: _shift(item, years) for key, item in value.items()}
        return value if all(moved_dict[k] is v for k, v in value.items()) else moved_dict
    return value


def shifted(definition: CallDefinition, years: int) -> CallDefinition:
    """The definition with every date and calendar year moved by ``years`` (validated again)."""
    if not years:
        return definition
    moved = _shift(definition, years)
    return CallDefinition.model_validate(moved.model_dump(mode="json", by_alias=True))


def _dates(value: Any) -> list[dt.date]:
    if isinstance(value, dt.datetime):
        return [value.astimezone(OSLO).date() if value.tzinfo else value.date()]
    if isinstance(value, dt.date):
        return [value]
    if isinstance(value, BaseModel):
        return [day for name in type(value).model_fields for day in _dates(getattr(value, name))]
    if isinstance(value, list | tuple):
        return [day for item in value for day in _dates(item)]
    if isinstance(value, dict):
        return [day for item in value.values() for day in _dates(item)]
    return []


def years_to_move(definition: CallDefinition, closes: dt.datetime) -> int:
    """How many years a call's dates move when its deadline becomes ``closes``.

    The years between the seed's deadline and the demo deadline, plus one where that would put a date that
    came after the seed's deadline (a report, the end of a transition) on or before the demo deadline: a demo
    letter never asks for a report that was due before anyone could apply.
    """
    seed_close = definition.deadline.instant.astimezone(OSLO).date()
    demo_close = closes.astimezone(OSLO).date()
    years = demo_close.year - seed_close.year
    later = [day for day in _dates(definition) if day > seed_close]
    if any(shift_date(day, years) <= demo_close for day in later):
        years += 1
    return years
