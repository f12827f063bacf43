"""A casework page's call is looked up by itself (issue #14, point 4): ``scope.takes_part`` says of one call what
``scope.calls`` says of them all — for every member of staff, every call, whether they run it, take part in it as
a local grantor (C2's municipalities) or only hold a case of it — and a call outside a person's scope is a 404."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import login_verified
from tests.staff_world import C0, C2
from tilskudd.calls.models import Call
from tilskudd.casework import scope
from tilskudd.casework.models import Case

pytestmark = pytest.mark.django_db


def test_takes_part_says_of_one_call_what_calls_says_of_them_all(casework_world):
    world = casework_world
    case = Case.objects.filter(application__call=world.calls[C0]).first()
    case.grantor_org_number, case.grantor_name = world.bergen.org_number, "Bergen kommune"  # a case of C0 at Bergen
    case.save(update_fields=["grantor_org_number", "grantor_name"])
    people = [*world.staff.values(), *world.bergen_staff.values()]
    calls = list(Call.objects.all())
    assert len(calls) > 2
    for person in people:
        theirs = set(scope.calls(person))
        assert {call for call in calls if scope.takes_part(person, call)} == theirs, person
    assert world.calls[C0] in set(scope.calls(world.bergen_staff["caseworker"]))  # by the case alone


def test_a_call_outside_the_persons_scope_is_not_found(casework_world, client):
    world = casework_world
    c0, c2 = world.calls[C0], world.calls[C2]
    login_verified(client, world.bergen_staff["caseworker"])
    assert client.get(f"/saksbehandling/utlysninger/{c2.slug}/", secure=True).status_code == 200
    assert client.get(f"/saksbehandling/utlysninger/{c0.slug}/", secure=True).status_code == 404
