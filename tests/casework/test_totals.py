"""The running totals of the cases lose nothing (issue #14, point 4; ``casework.totals``).

After generated applications and then a seeded series of random changes — a status moved by a model save or a
bulk update, the amount applied for and the county rewritten, area rows deleted and added, the case handed to
another grantor, a case deleted — the totals the pages read equal a full recount of the rows, group by group.
Runs on SQLite and on PostgreSQL (each has its own triggers).
"""

from __future__ import annotations

import random

import pytest

from tests.accounts.helpers import login_verified
from tests.staff_world import C0, C2
from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.casework import totals
from tilskudd.casework.models import Case, CaseArea, CaseTally
from tilskudd.demo.dataset import generate

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in Status]


def _grantors():
    return set(Case.objects.values_list("grantor_org_number", flat=True)) | {"999999999"}


def _assert_exact(calls) -> None:
    grantors = _grantors()
    for call in calls:
        assert totals.stored(call, grantors) == totals.recount(call, grantors), call.slug
    # The ledger names each counted case's application (the overview's sums join it on that).
    ledger = dict(CaseTally.objects.values_list("case_id", "application_id"))
    cases = dict(Case.objects.exclude(application__status=Status.DRAFT).values_list("pk", "application_id"))
    assert ledger == cases


def _move(rng: random.Random, cases: list[Case]) -> None:
    case = rng.choice(cases)
    kind = rng.randrange(7)
    if kind == 0:  # a status moved by a save
        application = case.application
        application.status = rng.choice(STATUSES)
        application.save(update_fields=["status"])
    elif kind == 1:  # a status moved by a bulk update of several applications
        chosen = [c.application_id for c in rng.sample(cases, min(3, len(cases)))]
        Application.objects.filter(pk__in=chosen).update(status=rng.choice(STATUSES))
    elif kind == 2:  # the facts rewritten (a resubmission after completion)
        case.amount_applied = rng.choice([None, 0, rng.randrange(1, 2_000_000)])
        case.county = rng.choice(["", "03", "46", "50"])
        case.save(update_fields=["amount_applied", "county"])
    elif kind == 3:  # the area rows rewritten as casework.facts.write does
        case.areas.all().delete()
        codes = rng.sample(["1", "2", "3", "A", "B"], rng.randrange(0, 3))
        CaseArea.objects.bulk_create([CaseArea(case=case, area=code, position=i) for i, code in enumerate(codes)])
    elif kind == 4:  # one area row moved
        row = case.areas.order_by("position").first()
        if row is not None:
            row.area = rng.choice(["1", "2", "3"])
            row.save(update_fields=["area"])
    elif kind == 5:  # the case handed to another grantor
        case.grantor_org_number, case.grantor_name = rng.choice([("987879696", "IMDi"), ("964338531", "Bergen")])
        case.save(update_fields=["grantor_org_number", "grantor_name"])
    else:  # a case deleted
        cases.remove(case)
        case.delete()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_totals_equal_a_full_recount_after_random_changes(casework_world, seed):
    calls = [casework_world.calls[C0], casework_world.calls[C2]]
    generate(12, seed=seed, calls=calls)
    _assert_exact(calls)
    rng = random.Random(seed)
    cases = list(Case.objects.select_related("application").order_by("pk"))
    for _step in range(40):
        _move(rng, cases)
        _assert_exact(calls)
    assert any(totals.stored(call, _grantors()) for call in calls)  # something was counted at all


def test_a_rebuild_gives_the_same_totals(casework_world):
    calls = [casework_world.calls[C0], casework_world.calls[C2]]
    generate(8, seed=4, calls=calls)
    before = {call.pk: totals.stored(call, _grantors()) for call in calls}
    totals.rebuild()
    assert {call.pk: totals.stored(call, _grantors()) for call in calls} == before


def test_the_queue_says_how_many_cases_the_totals_hold(casework_world, client):
    world = casework_world
    call = world.calls[C0]
    generate(7, seed=5, calls=[call])
    first = Application.objects.filter(call=call, case__isnull=False).order_by("pk").first()
    Application.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)  # a move no service made
    counted = (
        Case.objects.filter(application__call=call, grantor_org_number=world.imdi.org_number)
        .exclude(application__status=Status.DRAFT)
        .count()
    )
    login_verified(client, world.staff["caseworker"])
    page = client.get(f"/saksbehandling/utlysninger/{call.slug}/", secure=True).content.decode()
    assert f'id="result-count" role="status">{counted} søknader.' in page
    assert totals.case_count(call, {world.imdi.org_number}) == counted
