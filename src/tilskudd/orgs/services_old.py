"""Domain operations on organisations, the people in them and delegations.

Each operation runs in one transaction, checks permission, changes state and
writes an audit event on the organisation (``tilskudd.audit.services.record``;
the event's data names the membership, invitation or delegation). E-mails are
sent after the transaction commits. Views, the API and commands call these;
nothing else changes the models.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.calls.models import Call
from tilskudd.orgs import brreg, permissions
from tilskudd.orgs.models import (
    Delegation,
    Invitation,
    Membership,
    MembershipRequest,
    Organisation,
    Role,
    administrators_q,
)
from tilskudd.orgs.signals import delegation_revoked
from tilskudd.rules.application import ApplicantType
from tilskudd.rules.reference import county_codes
from tilskudd.rules.validators import digits_only, is_valid_bank_account, is_valid_org_number

#: Where a person without an account signs up (built in the accounts app).
SIGNUP_PATH = "/konto/registrer/"
DEFAULT_INVITATION_DAYS = 14

# --- titles that carry signing authority ------------------------------------------

OTHER_TITLE = "annen stilling"

#: The title → (bokmål, English) label.
TITLE_LABELS: dict[str, tuple[str, str]] = {
    "kommunedirektør": ("Kommunedirektør", "Chief municipal executive"),
    "rådmann": ("Rådmann", "Chief municipal executive (rådmann)"),
    "fylkeskommunedirektør": ("Fylkeskommunedirektør", "County executive"),
    "bydelsdirektør": ("Bydelsdirektør", "District director"),
    "styreleder": ("Styreleder", "Chair of the board"),
    "daglig leder": ("Daglig leder", "General manager"),
    OTHER_TITLE: ("Annen stilling", "Another position"),
}

#: Per applicant type: the titles that carry signing authority (*signaturrett*), C0-R10, C1-R08, C3-R07.
SIGNATORY_TITLES: dict[str, tuple[str, ...]] = {
    ApplicantType.MUNICIPALITY.value: ("kommunedirektør", "rådmann"),
    ApplicantType.COUNTY_AUTHORITY.value: ("fylkeskommunedirektør",),
    ApplicantType.CITY_DISTRICT.value: ("bydelsdirektør",),
    ApplicantType.VOLUNTARY_ORGANISATION.value: ("styreleder", "daglig leder"),
    ApplicantType.FOUNDATION.value: ("styreleder", "daglig leder"),
    ApplicantType.COMPANY.value: ("daglig leder", "styreleder"),
    ApplicantType.SOCIAL_ENTERPRISE.value: ("daglig leder", "styreleder"),
    ApplicantType.STATE_AGENCY.value: ("daglig leder",),
}


def signatory_titles(applicant_type: str | None) -> tuple[str, ...]:
    """The signing titles for an applicant type; every signing title when the type is not known."""
    if applicant_type in SIGNATORY_TITLES:
        return SIGNATORY_TITLES[applicant_type]
    return tuple(title for title in TITLE_LABELS if title != OTHER_TITLE)


def is_signatory_title(applicant_type: str | None, title: str) -> bool:
    return title.strip().lower() in signatory_titles(applicant_type)


# --- errors --------------------------------------------------------------------------


class NotAllowed(Exception):
    def __init__(self, permission: permissions.Permission):
        self.permission = permission
        super().__init__(permission.reason_en or permission.reason_nb)


class Refused(Exception):
    """The operation cannot be done; the reasons say why in plain words."""

    def __init__(self, reason_nb: str, reason_en: str):
        self.reason_nb, self.reason_en = reason_nb, reason_en
        super().__init__(reason_en)


class AlreadyRegistered(Refused):
    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        super().__init__(
            "Organisasjonen er allerede registrert. Du kan be om å bli med i den.",
            "The organisation is already registered. You can ask to join it.",
        )


class LastAdministrator(Refused):
    def __init__(self):
        super().__init__(
            "Organisasjonen må ha minst én administrator. Gi en annen person rollen først.",
            "The organisation must keep at least one administrator. Give someone else the role first.",
        )


def _require(permission: permissions.Permission) -> None:
    if not permission:
        raise NotAllowed(permission)


def _role_for(can_sign: bool, is_admin: bool) -> tuple[str, bool]:
    """(role, administers) for the two questions «may sign?» and «administers people?»."""
    if can_sign:
        return Role.SIGNATORY, bool(is_admin)
    return (Role.ADMINISTRATOR if is_admin else Role.MEMBER), False


def role_summary(role: str, administers: bool) -> dict[str, bool]:
    return {"can_sign": role == Role.SIGNATORY, "is_admin": role == Role.ADMINISTRATOR or administers}


def _notify(to: str, subject: str, body: str) -> None:
    """Send an e-mail once the transaction has committed."""

    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)

    transaction.on_commit(send)


def _user_label(user) -> str:
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)


# --- registering ---------------------------------------------------------------------

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


def _clean_details(data: dict[str, Any]) -> dict[str, Any]:
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
    values = _clean_details(details)
    if registry is not None:
        values.update(registry.organisation_fields())
    if not values.get("name") or not values.get("applicant_type"):
        raise Refused("Navn og type søker må fylles ut.", "Name and applicant type are required.")
    values["registry_verified"] = registry is not None
    values["registry_checked_at"] = registry_checked_at or (timezone.now() if registry is not None else None)
    values["registry_data"] = registry.raw if registry is not None else {}
    title = (title or "").strip()
    signs = is_signatory_title(values["applicant_type"], title)
    role, administers = _role_for(signs, True)

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


# --- joining ------------------------------------------------------------------------


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
        _notify(
            admin.user.email,
            f"Forespørsel om tilgang til {organisation.name} / Request to join",
            f"{_user_label(user)} ({user.email}) ber om tilgang til {organisation.name} i tilskudd.\n"
            "Svar på forespørselen under «Personer» for organisasjonen.\n\n"
            f"{_user_label(user)} ({user.email}) asks to join {organisation.name} in tilskudd.\n"
            "Answer the request under “People” for the organisation.\n",
        )
    return request


def _add_member(
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
        _require(permissions.can_manage_people(actor, organisation))
        if request.status != MembershipRequest.Decision.PENDING:
            raise Refused("Forespørselen er allerede besvart.", "The request has already been answered.")
        admin = permissions.membership(actor, organisation)
        role, administers = _role_for(can_sign, is_admin)
        member = permissions.membership(request.user, organisation)
        if member is None:
            member = _add_member(
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
    _notify(
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
        _require(permissions.can_manage_people(actor, request.organisation))
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


# --- invitations ---------------------------------------------------------------------


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
    role, administers = _role_for(can_sign, is_admin)
    User = get_user_model()
    with transaction.atomic():
        _require(permissions.can_manage_people(actor, organisation))
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
    _notify(
        address,
        f"Invitasjon til {organisation.name} i tilskudd / Invitation",
        f"{_user_label(actor)} inviterer deg til {organisation.name} i tilskudd.\n"
        f"Åpne lenken og opprett en konto med denne e-postadressen ({address}), eller logg inn:\n"
        f"{link}\n"
        f"Invitasjonen gjelder i {days} dager.\n\n"
        f"{_user_label(actor)} invites you to {organisation.name} in tilskudd.\n"
        f"Open the link and create an account with this e-mail address ({address}), or log in:\n"
        f"{link}\n"
        f"The invitation is valid for {days} days.\n",
    )
    return invitation


def revoke_invitation(actor, invitation_id: int) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation_id)
        _require(permissions.can_manage_people(actor, invitation.organisation))
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
                member = _add_member(
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


# --- roles and removal ---------------------------------------------------------------


def _other_administrators(target: Membership) -> int:
    """How many other active administrators the organisation has (their rows locked: no race to zero)."""
    others = (
        Membership.objects.select_for_update()
        .filter(administrators_q(), organisation_id=target.organisation_id)
        .exclude(pk=target.pk)
        .values_list("pk", flat=True)
    )
    return len(list(others))


def _revoke_delegations(actor, organisation: Organisation, delegations, reason: str) -> None:
    now = timezone.now()
    for delegation in delegations.select_for_update().filter(revoked_at__isnull=True):
        delegation.revoked_at, delegation.revoked_by = now, actor
        delegation.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actor,
            organisation,
            AuditAction.DELEGATION_REVOKED,
            from_state="active",
            to_state="revoked",
            reason=reason,
            data={"delegation": delegation.pk, "delegate": delegation.delegate.email},
            audience=Audience.APPLICANT,
        )


def change_role(actor, membership_id: int, *, can_sign: bool, is_admin: bool, title: str | None = None) -> Membership:
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        _require(permissions.can_change_member(actor, target))
        role, administers = _role_for(can_sign, is_admin)
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
                target.organisation,
                Delegation.objects.filter(organisation=target.organisation, granted_by=target.user),
                "Den som ga fullmakten, har ikke lenger signaturrett.",
            )
    return target


def remove_member(actor, membership_id: int, *, reason: str = "") -> Membership:
    """Take a person out of the organisation. The membership is kept (``removed_at``) for the history."""
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        _require(permissions.can_remove_member(actor, target))
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
            target.organisation,
            Delegation.objects.filter(organisation=target.organisation, granted_by=target.user)
            | Delegation.objects.filter(organisation=target.organisation, delegate=target.user),
            "Personen er ikke lenger med i organisasjonen.",
        )
    return target


# --- delegation (fullmakt) ---------------------------------------------------------


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
        _require(permissions.can_delegate(actor, organisation))
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
    _notify(
        delegate.user.email,
        f"Fullmakt til å signere for {organisation.name} / Signing authority",
        f"{_user_label(actor)} har gitt deg fullmakt til å signere søknader for {organisation.name}"
        f" ({call.title_nb if call else 'alle utlysninger'}) til og med {valid_until:%d.%m.%Y}.\n\n"
        f"{_user_label(actor)} has delegated to you the authority to sign applications for {organisation.name}"
        f" ({(call.title_en or call.title_nb) if call else 'all calls'}) until {valid_until:%d.%m.%Y}.\n",
    )
    return delegation


def revoke_delegation(actor, delegation_id: int, *, reason: str = "") -> Delegation:
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update().select_related("organisation", "delegate").get(pk=delegation_id)
        )
        _require(permissions.can_revoke_delegation(actor, delegation))
        delegation.revoked_at, delegation.revoked_by = timezone.now(), actor
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
    return delegation


# --- grantor staff confirm the first person --------------------------------------------


def unconfirmed_memberships(staff=None):
    """Active memberships waiting for grantor staff, the people who registered an organisation first.

    With ``staff``: only those of organisations that apply to that person's grantor.
    """
    from django.db.models import Case, IntegerField, When  # noqa: PLC0415

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


def confirm_membership(staff, membership_id: int) -> Membership:
    """Confirm a person's access; the unconfirmed people they brought in are confirmed with them."""
    _require(permissions.can_confirm_memberships(staff))
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        _require(permissions.can_confirm_membership(staff, target.organisation))
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
                data={"membership": member.pk, "user": member.user.email, "with": target.user.email},
                audience=Audience.APPLICANT,
            )
    _notify(
        target.user.email,
        f"Tilgangen din til {target.organisation.name} er bekreftet / Your access is confirmed",
        f"Tilskuddsforvalteren har bekreftet tilgangen din til {target.organisation.name}. "
        "Nå kan du sende inn søknader.\n\n"
        f"The grantor has confirmed your access to {target.organisation.name}. You can now submit applications.\n",
    )
    return target


def reject_membership(staff, membership_id: int, *, reason: str = "") -> Membership:
    """Turn a person down; the unconfirmed people they brought in, and their open invitations, go with them."""
    _require(permissions.can_confirm_memberships(staff))
    with transaction.atomic():
        target = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership_id)
        _require(permissions.can_confirm_membership(staff, target.organisation))
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
    _notify(
        target.user.email,
        f"Tilgangen din til {target.organisation.name} ble ikke bekreftet / Access not confirmed",
        f"Tilskuddsforvalteren kunne ikke bekrefte tilgangen din til {target.organisation.name}."
        + (f"\nBegrunnelse: {reason}" if reason else "")
        + f"\n\nThe grantor could not confirm your access to {target.organisation.name}."
        + (f"\nReason: {reason}" if reason else "")
        + "\n",
    )
    return target


# --- organisation data ---------------------------------------------------------------


def update_organisation(actor, organisation_id: int, changes: dict[str, Any]) -> Organisation:
    """Change the organisation's data. Fields Enhetsregisteret gave stay as the registry says."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        _require(permissions.can_edit_organisation(actor, organisation))
        values = _clean_details(changes)
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
    _require(permissions.can_edit_organisation(actor, organisation))
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
