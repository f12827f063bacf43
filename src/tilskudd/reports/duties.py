"""Reporting duties made when a grant is accepted (issue #12, point 1).

:func:`create_duties` copies the call's ``reporting.duties`` that apply to the grant onto it: a duty limited to
areas (``areas``, C0-R12) only where the application was made under one of them; the due date the call's, or
the decision's ``report_due`` where the call gives none (C2, C3, C4 leave it to the grant letter); an auditor's
statement required where the duty says so or the grant is at least the duty's ``auditor_threshold`` (C2-R11).
It runs inside the acceptance's transaction (``grants.signals.grant_accepted``), writes one audit event on the
grant, and is idempotent: a duty already made for a call duty is never made again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import facts as case_facts
from tilskudd.grants.models import Grant
from tilskudd.reports.models import ReportingDuty
from tilskudd.rules.schema import ReportingDuty as CallDuty


def applies(duty: CallDuty, areas: list[str]) -> bool:
    """Whether a call duty applies to a grant made under ``areas`` (a duty without ``areas`` always does)."""
    return not duty.areas or any(area in duty.areas for area in areas)


def auditor_required(duty: CallDuty, amount: int) -> bool:
    """C2-R11: an explicit yes or no in the call, else a grant of at least ``auditor_threshold``."""
    if duty.auditor_required is not None:
        return duty.auditor_required
    return duty.auditor_threshold is not None and amount >= duty.auditor_threshold


def _texts(items) -> list[dict[str, str]]:
    return [{"nb": item.nb, "en": item.en or item.nb} for item in items]


def _later(day: dt.date, years: int) -> dt.date:
    """The same day and month ``years`` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _year_moved(text: str, call_year: int, years: int) -> str:
    return text.replace(str(call_year), str(call_year + years)) if years else text


def create_duties(actor, grant: Grant) -> list[ReportingDuty]:
    """The grant's duties from its call, made once; the ones already there are returned as they are.

    A later year of a multi-year grant (its own grant, made by the continuation) reports for its own year: the
    call's dates and the call's year in the titles move by the years between them («Årsrapport 2025» due
    01.02.2026 becomes «Årsrapport 2026» due 01.02.2027 for the 2026 grant, C1-R11)."""
    definition = grant.application.call_version.parsed()
    years = max(0, grant.year - definition.year) if definition.year else 0
    areas = case_facts.areas_of(grant.application)
    existing = {duty.position: duty for duty in ReportingDuty.objects.filter(grant=grant)}
    now = timezone.now()
    made: list[ReportingDuty] = []
    for position, duty in enumerate(definition.reporting.duties):
        if position in existing or not applies(duty, areas):
            continue
        made.append(
            ReportingDuty.objects.create(
                grant=grant,
                position=position,
                rule=duty.rule,
                kind=duty.kind.value,
                title_nb=_year_moved(duty.title.nb, definition.year, years),
                title_en=_year_moved(duty.title.en or duty.title.nb, definition.year, years),
                due=_later(duty.due, years) if duty.due else grant.decision.report_due,
                content=_texts(duty.content),
                accounts=duty.accounts,
                accounts_period_nb=_year_moved(duty.accounts_period.nb, definition.year, years)
                if duty.accounts_period
                else "",
                accounts_period_en=_year_moved(duty.accounts_period.en or "", definition.year, years)
                if duty.accounts_period
                else "",
                auditor_required=duty.accounts and auditor_required(duty, grant.amount),
                approved_by=_texts(duty.approved_by),
                personal_data=duty.personal_data,
                created_at=now,
                status_changed_at=now,
            )
        )
    if made:
        data: dict[str, Any] = {
            "duties": [
                {"id": d.pk, "rule": d.rule, "kind": d.kind, "due": d.due.isoformat() if d.due else None} for d in made
            ]
        }
        record(actor, grant, AuditAction.REPORT_DUTIES_CREATED, data=data, audience=Audience.APPLICANT)
    return sorted([*existing.values(), *made], key=lambda d: d.position)


def on_grant_accepted(sender, grant: Grant, actor=None, **kwargs) -> None:
    """``grants.signals.grant_accepted``: the duties, in the acceptance's transaction."""
    create_duties(actor, grant)
