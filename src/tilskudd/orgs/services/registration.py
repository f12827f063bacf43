"""Registering an organisation (its first person becomes its administrator) and the details a person may type."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.orgs import brreg
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.orgs.services.refusals import AlreadyRegistered, Refused
from tilskudd.orgs.services.roles import role_for
from tilskudd.orgs.services.titles import is_signatory_title
from tilskudd.rules.reference import county_codes
from tilskudd.rules.validators import digits_only, is_valid_bank_account, is_valid_org_number

#: Organisation fields a person may type (and, unless the registry gave them, change later).
DETAIL_FIELDS = (
    "name",
    "applicant_type",
    "org_form",
    "address",
    "postal_code",
    "city",
    "municipality_number",
    "county",
    "founded_on",
    "voluntary_registered",
    "voluntary_registered_on",
    "bank_account",
    "phone",
    "email",
    "counties_activity",
    "counties_members",
    "counties_branches",
)


def registry_locked_fields(organisation: Organisation) -> set[str]:
    """The fields Enhetsregisteret gave (kept as the registry says; «Oppdater fra Enhetsregisteret» refreshes them)."""
    if not organisation.registry_verified or not organisation.registry_data:
        return set()
    try:
        entity = brreg.parse_entity(organisation.registry_data)
    except ValueError:
        return set()
    return set(entity.organisation_fields())


def clean_details(data: dict[str, Any]) -> dict[str, Any]:
    values = {key: data[key] for key in DETAIL_FIELDS if key in data}
    if "bank_account" in values and values["bank_account"]:
        account = digits_only(values["bank_account"])
        if not is_valid_bank_account(account):
            raise Refused("Kontonummeret er ikke gyldig.", "The bank account number is not valid.")
        values["bank_account"] = account
    if values.get("county") and values["county"] not in county_codes():
        raise Refused("Fylket finnes ikke.", "There is no such county.")
    for key in ("counties_activity", "counties_members", "counties_branches"):
        if key in values:
            values[key] = sorted({code for code in values[key] or [] if code in county_codes()})
    if "voluntary_registered" in values and not values["voluntary_registered"]:
        values["voluntary_registered_on"] = None
    return values


def register_organisation(
    user,
    org_number: str,
    details: dict[str, Any],
    *,
    title: str,
    registry: brreg.RegistryEntity | None = None,
    registry_checked_at: dt.datetime | None = None,
) -> Membership:
    """Register an organisation and make ``user`` its first person (administrator; signatory by title).

    With ``registry`` the registry's fields win over what was typed and the
    organisation is marked as confirmed against Enhetsregisteret; without, what
    the person typed is stored as not confirmed. The first person's access is
    unconfirmed until grantor staff confirm it (they can draft at once).
    Raises :class:`AlreadyRegistered` when someone has the organisation already.
    """
    number = digits_only(org_number)
    if not is_valid_org_number(number):
        raise Refused("Organisasjonsnummeret er ikke gyldig.", "The organisation number is not valid.")
    if registry is not None and registry.deleted_on is not None:
        raise Refused(
            "Enhetsregisteret sier at organisasjonen er slettet. En slettet organisasjon kan ikke søke.",
            "Enhetsregisteret says the organisation has been deleted. A deleted organisation cannot apply.",
        )
    values = clean_details(details)
    if registry is not None:
        values.update(registry.organisation_fields())
    if not values.get("name") or not values.get("applicant_type"):
        raise Refused("Navn og type søker må fylles ut.", "Name and applicant type are required.")
    values["registry_verified"] = registry is not None
    values["registry_checked_at"] = registry_checked_at or (timezone.now() if registry is not None else None)
    values["registry_data"] = registry.raw if registry is not None else {}
    title = (title or "").strip()
    signs = is_signatory_title(values["applicant_type"], title)
    role, administers = role_for(signs, True)

    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(org_number=number).first()
        reclaimed = False
        if organisation is not None:
            if organisation.memberships.filter(removed_at__isnull=True).exists():
                raise AlreadyRegistered(organisation)
            # Nobody is left in it (for instance grantor staff turned the first person down): start afresh.
            for key in DETAIL_FIELDS:
                if key not in values:
                    setattr(organisation, key, Organisation._meta.get_field(key).get_default())
            for key, value in values.items():
                setattr(organisation, key, value)
            organisation.save()
            reclaimed = True
        else:
            try:
                with transaction.atomic():
                    organisation = Organisation.objects.create(org_number=number, **values)
            except IntegrityError:
                raise AlreadyRegistered(Organisation.objects.get(org_number=number)) from None
        member = Membership.objects.create(
            user=user, organisation=organisation, role=role, administers=administers, title=title
        )
        record(
            user,
            organisation,
            AuditAction.ORGANISATION_RECLAIMED if reclaimed else AuditAction.ORGANISATION_REGISTERED,
            to_state="verified" if values["registry_verified"] else "unverified",
            data={"org_number": number, "registry_verified": values["registry_verified"]},
            audience=Audience.APPLICANT,
        )
        record(
            user,
            organisation,
            AuditAction.MEMBERSHIP_CREATED,
            to_state="unconfirmed",
            data={
                "membership": member.pk,
                "user": user.email,
                "role": role,
                "administers": administers,
                "title": title,
            },
            audience=Audience.APPLICANT,
        )
    return member
