"""A world for casework tests: real calls, open demo copies, the grantors' staff and submitted applications.

``casework_world`` loads C0 and C2 (and their open ``-demo`` copies), the demo
organisations and the grantor staff of IMDi and Bergen kommune, and submits
the passing examples of both calls through the portal's own services. Tests of
other calls pass their slugs to :func:`build_world`.

The world is built once per test module (``casework_world_built`` in tests/conftest.py,
see tests/builders.py) and each test gets its objects read again from the database.

Staff must use two-factor authentication: log them in with
``tests.accounts.helpers.login_verified(client, world.staff["caseworker"])``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.builders import load_calls
from tests.conftest import CALLS_DIR
from tilskudd.applications.models import Application
from tilskudd.calls.models import Call
from tilskudd.orgs.models import Organisation

C0 = "kommunale-integreringstiltak-2019"
C2 = "frivillige-organisasjoner-2020"


@dataclass
class World:
    calls: dict[str, Call]  # real slug → the open demo copy
    imdi: Organisation
    bergen: Organisation
    #: IMDi's staff by role: caseworker, assessor1, assessor2, approver, administrator
    staff: dict[str, object]
    #: Bergen kommune's grantor staff: caseworker (also assessor), assessor, approver
    bergen_staff: dict[str, object]
    applications: dict[str, list[Application]] = field(default_factory=dict)  # real slug → submitted


def build_world(slugs: tuple[str, ...] = (C0, C2), move_dates: bool = False) -> World:
    from django.contrib.auth import get_user_model

    from tilskudd.demo import casework
    from tilskudd.demo.services import load_demo

    load_calls([CALLS_DIR / f"{slug}.yaml" for slug in slugs])
    # Demo copies of the loaded calls, organisations, staff, submitted examples. The copies keep the calls' own
    # years and dates unless asked (``move_dates``, as ``make run`` does): the casework tests and their golden
    # letters read 2019 and 2020 on any day of any year.
    load_demo(move_dates=move_dates)
    User = get_user_model()
    by_email = {u.email: u for u in User.objects.filter(email__in=[p.email for p in casework.STAFF])}
    calls = {slug: Call.objects.get(slug=f"{slug}-demo") for slug in slugs}
    applications = {
        slug: list(Application.objects.filter(call=call).exclude(case_number=None).order_by("case_number"))
        for slug, call in calls.items()
    }
    return World(
        calls=calls,
        imdi=Organisation.objects.get(org_number=casework.IMDI_ORG_NUMBER),
        bergen=Organisation.objects.get(org_number=casework.BERGEN_ORG_NUMBER),
        staff={
            "caseworker": by_email["saksbehandler@imdi.example"],
            "assessor1": by_email["vurderer1@imdi.example"],
            "assessor2": by_email["vurderer2@imdi.example"],
            "approver": by_email["beslutter@imdi.example"],
            "administrator": by_email["admin@imdi.example"],
        },
        bergen_staff={
            "caseworker": by_email["tilskudd@bergen.example"],
            "assessor": by_email["vurderer@bergen.example"],
            "approver": by_email["beslutter@bergen.example"],
        },
        applications=applications,
    )
