"""Reminders of deadlines by e-mail (issue #12, point 4): offers and reporting duties, each reminder once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.casework.helpers import applicant_of
from tests.reminders.helpers import DUE, at, grantee_addresses, offer, run
from tests.reports.helpers import accepted_grant
from tests.staff_world import C0
from tilskudd.grants.awards import acceptance, timeline
from tilskudd.orgs.models import Membership
from tilskudd.reminders import tasks
from tilskudd.reminders.models import Kind, Reminder
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.states import DutyStatus


def _to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_an_offer_due_in_14_days_gets_one_reminder_and_a_second_run_sends_nothing(
    casework_world, freeze_now, django_capture_on_commit_callbacks, settings
):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0])
    people = grantee_addresses(grant)
    assert people
    freeze_now(at(DUE - dt.timedelta(days=15)))
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == []  # more than 14 days ahead

    freeze_now(at(DUE - dt.timedelta(days=14)))
    run(django_capture_on_commit_callbacks)
    assert {m.to[0] for m in mail.outbox} == people and len(mail.outbox) == len(people)
    message = mail.outbox[0]
    assert grant.application.case_number in message.subject and "01.07.2019" in message.subject
    assert "om 14 dager" in message.body and "aksepter eller takk nei" in message.body
    assert settings.SITE_URL + reverse("grants:grant", args=[grant.application_id]) in message.body
    assert set(Reminder.objects.filter(grant=grant).values_list("kind", flat=True)) == {Kind.BEFORE_14}
    assert all(r.sent_at is not None for r in Reminder.objects.filter(grant=grant))

    run(django_capture_on_commit_callbacks)  # the same day again: nothing new
    freeze_now(at(DUE - dt.timedelta(days=10)))
    run(django_capture_on_commit_callbacks)  # still in the 14-day window: sent already
    assert len(mail.outbox) == len(people)


def test_three_days_before_on_the_day_and_overdue_to_the_grantee_and_the_caseworker(
    casework_world, freeze_now, django_capture_on_commit_callbacks
):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0])
    people = grantee_addresses(grant)
    caseworker = casework_world.staff["caseworker"].email
    mail.outbox.clear()
    seen = []
    for days, kind in ((-3, Kind.BEFORE_3), (0, Kind.ON_THE_DAY), (1, Kind.OVERDUE)):
        freeze_now(at(DUE + dt.timedelta(days=days)))
        run(django_capture_on_commit_callbacks)
        run(django_capture_on_commit_callbacks)
        new = mail.outbox[len(seen) :]
        seen = list(mail.outbox)
        to_grantee = [m for m in new if m.to[0] in people]
        assert {m.to[0] for m in to_grantee} == people and len(to_grantee) == len(people), kind
        assert Reminder.objects.filter(grant=grant, kind=kind).count() == len(people)
        if kind == Kind.BEFORE_3:
            assert "om 3 dager" in to_grantee[0].body
        elif kind == Kind.ON_THE_DAY:
            assert "er i dag, 01.07.2019" in to_grantee[0].body and "Fristen er i dag" in to_grantee[0].subject
        else:
            assert "passert" in to_grantee[0].body and "Ta kontakt med saksbehandleren" in to_grantee[0].body
            to_staff = [m for m in new if m.to == [caseworker]]
            assert len(to_staff) == 1 and grant.application.case_number in to_staff[0].subject
            assert reverse("grants:staff_grant", args=[grant.pk]) in to_staff[0].body
    freeze_now(at(DUE + dt.timedelta(days=5)))
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == len(seen)  # overdue: once


def test_a_missed_day_is_caught_up_and_a_passed_window_is_not_sent_late(
    casework_world, freeze_now, django_capture_on_commit_callbacks
):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0])
    mail.outbox.clear()
    freeze_now(at(DUE - dt.timedelta(days=2)))  # the command did not run 14 or 3 days before
    run(django_capture_on_commit_callbacks)
    assert set(Reminder.objects.filter(grant=grant).values_list("kind", flat=True)) == {Kind.BEFORE_3}


def test_an_offer_made_inside_the_window_gets_no_before_reminder(
    casework_world, freeze_now, django_capture_on_commit_callbacks
):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0], due=dt.date(2019, 6, 13))
    mail.outbox.clear()
    freeze_now(at(dt.date(2019, 6, 4)))  # 9 days ahead, but the letter came yesterday
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Reminder.objects.filter(grant=grant).exists()
    freeze_now(at(dt.date(2019, 6, 10)))
    run(django_capture_on_commit_callbacks)
    assert set(Reminder.objects.filter(grant=grant).values_list("kind", flat=True)) == {Kind.BEFORE_3}


def test_an_accepted_offer_is_not_reminded_of(casework_world, freeze_now, django_capture_on_commit_callbacks):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0])
    acceptance.accept(applicant_of(grant.application), grant.pk, acceptance.terms_hash(grant))
    mail.outbox.clear()
    freeze_now(at(DUE))
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Reminder.objects.filter(grant=grant, about="offer").exists()


def test_a_reporting_duty_is_reminded_of_before_on_and_after_its_day(
    casework_world, freeze_now, django_capture_on_commit_callbacks, settings
):
    grant = accepted_grant(casework_world, freeze_now, C0, 200_000)
    status_report = ReportingDuty.objects.get(grant=grant, kind="status_report")
    assert status_report.due == dt.date(2019, 9, 1)
    people = grantee_addresses(grant)
    mail.outbox.clear()
    freeze_now(at(dt.date(2019, 8, 18)))
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == len(people)
    message = mail.outbox[0]
    assert status_report.title_nb in message.subject and "01.09.2019" in message.subject
    assert "fyll ut rapporten og lever den" in message.body
    assert settings.SITE_URL + reverse("reports:duty", args=[grant.application_id, status_report.pk]) in message.body

    freeze_now(at(dt.date(2019, 9, 2)))
    run(django_capture_on_commit_callbacks)
    overdue = Reminder.objects.filter(duty=status_report, kind__in=[Kind.OVERDUE, Kind.OVERDUE_TO_CASEWORKER])
    assert overdue.filter(kind=Kind.OVERDUE).count() == len(people)
    assert [r.recipient for r in overdue.filter(kind=Kind.OVERDUE_TO_CASEWORKER)] == [
        casework_world.staff["caseworker"]
    ]
    assert len(_to(casework_world.staff["caseworker"].email)) == 1
    # The grant report (due 1 February 2020) is not reminded of yet.
    assert not Reminder.objects.filter(grant=grant).exclude(duty=status_report).exists()

    # A delivered duty is reminded of no more (another duty's reminder still goes).
    ReportingDuty.objects.filter(pk=status_report.pk).update(status=DutyStatus.DELIVERED)
    sent = len(mail.outbox)
    freeze_now(at(dt.date(2020, 1, 29)))
    run(django_capture_on_commit_callbacks)
    new = mail.outbox[sent:]
    assert new and all("01.02.2020" in m.subject for m in new)
    assert not Reminder.objects.filter(duty=status_report, kind=Kind.BEFORE_3).exists()


def test_english_for_a_person_who_chose_english(casework_world, freeze_now, django_capture_on_commit_callbacks):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0])
    members = Membership.objects.filter(
        organisation=grant.application.organisation, removed_at__isnull=True, confirmed_at__isnull=False
    ).select_related("user")
    english = members[0].user
    english.preferred_language = "en"
    english.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    freeze_now(at(DUE - dt.timedelta(days=3)))
    run(django_capture_on_commit_callbacks)
    (message,) = _to(english.email)
    assert message.subject.startswith("Reminder:") and "1 July 2019" in message.subject
    assert "in 3 days" in message.body and "Log in and answer the grant offer" in message.body
    assert "Hei" not in message.body
    others = [m for m in mail.outbox if m.to != [english.email]]
    assert all(m.subject.startswith("Påminnelse:") for m in others)


def test_the_grant_timeline_shows_the_reminders_sent(casework_world, freeze_now, django_capture_on_commit_callbacks):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0])
    freeze_now(at(DUE - dt.timedelta(days=14)))
    run(django_capture_on_commit_callbacks)
    freeze_now(at(DUE + dt.timedelta(days=1)))
    run(django_capture_on_commit_callbacks)
    public = [e.text_nb for e in timeline.entries(grant, for_applicant=True) if e.text_nb.startswith("Påminnelse")]
    assert public == [
        "Påminnelse sendt: aksept av tilbudet, frist 01.07.2019",
        "Påminnelse sendt: aksept av tilbudet, frist 01.07.2019",
    ]
    internal = [e for e in timeline.entries(grant, for_applicant=False) if e.text_nb.startswith("Påminnelse")]
    assert [e.day for e in internal] == [
        DUE - dt.timedelta(days=14),
        DUE + dt.timedelta(days=1),
        DUE + dt.timedelta(days=1),
    ]
    assert internal[-1].text_nb.startswith("Påminnelse sendt til saksbehandler") and not internal[-1].public


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("send_reminders", today="1. juli", verbosity=0)


def test_a_retried_task_does_not_send_twice(casework_world, freeze_now, django_capture_on_commit_callbacks):
    grant = offer(casework_world, freeze_now, casework_world.applications[C0][0])
    freeze_now(at(DUE))
    run(django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    reminder = Reminder.objects.filter(grant=grant).first()
    assert tasks.send(reminder.pk) is False
    assert len(mail.outbox) == sent
