"""Demo grants after the decision: a few demo applications taken to published, accepted grants (issue #12, «Done when»).

So that a caseworker's «due and overdue» list (``/saksbehandling/frister/``) and the grantee's grant page have
something to show in the demo, :func:`load` takes three of IMDi's C3 demo applications (``mangfold-mot-rasisme-…-demo``:
its reporting duties are dated by the grant letter, C3-R09, so the demo can set a due day near the day it is
loaded) through the same services as the pages, one step each with its audit event:

* screening (accepted for assessment) by IMDi's caseworker, one assessor's declaration and scores, the lock;
* a grant decision prepared by the caseworker and approved and published by the approver (four eyes);
* accepted by the applicant's signatory with the terms' hash, which makes the reporting duties.

Bergen kommune's report falls due :data:`DUE_SOON_DAYS` days after the demo is loaded, Oslo kommune, bydel Søndre
Nordstrand's was due :data:`OVERDUE_DAYS` days before, and Bærum kommune's offer is left unanswered. No date is
written here: the due days count from ``today``, and everything else (period, payment terms, acceptance deadline)
comes from the call's definition as the decision services read it.

Only the demo command (``load_demo --``, ``make run``) and the tests that ask for it run this (``load_demo(decided=True)``):
the test worlds load the same examples and decide them themselves.
Idempotent: an application that is no longer «submitted» is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.assessment import services as assessment
from tilskudd.calls.models import Call
from tilskudd.casework import services as casework
from tilskudd.demo.casework import IMDI_ORG_NUMBER
from tilskudd.demo.data import DEMO_SUFFIX
from tilskudd.grants.awards import acceptance
from tilskudd.grants.decisions import services as decisions
from tilskudd.grants.models import Grant
from tilskudd.orgs.models import Membership

#: The call whose demo copy gets the decided grants: C3 leaves the report's due day to the grant letter.
CALL = "mangfold-mot-rasisme-2024"
#: The report falls due this many days after the demo is loaded (within the dashboard's horizon).
DUE_SOON_DAYS = 14
#: The overdue report was due this many days before the demo is loaded.
OVERDUE_DAYS = 10

CASEWORKER = "saksbehandler@imdi.example"
ASSESSOR = "vurderer1@imdi.example"
APPROVER = "beslutter@imdi.example"


@dataclass(frozen=True)
class Plan:
    """One demo application's way: whose, how its report is dated (days from today), and whether it is accepted."""

    org_number: str
    report_in_days: int
    accepted: bool = True


PLANS = (
    Plan("964338531", DUE_SOON_DAYS),  # Bergen kommune: its signatory is a demo login (kommunedirektor@bergen.example)
    Plan("972408875", -OVERDUE_DAYS),  # Oslo kommune, bydel Søndre Nordstrand
    Plan("935478715", DUE_SOON_DAYS, accepted=False),  # Bærum kommune: offered, not answered yet
)


def _granted_amount(application: Application) -> int:
    """Half the amount applied for, in whole thousands: a grant smaller than asked, as most are."""
    applied = int((application.submitted_content or {})["budget"]["amount_applied"])
    return max(1000, applied // 2 // 1000 * 1000)


def _assess(caseworker, assessor, application: Application) -> None:
    case = application.case
    casework.accept(caseworker, case.pk, "Demo: godtatt til vurdering.")
    (assignment,) = assessment.assign(caseworker, case.pk, [assessor.pk])
    assessment.declare(assessor, assignment.pk, disqualified=False)
    scores = {
        criterion.id: (criterion.scale.max - 1, f"{criterion.label.nb}: godt beskrevet i søknaden.")
        for criterion in assessment.criteria_of(application)
    }
    assessment.save_scores(assessor, assignment.pk, scores, _granted_amount(application), "Et godt tiltak.")
    assessment.complete(assessor, assignment.pk)
    assessment.lock(caseworker, case.pk, None, "Demo: vurderingen er låst.")


def _signatory(application: Application):
    membership = (
        Membership.objects.filter(
            organisation=application.organisation, role="signatory", removed_at__isnull=True, confirmed_at__isnull=False
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def load(today: dt.date) -> list[Grant]:
    """Decide, publish and (where planned) accept the demo grants; the grants made, in the order of :data:`PLANS`."""
    call = Call.objects.filter(slug=CALL + DEMO_SUFFIX).first()
    if call is None:
        return []
    people = {u.email: u for u in get_user_model().objects.filter(email__in=(CASEWORKER, ASSESSOR, APPROVER))}
    caseworker, assessor, approver = people[CASEWORKER], people[ASSESSOR], people[APPROVER]
    chosen: list[tuple[Plan, Application]] = []
    for plan in PLANS:
        application = (
            Application.objects.filter(
                call=call, organisation__org_number=plan.org_number, case__grantor_org_number=IMDI_ORG_NUMBER
            )
            .select_related("case", "organisation")
            .order_by("case_number")
            .first()
        )
        if application is None or application.status != Status.SUBMITTED:
            continue  # not among this call's examples, or decided by an earlier load
        _assess(caseworker, assessor, application)
        decision = decisions.prepare_decision(
            caseworker,
            application.pk,
            "grant",
            amount=_granted_amount(application),
            report_due=today + dt.timedelta(days=plan.report_in_days),
        )
        decisions.approve(approver, decision.pk)
        chosen.append((plan, application))
    if not chosen:
        return []
    decisions.publish(approver, call, IMDI_ORG_NUMBER)
    grants = []
    for plan, application in chosen:
        grant = Grant.objects.get(application=application)
        signatory = _signatory(application)
        if plan.accepted and signatory is not None:
            acceptance.accept(signatory, grant.pk, acceptance.terms_hash(grant))
        grants.append(grant)
    return grants
