"""A caseworker cancels a grant, lets a lapsed offer be accepted after all, or changes its amount — and the frame
follows exactly (issue #11, points 2 and 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from tests.builders import fresh, shared_world
from tests.grants.grant_helpers import publish_decision
from tests.grants.test_decisions_helpers import ready_for_decision
from tests.staff_world import C2, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import AuditAction
from tilskudd.casework.access import RoleMissing
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import changes
from tilskudd.grants.awards.services import move_grant
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, TermStatus

FRAME = 200_000


def imdi_c2(world):
    return [a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number]


def left(world) -> int:
    """What IMDi's frame in the C2 call has left (the allocation page's «Igjen»)."""
    call = world.calls[C2]
    return next(row for row in frames.usage(call, world.imdi.org_number).rows if row.key == "whole").left


def _granted_world():
    """The casework world, IMDi's C2 frame of NOK 200 000 and a published grant of 150 000 in it (two terms of
    75 000); built once for the module (issue #9 point 7)."""
    world = build_world()
    call = world.calls[C2]
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", call.definition.year, FRAME)
    return world, publish_decision(world, imdi_c2(world)[0], amount=150_000).grant


granted_world_built = shared_world(_granted_world, name="granted_world_built")


@pytest.fixture
def granted(granted_world_built, db):
    """IMDi's C2 frame of NOK 200 000 and a published grant of 150 000 in it (two terms of 75 000): the test's own
    copy of the world and the grant, read again from the database."""
    world, grant = fresh(granted_world_built)
    assert left(world) == 50_000
    return world, grant


@pytest.fixture
def monday_4_may_2026(monkeypatch):
    """Time stands still at 4 May 2026, 12:00 in Oslo (the suite freezes time by patching ``timezone.now``)."""
    moment = dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def events(grant, action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk), action=action))


def accept_and_pay_first_term(grant):
    """The grant accepted and its first term paid (what acceptance and payments do, set in the rows)."""
    with transaction.atomic():
        move_grant(None, grant, GrantStatus.ACCEPTED, AuditAction.GRANT_ACCEPTED)
        move_grant(None, grant, GrantStatus.IN_PAYMENT, AuditAction.GRANT_PAYING)
        grant.terms.filter(number=1).update(status=TermStatus.PAID, paid_on=timezone.localdate())


def lapse(grant):
    """The offer lapses as the nightly run does it: LAPSED and its amount freed in the frame."""
    with transaction.atomic():
        move_grant(None, grant, GrantStatus.LAPSED, AuditAction.GRANT_LAPSED)
        frames.hold_granted(None, grant.application, grant.year, 0, "Bortfalt.", "Lapsed.")


def test_cancelling_an_offer_frees_the_whole_amount_and_cancels_every_term(granted):
    world, grant = granted
    changes.cancel_grant(world.staff["caseworker"], grant.pk, "Organisasjonen er oppløst.")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CANCELLED and grant.amount == 150_000  # the decided amount stays
    assert set(grant.terms.values_list("status", flat=True)) == {TermStatus.CANCELLED}
    assert left(world) == FRAME
    [event] = events(grant, "grant.cancelled")
    assert event.reason == "Organisasjonen er oppløst."
    assert event.data["paid"] == 0 and event.data["freed"] == 150_000


def test_cancelling_after_a_paid_term_keeps_only_what_was_paid_in_the_frame(granted):
    world, grant = granted
    accept_and_pay_first_term(grant)
    changes.cancel_grant(world.staff["caseworker"], grant.pk, "Vilkårene er brutt.")
    grant.refresh_from_db()
    assert dict(grant.terms.values_list("number", "status")) == {1: TermStatus.PAID, 2: TermStatus.CANCELLED}
    assert left(world) == FRAME - 75_000
    [event] = events(grant, "grant.cancelled")
    assert (event.data["paid"], event.data["freed"], event.data["terms_cancelled"]) == (75_000, 75_000, [2])


def test_a_term_in_a_payment_batch_blocks_cancellation_and_nothing_changes(granted):
    world, grant = granted
    accept_and_pay_first_term(grant)
    grant.terms.filter(number=2).update(status=TermStatus.ORDERED)
    with pytest.raises(changes.GrantChangeRefused) as refused:
        changes.cancel_grant(world.staff["caseworker"], grant.pk, "Vilkårene er brutt.")
    assert "Termin 2 er sendt til utbetaling" in refused.value.reason_nb
    grant.refresh_from_db()
    assert grant.status == GrantStatus.IN_PAYMENT and left(world) == 50_000


def test_cancelling_needs_a_reason_and_a_caseworker_of_the_grantor(granted):
    world, grant = granted
    with pytest.raises(changes.GrantChangeRefused):
        changes.cancel_grant(world.staff["caseworker"], grant.pk, "  ")
    with pytest.raises(RoleMissing):
        changes.cancel_grant(world.staff["approver"], grant.pk, "Grunn.")
    with pytest.raises(changes.NoSuchGrant):
        changes.cancel_grant(world.bergen_staff["caseworker"], grant.pk, "Grunn.")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.OFFERED and left(world) == 50_000


def test_a_declined_or_cancelled_grant_cannot_be_cancelled_again(granted):
    world, grant = granted
    changes.cancel_grant(world.staff["caseworker"], grant.pk, "Grunn.")
    with pytest.raises(changes.GrantChangeRefused):
        changes.cancel_grant(world.staff["caseworker"], grant.pk, "Grunn.")
    assert len(events(grant, "grant.cancelled")) == 1


@pytest.mark.usefixtures("monday_4_may_2026")
def test_a_lapsed_offer_is_reopened_with_a_new_deadline_and_held_in_the_frame_again(granted):
    world, grant = granted
    lapse(grant)
    assert left(world) == FRAME
    changes.reopen_lapsed(world.staff["caseworker"], grant.pk, dt.date(2026, 5, 18))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.OFFERED and grant.acceptance_due == dt.date(2026, 5, 18)
    assert left(world) == 50_000
    [event] = events(grant, "grant.reopened")
    assert event.audience == "applicant" and event.data["acceptance_due"] == "2026-05-18"


@pytest.mark.usefixtures("monday_4_may_2026")
def test_a_lapsed_offer_cannot_be_reopened_when_its_room_in_the_frame_is_gone(granted):
    world, grant = granted
    lapse(grant)
    other = ready_for_decision(imdi_c2(world)[1], world.staff["caseworker"])
    frames.set_allocation(world.staff["caseworker"], other.pk, grant.year, 100_000)
    assert left(world) == 100_000
    with pytest.raises(frames.FrameExceeded) as refused:
        changes.reopen_lapsed(world.staff["caseworker"], grant.pk, dt.date(2026, 5, 18))
    assert refused.value.left == 100_000 and refused.value.asked == 150_000
    grant.refresh_from_db()
    assert grant.status == GrantStatus.LAPSED and left(world) == 100_000
    assert events(grant, "grant.reopened") == []


@pytest.mark.usefixtures("monday_4_may_2026")
def test_a_reopened_deadline_cannot_be_in_the_past_and_only_a_lapsed_offer_reopens(granted):
    world, grant = granted
    with pytest.raises(changes.GrantChangeRefused):
        changes.reopen_lapsed(world.staff["caseworker"], grant.pk, dt.date(2026, 5, 18))  # still offered
    lapse(grant)
    with pytest.raises(changes.GrantChangeRefused) as refused:
        changes.reopen_lapsed(world.staff["caseworker"], grant.pk, dt.date(2026, 5, 3))
    assert "før i dag" in refused.value.reason_nb
    # Today (Europe/Oslo) is the earliest new deadline.
    changes.reopen_lapsed(world.staff["caseworker"], grant.pk, dt.date(2026, 5, 4))


def test_raising_a_grant_replans_the_open_terms_to_add_up_and_takes_room_in_the_frame(granted):
    world, grant = granted
    changes.change_amount(world.staff["caseworker"], grant.pk, 175_001, "Klagen er tatt til følge.")
    grant.refresh_from_db()
    assert grant.amount == 175_001
    assert list(grant.terms.values_list("amount", flat=True)) == [87_501, 87_500]
    assert left(world) == FRAME - 175_001
    [event] = events(grant, "grant.amount_changed")
    assert (event.from_state, event.to_state) == ("150000", "175001")


def test_a_grant_cannot_be_raised_beyond_the_frame(granted):
    world, grant = granted
    with pytest.raises(frames.FrameExceeded):
        changes.change_amount(world.staff["caseworker"], grant.pk, 200_001, "Klagen er tatt til følge.")
    grant.refresh_from_db()
    assert grant.amount == 150_000 and list(grant.terms.values_list("amount", flat=True)) == [75_000, 75_000]
    assert left(world) == 50_000


def test_lowering_a_grant_keeps_paid_terms_and_never_goes_below_what_is_paid(granted):
    world, grant = granted
    accept_and_pay_first_term(grant)
    with pytest.raises(changes.GrantChangeRefused) as refused:
        changes.change_amount(world.staff["caseworker"], grant.pk, 74_999, "For lite.")
    assert "(75\u00a0000 kr)" in refused.value.reason_nb
    changes.change_amount(world.staff["caseworker"], grant.pk, 100_000, "Delvis omgjort.")
    grant.refresh_from_db()
    assert list(grant.terms.values_list("amount", "status")) == [
        (75_000, TermStatus.PAID),
        (25_000, TermStatus.PLANNED),
    ]
    assert left(world) == FRAME - 100_000
    # Down to exactly what is paid: the open term lapses and the grant is paid out.
    changes.change_amount(world.staff["caseworker"], grant.pk, 75_000, "Omgjort.")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAID_OUT
    assert list(grant.terms.values_list("status", flat=True)) == [TermStatus.PAID, TermStatus.CANCELLED]
    assert left(world) == FRAME - 75_000


def test_changing_the_amount_of_a_lapsed_or_cancelled_grant_is_refused(granted):
    world, grant = granted
    lapse(grant)
    with pytest.raises(changes.GrantChangeRefused):
        changes.change_amount(world.staff["caseworker"], grant.pk, 100_000, "Grunn.")
    assert Grant.objects.get(pk=grant.pk).amount == 150_000
