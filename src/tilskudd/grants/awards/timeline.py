"""The grant's timeline (issue #11, point 7): what happened and what is due, for the grantee and the caseworker.

One list of :class:`Entry`, oldest first, from providers in a registry: this module gives the grant's own
events (its audit stream: offer, acceptance, each term held, released or paid …) and what is due (the
acceptance deadline, each term not yet paid). Apps above ``grants`` (payments: batches approved and exported;
complaints) add theirs with :func:`register` in their ``AppConfig.ready`` — ``grants`` never imports them.

``for_applicant=True`` keeps only what the grantee may see: events written with ``Audience.APPLICANT`` and
what a provider marks ``public``. The same page template (``grants/awards/_timeline.html``) shows both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from tilskudd.audit.labels import action_label
from tilskudd.audit.services import Audience, history
from tilskudd.core.formatting import format_nok
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, TermStatus


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: a day (Europe/Oslo), what, in both languages, done or due, and who may see it."""

    day: dt.date
    text_nb: str
    text_en: str
    #: True: something that happened; False: something due (shown as «planned»/«frist»).
    done: bool = True
    #: The grantee may see it (the caseworker sees everything).
    public: bool = True
    #: Within a day, the order: the moment it happened (None for what is due).
    at: dt.datetime | None = None

    @property
    def text(self) -> tuple[str, str]:
        return self.text_nb, self.text_en


Provider = Callable[[Grant, bool], Iterable[Entry]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider of entries (``provider(grant, for_applicant)``); usable as a decorator. Registered once."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


@register
def _events(grant: Grant, for_applicant: bool) -> Iterable[Entry]:
    """The grant's audit stream, in words (the application's decision and letter included)."""
    audience = Audience.APPLICANT if for_applicant else None
    for event in history(grant, audience=audience).order_by("at", "pk"):
        yield Entry(
            day=_local_day(event.at),
            text_nb=action_label(event.action, "nb"),
            text_en=action_label(event.action, "en"),
            public=event.audience == Audience.APPLICANT,
            at=event.at,
        )


@register
def _due(grant: Grant, for_applicant: bool) -> Iterable[Entry]:
    """What is still due: the acceptance deadline while the offer is open, each term not yet paid."""
    if grant.status == GrantStatus.OFFERED and grant.acceptance_due:
        yield Entry(grant.acceptance_due, "Frist for aksept", "Deadline for acceptance", done=False)
    for term in grant.terms.all():
        if term.status in (TermStatus.PAID, TermStatus.CANCELLED):
            continue
        day = term.due_on or term.earliest
        if day is None:
            continue
        amount_nb, amount_en = format_nok(term.amount, "nb"), format_nok(term.amount, "en")
        if term.status == TermStatus.HELD:
            nb, en = f"Termin {term.number} ({amount_nb}) er holdt tilbake", f"Term {term.number} ({amount_en}) is held"
        else:
            nb, en = f"Termin {term.number} ({amount_nb}) skal utbetales", f"Term {term.number} ({amount_en}) is due"
        yield Entry(day, nb, en, done=False)


def entries(grant: Grant, *, for_applicant: bool) -> list[Entry]:
    """Every entry of every provider for ``grant``: what happened first (by day and moment), then what is due."""
    found = [
        entry
        for provider in _PROVIDERS
        for entry in provider(grant, for_applicant)
        if entry.public or not for_applicant
    ]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda e: (not e.done, e.day, e.at or far))
