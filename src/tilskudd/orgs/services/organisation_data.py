"""Changing an organisation's data, and refreshing it from Enhetsregisteret."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.refusals import require
from tilskudd.orgs import brreg, permissions
from tilskudd.orgs.models import Organisation
from tilskudd.orgs.services.refusals import Refused
from tilskudd.orgs.services.registration import clean_details, registry_locked_fields


def update_organisation(actor, organisation_id: int, changes: dict[str, Any]) -> Organisation:
    """Change the organisation's data. Fields Enhetsregisteret gave stay as the registry says."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        require(permissions.can_edit_organisation(actor, organisation))
        values = clean_details(changes)
        locked = registry_locked_fields(organisation)
        changed: dict[str, list[Any]] = {}
        for key, value in values.items():
            old = getattr(organisation, key)
            if old == value:
                continue
            if key in locked:
                raise Refused(
                    "Dette feltet kommer fra Enhetsregisteret. Bruk «Oppdater fra Enhetsregisteret».",
                    "This field comes from Enhetsregisteret. Use “Update from Enhetsregisteret”.",
                )
            setattr(organisation, key, value)
            changed[key] = [_json(old), _json(value)]
        if changed:
            organisation.save()
            record(
                actor,
                organisation,
                AuditAction.ORGANISATION_UPDATED,
                data={"changed": changed},
                audience=Audience.APPLICANT,
            )
    return organisation


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class RefreshOutcome:
    found: bool
    changed: dict[str, list[Any]] = field(default_factory=dict)
    deleted: bool = False


def refresh_from_registry(actor, organisation_id: int) -> RefreshOutcome:
    """Read the organisation again from Enhetsregisteret and take what it says.

    Raises :class:`brreg.RegistryUnavailable` (nothing changes) when the registry cannot answer.
    """
    organisation = Organisation.objects.get(pk=organisation_id)
    require(permissions.can_edit_organisation(actor, organisation))
    entity = brreg.lookup(organisation.org_number)  # outside the transaction: a network call
    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        if entity is None or entity.deleted_on is not None:
            was = organisation.registry_verified
            organisation.registry_verified = False
            organisation.registry_checked_at = now
            organisation.registry_data = entity.raw if entity is not None else {}
            organisation.save(update_fields=["registry_verified", "registry_checked_at", "registry_data", "updated_at"])
            record(
                actor,
                organisation,
                AuditAction.ORGANISATION_REGISTRY_DELETED
                if entity is not None
                else AuditAction.ORGANISATION_REGISTRY_NOT_FOUND,
                from_state="verified" if was else "unverified",
                to_state="unverified",
                audience=Audience.APPLICANT,
            )
            return RefreshOutcome(found=False, deleted=entity is not None)
        changed: dict[str, list[Any]] = {}
        for key, value in entity.organisation_fields().items():
            old = getattr(organisation, key)
            if old != value:
                setattr(organisation, key, value)
                changed[key] = [_json(old), _json(value)]
        was = organisation.registry_verified
        organisation.registry_verified = True
        organisation.registry_checked_at = now
        organisation.registry_data = entity.raw
        organisation.save()
        record(
            actor,
            organisation,
            AuditAction.ORGANISATION_REGISTRY_REFRESHED,
            from_state="verified" if was else "unverified",
            to_state="verified",
            data={"changed": changed},
            audience=Audience.APPLICANT,
        )
    return RefreshOutcome(found=True, changed=changed)
