"""What the applicant does next, with its deadline (issue #13, point 5): the answer Min side gives per application.

Before the decision, applications knows it all: finish and sign by the call's deadline, who the signature waits
for, or «nothing to do now» with when the call says an answer comes (``answer_expected``). After the decision the
steps belong to the apps above: grants (accept the offer by its deadline, the next payment, the report) and
complaints (the complaint deadline where a complaint is allowed). They add theirs with :func:`register` in their
``AppConfig.ready`` — applications never imports them (import-linter layers), as ``grants.awards.timeline``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from tilskudd.applications.models import Application
from tilskudd.applications.states import DECIDED, Status
from tilskudd.core.phrases import Moment, date_moment, datetime_moment
from tilskudd.core.text import pick


@dataclass(frozen=True)
class NextStep:
    """One thing to do (or to know) next, in both languages, with its deadline and where to do it."""

    text_nb: str
    text_en: str
    #: The deadline: a day (Europe/Oslo) or an instant; None where there is none.
    due: dt.date | dt.datetime | None = None
    #: Where to do it, with the link's words; "" for none.
    url: str = ""
    link_nb: str = ""
    link_en: str = ""

    def text(self, language: str | None) -> str:
        return pick(language, self.text_nb, self.text_en)

    def link(self, language: str | None) -> str:
        return pick(language, self.link_nb, self.link_en) if self.url else ""

    def due_moment(self, language: str | None) -> Moment | None:
        return moment(self.due, language)

    def sort_key(self) -> tuple[int, dt.date]:
        if self.due is None:
            return (1, dt.date.max)
        day = timezone.localtime(self.due).date() if isinstance(self.due, dt.datetime) else self.due
        return (0, day)


def moment(due: dt.date | dt.datetime | None, language: str | None) -> Moment | None:
    """A deadline as shown: a day («01.09.2030»), an instant with its time, or None."""
    if due is None:
        return None
    if isinstance(due, dt.datetime):
        return datetime_moment(due, language)
    return date_moment(due, language)


#: ``provider(application, today)``: the steps after the decision that the providing app knows of.
Provider = Callable[[Application, dt.date], Iterable[NextStep]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider of steps after the decision; usable as a decorator. Registered once."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def after_decision(application: Application, today: dt.date | None = None) -> list[NextStep]:
    """The steps the apps above know of for a decided application, those with a deadline first (soonest first)."""
    today = today or timezone.localdate()
    steps = [step for provider in _PROVIDERS for step in provider(application, today)]
    return sorted(steps, key=NextStep.sort_key)


def while_waiting(application: Application) -> NextStep:
    """Submitted or in assessment: nothing to do now, and when the call says an answer comes."""
    expected = application.call_version.parsed().answer_expected
    if expected is not None:
        return NextStep(
            f"Ingen ting å gjøre nå. {expected.get('nb')}",
            f"Nothing to do now. {expected.get('en')}",
        )
    return NextStep(
        "Ingen ting å gjøre nå. Dere får brev når søknaden er behandlet.",
        "Nothing to do now. You get a letter when the application has been processed.",
    )


def steps_of(application: Application, today: dt.date | None = None) -> list[NextStep]:
    """The steps beyond the status line: while waiting for an answer, and after the decision."""
    if application.status == Status.SUBMITTED:
        return [while_waiting(application)]
    if application.status == Status.IN_ASSESSMENT:
        # Assessed again after a complaint: the complaint under way is the step (tilskudd.complaints).
        return after_decision(application, today) or [while_waiting(application)]
    if application.status in DECIDED:
        return after_decision(application, today)
    return []


def due_of(application: Application, steps: list[NextStep]) -> dt.date | dt.datetime | None:
    """The deadline Min side shows: the draft's (the call's, or the completion's), else the first step's —
    after the decision never the application deadline."""
    if application.status == Status.REOPENED and application.reopened_until:
        return application.reopened_until
    if application.status == Status.DRAFT:
        return application.call.deadline
    return next((step.due for step in steps if step.due is not None), None)
