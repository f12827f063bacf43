"""Frames stay true when a complaint is reversed at the same moment as other money moves (issue #11, point 6;
PostgreSQL row locks).

A reversal that needs the frame's last room races an allocation to another application, or another reversal:
whatever the order, exactly one gets the room, the other is refused with the frame's words and changes nothing,
and the frame is never exceeded.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.complaints.helpers import member_of, second_caseworker
from tests.grants.grant_helpers import publish_decision
from tests.grants.test_decisions_helpers import ready_for_decision
from tests.grants.test_grant_changes import imdi_c2
from tests.grants.test_grant_frames_pg import _frame_true, _run_together, _slow_reads, _world
from tilskudd.complaints import reversal, services
from tilskudd.complaints.models import Complaint
from tilskudd.complaints.states import ComplaintStatus
from tilskudd.grants.allocation import frames
from tilskudd.grants.models import AllocationLine, Decision
from tilskudd.grants.states import DecisionStatus

#: IMDi's frame is set to this; each contender asks 30 000: one fits, not both.
ROOM = 50_000
ASKED = 30_000


def _small_frame(world):
    call = _world(world)
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", call.definition.year, ROOM)
    return call


@pytest.fixture
def postgres_only():
    """Skip before the world is built (the row locks these tests prove exist on PostgreSQL only)."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("needs PostgreSQL (SELECT … FOR UPDATE row locks); run with DATABASE_URL=postgres://…")


def _refused_with_complaint(world, application) -> Complaint:
    refusal = publish_decision(world, application, kind="refusal")
    return services.file_complaint(member_of(application), refusal.pk, "Vi mener vurderingen er feil.")


def _held(application) -> int:
    line = AllocationLine.objects.filter(application=application, year=application.call.definition.year).first()
    return line.amount if line else 0


def _reversed(complaint: Complaint) -> bool:
    complaint.refresh_from_db()
    return complaint.status == ComplaintStatus.REVERSED


def _untouched(complaint: Complaint) -> None:
    """A refused reversal changed nothing: the complaint filed, the refusal in force, the application refused."""
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FILED and complaint.new_decision_id is None
    decision = Decision.objects.get(pk=complaint.decision_id)
    assert decision.status == DecisionStatus.PUBLISHED
    assert decision.application.status == "refused" and _held(decision.application) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reversal_and_an_allocation_needing_the_last_room_never_both_pass(
    postgres_only, fresh_casework_world, monkeypatch
):
    world = fresh_casework_world
    call = _small_frame(world)
    refused, other = imdi_c2(world)[:2]
    complaint = _refused_with_complaint(world, refused)
    handler = second_caseworker(world, world.imdi)
    ready_for_decision(other, world.staff["caseworker"])
    year = call.definition.year
    _slow_reads(monkeypatch)
    outcomes = _run_together(
        lambda: reversal.reverse(handler, complaint.pk, ASKED, "Prosjektet treffer målgruppen likevel."),
        lambda: frames.set_allocation(world.staff["caseworker"], other.pk, year, ASKED),
    )
    assert sorted(outcomes) == ["exceeded", "ok"], outcomes
    if outcomes[0] == "ok":
        assert _reversed(complaint) and _held(refused) == ASKED and _held(other) == 0
    else:
        _untouched(complaint)
        assert _held(other) == ASKED
    _frame_true(call)
    assert sum(line.amount for line in AllocationLine.objects.filter(application__in=imdi_c2(world))) <= ROOM


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reversals_needing_the_last_room_never_both_pass(postgres_only, fresh_casework_world, monkeypatch):
    world = fresh_casework_world
    call = _small_frame(world)
    first, second = imdi_c2(world)[:2]
    complaints = [_refused_with_complaint(world, first), _refused_with_complaint(world, second)]
    handler = second_caseworker(world, world.imdi)
    _slow_reads(monkeypatch)
    outcomes = _run_together(
        *(lambda c=c: reversal.reverse(handler, c.pk, ASKED, "Klagen tas til følge.") for c in complaints)
    )
    assert sorted(outcomes) == ["exceeded", "ok"], outcomes
    won, lost = complaints if outcomes[0] == "ok" else complaints[::-1]
    assert _reversed(won)
    _untouched(lost)
    assert sum(_held(a) for a in (first, second)) == ASKED
    _frame_true(call)
    assert sum(line.amount for line in AllocationLine.objects.filter(application__in=imdi_c2(world))) <= ROOM
