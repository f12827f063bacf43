"""The municipalities (*kommuner*) that granted funds under C2 (voluntary organisations 2020).

Read from ``municipalities.yaml`` beside this file, where each row cites its source. Pure
Python: read once, cached. Look a municipality up by organisation number
(:func:`by_org_number`) or by name (:func:`by_name`, which also takes «Bergen kommune»).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from tilskudd.rules.validators import digits_only

HERE = Path(__file__).resolve().parent
FILE = HERE / "municipalities.yaml"


@dataclass(frozen=True)
class Municipality:
    """One municipality as it was when the 2020 call was made."""

    key: str
    name: str
    #: *Kommunenummer* valid 2020–2023, the numbering of the 2020 call.
    municipality_number: str
    #: *Kommunenummer* from 1 January 2024.
    municipality_number_2024: str
    #: County number (*fylkesnummer*) from 2024, as in ``counties.yaml``.
    county: str
    #: *Organisasjonsnummer* in Enhetsregisteret, valid for the 2020 call.
    org_number: str
    verified: bool
    source: str
    note: str = ""

    @property
    def ref(self) -> str:
        """The key a call file's grantor uses for this municipality (``Grantor.ref``)."""
        return f"c2:{self.key}"

    @property
    def full_name(self) -> str:
        return f"{self.name} kommune"


@cache
def municipalities() -> tuple[Municipality, ...]:
    """Every municipality in the list, in the file's order (alphabetical, Norwegian)."""
    with FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return tuple(
        Municipality(
            key=str(row["key"]),
            name=str(row["name"]),
            municipality_number=str(row["municipality_number"]),
            municipality_number_2024=str(row["municipality_number_2024"]),
            county=str(row["county"]),
            org_number=str(row["org_number"]),
            verified=bool(row["verified"]),
            source=str(row["source"]),
            note=str(row.get("note") or ""),
        )
        for row in data["municipalities"]
    )


def by_org_number(org_number: str) -> Municipality | None:
    """The municipality with this organisation number ("974 760 843" or "974760843"), or None."""
    wanted = digits_only(org_number or "")
    return next((m for m in municipalities() if m.org_number == wanted), None)


def _normalise_name(name: str) -> str:
    text = " ".join((name or "").split()).casefold()
    return text.removesuffix(" kommune").strip()


def by_name(name: str) -> Municipality | None:
    """The municipality with this name, ignoring case, spacing and a trailing «kommune», or None."""
    wanted = _normalise_name(name)
    return next((m for m in municipalities() if m.name.casefold() == wanted), None)


def by_key(key: str) -> Municipality | None:
    """The municipality with this key (``bergen``) or grantor ref (``c2:bergen``), or None."""
    wanted = (key or "").removeprefix("c2:")
    return next((m for m in municipalities() if m.key == wanted), None)
