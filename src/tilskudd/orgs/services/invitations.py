"""Inviting people by e-mail; an invitation is claimed by the person with the e-mail address it was sent to."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.refusals import require
from tilskudd.orgs import permissions
from tilskudd.orgs.models import Invitation, Membership, MembershipRequest, Organisation
from tilskudd.orgs.services.joining import add_member
from tilskudd.orgs.services.mail import notify, user_label
from tilskudd.orgs.services.refusals import Refused
from tilskudd.orgs.services.roles import role_for

#: Session key: the tokens of the invitation links opened in this session (claimed at login).
INVITATION_TOKENS = "orgs.invitation_tokens"
#: Where a person without an account signs up (built in the accounts app).
SIGNUP_PATH = "/konto/registrer/"
DEFAULT_INVITATION_DAYS = 14


def invitation_path(invitation: Invitation) -> str:
    return reverse("orgs:invitation", kwargs={"token": invitation.token})


def invite(
    actor,
    organisation: Organisation,
    email: str,
    *,
    can_sign: bool = False,
    is_admin: bool = False,
    title: str = "",
    site_url: str = "",
) -> Invitation:
    """Invite a person by e-mail, with or without an account: the invitation is claimed only through
    the link sent to the address, by a verified account with that address (:func:`claim_invitations`).

    People invited by a confirmed administrator are confirmed at once when they claim it.
    """
    address = (email or "").strip().lower()
    if not address:
        raise Refused("Skriv e-postadressen.", "Enter the e-mail address.")
    role, administers = role_for(can_sign, is_admin)
    User = get_user_model()
    with transaction.atomic():
        require(permissions.can_manage_people(actor, organisation))
        admin = permissions.membership(actor, organisation)
        user = User.objects.filter(email__iexact=address).first()
        if user is not None and permissions.membership(user, organisation) is not None:
            raise Refused("Personen er allerede med i organisasjonen.", "The person is already in the organisation.")
        # An existing account is not added at once: whoever made it may not own the address. The
        # link sent to the address, followed by a verified account with that address, claims it.
        days = int(getattr(settings, "ORG_INVITATION_DAYS", DEFAULT_INVITATION_DAYS))
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=address,
            role=role,
            administers=administers,
            title=title.strip(),
            token=secrets.token_urlsafe(32),
            invited_by=actor,
            inviter_confirmed=admin.is_confirmed,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        record(
            actor,
            organisation,
            AuditAction.INVITATION_SENT,
            to_state="open",
            data={"invitation": invitation.pk, "email": address, "role": role, "administers": administers},
            audience=Audience.APPLICANT,
        )
    link = f"{site_url.rstrip('/')}{invitation_path(invitation)}"
    notify(
        address,
        f"Invitasjon til {organisation.name} i tilskudd / Invitation",
        f"{user_label(actor)} inviterer deg til {organisation.name} i tilskudd.\n"
        f"Åpne lenken og opprett en konto med denne e-postadressen ({address}), eller logg inn:\n"
        f"{link}\n"
        f"Invitasjonen gjelder i {days} dager.\n\n"
        f"{user_label(actor)} invites you to {organisation.name} in tilskudd.\n"
        f"Open the link and create an account with this e-mail address ({address}), or log in:\n"
        f"{link}\n"
        f"The invitation is valid for {days} days.\n",
    )
    return invitation


def revoke_invitation(actor, invitation_id: int) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation_id)
        require(permissions.can_manage_people(actor, invitation.organisation))
        if invitation.is_open():
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            record(
                actor,
                invitation.organisation,
                AuditAction.INVITATION_REVOKED,
                from_state="open",
                to_state="revoked",
                data={"invitation": invitation.pk, "email": invitation.email},
                audience=Audience.APPLICANT,
            )
    return invitation


def claim_invitations(user, tokens: Iterable[str] | None = None) -> list[Membership]:
    """Turn the open invitations to ``user``'s e-mail address into memberships (on login and sign-up).

    Only for an account whose address is verified (accounts.verification): nothing otherwise.
    ``tokens``: only the invitations whose link the person has opened, which proves they read the
    address's mail. Without ``tokens`` every open invitation to the verified address is claimed.
    """
    email = (getattr(user, "email", "") or "").strip()
    if not email or not getattr(user, "email_verified", False):
        return []
    made: list[Membership] = []
    now = timezone.now()
    with transaction.atomic():
        open_invitations = (
            Invitation.objects.select_for_update()
            .filter(email__iexact=email, claimed_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
            .select_related("organisation", "invited_by")
            .order_by("created_at")
        )
        if tokens is not None:
            open_invitations = open_invitations.filter(token__in=list(tokens))
        for invitation in open_invitations:
            organisation = invitation.organisation
            member = permissions.membership(user, organisation)
            if member is None:
                member = add_member(
                    organisation,
                    user,
                    role=invitation.role,
                    administers=invitation.administers,
                    title=invitation.title,
                    added_by=invitation.invited_by,
                    confirmed=invitation.inviter_confirmed,
                )
                made.append(member)
            invitation.claimed_at, invitation.claimed_by = now, user
            invitation.save(update_fields=["claimed_at", "claimed_by"])
            MembershipRequest.objects.filter(
                user=user, organisation=organisation, status=MembershipRequest.Decision.PENDING
            ).update(status=MembershipRequest.Decision.ACCEPTED, decided_at=now, decided_by=invitation.invited_by)
            record(
                user,
                organisation,
                AuditAction.INVITATION_CLAIMED,
                from_state="open",
                to_state="confirmed" if member.is_confirmed else "unconfirmed",
                data={"invitation": invitation.pk, "membership": member.pk, "user": user.email, "role": member.role},
                audience=Audience.APPLICANT,
            )
    return made
