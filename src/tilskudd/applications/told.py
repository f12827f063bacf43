"""The application's status as the applicant knows it (*status slik søkeren kjenner den*).

Almost always the status itself. The exception is the grantor's internal work that the applicant may not see
before it is published: a complaint against a refusal allowed with a new grant decision moves the application
back to «Til vurdering» at once (the new decision must be prepared on it), but the applicant is told only when
that decision has passed four eyes and is published (issue #11; docs/decisions.md «A reversal is told on
publication»). Until then every applicant page, Min side and the API show the status they were told.

The apps above add their veils with :func:`register` in their ``AppConfig.ready`` (complaints does) —
applications never imports them (import-linter layers), as :mod:`applications.next_steps`.
"""

from __future__ import annotations

from collections.abc import Callable

from tilskudd.applications.models import Application
from tilskudd.applications.states import Status

#: A veil answers the status the applicant was told, or None where it has nothing to hide.
Veil = Callable[[Application], Status | None]
_veils: list[Veil] = []


def register(veil: Veil) -> Veil:
    if veil not in _veils:
        _veils.append(veil)
    return veil


def status_of(application: Application) -> Status:
    """The status the applicant may see (one query per veil, and only for an application in assessment)."""
    status = Status(application.status)
    if status != Status.IN_ASSESSMENT:  # the only status the grantor's untold work leads to today
        return status
    for veil in _veils:
        told = veil(application)
        if told is not None:
            return told
    return status
