"""Casework operations: opening cases, staff roles, screening. Each one transaction with an audit event."""

from __future__ import annotations

from tilskudd.applications.models import Application
from tilskudd.audit.services import record
from tilskudd.casework.models import Case
from tilskudd.rules import Application as ExchangeApplication
from tilskudd.rules.reference.imdi import regional_office_for_county, route


def grantor_of(application: Application) -> tuple[str, str]:
    """(org number, name) of the grantor that handles ``application``: the one chosen (C2-R02) or the call's."""
    definition = application.call_version.parsed()
    chosen = (application.submitted_content or {}).get("grantor") or (application.content or {}).get("grantor")
    if chosen and definition.local_grantors:
        for grantor in definition.local_grantors.municipalities:
            if grantor.org_number == chosen:
                return grantor.org_number, grantor.name.nb
    return definition.grantor.org_number, definition.grantor.name.nb


def open_case(application: Application) -> Case:
    """The case of a just-submitted application, routed (C0-R27); the existing one on resubmission."""
    existing = Case.objects.filter(application=application).first()
    if existing is not None:
        return existing
    number, name = grantor_of(application)
    case = Case(application=application, grantor_org_number=number, grantor_name=name)
    _route(case, application)
    case.save()
    record(None, case, "case.opened", data={"grantor": number, "office": case.office, "contact": case.contact_name})
    return case


def _route(case: Case, application: Application) -> None:
    definition = application.call_version.parsed()
    if definition.routing is None or definition.routing.by != "regional_office" or not application.submitted_content:
        return
    exchange = ExchangeApplication.model_validate(application.submitted_content)
    contact = route(definition, exchange)
    if exchange.applicant.county:
        try:
            case.office = regional_office_for_county(exchange.applicant.county)
        except KeyError:
            case.office = ""
    if contact is not None:
        case.contact_name = contact.name
        case.contact_email = contact.email or ""
        case.contact_phone = contact.phone or ""
