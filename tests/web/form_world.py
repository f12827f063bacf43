"""One world for the web-form tests (tests/web/test_form_fuzz.py, tests/web/test_bad_input.py), built once per module
(tests/builders.py).

The staff matrix's world (``tests/staff_world.py``: C0 and C2 with their demo applications and
the grantors' staff), with each C0 case in another state so that every casework form shows, and
for the applicant's pages: a draft of C0 (a municipality) and of C2 (a voluntary organisation), a
colleague with a delegation, and the municipality's administrator.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.conftest import HttpsClient
from tests.staff_world import C0, C2, build_world

APPLICANT_ROLES = ("applicant", "volunteer", "orgadmin")
STAFF_ROLES = ("caseworker", "assessor", "approver", "administrator", "municipality")
ROLES = ("anon", *APPLICANT_ROLES, *STAFF_ROLES)


def build(django_user_model):
    from tilskudd.applications import services as applications
    from tilskudd.applications.models import Application
    from tilskudd.assessment import services as assessment
    from tilskudd.assessment.models import AssessmentLock, Assignment
    from tilskudd.casework import services as casework
    from tilskudd.casework.models import Role, StaffRole
    from tilskudd.grants.decisions import services as grants
    from tilskudd.orgs.models import Delegation, Membership

    world = build_world()
    caseworker, approver = world.staff["caseworker"], world.staff["approver"]
    # decided: published with its letter; in_assessment: locked, its decision awaits approval;
    # assessing: assigned to an assessor who declared, not locked; locked: ready for a decision; fresh: to be screened.
    decided, in_assessment, assessing, locked, fresh = world.applications[C0][:5]
    for application in (decided, in_assessment, assessing, locked):
        casework.accept(caseworker, application.case.pk)
    for application in (decided, in_assessment, locked):
        AssessmentLock.objects.create(application=application, locked_by=caseworker, locked_at=timezone.now(), total=5)
    assignment = Assignment.objects.create(
        application=assessing, assessor=world.staff["assessor1"], assigned_by=caseworker
    )
    assessment.declare(world.staff["assessor1"], assignment.pk, False)  # not disqualified: the scoring form shows
    published = grants.prepare_decision(caseworker, decided.pk, kind="grant", amount=100_000)
    grants.approve(approver, published.pk)
    grants.publish(approver, world.calls[C0], world.imdi.org_number)
    published.refresh_from_db()
    prepared = grants.prepare_decision(caseworker, in_assessment.pk, kind="grant", amount=50_000)
    staff_values = {
        "call": world.calls[C0].slug,
        "case": fresh.case.pk,  # submitted, not yet screened: every screening form is on its page
        "assessing_case": assessing.case.pk,
        "locked_case": locked.case.pk,
        "application": decided.pk,
        "letter": published.letter.pk,
        "assignment": assignment.pk,
        "decision": prepared.pk,
        "attachment": 999999,
        "attachment_case": fresh.case.pk,
        "imdi": world.imdi.pk,
        "approver_role": StaffRole.objects.get(user=approver, role=Role.APPROVER).pk,
        "grant": published.grant.pk,
    }
    # The second half's objects, as the staff matrix makes them: a payment batch of IMDi's (approved), a
    # change of bank account and a change request on its accepted grant (issue #11, #12).
    from tests.payments.payment_helpers import payment_world_objects
    from tests.test_access_matrix_staff import _amendment_objects, _bank_change_objects

    staff_values.update(payment_world_objects(world))
    staff_values.update(_bank_change_objects(staff_values["term"]))
    staff_values.update(_amendment_objects(staff_values["bank_grant"]))
    now = timezone.now()
    people, values = {}, {}
    for role, call_slug in (("applicant", C0), ("volunteer", C2)):
        organisation = (
            Application.objects.filter(call=world.calls[call_slug]).exclude(case_number=None).first().organisation
        )
        signatory = organisation.memberships.filter(role="signatory").first().user
        draft = applications.start_draft(signatory, organisation, world.calls[call_slug])
        colleague = django_user_model.objects.create_user(
            email=f"colleague-{role}@example.no", password="x" * 16, full_name="Kollega"
        )
        membership = Membership.objects.create(
            user=colleague, organisation=organisation, role="member", title="Rådgiver", confirmed_at=now
        )
        delegation = Delegation.objects.create(
            organisation=organisation,
            granted_by=signatory,
            delegate=colleague,
            valid_until=timezone.localdate() + dt.timedelta(days=30),
        )
        people[role] = signatory
        if role == "applicant":  # and the organisation's administrator, who edits it and its people
            people["orgadmin"] = django_user_model.objects.create_user(
                email="orgadmin@example.no", password="x" * 16, full_name="Admin"
            )
            Membership.objects.create(
                user=people["orgadmin"],
                organisation=organisation,
                role="administrator",
                title="Leder",
                confirmed_at=now,
            )
        values[role] = {
            "call": world.calls[call_slug].slug,
            "org": organisation.pk,
            "org_number": organisation.org_number,
            "new_org_number": "974760673",
            "application": draft.pk,
            "delegation": delegation.pk,
            "membership": membership.pk,
        }
    staff_people = {
        "caseworker": caseworker,
        "assessor": world.staff["assessor1"],
        "approver": approver,
        "administrator": world.staff["administrator"],
        "municipality": world.bergen_staff["caseworker"],
    }
    pending = Membership.objects.create(
        user=django_user_model.objects.create_user(email="pending@example.no", password="x" * 16, full_name="Venter"),
        organisation=world.imdi,
        role="signatory",
        title="Leder",
    )
    for role, person in staff_people.items():
        people[role] = person
        values[role] = {**values["applicant"], "membership": pending.pk, **staff_values}
    people["anon"] = None
    values["anon"] = values["orgadmin"] = values["applicant"]
    return people, values


def client_for(role, person):
    """A client over HTTPS that answers 500 instead of raising, logged in as ``person`` (staff with two-factor)."""
    client = HttpsClient(raise_request_exception=False)
    if person is None:
        return client
    if role in APPLICANT_ROLES:
        client.force_login(person)
    else:
        login_verified(client, person)
    return client


form_world_built = shared_world(build, name="form_world_built")


@pytest.fixture
def form_world(form_world_built, db):
    """(people by role, path values by role), built once per module; the test's own instances."""
    return fresh(form_world_built)
