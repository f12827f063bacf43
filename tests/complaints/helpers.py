"""Shared set-up for the complaint tests (no tests here): a world with C0–C3, members, a second handler."""

from __future__ import annotations

from tests.grants.grant_helpers import publish_decision, staff_of
from tilskudd.casework.models import Role, StaffRole
from tilskudd.grants.allocation import frames
from tilskudd.orgs.models import Membership

C1 = "fag-og-yrkesopplaering-2025"
C3 = "mangfold-mot-rasisme-2024"


def member_of(application):
    """A current member of the applicant organisation (any role)."""
    return (
        Membership.objects.filter(organisation=application.organisation, removed_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def second_caseworker(world, grantor) -> object:
    """A caseworker at ``grantor`` who took no part in the decision: the demo has one caseworker per grantor, so an
    assessor gets the caseworker role as well."""
    person = world.staff["assessor1"] if grantor == world.imdi else world.bergen_staff["assessor"]
    StaffRole.objects.get_or_create(user=person, grantor=grantor, role=Role.CASEWORKER, removed_at=None)
    return person


def decide(world, application, kind: str = "refusal", amount: int | None = None, **extra):
    """A published decision of ``kind`` (tests/grants/grant_helpers.publish_decision), with the frames publishing
    needs: the whole scheme's (set by the call's grantor) and the deciding grantor's own."""
    call, year = application.call, application.call.definition.year
    frames.set_frame(world.staff["approver"], call, "", "", year, 100_000_000)
    grantor = application.case.grantor_org_number
    frames.set_frame(staff_of(world, application)["approver"], call, grantor, "", year, 50_000_000)
    return publish_decision(world, application, kind=kind, amount=amount, **extra)
