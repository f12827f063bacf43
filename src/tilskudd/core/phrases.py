"""Text with dates and links in it: plain with ``str()``, marked up by the ``phrase`` template filter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tilskudd.core import formatting


@dataclass(frozen=True)
class Moment:
    """A date or an instant: shown as ``text``, marked up as ``<time datetime=iso>``."""

    iso: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Link:
    href: str
    text: str

    def __str__(self) -> str:
        return self.text


Part = str | Moment | Link


@dataclass(frozen=True)
class Phrase:
    """A run of text that may hold dates and links; ``str()`` gives the plain text."""

    parts: tuple[Part, ...]

    def __str__(self) -> str:
        return "".join(str(part) for part in self.parts)

    def __bool__(self) -> bool:
        return bool(str(self))


def phrase(*parts: Part | Phrase | None) -> Phrase:
    """Join parts (and phrases) into one phrase; empty parts are dropped."""
    flat: list[Part] = []
    for part in parts:
        if part is None or part == "":
            continue
        if isinstance(part, Phrase):
            flat.extend(part.parts)
        else:
            flat.append(part)
    return Phrase(tuple(flat))


def date_moment(day: dt.date, language: str | None) -> Moment:
    """'01.09.2030' or '1 September 2030', with its ISO date."""
    return Moment(day.isoformat(), formatting.format_date(day, language))


def datetime_moment(instant: dt.datetime, language: str | None) -> Moment:
    """'28.02.2019 kl. 12:00' or '28 February 2019 at 12:00' (Oslo time), with its ISO instant."""
    local = formatting.in_oslo(instant)
    return Moment(local.isoformat(), formatting.format_datetime(local, language))
