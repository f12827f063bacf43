"""The demo's people and grants that the browser walks on the demo share (test_grant_walks.py, test_report_walk.py):
the grantors' staff as a World that tests/complaints/helpers.decide takes, and IMDi's grant to Foreningen Trygg
Oppvekst, decided with the services beforehand."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from tests.complaints.helpers import decide
from tests.staff_world import World
from tilskudd.applications.models import Application
from tilskudd.demo import casework
from tilskudd.grants.models import Grant
from tilskudd.orgs.models import Organisation

C2 = "frivillige-organisasjoner-2020-demo"
TRYGG = "926229419"
CHAIR = "styreleder@tryggoppvekst.example"


def demo_world() -> World:
    """The demo's grantors and staff, as tests/complaints/helpers.decide takes them."""
    users = {u.email: u for u in get_user_model().objects.filter(email__in=[p.email for p in casework.STAFF])}
    return World(
        calls={},
        imdi=Organisation.objects.get(org_number=casework.IMDI_ORG_NUMBER),
        bergen=Organisation.objects.get(org_number=casework.BERGEN_ORG_NUMBER),
        staff={"caseworker": users["saksbehandler@imdi.example"], "approver": users["beslutter@imdi.example"]},
        bergen_staff={"caseworker": users["tilskudd@bergen.example"], "approver": users["beslutter@bergen.example"]},
    )


def trygg_grant(world: World, amount: int = 150_000, **extra) -> Grant:
    """IMDi's published grant of ``amount`` to Foreningen Trygg Oppvekst (C2, sub-goals A and C); ``extra`` goes
    to the decision (``report_due``)."""
    application = Application.objects.get(call__slug=C2, organisation__org_number=TRYGG)
    return Grant.objects.get(decision=decide(world, application, kind="grant", amount=amount, **extra))
