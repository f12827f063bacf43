"""Shared set-up for the tests of the grant after its decision (issue #11; no tests here).

:func:`publish_decision` takes an application of the casework world (``tests/staff_world.py``) through a
prepared, approved and published decision with the grantor's own staff, as the services do it, and returns
the published decision (its grant, if any, is ``decision.grant``).
"""

from __future__ import annotations

from tests.grants.test_decisions_helpers import ready_for_decision
from tilskudd.grants.allocation import frames
from tilskudd.grants.decisions import services


def staff_of(world, application) -> dict:
    """The staff of the application's grantor in the casework world (IMDi's or Bergen's)."""
    bergen = getattr(world, "bergen", None)
    if bergen is not None and application.case.grantor_org_number == bergen.org_number:
        return world.bergen_staff
    return world.staff


def publish_decision(world, application, kind: str = "grant", amount: int | None = None, **extra):
    """Prepare (the grantor's caseworker), approve (its approver) and publish a decision; the decision back."""
    staff = staff_of(world, application)
    ready_for_decision(application, staff["caseworker"])
    if kind == "grant":
        extra.setdefault("amount", amount or 10_000)
    else:
        extra.setdefault("reasons", "Søknaden nådde ikke opp i konkurransen.")
    decision = services.prepare_decision(staff["caseworker"], application.pk, kind, **extra)
    services.approve(staff["approver"], decision.pk)
    give_frame(staff["approver"], application)
    services.publish(staff["approver"], application.call, application.case.grantor_org_number)
    decision.refresh_from_db()
    return decision


def give_frame(approver, application, amount: int = 100_000_000) -> None:
    """A frame for the application's grantor in the call's year where none is set (publishing needs one, issue #13)."""
    call, grantor = application.call, application.case.grantor_org_number
    if not services.has_frame(call, grantor):
        frames.set_frame(approver, call, grantor, "", call.definition.year, amount)
