"""A published grant decision makes a grant with its payment plan from the call (issue #11, points 1 and 3):
C2-R10's two terms, spring and autumn, above NOK 30 000; C0-R06's one term after acceptance."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.grants.grant_helpers import publish_decision
from tests.staff_world import C0, C2
from tilskudd.audit.models import AuditEvent
from tilskudd.grants.awards import plan
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, TermStatus


def test_a_c2_grant_over_30000_is_offered_with_two_equal_terms_spring_and_autumn(casework_world):
    application = next(a for a in casework_world.applications[C2] if a.case.grantor_org_number == casework_world.imdi.org_number)
    decision = publish_decision(casework_world, application, amount=150_001)
    grant = Grant.objects.get(decision=decision)
    assert grant.status == GrantStatus.OFFERED and grant.amount == 150_001
    terms = list(grant.terms.order_by("number"))
    assert [(t.number, t.amount, t.season) for t in terms] == [(1, 75_001, "spring"), (2, 75_000, "autumn")]
    assert sum(t.amount for t in terms) == grant.amount
    year = application.call_version.parsed().year
    assert terms[1].earliest == dt.date(year, 9, 1)
    # Nothing falls due before the grantee accepts.
    assert all(t.due_on is None and t.status == TermStatus.PLANNED for t in terms)
    offered = AuditEvent.objects.get(subject_type="grant", subject_id=str(grant.pk), action="grant.offered")
    assert offered.audience == "applicant" and offered.data["amount"] == 150_001


def test_a_c2_grant_of_30000_or_less_is_one_term(casework_world):
    application = next(a for a in casework_world.applications[C2] if a.case.grantor_org_number == casework_world.imdi.org_number)
    grant = publish_decision(casework_world, application, amount=30_000).grant
    assert [(t.number, t.amount, t.season) for t in grant.terms.all()] == [(1, 30_000, "")]


def test_a_c0_grant_is_one_term_and_a_refusal_makes_no_grant(casework_world):
    granted, refused = casework_world.applications[C0][:2]
    grant = publish_decision(casework_world, granted, amount=12_345).grant
    assert [(t.amount, t.season) for t in grant.terms.all()] == [(12_345, "")]
    assert grant.purpose == granted.title
    refusal = publish_decision(casework_world, refused, kind="refusal")
    assert not Grant.objects.filter(decision=refusal).exists()


@pytest.mark.parametrize("amount,terms", [(1, [1]), (3, [2, 1]), (100_001, [50_001, 50_000]), (7, [4, 3])])
def test_terms_are_whole_kroner_adding_up_exactly(amount, terms):
    assert plan.split(amount, len(terms)) == terms
    assert sum(plan.split(amount, len(terms))) == amount


def test_a_term_falls_due_on_its_trigger_day_but_not_before_its_season():
    autumn = dt.date(2020, 9, 1)
    assert plan.due_on(autumn, dt.date(2020, 5, 4)) == autumn
    assert plan.due_on(autumn, dt.date(2020, 10, 2)) == dt.date(2020, 10, 2)
    assert plan.due_on(None, dt.date(2020, 5, 4)) == dt.date(2020, 5, 4)
