"""Shared set-up for the participant tests: a C0 grant under area 1, whose individual report has personal data."""

from __future__ import annotations

import datetime as dt

from tests.casework.helpers import applicant_of
from tests.complaints.helpers import decide
from tests.reports.helpers import DECIDED
from tests.staff_world import C0
from tilskudd.grants.awards import acceptance
from tilskudd.participants.services import Participant
from tilskudd.reports.models import ReportingDuty


def area_1_duty(world, freeze_now) -> ReportingDuty:
    """The individual report of an accepted C0 grant made under area 1, with IMDi's caseworker on the case."""
    for application in world.applications[C0]:
        if "1" in application.case.area_codes:
            break
    else:  # pragma: no cover - the demo's C0 applications include area 1
        raise AssertionError("no C0 application under area 1")
    freeze_now(DECIDED[C0])
    amount = min(100_000, application.case.amount_applied or 100_000)
    grant = decide(world, application, kind="grant", amount=amount).grant
    acceptance.accept(applicant_of(application), grant.pk, acceptance.terms_hash(grant))
    grant.refresh_from_db()
    case = grant.application.case
    case.caseworker = world.staff["caseworker"]
    case.save(update_fields=["caseworker"])
    return ReportingDuty.objects.get(grant=grant, kind="individual_report")


def kari(**changes) -> Participant:
    values = {
        "name": "Kari Nordmann",
        "birth_year": 1990,
        "activity": "Språkpraksis i barnehage",
        "outcome": "Fast jobb",
        "informed_at": dt.date(2019, 6, 1),
    }
    return Participant(**{**values, **changes})
