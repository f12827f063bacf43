"""Money carried into a year of a multi-year grant (*overført fra i fjor*, issue #12 point 6; C0-R26, C1-R12).

A consented carry-over lives in ``amendments`` (above ``grants``), yet next year's accounts (``reports``, beside
``amendments``) and next year's continuation (``grants``) must show it. As the timeline does, this module keeps
a registry: ``amendments`` registers a provider in its ``AppConfig.ready`` and the readers ask
:func:`carried_into`, so no app imports one beside or above it.

A provider is called with the application's id and the year and returns the whole kroner of last year's unused
grant the grantor let the project keep for that year (0 when none).
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[int, int], int]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def carried_into(application_id: int, year: int) -> int:
    """The whole kroner carried into ``year`` of the application's grant, by consent (0 when none)."""
    return sum(int(provider(application_id, year)) for provider in _providers)
