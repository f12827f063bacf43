"""Who may open what on the grantor's side: every casework URL × every staff role and both kinds of grantor.

Roles: ``anon``; ``applicant`` (signatory of the applying organisation, no grantor role);
``plain_staff`` (``is_staff`` and two-factor verified, but no role at any grantor); IMDi's
``caseworker``, ``assessor`` (assigned to the case), ``approver`` and ``administrator``; and
``municipality`` (Bergen kommune's caseworker: a grantor of the other kind, C2-R02). The objects
belong to IMDi, so Bergen's staff get 404 — the objects' existence does not leak — and IMDi's staff
without the needed role get 403 with the reason.

``tests/test_access_matrix.py`` fails for a route that neither matrix covers.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.staff_world import C0, C2, build_world

ROLES = ("anon", "applicant", "plain_staff", "caseworker", "assessor", "approver", "administrator", "municipality")
LOGIN = "login"


def staff(ok=200, *, caseworker=None, assessor=None, approver=None, administrator=None, municipality=404):
    """A page about IMDi's objects: IMDi's staff get ``ok`` (or their own answer), the others are kept out."""
    return {
        "anon": LOGIN,
        "applicant": 403,
        "plain_staff": 403,
        "caseworker": ok if caseworker is None else caseworker,
        "assessor": ok if assessor is None else assessor,
        "approver": ok if approver is None else approver,
        "administrator": ok if administrator is None else administrator,
        "municipality": municipality,
    }


#: route name → (method, path with {placeholders}, expected answer per role)
STAFF_MATRIX: dict[str, tuple[str, str, dict]] = {}


@pytest.fixture
def world(db, django_user_model):
    from tilskudd.applications.models import Application
    from tilskudd.assessment.models import Assignment
    from tilskudd.casework.models import Role, StaffRole

    world = build_world()
    c0_application = world.applications[C0][0]
    Application.objects.filter(pk=c0_application.pk).update(status="in_assessment")
    assignment = Assignment.objects.create(
        application=c0_application, assessor=world.staff["assessor1"], assigned_by=world.staff["caseworker"]
    )
    plain = django_user_model.objects.create_user(email="plain@imdi.example", password="x" * 16, is_staff=True)
    applicant = c0_application.organisation.memberships.filter(role="signatory").first().user
    people = {
        "applicant": applicant,
        "plain_staff": plain,
        "caseworker": world.staff["caseworker"],
        "assessor": world.staff["assessor1"],
        "approver": world.staff["approver"],
        "administrator": world.staff["administrator"],
        "municipality": world.bergen_staff["caseworker"],
    }
    assert not StaffRole.objects.filter(user=applicant).exists()
    assert StaffRole.objects.filter(user=people["municipality"], role=Role.CASEWORKER).exists()
    values = {
        "call": world.calls[C0].slug,
        "c2_call": world.calls[C2].slug,
        "case": c0_application.case.pk,
        "application": c0_application.pk,
        "assignment": assignment.pk,
        "imdi": world.imdi.pk,
        "now": timezone.now().isoformat(),
    }
    return world, people, values


def _client_for(role, people, client):
    if role == "anon":
        return client
    if role == "applicant":
        client.force_login(people[role])
    else:
        login_verified(client, people[role])
    return client


def _answer(response):
    if response.status_code == 302 and "/konto/logg-inn/" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_staff_role_gets_the_expected_answer_on_every_casework_route(world, client, role):
    _world, people, values = world
    client = _client_for(role, people, client)
    wrong = {}
    for name, (method, template, expected) in STAFF_MATRIX.items():
        path = template.format(**values)
        response = getattr(client, method.lower())(path, secure=True)
        if _answer(response) != expected[role]:
            wrong[name] = f"{method} {path}: got {_answer(response)}, expected {expected[role]}"
    assert wrong == {}, "\n".join(wrong.values())
