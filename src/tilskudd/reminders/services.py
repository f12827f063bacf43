"""Reminders of deadlines (issue #12, point 4): :func:`remind`, run once a day by ``manage.py send_reminders``.

What is reminded of:

* an open offer of a grant (``GrantStatus.OFFERED``) with an acceptance deadline (``Grant.acceptance_due``);
* an open reporting duty (``DutyStatus.OPEN``) with a due date (``ReportingDuty.due``). A duty sent back for
  changes has its own deadline from the review and is not reminded of here.

When, judged as a day in Europe/Oslo: 14 days before the deadline (``before_14``), 3 days before (``before_3``),
on the day (``on_the_day``) and after it (``overdue``, once; and once to the caseworker of the case,
``overdue_to_caseworker``). A run sends the reminder of the window the day is in (14–4 days ahead: before_14;
3–1: before_3; …), so a day the command did not run is caught up the next day, and a window already passed is
not sent late. A «before» reminder is not sent when the offer or duty came after the window began (the letter
that made it just gave the date).

To whom: the grantee's people — the organisation's confirmed members — each in the language they chose
(``User.preferred_language``), and the caseworker (the case's, else who prepared the decision) when overdue.

Once only: each subject (an offer, a duty) is handled in a transaction of its own that locks it, writes the
:class:`~tilskudd.reminders.models.Reminder` rows and queues each row's e-mail task in the same transaction
(``background.enqueue_in_transaction``). A crash half-way leaves the subjects before it reminded and the rest
untouched for the next run; the unique constraints (subject, kind, recipient) make a second run — or one
running at the same time — find the rows instead of sending again; the task itself sends only while
``sent_at`` is empty (:mod:`tilskudd.reminders.tasks`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from tilskudd import background
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus
from tilskudd.orgs.models import Membership
from tilskudd.reminders.models import About, Kind, Reminder
from tilskudd.reminders.tasks import queue_reminder, send_reminder
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.states import DutyStatus

logger = logging.getLogger(__name__)

#: Days before the deadline each «before» reminder's window begins.
BEFORE_DAYS = {Kind.BEFORE_14: 14, Kind.BEFORE_3: 3}


@dataclass
class Reminded:
    """What a run wrote: the new reminders' ids (their e-mails queued), and how many subjects it looked at."""

    created: list[int] = field(default_factory=list)
    subjects: int = 0


def window(due: dt.date, today: dt.date) -> Kind | None:
    """The reminder whose window ``today`` is in, for a deadline on ``due``; None more than 14 days ahead."""
    days = (due - today).days
    if days < 0:
        return Kind.OVERDUE
    if days == 0:
        return Kind.ON_THE_DAY
    if days <= BEFORE_DAYS[Kind.BEFORE_3]:
        return Kind.BEFORE_3
    if days <= BEFORE_DAYS[Kind.BEFORE_14]:
        return Kind.BEFORE_14
    return None


def kind_for(due: dt.date, today: dt.date, began: dt.date) -> Kind | None:
    """The reminder to send today, or None: the window's, unless it is a «before» one that began before the subject."""
    kind = window(due, today)
    if kind in BEFORE_DAYS and began > due - dt.timedelta(days=BEFORE_DAYS[kind]):
        return None
    return kind


def grantee_people(grant: Grant) -> list:
    """The organisation's confirmed members with an e-mail address, each once."""
    members = (
        Membership.objects.filter(
            organisation_id=grant.application.organisation_id, removed_at__isnull=True, confirmed_at__isnull=False
        )
        .select_related("user")
        .order_by("pk")
    )
    people, seen = [], set()
    for member in members:
        user = member.user
        if user.pk in seen or not (user.email or "").strip() or not user.is_active:
            continue
        seen.add(user.pk)
        people.append(user)
    return people


def caseworker(grant: Grant):
    """The caseworker of the case; who prepared the decision where none is assigned (as a lapsed offer's e-mail)."""
    case = getattr(grant.application, "case", None)
    user = getattr(case, "caseworker", None) if case is not None else None
    return user or grant.decision.prepared_by


def _targets(grant: Grant, kind: Kind) -> list[tuple[Kind, Any]]:
    targets: list[tuple[Kind, Any]] = [(kind, person) for person in grantee_people(grant)]
    if kind == Kind.OVERDUE:
        staff = caseworker(grant)
        if staff is not None and (staff.email or "").strip():
            targets.append((Kind.OVERDUE_TO_CASEWORKER, staff))
    return targets


def _write(done: Reminded, *, about: str, grant: Grant, duty, due: dt.date, kind: Kind, today: dt.date) -> None:
    """The subject's reminders for today, each row with its e-mail queued (in the caller's transaction)."""
    now = timezone.now()
    for target_kind, person in _targets(grant, kind):
        reminder, created = Reminder.objects.get_or_create(
            about=about,
            grant=grant,
            duty=duty,
            kind=target_kind,
            recipient=person,
            defaults={"day": today, "due": due, "created_at": now},
        )
        if created:
            background.enqueue_in_transaction(
                send_reminder, reminder.pk, after_commit=partial(queue_reminder, reminder.pk)
            )
            done.created.append(reminder.pk)


def _offer(done: Reminded, grant_id: int, today: dt.date) -> None:
    with transaction.atomic():
        grant = (
            Grant.objects.select_for_update(of=("self",))
            .select_related("application", "application__case", "decision")
            .get(pk=grant_id)
        )
        if grant.status != GrantStatus.OFFERED or grant.acceptance_due is None:
            return
        kind = kind_for(grant.acceptance_due, today, timezone.localtime(grant.offered_at).date())
        if kind is not None:
            _write(done, about=About.OFFER, grant=grant, duty=None, due=grant.acceptance_due, kind=kind, today=today)


def _duty(done: Reminded, duty_id: int, today: dt.date) -> None:
    with transaction.atomic():
        duty = (
            ReportingDuty.objects.select_for_update(of=("self",))
            .select_related("grant", "grant__application", "grant__application__case", "grant__decision")
            .get(pk=duty_id)
        )
        if duty.status != DutyStatus.OPEN or duty.due is None:
            return
        kind = kind_for(duty.due, today, timezone.localtime(duty.created_at).date())
        if kind is not None:
            _write(done, about=About.DUTY, grant=duty.grant, duty=duty, due=duty.due, kind=kind, today=today)


def remind(today: dt.date | None = None) -> Reminded:
    """Write and queue today's reminders (Europe/Oslo), one subject per transaction; safe to run again or at once."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=BEFORE_DAYS[Kind.BEFORE_14])
    done = Reminded()
    offers = Grant.objects.filter(
        status=GrantStatus.OFFERED, acceptance_due__isnull=False, acceptance_due__lte=horizon
    ).order_by("pk")
    for grant_id in list(offers.values_list("pk", flat=True)):
        done.subjects += 1
        _offer(done, grant_id, today)
    duties = ReportingDuty.objects.filter(status=DutyStatus.OPEN, due__isnull=False, due__lte=horizon).order_by("pk")
    for duty_id in list(duties.values_list("pk", flat=True)):
        done.subjects += 1
        _duty(done, duty_id, today)
    return done
