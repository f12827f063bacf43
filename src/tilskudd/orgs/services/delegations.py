"""Signing authority given by a signatory to another person (*fullmakt*), and revoking it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.calls.models import Call
from tilskudd.core.formatting import format_date
from tilskudd.core.refusals import require
from tilskudd.orgs import permissions
from tilskudd.orgs.models import Delegation, Membership, Organisation, Role
from tilskudd.orgs.services.mail import notify, user_label
from tilskudd.orgs.services.refusals import Refused
from tilskudd.orgs.signals import delegation_revoked


def delegate_candidates(organisation: Organisation, granted_by):
    """Active members who may receive a delegation: not signatories themselves, not the one giving it."""
    return (
        Membership.objects.filter(organisation=organisation, removed_at__isnull=True)
        .exclude(role=Role.SIGNATORY)
        .exclude(user=granted_by)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def grant_delegation(
    actor, organisation: Organisation, *, delegate_membership_id: int, valid_until: dt.date, call_id: int | None = None
) -> Delegation:
    """A confirmed signatory gives a member signing authority for one call or all, until a date."""
    with transaction.atomic():
        require(permissions.can_delegate(actor, organisation))
        delegate = (
            Membership.objects.select_related("user")
            .filter(pk=delegate_membership_id, organisation=organisation, removed_at__isnull=True)
            .first()
        )
        if delegate is None:
            raise Refused("Personen er ikke med i organisasjonen.", "The person is not in the organisation.")
        if delegate.user_id == actor.pk:
            raise Refused("Du kan ikke gi fullmakt til deg selv.", "You cannot delegate to yourself.")
        if delegate.is_signatory:
            raise Refused(
                "Personen har signaturrett selv og trenger ikke fullmakt.",
                "The person is a signatory and needs no delegation.",
            )
        if valid_until < timezone.localdate():
            raise Refused("Datoen har allerede vært.", "The date has already passed.")
        call = None
        if call_id is not None:
            call = Call.objects.filter(pk=call_id).first()
            if call is None:
                raise Refused("Utlysningen finnes ikke.", "There is no such call.")
        delegation = Delegation.objects.create(
            organisation=organisation, granted_by=actor, delegate=delegate.user, call=call, valid_until=valid_until
        )
        record(
            actor,
            organisation,
            AuditAction.DELEGATION_GRANTED,
            to_state="active",
            data={
                "delegation": delegation.pk,
                "delegate": delegate.user.email,
                "call": call.slug if call else None,
                "valid_until": valid_until.isoformat(),
            },
            audience=Audience.APPLICANT,
        )
    notify(
        delegate.user.email,
        f"Fullmakt til å signere for {organisation.name} / Signing authority",
        f"{user_label(actor)} har gitt deg fullmakt til å signere søknader for {organisation.name}"
        f" ({call.title_nb if call else 'alle utlysninger'}) til og med {format_date(valid_until, 'nb')}.\n\n"
        f"{user_label(actor)} has delegated to you the authority to sign applications for {organisation.name}"
        f" ({(call.title_en or call.title_nb) if call else 'all calls'}) until {format_date(valid_until, 'en')}.\n",
    )
    return delegation


def mark_revoked(actor, delegation: Delegation, *, reason: str, at: dt.datetime | None = None) -> None:
    """Mark a delegation (locked by the caller) revoked, write the event the organisation sees, and tell the
    apps above (``delegation_revoked``: signatures made under it are voided) — whatever the cause: revoked by
    hand, its grantor no longer a signatory, or its delegate or grantor out of the organisation."""
    delegation.revoked_at, delegation.revoked_by = at or timezone.now(), actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    record(
        actor,
        delegation.organisation,
        AuditAction.DELEGATION_REVOKED,
        from_state="active",
        to_state="revoked",
        reason=reason,
        data={"delegation": delegation.pk, "delegate": delegation.delegate.email},
        audience=Audience.APPLICANT,
    )
    delegation_revoked.send(sender=Delegation, delegation=delegation, actor=actor)


def revoke_delegation(actor, delegation_id: int, *, reason: str = "") -> Delegation:
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update().select_related("organisation", "delegate").get(pk=delegation_id)
        )
        require(permissions.can_revoke_delegation(actor, delegation))
        mark_revoked(actor, delegation, reason=reason)
    return delegation
