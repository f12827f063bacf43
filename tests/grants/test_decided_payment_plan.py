"""Where the call leaves the payment plan to the grant letter (C1-R10, and C4 by X-R05), the caseworker sets it in the decision
(issue #11, point 3): the number of terms and each later term's first day; equal terms in whole kroner that add
up exactly; the grant and the letter follow it. Where the call sets the plan, the decision cannot."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import fresh, shared_world
from tests.grants.grant_helpers import give_frame, staff_of
from tests.grants.test_decisions_helpers import ready_for_decision
from tests.staff_world import C0, build_world
from tilskudd.grants.decisions import letters, services
from tilskudd.grants.models import Grant

C1 = "fag-og-yrkesopplaering-2025"


c1_world_built = shared_world(lambda: build_world((C0, C1)), name="c1_world_built")


@pytest.fixture
def c1_world(c1_world_built, db):
    """C0 and C1 with their submitted examples, built once for the module; the test's own instances."""
    return fresh(c1_world_built)


def _prepare(world, application, **plan):
    staff = staff_of(world, application)
    ready_for_decision(application, staff["caseworker"])
    return services.prepare_decision(staff["caseworker"], application.pk, "grant", amount=100_001, **plan), staff


def test_a_c1_grant_in_three_terms_is_planned_and_written_as_the_caseworker_set_it(c1_world):
    application = c1_world.applications[C1][0]
    decision, staff = _prepare(
        c1_world, application, payment_terms=3, payment_dates=[dt.date(2025, 6, 1), dt.date(2025, 10, 1)]
    )
    assert decision.payment_terms == 3 and decision.payment_dates == ["2025-06-01", "2025-10-01"]
    payment = letters.letter_facts(decision, today=dt.date(2025, 3, 3))["payment"]
    assert payment["terms"] == 3
    assert [(line["amount"], line["when"]) for line in payment["lines"]] == [
        (33_334, "når vi har mottatt aksepten"),
        (33_334, "tidligst 01.06.2025, når vi har mottatt aksepten"),
        (33_333, "tidligst 01.10.2025, når vi har mottatt aksepten"),
    ]
    assert payment["text"].endswith(
        "i tre terminer, etter at dere har akseptert tilskuddet og vilkårene i dette brevet."
    )
    services.approve(staff["approver"], decision.pk)
    give_frame(staff["approver"], application)
    services.publish(staff["approver"], application.call, application.case.grantor_org_number)
    grant = Grant.objects.get(decision=decision)
    terms = [(t.number, t.amount, t.earliest) for t in grant.terms.order_by("number")]
    assert terms == [(1, 33_334, None), (2, 33_334, dt.date(2025, 6, 1)), (3, 33_333, dt.date(2025, 10, 1))]
    assert sum(amount for _, amount, _ in terms) == grant.amount == 100_001


def test_without_a_plan_the_c1_grant_keeps_the_calls_one_term(c1_world):
    decision, _ = _prepare(c1_world, c1_world.applications[C1][0])
    assert decision.payment_terms is None
    assert letters.letter_facts(decision, today=dt.date(2025, 3, 3))["payment"]["terms"] == 1


@pytest.mark.parametrize(
    "plan, reason",
    [
        ({"payment_terms": 5}, "Velg mellom 1 og 4 terminer."),
        ({"payment_terms": 2, "payment_dates": [dt.date(2026, 3, 1)]}, "Termin 2 må utbetales innenfor perioden"),
        (
            {"payment_terms": 3, "payment_dates": [dt.date(2025, 9, 1), dt.date(2025, 6, 1)]},
            "Termin 3 må utbetales innenfor perioden og etter terminen før.",
        ),
    ],
)
def test_a_plan_outside_the_period_or_out_of_order_is_refused_and_nothing_is_prepared(c1_world, plan, reason):
    application = c1_world.applications[C1][0]
    with pytest.raises(services.DecisionRefused) as refused:
        _prepare(c1_world, application, **plan)
    assert reason in refused.value.reason_nb
    assert services.active_decision(application) is None


def test_where_the_call_sets_the_plan_the_decision_cannot(c1_world):
    with pytest.raises(services.DecisionRefused) as refused:
        _prepare(c1_world, c1_world.applications[C0][0], payment_terms=2)
    assert "Utlysningen bestemmer utbetalingsplanen" in refused.value.reason_nb
