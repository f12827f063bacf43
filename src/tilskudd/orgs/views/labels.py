"""Plain words for what is stored: labels, facts about an organisation, its history."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.audit.labels import action_label
from tilskudd.audit.services import Audience, history
from tilskudd.core.formatting import format_date
from tilskudd.core.text import pick
from tilskudd.orgs import brreg, forms
from tilskudd.orgs.brreg import ORG_FORM_NAMES
from tilskudd.orgs.models import Organisation, Role
from tilskudd.rules.messages import APPLICANT_TYPE_NAMES
from tilskudd.rules.reference import county_name
from tilskudd.rules.validators import format_bank_account, format_org_number


def applicant_type_label(value: str) -> str:
    nb, en = APPLICANT_TYPE_NAMES.get(value, (value, value))
    return pick(get_language(), nb, en).capitalize() if value else ""


def org_form_label(code: str) -> str:
    if not code:
        return ""
    nb, en = ORG_FORM_NAMES.get(code, (code, code))
    return f"{pick(get_language(), nb, en)} ({code})" if code in ORG_FORM_NAMES else code


def role_label(member) -> str:
    """«Signaturberettiget og administrator», «Administrator», «Medlem»."""
    parts = []
    if member.role == Role.SIGNATORY:
        parts.append(pick(get_language(), "Signaturberettiget", "Signatory"))
    if member.role == Role.ADMINISTRATOR or (member.role == Role.SIGNATORY and member.administers):
        parts.append(
            pick(get_language(), "administrator", "administrator")
            if parts
            else pick(get_language(), "Administrator", "Administrator")
        )
    if not parts:
        parts.append(pick(get_language(), "Medlem", "Member"))
    return pick(get_language(), " og ", " and ").join(parts)


def _yes_no(value: bool) -> str:
    return pick(get_language(), "Ja", "Yes") if value else pick(get_language(), "Nei", "No")


def _counties(codes) -> str:
    return ", ".join(county_name(code) for code in codes) if codes else pick(get_language(), "Ingen", "None")


def facts(organisation: Organisation) -> list[tuple[tuple[str, ...], str, str]]:
    """(the fields behind it, label, value) for each row of the profile."""
    rows = [
        (("name",), pick(get_language(), "Navn", "Name"), organisation.name),
        (
            ("org_number",),
            pick(get_language(), "Organisasjonsnummer", "Organisation number"),
            format_org_number(organisation.org_number),
        ),
        (
            ("applicant_type",),
            pick(get_language(), "Type søker", "Type of applicant"),
            applicant_type_label(organisation.applicant_type),
        ),
        (
            ("org_form",),
            pick(get_language(), "Organisasjonsform", "Organisation form"),
            org_form_label(organisation.org_form),
        ),
        (
            ("address", "postal_code", "city"),
            pick(get_language(), "Adresse", "Address"),
            ", ".join(
                part
                for part in (organisation.address, f"{organisation.postal_code} {organisation.city}".strip())
                if part
            ),
        ),
        (
            ("municipality_number",),
            pick(get_language(), "Kommunenummer", "Municipality number"),
            organisation.municipality_number,
        ),
        (
            ("county",),
            pick(get_language(), "Fylke", "County"),
            county_name(organisation.county) if organisation.county else "",
        ),
        (
            ("founded_on",),
            pick(get_language(), "Stiftelsesdato", "Date founded"),
            format_date(organisation.founded_on, get_language()),
        ),
        (
            ("voluntary_registered", "voluntary_registered_on"),
            pick(get_language(), "Registrert i Frivillighetsregisteret", "Registered in Frivillighetsregisteret"),
            _yes_no(organisation.voluntary_registered)
            + (
                pick(
                    get_language(),
                    f", fra {format_date(organisation.voluntary_registered_on, get_language())}",
                    f", since {format_date(organisation.voluntary_registered_on, get_language())}",
                )
                if organisation.voluntary_registered_on
                else ""
            ),
        ),
        (
            ("bank_account",),
            pick(get_language(), "Kontonummer", "Bank account number"),
            format_bank_account(organisation.bank_account),
        ),
        (("phone",), pick(get_language(), "Telefon", "Phone"), organisation.phone),
        (("email",), pick(get_language(), "E-post", "E-mail"), organisation.email),
        (
            ("counties_activity",),
            pick(get_language(), "Fylker med hovedaktivitet", "Counties with main activity"),
            _counties(organisation.counties_activity),
        ),
        (
            ("counties_members",),
            pick(get_language(), "Fylker med medlemmer", "Counties with members"),
            _counties(organisation.counties_members),
        ),
        (
            ("counties_branches",),
            pick(get_language(), "Fylker med regionale eller lokale ledd", "Counties with branches"),
            _counties(organisation.counties_branches),
        ),
    ]
    if organisation.applicant_type in forms.OrganisationDetailsForm.PUBLIC_BODIES:
        voluntary = set(forms.OrganisationDetailsForm.VOLUNTARY_FIELDS)
        rows = [row for row in rows if not voluntary.intersection(row[0])]
    return [(names, label, value or pick(get_language(), "Ikke oppgitt", "Not given")) for names, label, value in rows]


def organisation_facts(organisation: Organisation) -> list[tuple[str, str]]:
    """(label, value) for the profile page, in plain words."""
    return [(label, value) for _, label, value in facts(organisation)]


def registry_facts(entity: brreg.RegistryEntity) -> list[tuple[str, str]]:
    address = entity.address
    facts = [
        (pick(get_language(), "Navn", "Name"), entity.name),
        (
            pick(get_language(), "Organisasjonsform", "Organisation form"),
            org_form_label(entity.org_form) or entity.org_form_description,
        ),
        (
            pick(get_language(), "Type søker", "Type of applicant"),
            applicant_type_label(entity.applicant_type.value) if entity.applicant_type else "",
        ),
        (
            pick(get_language(), "Adresse", "Address"),
            ", ".join(p for p in (address.street, f"{address.postal_code} {address.city}".strip()) if p),
        ),
        (pick(get_language(), "Kommunenummer", "Municipality number"), address.municipality_number),
        (pick(get_language(), "Fylke", "County"), county_name(entity.county) if entity.county else ""),
        (pick(get_language(), "Stiftelsesdato", "Date founded"), format_date(entity.founded_on, get_language())),
        (
            pick(get_language(), "Registrert i Frivillighetsregisteret", "Registered in Frivillighetsregisteret"),
            pick(get_language(), "Ja", "Yes") if entity.voluntary_registered else "",
        ),
    ]
    return [(label, value) for label, value in facts if value]


def event_rows(organisation: Organisation, limit: int = 30):
    rows = []
    for event in history(organisation, audience=Audience.APPLICANT).order_by("-at", "-id")[:limit]:
        data = event.data or {}
        who = data.get("user") or data.get("email") or data.get("delegate") or ""
        rows.append(
            {
                "at": timezone.localtime(event.at),
                "what": action_label(event.action, get_language()),
                "about": who,
                "actor": event.actor.get_full_name() if event.actor else pick(get_language(), "Systemet", "The system"),
                "reason": event.reason,
            }
        )
    return rows
