"""Who may do what with an application: plain functions returning a ``Permission`` (tilskudd.core).

The reason is shown to the person when a button is missing, and tests assert it.
Authority is checked when signing and submitting, not when drafting.
"""

from __future__ import annotations

from django.utils import timezone

from tilskudd.applications.models import Application
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.orgs.models import Delegation, Membership, Role
from tilskudd.orgs.permissions import is_member, membership


def can_view(user, application: Application) -> Permission:
    if membership(user, application.organisation) is None:
        return denied(
            "Du er ikke med i organisasjonen som eier søknaden.",
            "You are not in the organisation that owns the application.",
        )
    return ALLOWED


def can_create(user, organisation) -> Permission:
    return is_member(user, organisation)


def can_edit(user, application: Application) -> Permission:
    seen = can_view(user, application)
    if not seen:
        return seen
    if not application.is_editable:
        return denied(
            "Søknaden er sendt inn og kan ikke endres.",
            "The application has been submitted and cannot be changed.",
        )
    return ALLOWED


def signing_capacity(user, application: Application) -> tuple[str, Delegation | None] | None:
    """("signatory", None) or ("delegate", delegation) when ``user`` may sign, else None."""
    member = membership(user, application.organisation)
    if member is None:
        return None
    if member.role == Role.SIGNATORY and member.is_confirmed:
        return "signatory", None
    today = timezone.localdate()
    for delegation in Delegation.objects.filter(
        organisation=application.organisation, delegate=user, revoked_at__isnull=True, valid_until__gte=today
    ):
        if delegation.covers(application.call_id, today) and _grantor_still_signatory(delegation):
            return "delegate", delegation
    return None


def may_still_sign(signature, application: Application) -> bool:
    """Whether the person who made ``signature`` may sign ``application`` now, in the capacity they signed in.

    A signature counts at submission only while its maker still holds signing authority: a revoked
    or expired delegation, or a signatory who left or lost the role, makes it count no more.
    """
    member = membership(signature.signed_by, application.organisation)
    if member is None:
        return False
    if signature.delegation_id is None:
        return member.role == Role.SIGNATORY and member.is_confirmed
    delegation = Delegation.objects.filter(pk=signature.delegation_id, revoked_at__isnull=True).first()
    today = timezone.localdate()
    return (
        delegation is not None
        and delegation.covers(application.call_id, today)
        and _grantor_still_signatory(delegation)
    )


def _grantor_still_signatory(delegation: Delegation) -> bool:
    return Membership.objects.filter(
        user=delegation.granted_by,
        organisation=delegation.organisation,
        role=Role.SIGNATORY,
        removed_at__isnull=True,
        confirmed_at__isnull=False,
    ).exists()


def can_sign(user, application: Application) -> Permission:
    editable = can_edit(user, application)
    if not editable:
        return editable
    if signing_capacity(user, application) is None:
        return denied(
            "Bare den som har signaturrett, eller fullmakt fra denne, kan signere søknaden.",
            "Only a signatory, or someone with their delegated authority, can sign the application.",
        )
    return ALLOWED


def can_submit(user, application: Application) -> Permission:
    editable = can_edit(user, application)
    if not editable:
        return editable
    member = membership(user, application.organisation)
    if member is None or not member.is_confirmed:
        return denied(
            "Tilgangen din til organisasjonen er ikke bekreftet ennå. Du kan skrive utkast, men ikke sende inn.",
            "Your access to the organisation is not confirmed yet. You can write drafts, but not submit.",
        )
    return ALLOWED


def can_withdraw(user, application: Application) -> Permission:
    seen = can_view(user, application)
    if not seen:
        return seen
    if application.status not in ("submitted", "reopened", "in_assessment"):
        return denied(
            "Bare innsendte søknader som ikke er avgjort, kan trekkes.",
            "Only submitted applications without a decision can be withdrawn.",
        )
    return ALLOWED
