"""Grantor staff confirm (or turn down) the first person of a new organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, When
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.refusals import require
from tilskudd.orgs import brreg, permissions
from tilskudd.orgs.models import Invitation, Membership
from tilskudd.orgs.services.mail import notify
from tilskudd.orgs.services.refusals import Refused


def unconfirmed_memberships(staff=None):
    """Active memberships waiting for grantor staff, the people who registered an organisation first.

    With ``staff``: only those of organisations that apply to that person's grantor.
    """
    waiting = list(
        Membership.objects.filter(removed_at__isnull=True, confirmed_at__isnull=True)
        .select_related("user", "organisation", "added_by")
        .annotate(first=Case(When(added_by__isnull=True, then=0), default=1, output_field=IntegerField()))
        .order_by("first", "created_at", "id")
    )
    if staff is None:
        return waiting
    decided: dict[int, bool] = {}
    for member in waiting:
        if member.organisation_id not in decided:
            decided[member.organisation_id] = bool(permissions.can_confirm_membership(staff, member.organisation))
    return [member for member in waiting if decided[member.organisation_id]]


def confirm_membership(staff, membership_id: int, *, registry_roles: tuple[str, ...] = ()) -> Membership:
    """Confirm a person's access; the unconfirmed people they brought in are confirmed with them.

    ``registry_roles``: the roles Enhetsregisteret gives a person of this name (e.g. ``("LEDE", "SIGN")``)
    when the grantor confirmed on that match; kept in the audit event of the person confirmed.
    """
    require(permissions.can_confirm_memberships(staff))
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        require(permissions.can_confirm_membership(staff, target.organisation))
        if target.removed_at is not None:
            raise Refused("Personen er ikke lenger med i organisasjonen.", "The person has left the organisation.")
        if target.is_confirmed:
            return target
        now = timezone.now()
        confirmed = [target]
        target.confirmed_at, target.confirmed_by = now, staff
        target.save(update_fields=["confirmed_at", "confirmed_by"])
        brought_in = Membership.objects.select_for_update().filter(
            organisation=target.organisation, added_by=target.user, removed_at__isnull=True, confirmed_at__isnull=True
        )
        for member in brought_in.select_related("user"):
            member.confirmed_at, member.confirmed_by = now, staff
            member.save(update_fields=["confirmed_at", "confirmed_by"])
            confirmed.append(member)
        Invitation.objects.filter(
            organisation=target.organisation, invited_by=target.user, claimed_at__isnull=True, revoked_at__isnull=True
        ).update(inviter_confirmed=True)
        for member in confirmed:
            record(
                staff,
                target.organisation,
                AuditAction.MEMBERSHIP_CONFIRMED,
                from_state="unconfirmed",
                to_state="confirmed",
                data={
                    "membership": member.pk,
                    "user": member.user.email,
                    "with": target.user.email,
                    **({"registry_roles": list(registry_roles)} if registry_roles and member is target else {}),
                },
                audience=Audience.APPLICANT,
            )
    notify(
        target.user.email,
        f"Tilgangen din til {target.organisation.name} er bekreftet / Your access is confirmed",
        f"Tilskuddsforvalteren har bekreftet tilgangen din til {target.organisation.name}. "
        "Nå kan du sende inn søknader.\n\n"
        f"The grantor has confirmed your access to {target.organisation.name}. You can now submit applications.\n",
    )
    return target


def reject_membership(staff, membership_id: int, *, reason: str = "") -> Membership:
    """Turn a person down; the unconfirmed people they brought in, and their open invitations, go with them."""
    require(permissions.can_confirm_memberships(staff))
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        require(permissions.can_confirm_membership(staff, target.organisation))
        if target.removed_at is not None:
            return target
        if target.is_confirmed:
            raise Refused("Tilgangen er allerede bekreftet.", "The access is already confirmed.")
        now = timezone.now()
        rejected = [target]
        brought_in = Membership.objects.select_for_update().filter(
            organisation=target.organisation, added_by=target.user, removed_at__isnull=True, confirmed_at__isnull=True
        )
        rejected.extend(brought_in.select_related("user"))
        for member in rejected:
            member.removed_at, member.removed_by = now, staff
            member.save(update_fields=["removed_at", "removed_by"])
            record(
                staff,
                target.organisation,
                AuditAction.MEMBERSHIP_REJECTED,
                from_state="unconfirmed",
                to_state="removed",
                reason=reason,
                data={"membership": member.pk, "user": member.user.email, "with": target.user.email},
                audience=Audience.APPLICANT,
            )
        Invitation.objects.filter(
            organisation=target.organisation, invited_by=target.user, claimed_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
    notify(
        target.user.email,
        f"Tilgangen din til {target.organisation.name} ble ikke bekreftet / Access not confirmed",
        f"Tilskuddsforvalteren kunne ikke bekrefte tilgangen din til {target.organisation.name}."
        + (f"\nBegrunnelse: {reason}" if reason else "")
        + f"\n\nThe grantor could not confirm your access to {target.organisation.name}."
        + (f"\nReason: {reason}" if reason else "")
        + "\n",
    )
    return target


#: How many working days the grantor usually takes to confirm a new organisation's first person; the
#: applicant is told this. A service target the grantor sets (``ORGS_CONFIRMATION_WORKING_DAYS``).
DEFAULT_CONFIRMATION_WORKING_DAYS = 3


def usual_confirmation_days() -> int:
    return int(getattr(settings, "ORGS_CONFIRMATION_WORKING_DAYS", DEFAULT_CONFIRMATION_WORKING_DAYS))


@dataclass(frozen=True)
class RegistryView:
    """What Enhetsregisteret says about who leads and signs for an organisation, for the confirming grantor:
    ``status`` is ``found``, ``unknown`` (the registry does not know the number) or ``unavailable``."""

    status: str
    roles: brreg.RegistryRoles | None = None

    def matches(self, full_name: str) -> tuple[brreg.RegistryRole, ...]:
        return self.roles.roles_of(full_name) if self.roles is not None else ()


def registry_view(organisation) -> RegistryView:
    """Ask Enhetsregisteret for the organisation's roles (a network call: never inside a transaction)."""
    try:
        roles = brreg.lookup_roles(organisation.org_number)
    except ValueError:
        return RegistryView("unknown")
    except brreg.RegistryUnavailable:
        return RegistryView("unavailable")
    return RegistryView("found", roles) if roles is not None else RegistryView("unknown")
