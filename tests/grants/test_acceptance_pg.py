"""Answers to an offer at the same moment (issue #11, points 2 and 6; PostgreSQL row locks).

Two clicks on «Aksepter» in two requests make one Acceptance and one audit event, never an error; an accept and a
decline at once: one wins, the other is refused with the reason, and the frame holds what the winner says.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from tests.casework.helpers import applicant_of
from tests.concurrency import run_together
from tests.grants.grant_helpers import publish_decision
from tests.staff_world import C0
from tilskudd.audit.models import AuditEvent
from tilskudd.grants.awards import acceptance
from tilskudd.grants.models import Acceptance, AllocationLine, Grant
from tilskudd.grants.states import GrantStatus


@pytest.fixture
def postgres_only():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("needs PostgreSQL (SELECT … FOR UPDATE row locks); run with DATABASE_URL=postgres://…")


def _slow_checks(monkeypatch):
    """Widen the window between «is there an answer already?» and writing one: without the grant's row lock
    both answers would pass the check."""
    real = acceptance.offer_open

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(acceptance, "offer_open", slow)


def _run_together(*jobs) -> list[str]:
    return run_together(*jobs, refused={acceptance.AcceptanceRefused: "refused"})


def _offered(world):
    application = world.applications[C0][0]
    grant = publish_decision(world, application, amount=100_000).grant
    return grant, applicant_of(application), acceptance.terms_hash(grant)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_acceptance(postgres_only, fresh_casework_world, monkeypatch):
    grant, signatory, shown = _offered(fresh_casework_world)
    _slow_checks(monkeypatch)
    outcomes = _run_together(
        lambda: acceptance.accept(signatory, grant.pk, shown),
        lambda: acceptance.accept(signatory, grant.pk, shown),
    )
    assert outcomes == ["ok", "ok"], outcomes
    assert Acceptance.objects.filter(grant=grant).count() == 1
    assert (
        AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk), action="grant.accepted").count() == 1
    )
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.ACCEPTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_accept_and_a_decline_at_once_one_wins_and_the_frame_follows(
    postgres_only, fresh_casework_world, monkeypatch
):
    grant, signatory, shown = _offered(fresh_casework_world)
    _slow_checks(monkeypatch)
    outcomes = _run_together(
        lambda: acceptance.accept(signatory, grant.pk, shown),
        lambda: acceptance.decline(signatory, grant.pk, shown, reason="Avlyst."),
    )
    assert sorted(outcomes) == ["ok", "refused"], outcomes
    grant.refresh_from_db()
    held = AllocationLine.objects.get(application=grant.application, year=grant.year).amount
    if outcomes[0] == "ok":
        assert grant.status == GrantStatus.ACCEPTED and held == 100_000
    else:
        assert grant.status == GrantStatus.DECLINED and held == 0
    assert Acceptance.objects.filter(grant=grant).count() == 1
