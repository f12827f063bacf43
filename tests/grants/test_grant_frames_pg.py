"""Frames stay true when grants change at once (issue #11, point 6; PostgreSQL row locks).

Two late reopenings that together need more than the frame has, or a cancellation racing a reopening that needs
the room it frees: whatever the order, no frame is ever exceeded and no change is lost — each application's line
in the frame is what its grant's state says it holds.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.utils import timezone

from tests.concurrency import run_together
from tests.grants.grant_helpers import publish_decision
from tests.grants.test_grant_changes import imdi_c2, lapse
from tests.staff_world import C2
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import changes
from tilskudd.grants.models import AllocationLine, Grant
from tilskudd.grants.states import GrantStatus

FRAME = 200_000


@pytest.fixture
def postgres_only():
    """Skip before the world is built (the row locks these tests prove exist on PostgreSQL only)."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("needs PostgreSQL (SELECT … FOR UPDATE row locks); run with DATABASE_URL=postgres://…")


def _world(world):
    call = world.calls[C2]
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", call.definition.year, FRAME)
    return call


def _slow_reads(monkeypatch):
    """Widen the window between reading what is used and writing the line: without the frame row lock both
    changes would pass."""
    real = frames._counted_lines

    def slow(*args):
        found = real(*args)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(frames, "_counted_lines", slow)


def _run_together(*jobs) -> list[str]:
    return run_together(*jobs, refused={frames.FrameExceeded: "exceeded"})


def _held(grant: Grant) -> int:
    line = AllocationLine.objects.filter(application=grant.application, year=grant.year).first()
    return line.amount if line else 0


def _frame_true(call) -> None:
    lines = AllocationLine.objects.filter(application__call=call, year=call.definition.year)
    assert sum(line.amount for line in lines) <= FRAME


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_late_reopenings_that_together_exceed_the_frame_cannot_both_pass(
    postgres_only, fresh_casework_world, monkeypatch
):
    world = fresh_casework_world
    call = _world(world)
    first, second = imdi_c2(world)[:2]
    big = publish_decision(world, first, amount=150_000).grant
    lapse(big)
    small = publish_decision(world, second, amount=100_000).grant
    lapse(small)
    due = timezone.localdate()
    caseworker = world.staff["caseworker"]
    _slow_reads(monkeypatch)
    outcomes = _run_together(
        lambda: changes.reopen_lapsed(caseworker, big.pk, due),
        lambda: changes.reopen_lapsed(caseworker, small.pk, due),
    )
    assert sorted(outcomes) == ["exceeded", "ok"], outcomes
    big.refresh_from_db()
    small.refresh_from_db()
    reopened = [g for g in (big, small) if g.status == GrantStatus.OFFERED]
    assert len(reopened) == 1
    assert [_held(g) for g in (big, small)] == [g.amount if g in reopened else 0 for g in (big, small)]
    _frame_true(call)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_cancellation_and_a_reopening_needing_its_room_never_break_the_frame(
    postgres_only, fresh_casework_world, monkeypatch
):
    world = fresh_casework_world
    call = _world(world)
    first, second = imdi_c2(world)[:2]
    lapsed = publish_decision(world, second, amount=100_000).grant
    lapse(lapsed)
    offered = publish_decision(world, first, amount=150_000).grant  # 50 000 left: too little to reopen
    caseworker = world.staff["caseworker"]
    _slow_reads(monkeypatch)
    outcomes = _run_together(
        lambda: changes.cancel_grant(caseworker, offered.pk, "Prosjektet er avlyst."),
        lambda: changes.reopen_lapsed(caseworker, lapsed.pk, timezone.localdate()),
    )
    # The cancellation always passes; the reopening passes only if it came after the room was freed.
    assert outcomes[0] == "ok" and outcomes[1] in ("ok", "exceeded"), outcomes
    offered.refresh_from_db()
    lapsed.refresh_from_db()
    assert offered.status == GrantStatus.CANCELLED and _held(offered) == 0  # nothing was paid: nothing kept
    if outcomes[1] == "ok":
        assert lapsed.status == GrantStatus.OFFERED and _held(lapsed) == 100_000
    else:
        assert lapsed.status == GrantStatus.LAPSED and _held(lapsed) == 0
    _frame_true(call)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_raises_of_different_grants_at_once_cannot_together_exceed_the_frame(
    postgres_only, fresh_casework_world, monkeypatch
):
    world = fresh_casework_world
    call = _world(world)
    first, second = imdi_c2(world)[:2]
    one = publish_decision(world, first, amount=60_000).grant
    two = publish_decision(world, second, amount=60_000).grant  # 80 000 left
    caseworker = world.staff["caseworker"]
    _slow_reads(monkeypatch)
    outcomes = _run_together(
        lambda: changes.change_amount(caseworker, one.pk, 120_000, "Klagen tatt til følge."),
        lambda: changes.change_amount(caseworker, two.pk, 120_000, "Klagen tatt til følge."),
    )
    assert sorted(outcomes) == ["exceeded", "ok"], outcomes
    one.refresh_from_db()
    two.refresh_from_db()
    assert sorted([one.amount, two.amount]) == [60_000, 120_000]
    assert [_held(one), _held(two)] == [one.amount, two.amount]
    _frame_true(call)
