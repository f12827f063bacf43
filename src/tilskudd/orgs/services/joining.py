"""Asking to join an organisation, and its administrators answering."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.refusals import require
from tilskudd.orgs import permissions
from tilskudd.orgs.models import Membership, MembershipRequest, Organisation, administrators_q
from tilskudd.orgs.services.mail import notify, user_label
from tilskudd.orgs.services.refusals import Refused
from tilskudd.orgs.services.roles import role_for


def request_membership(user, organisation: Organisation, *, title: str = "", message: str = "") -> MembershipRequest:
    """Ask to join an organisation that is already registered. Asking twice gives the same request."""
    with transaction.atomic():
        if permissions.membership(user, organisation) is not None:
            raise Refused("Du er allerede med i organisasjonen.", "You are already in the organisation.")
        pending = MembershipRequest.objects.filter(
            user=user, organisation=organisation, status=MembershipRequest.Decision.PENDING
        ).first()
        if pending is not None:
            return pending
        request = MembershipRequest.objects.create(
            user=user, organisation=organisation, title=title.strip(), message=message.strip()
        )
        record(
            user,
            organisation,
            AuditAction.MEMBERSHIP_REQUESTED,
            to_state="pending",
            data={"request": request.pk, "user": user.email, "title": request.title},
            audience=Audience.APPLICANT,
        )
    for admin in organisation.memberships.filter(administrators_q()).select_related("user"):
        notify(
            admin.user.email,
            f"Forespørsel om tilgang til {organisation.name} / Request to join",
            f"{user_label(user)} ({user.email}) ber om tilgang til {organisation.name} i tilskudd.\n"
            "Svar på forespørselen under «Personer» for organisasjonen.\n\n"
            f"{user_label(user)} ({user.email}) asks to join {organisation.name} in tilskudd.\n"
            "Answer the request under “People” for the organisation.\n",
        )
    return request


def add_member(
    organisation: Organisation, user, *, role: str, administers: bool, title: str, added_by, confirmed: bool
) -> Membership:
    now = timezone.now()
    return Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        administers=administers,
        title=title,
        added_by=added_by,
        confirmed_at=now if confirmed else None,
        confirmed_by=added_by if confirmed else None,
    )


def accept_request(actor, request_id: int, *, can_sign: bool = False, is_admin: bool = False, title: str | None = None):
    """An administrator lets the person in. Confirmed at once when the administrator is confirmed."""
    with transaction.atomic():
        request = (
            MembershipRequest.objects.select_for_update().select_related("organisation", "user").get(pk=request_id)
        )
        organisation = request.organisation
        require(permissions.can_manage_people(actor, organisation))
        if request.status != MembershipRequest.Decision.PENDING:
            raise Refused("Forespørselen er allerede besvart.", "The request has already been answered.")
        admin = permissions.membership(actor, organisation)
        role, administers = role_for(can_sign, is_admin)
        member = permissions.membership(request.user, organisation)
        if member is None:
            member = add_member(
                organisation,
                request.user,
                role=role,
                administers=administers,
                title=(title if title is not None else request.title).strip(),
                added_by=actor,
                confirmed=admin.is_confirmed,
            )
        request.status = MembershipRequest.Decision.ACCEPTED
        request.decided_at, request.decided_by = timezone.now(), actor
        request.save(update_fields=["status", "decided_at", "decided_by"])
        record(
            actor,
            organisation,
            AuditAction.MEMBERSHIP_REQUEST_ACCEPTED,
            from_state="pending",
            to_state="confirmed" if member.is_confirmed else "unconfirmed",
            data={"request": request.pk, "membership": member.pk, "user": request.user.email, "role": member.role},
            audience=Audience.APPLICANT,
        )
    notify(
        request.user.email,
        f"Du har fått tilgang til {organisation.name} / You have been given access",
        f"Du er nå med i {organisation.name} i tilskudd.\n\nYou are now in {organisation.name} in tilskudd.\n",
    )
    return member


def decline_request(actor, request_id: int) -> MembershipRequest:
    with transaction.atomic():
        request = (
            MembershipRequest.objects.select_for_update().select_related("organisation", "user").get(pk=request_id)
        )
        require(permissions.can_manage_people(actor, request.organisation))
        if request.status != MembershipRequest.Decision.PENDING:
            raise Refused("Forespørselen er allerede besvart.", "The request has already been answered.")
        request.status = MembershipRequest.Decision.DECLINED
        request.decided_at, request.decided_by = timezone.now(), actor
        request.save(update_fields=["status", "decided_at", "decided_by"])
        record(
            actor,
            request.organisation,
            AuditAction.MEMBERSHIP_REQUEST_DECLINED,
            from_state="pending",
            to_state="declined",
            data={"request": request.pk, "user": request.user.email},
            audience=Audience.APPLICANT,
        )
    return request
