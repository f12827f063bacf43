"""Changing people's roles and removing them (the last administrator stays)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.refusals import require
from tilskudd.orgs import permissions
from tilskudd.orgs.models import Delegation, Membership, Role, administrators_q
from tilskudd.orgs.services.delegations import mark_revoked
from tilskudd.orgs.services.refusals import LastAdministrator
from tilskudd.orgs.services.roles import role_for


def _other_administrators(target: Membership) -> int:
    """How many other active administrators the organisation has (their rows locked: no race to zero)."""
    others = (
        Membership.objects.select_for_update()
        .filter(administrators_q(), organisation_id=target.organisation_id)
        .exclude(pk=target.pk)
        .values_list("pk", flat=True)
    )
    return len(list(others))


def _revoke_delegations(actor, delegations, reason: str) -> None:
    now = timezone.now()
    for delegation in delegations.select_for_update().filter(revoked_at__isnull=True):
        mark_revoked(actor, delegation, reason=reason, at=now)


def change_role(actor, membership_id: int, *, can_sign: bool, is_admin: bool, title: str | None = None) -> Membership:
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        require(permissions.can_change_member(actor, target))
        role, administers = role_for(can_sign, is_admin)
        before = {"role": target.role, "administers": target.administers, "title": target.title}
        if target.is_administrator and not (role == Role.ADMINISTRATOR or administers):
            if _other_administrators(target) == 0:
                raise LastAdministrator()
        was_signatory = target.is_signatory
        target.role, target.administers = role, administers
        if title is not None:
            target.title = title.strip()
        target.save(update_fields=["role", "administers", "title"])
        after = {"role": target.role, "administers": target.administers, "title": target.title}
        if before != after:
            record(
                actor,
                target.organisation,
                AuditAction.MEMBERSHIP_ROLE_CHANGED,
                from_state=before["role"],
                to_state=after["role"],
                data={"membership": target.pk, "user": target.user.email, "before": before, "after": after},
                audience=Audience.APPLICANT,
            )
        if was_signatory and not target.is_signatory:
            _revoke_delegations(
                actor,
                Delegation.objects.filter(organisation=target.organisation, granted_by=target.user),
                "Den som ga fullmakten, har ikke lenger signaturrett.",
            )
    return target


def remove_member(actor, membership_id: int, *, reason: str = "") -> Membership:
    """Take a person out of the organisation. The membership is kept (``removed_at``) for the history."""
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        require(permissions.can_remove_member(actor, target))
        if target.is_administrator and _other_administrators(target) == 0:
            raise LastAdministrator()
        target.removed_at, target.removed_by = timezone.now(), actor
        target.save(update_fields=["removed_at", "removed_by"])
        record(
            actor,
            target.organisation,
            AuditAction.MEMBERSHIP_LEFT if target.user_id == actor.pk else AuditAction.MEMBERSHIP_REMOVED,
            from_state=target.role,
            to_state="removed",
            reason=reason,
            data={"membership": target.pk, "user": target.user.email},
            audience=Audience.APPLICANT,
        )
        _revoke_delegations(
            actor,
            Delegation.objects.filter(organisation=target.organisation, granted_by=target.user)
            | Delegation.objects.filter(organisation=target.organisation, delegate=target.user),
            "Personen er ikke lenger med i organisasjonen.",
        )
    return target
