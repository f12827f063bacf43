"""The daily commands' ``--today`` option (``tilskudd.core.commands``): one reading, one message for a bad date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from tilskudd.core.commands import parse_today

DAILY = ["lapse_offers", "send_reminders", "delete_participant_data"]


@pytest.mark.parametrize("command", DAILY)
def test_every_daily_command_refuses_a_date_it_cannot_read_in_both_languages(db, command):
    with pytest.raises(CommandError) as refused:
        call_command(command, today="1. juli", verbosity=0)
    assert "må være en dato (ÅÅÅÅ-MM-DD)" in str(refused.value) and "must be a date: 1. juli" in str(refused.value)


@pytest.mark.parametrize("command", DAILY)
def test_every_daily_command_runs_as_on_a_given_day(db, command):
    call_command(command, today="2026-12-02", verbosity=0)  # nothing to do in an empty database, and no error


def test_the_option_reads_an_iso_date_and_none_when_absent():
    assert parse_today("2026-07-01") == dt.date(2026, 7, 1)
    assert parse_today(None) is None and parse_today("") is None
