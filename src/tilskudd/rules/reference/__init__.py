"""Reference data the rules need, each table with its source in its file.

* ``g.yaml`` — the National Insurance basic amount (*grunnbeløpet*, G) by date.
* ``counties.yaml`` — Norway's counties (*fylker*) from 2024.

Pure Python: read once, cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


@cache
def _load(name: str) -> dict:
    with (HERE / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class GAmount:
    """One G, in force from ``valid_from``."""

    amount: int
    valid_from: dt.date
    source: str


@cache
def _g_table() -> tuple[GAmount, ...]:
    data = _load("g.yaml")
    rows = sorted(data["amounts"], key=lambda row: row["from"])
    return tuple(GAmount(int(row["amount"]), row["from"], data["source"]) for row in rows)


def g_on(day: dt.date) -> GAmount:
    """The G in force on ``day``. Before the first entry: LookupError."""
    in_force = None
    for entry in _g_table():
        if entry.valid_from <= day:
            in_force = entry
        else:
            break
    if in_force is None:
        raise LookupError(f"no G is recorded for {day.isoformat()}")
    return in_force


@dataclass(frozen=True)
class County:
    code: str
    name: str


@cache
def counties() -> tuple[County, ...]:
    return tuple(County(str(row["code"]), row["name"]) for row in _load("counties.yaml")["counties"])


@cache
def county_codes() -> frozenset[str]:
    return frozenset(county.code for county in counties())


def county_name(code: str) -> str:
    return next((county.name for county in counties() if county.code == code), code)
