"""The demo calls' years and dates move with the demo deadline (issue #13, point 11).

A demo copy of a call closes a few weeks from the day the demo is loaded; its year, project period limits,
payment and report dates must move with it by one whole number of years, so a demo letter does not talk about
2019. The real calls (``calls load``) keep theirs.
"""

from __future__ import annotations

import datetime as dt
import typing
from fractions import Fraction

import pytest
from pydantic import BaseModel

from tests.builders import fresh, shared_world
from tests.conftest import CALLS_DIR
from tests.grants.letter_text import letter_text
from tests.grants.test_letters import decision
from tests.staff_world import C0, build_world
from tilskudd.core.formatting import OSLO, format_date
from tilskudd.demo import dates
from tilskudd.demo.data import DEMO_CALL_DAYS_OPEN
from tilskudd.demo.services import demo_call
from tilskudd.grants.decisions import letters
from tilskudd.rules import load_call_file
from tilskudd.rules.schema import CallDefinition

CALL_FILES = sorted(CALLS_DIR.glob("*.yaml"))
#: Demo days across the year: a deadline in winter, in the summer (after C0's first report date of 1 September
#: would have passed in the seed's year) and around New Year.
DEMO_DAYS = [dt.date(2026, 12, 2), dt.date(2026, 7, 1), dt.date(2027, 10, 20), dt.date(2028, 1, 15)]


def _dates(value, path: str = "", owner: tuple[str, str] = ("", "")) -> list[tuple[str, tuple[str, str], object]]:
    """Every date and date-time in a definition: where it is, (model, field) that holds it, the value."""
    if isinstance(value, dt.date):
        return [(path, owner, value)]
    if isinstance(value, BaseModel):
        model = type(value).__name__
        return [
            found
            for name in type(value).model_fields
            for found in _dates(getattr(value, name), f"{path}.{name}", (model, name))
        ]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _dates(item, f"{path}[{key}]", owner)]
    if isinstance(value, list | tuple):
        return [found for i, item in enumerate(value) for found in _dates(item, f"{path}[{i}]", owner)]
    return []


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.astimezone(OSLO).date() if isinstance(value, dt.datetime) else value


def _years_later(day: dt.date, years: int) -> dt.date:
    if (day.month, day.day) == (2, 29) and (day.year + years) % 4:
        return dt.date(day.year + years, 2, 28)
    return dt.date(day.year + years, day.month, day.day)


@pytest.mark.parametrize("today", DEMO_DAYS, ids=str)
@pytest.mark.parametrize("path", CALL_FILES, ids=lambda p: p.stem)
def test_every_date_and_the_year_move_by_the_same_whole_years(path, today):
    seed = load_call_file(path)
    copy = demo_call(seed, today)
    closes = today + dt.timedelta(days=DEMO_CALL_DAYS_OPEN)
    assert _day(copy.deadline.instant) == closes
    moved = copy.year - seed.year
    assert copy.year in (closes.year, closes.year + 1)  # the call's year follows the demo deadline
    before = {where: value for where, _, value in _dates(seed)}
    after = {where: value for where, _, value in _dates(copy)}
    assert before.keys() == after.keys()
    seed_close = _day(seed.deadline.instant)
    for where, value in before.items():
        if where == ".deadline.at":
            continue
        assert _day(after[where]) == _years_later(_day(value), moved), where
        if _day(value) > seed_close:  # came after the seed's deadline: still after the demo's
            assert _day(after[where]) > closes, where
    # Nothing else changed but the id, title and deadline.
    assert copy.fields == seed.fields
    assert copy.assessment == seed.assessment


def test_the_year_moves_as_the_deadline_did_unless_a_later_date_would_fall_before_it():
    c0 = load_call_file(CALLS_DIR / "kommunale-integreringstiltak-2019.yaml")  # closes 28.02.2019, report 01.09.2019
    assert [str(duty.due) for duty in c0.reporting.duties if duty.due][:1] == ["2019-09-01"]
    winter = demo_call(c0, dt.date(2026, 12, 2))  # the demo closes 31.01.2027
    assert winter.year == 2027
    autumn = demo_call(c0, dt.date(2026, 7, 15))  # closes 13.09.2026: 01.09.2026 would have passed
    assert autumn.year == 2027
    assert min(duty.due for duty in autumn.reporting.duties if duty.due) == dt.date(2027, 9, 1)


def test_29_february_becomes_28_february_in_a_common_year_and_12_00_stays_12_00():
    assert dates.shift_date(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert dates.shift_date(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    winter = dt.datetime(2019, 2, 28, 12, 0, tzinfo=OSLO)
    summer = dates.shift_instant(dt.datetime(2019, 6, 30, 12, 0, tzinfo=OSLO), 8)
    assert dates.shift_instant(winter, 8).astimezone(OSLO).timetuple()[:5] == (2027, 2, 28, 12, 0)
    assert summer.astimezone(OSLO).timetuple()[:5] == (2027, 6, 30, 12, 0)


def test_dates_in_lists_dicts_and_optional_parts_move_too():
    class Inner(BaseModel):
        on: dt.date | None = None

    class Outer(BaseModel):
        when: dict[str, dt.date]
        inner: list[Inner]
        count_of_years: int = 3

    moved = dates._shift(Outer(when={"a": dt.date(2020, 1, 1)}, inner=[Inner(on=dt.date(2020, 5, 1)), Inner()]), 2)
    assert moved.when == {"a": dt.date(2022, 1, 1)}
    assert [inner.on for inner in moved.inner] == [dt.date(2022, 5, 1), None]
    assert moved.count_of_years == 3


def _schema_fields(model: type[BaseModel], seen: set) -> list[tuple[str, str, object]]:
    """(model, field, annotation) of every field of the call schema, nested models included."""
    if model in seen:
        return []
    seen.add(model)
    found = []
    for name, info in model.model_fields.items():
        found.append((model.__name__, name, info.annotation))
        stack = [info.annotation]
        while stack:
            kind = stack.pop()
            stack.extend(typing.get_args(kind))
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                found += _schema_fields(kind, seen)
    return found


def _leaves(annotation) -> set:
    args = typing.get_args(annotation)
    return set().union(*map(_leaves, args)) if args else {annotation}


def test_a_new_field_about_years_in_the_call_schema_must_say_whether_it_moves():
    """Dates move wherever they are (the walk is by value); a year kept as a number must be named: a calendar
    year moves (``YEAR_FIELDS``), a count of years does not (``LENGTH_IN_YEARS_FIELDS``)."""
    fields = _schema_fields(CallDefinition, set())
    numbers_about_years = {
        (model, name)
        for model, name, annotation in fields
        if "year" in name.lower() and _leaves(annotation) & {int, Fraction}
    }
    unnamed = numbers_about_years - dates.YEAR_FIELDS - dates.LENGTH_IN_YEARS_FIELDS
    assert not unnamed, f"add these to demo.dates.YEAR_FIELDS or LENGTH_IN_YEARS_FIELDS: {sorted(unnamed)}"
    assert dates.YEAR_FIELDS | dates.LENGTH_IN_YEARS_FIELDS <= {(m, n) for m, n, _ in fields}


def test_every_date_field_of_the_call_schema_is_filled_in_a_call_file_so_its_move_is_tested():
    """A date field added to the schema is moved by the walk; this makes sure a call file fills it, so the test
    above proves it (a field no call uses yet: fill it in the call that needs it)."""
    fields = _schema_fields(CallDefinition, set())
    date_fields = {(m, n) for m, n, annotation in fields if _leaves(annotation) & {dt.date, dt.datetime}}
    filled = {owner for path in CALL_FILES for _, owner, _ in _dates(load_call_file(path))}
    assert ("ReportingDuty", "due") in date_fields
    assert date_fields <= filled, f"no call file fills {sorted(date_fields - filled)}"


# --- a letter for a demo decision names the demo year ----------------------------------------------------------


def _world():
    return build_world((C0,), move_dates=True)


dates_world_built = shared_world(_world, name="dates_world_built")


@pytest.fixture
def world(dates_world_built, db):
    return fresh(dates_world_built)


def test_a_demo_letter_names_the_demo_years_period_and_report_dates_and_the_real_call_keeps_its_own(world):
    demo = world.calls[C0].definition
    real = world.calls[C0].__class__.objects.get(slug=C0).definition
    assert real.year == 2019 and demo.year > 2019  # `calls load` leaves the real call as it is
    application = world.applications[C0][0]
    made = decision(application, kind="grant", amount=100_000)
    made.prepared_by, made.approved_by = world.staff["caseworker"], world.staff["approver"]
    text = letter_text(letters.letter_html(made, today=dt.date(demo.year, 5, 1)))
    assert f"01.01.{demo.year}" in text and f"31.12.{demo.year}" in text  # the grant's period
    for duty in demo.reporting.duties:
        if duty.due:
            assert format_date(duty.due) in text  # e.g. the status report by 01.09 of the demo year
    for duty in real.reporting.duties:
        if duty.due:
            assert format_date(duty.due) not in text  # never the seed's 01.09.2019 or 01.02.2020
