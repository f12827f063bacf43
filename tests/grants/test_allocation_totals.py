"""The running totals of the allocation lose nothing (issue #14, point 4; ``grants.totals``).

After generated applications (cases with areas, allocation lines, published grants) and then each kind of move
that can take a line or a grant to another group or change what it counts — a line written, rewritten, moved to
another year or deleted; a decision published, withdrawn, made a refusal, its amount or later years changed; the
case handed to another grantor; the first area changed (an area row moved, the rows rewritten, the case's areas
gone); the application's status moved by a save or a bulk update; a case deleted — the totals the allocation
page reads equal a fresh sum over the rows. Runs on SQLite and on PostgreSQL (each has its own triggers).
"""

from __future__ import annotations

import random
import re

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.staff_world import C0, C2
from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.casework.models import Case, CaseArea
from tilskudd.demo.dataset import generate
from tilskudd.grants import totals
from tilskudd.grants.allocation import frames
from tilskudd.grants.models import AllocationLine, Decision
from tilskudd.grants.states import DecisionKind, DecisionStatus

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in Status]
GRANTORS = [("987879696", "IMDi"), ("964338531", "Bergen")]


def _figures(found) -> tuple[dict, set[int]]:
    """(non-zero amounts per year and group, the years that hold anything): what the page shows of them."""
    proposed, granted = found
    amounts = {
        (kind, year, key): value
        for kind, by_year in (("proposed", proposed), ("granted", granted))
        for year, groups in by_year.items()
        for key, value in groups.items()
        if value
    }
    return amounts, {year for year, groups in (*proposed.items(), *granted.items()) if groups}


def _assert_exact(calls) -> None:
    for call in calls:
        year = call.definition.year
        assert _figures(totals.by_year(call, year)) == _figures(totals.recount(call, year)), call.slug


def _decision(application: Application, rng: random.Random) -> Decision:
    staff = application.created_by
    return Decision.objects.create(
        application=application,
        kind=DecisionKind.GRANT,
        status=DecisionStatus.PUBLISHED,
        amount=rng.randrange(0, 500_000),
        later_years={str(application.call.year + 1): rng.randrange(1, 100_000)} if rng.random() < 0.5 else {},
        prepared_by=staff,
        prepared_at=timezone.now(),
    )


def _move(rng: random.Random, cases: list[Case], kind: int) -> None:
    case = rng.choice(cases)
    application = case.application
    year = application.call.year
    if kind == 0:  # a line written or rewritten (a later year too)
        AllocationLine.objects.update_or_create(
            application=application,
            year=year + rng.choice([0, 0, 1]),
            defaults={"amount": rng.randrange(0, 1_000_000), "source": AllocationLine.Source.CASEWORKER},
        )
    elif kind == 1:  # a line moved to another year, or deleted
        line = AllocationLine.objects.filter(application=application).first()
        later = AllocationLine.objects.filter(application=application, year=year + 2).exists()
        if line is not None and not later and rng.random() < 0.5:
            AllocationLine.objects.filter(pk=line.pk).update(year=year + 2)
        elif line is not None:
            line.delete()
    elif kind == 2:  # a grant made, or one published, withdrawn, made a refusal, rewritten
        decision = Decision.objects.filter(application=application).first()
        if decision is None:
            _decision(application, rng)
        else:
            decision.status = rng.choice([DecisionStatus.PUBLISHED, DecisionStatus.PREPARED])
            decision.kind = rng.choice([DecisionKind.GRANT, DecisionKind.GRANT, DecisionKind.REFUSAL])
            decision.amount = rng.randrange(0, 800_000)
            decision.later_years = rng.choice([{}, {str(year + 1): 50_000, str(year + 2): 25_000}])
            decision.save()
    elif kind == 3:  # the case handed to another grantor
        case.grantor_org_number, case.grantor_name = rng.choice(GRANTORS)
        case.save(update_fields=["grantor_org_number", "grantor_name"])
    elif kind == 4:  # the first area moved by one row's change
        row = case.areas.order_by("position").first()
        if row is not None:
            row.area = rng.choice(["1", "2", "3", "A", "B"])
            row.save(update_fields=["area"])
    elif kind == 5:  # the area rows rewritten as casework.facts.write does (none at all, sometimes)
        case.areas.all().delete()
        codes = rng.sample(["1", "2", "3", "A", "B"], rng.randrange(0, 3))
        CaseArea.objects.bulk_create([CaseArea(case=case, area=code, position=i) for i, code in enumerate(codes)])
    elif kind == 6:  # the status moved by a save
        application.status = rng.choice(STATUSES)
        application.save(update_fields=["status"])
    elif kind == 7:  # the status moved by a bulk update of several applications
        chosen = [c.application_id for c in rng.sample(cases, min(3, len(cases)))]
        Application.objects.filter(pk__in=chosen).update(status=rng.choice(STATUSES))
    else:  # a case deleted (its lines and grants count under no grantor and no area)
        cases.remove(case)
        case.areas.all().delete()
        case.delete()


MOVES = 9


@pytest.mark.parametrize("seed", [1, 2])
def test_the_allocation_totals_equal_a_fresh_sum_after_every_kind_of_move(casework_world, seed):
    calls = [casework_world.calls[C0], casework_world.calls[C2]]
    generate(14, seed=seed, calls=calls)
    _assert_exact(calls)
    assert any(_figures(totals.by_year(call, call.definition.year))[0] for call in calls)  # lines and grants made
    rng = random.Random(seed)
    cases = list(Case.objects.select_related("application__call").order_by("pk"))
    for step in range(5 * MOVES):
        kind = step % MOVES  # each kind of move, five times, on random cases
        _move(rng, cases, kind)
        _assert_exact(calls)


def test_a_line_follows_its_case_to_another_grantor_area_and_status(casework_world):
    """Each move of the group by itself: the line's amount leaves the old group and lands in the new one."""
    world = casework_world
    call = world.calls[C0]
    year = call.definition.year
    application = world.applications[C0][0]
    case = application.case
    Application.objects.filter(pk=application.pk).update(status=Status.IN_ASSESSMENT)
    CaseArea.objects.filter(case=case).delete()
    CaseArea.objects.create(case=case, area="2", position=0)
    AllocationLine.objects.create(
        application=application, year=year, amount=123_456, source=AllocationLine.Source.CASEWORKER
    )

    def where() -> dict:
        proposed, _ = totals.by_year(call, year)
        return {key: amount for key, amount in proposed[year].items() if amount}

    before = where()
    own = (case.grantor_org_number, "2")
    assert before[own] >= 123_456
    CaseArea.objects.filter(case=case, position=0).update(area="3")  # the first area changes
    assert where().get(own, 0) == before[own] - 123_456
    assert where()[(case.grantor_org_number, "3")] >= 123_456
    case.grantor_org_number = world.bergen.org_number  # the grantor changes
    case.save(update_fields=["grantor_org_number"])
    assert where()[(world.bergen.org_number, "3")] == 123_456
    Application.objects.filter(pk=application.pk).update(status=Status.WITHDRAWN)  # the status no longer counts
    assert where().get((world.bergen.org_number, "3"), 0) == 0
    _assert_exact([call])


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


@pytest.mark.parametrize("url_tail", ["", "?omrade=2"])
def test_the_allocation_page_shows_the_same_figures_as_the_sums_over_the_rows(
    casework_world, client, monkeypatch, url_tail
):
    world = casework_world
    call = world.calls[C0]
    generate(40, seed=21, calls=[call])
    rng = random.Random(21)
    cases = list(Case.objects.filter(application__call=call).select_related("application__call").order_by("pk"))
    for step in range(20):  # later years' commitments and grants, moved groups
        _move(rng, cases, [0, 2, 4, 3][step % 4])
    login_verified(client, world.staff["caseworker"])
    url = f"/saksbehandling/utlysninger/{call.slug}/fordeling/{url_tail}"
    from_totals = client.get(url, secure=True).content.decode()
    rows = [(r.key, r.applied, r.proposed, r.granted, r.left) for r in frames.usage(call, world.imdi.org_number).rows]
    assert any(granted for _, _, _, granted, _ in rows) and any(proposed for _, _, proposed, _, _ in rows)
    monkeypatch.setattr(totals, "by_year", totals.recount)  # the figures as summed from the rows before
    assert _without_tokens(client.get(url, secure=True).content.decode()) == _without_tokens(from_totals)
    assert [
        (r.key, r.applied, r.proposed, r.granted, r.left) for r in frames.usage(call, world.imdi.org_number).rows
    ] == rows


def test_a_rebuild_gives_the_same_totals(casework_world):
    calls = [casework_world.calls[C0], casework_world.calls[C2]]
    generate(8, seed=4, calls=calls)
    before = {call.pk: _figures(totals.by_year(call, call.definition.year)) for call in calls}
    totals.rebuild()
    assert {call.pk: _figures(totals.by_year(call, call.definition.year)) for call in calls} == before
