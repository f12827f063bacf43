"""Shared set-up for the reminder tests (no tests here)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from tests.grants.grant_helpers import publish_decision
from tilskudd.orgs.models import Membership

OSLO = dt.timezone(dt.timedelta(hours=2))  # summer time
#: The day the offers are made, and the deadline to accept them (28 days on).
OFFERED = dt.datetime(2019, 6, 3, 12, 0, tzinfo=OSLO)
DUE = dt.date(2019, 7, 1)


def at(day: dt.date, hour: int = 7) -> dt.datetime:
    """A moment on ``day`` in Oslo (the morning a daily cron job runs)."""
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=OSLO)


def offer(world, freeze_now, application, due: dt.date = DUE):
    """A grant offered on 3 June 2019 with the deadline ``due``."""
    freeze_now(OFFERED)
    grant = publish_decision(world, application, amount=50_000, acceptance_due=due).grant
    assert grant.acceptance_due == due
    return grant


def grantee_addresses(grant) -> set[str]:
    """The organisation's confirmed members' addresses, read straight from the memberships."""
    return {
        m.user.email
        for m in Membership.objects.filter(
            organisation=grant.application.organisation, removed_at__isnull=True, confirmed_at__isnull=False
        ).select_related("user")
    }


def run(capture, **options) -> None:
    """The daily command, with the e-mail tasks it queues run (immediate backend, after the commit)."""
    with capture(execute=True):
        call_command("send_reminders", verbosity=0, **options)
