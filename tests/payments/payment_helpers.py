"""Set-up for the payment tests (issue #11 point 4; no tests here).

:func:`accepted_grant` publishes a grant decision in the casework world and accepts it through the ORM (the
acceptance service is another piece of #11): the grant ACCEPTED and each term's ``due_on`` set as given.
"""

from __future__ import annotations

import datetime as dt

from tests.grants.grant_helpers import publish_decision, staff_of
from tests.staff_world import C2
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus


def imdi_c2(world, index: int = 0):
    """The ``index``-th C2 application addressed to IMDi in the casework world."""
    found = [a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number]
    return found[index]


def accept(grant: Grant, *due: dt.date) -> Grant:
    """The grant accepted, its terms due on ``due`` in order (the last day given for any further term)."""
    grant.status = GrantStatus.ACCEPTED
    grant.save(update_fields=["status"])
    for index, term in enumerate(grant.terms.order_by("number")):
        term.due_on = due[min(index, len(due) - 1)]
        term.save(update_fields=["due_on"])
    return grant


def accepted_grant(world, application, amount: int, *due: dt.date) -> Grant:
    return accept(publish_decision(world, application, amount=amount).grant, *due)


def payment_world_objects(world) -> dict:
    """For the staff access matrix: a C2 grant of IMDi's of its own (the first C2 application to IMDi), accepted, its
    one term in a batch prepared by IMDi's caseworker and approved by its approver; the path values of batch, order
    and term.
    """
    from tilskudd.payments import services  # noqa: PLC0415 - read when the matrix world is built

    grant = accept(publish_decision(world, imdi_c2(world), amount=20_000).grant, dt.date(2000, 1, 1))
    staff = staff_of(world, grant.application)
    term = grant.terms.get()
    batch = services.prepare_batch(staff["caseworker"], world.imdi.org_number, [term.pk], dt.date(2100, 1, 4))
    services.approve_batch(staff["approver"], batch.pk)
    return {"batch": batch.pk, "order": batch.orders.get().pk, "term": term.pk}
