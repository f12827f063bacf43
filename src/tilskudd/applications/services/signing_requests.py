"""«Send til signering»: a member who may not sign asks the organisation's signatories to sign.

The signatories — confirmed signatories and the delegates whose authority covers the call, the same
people the review page lists under «Hvem kan signere» — get an e-mail with a link to the application
(sent once the transaction has committed, ``orgs.services.mail.notify``), and the application reads
«Venter på signatur fra …» until one of them signs. The request is an audit event on the application
(``APPLICATION_SENT_FOR_SIGNING``, seen by the applicant), so it needs no table of its own: the
latest such event with no signature after it is the request that is waiting. Pressing again within
:data:`RESEND_AFTER` notifies nobody and says when it was sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tilskudd.applications import permissions
from tilskudd.applications.models import Application
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import require
from tilskudd.orgs.models import Delegation, Membership, Role
from tilskudd.orgs.services.mail import notify

#: Pressing «Send til signering» again sooner than this notifies nobody.
RESEND_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class SigningRequest:
    """A request that is waiting: when, by whom, and to whom (names, in the order notified)."""

    sent_at: dt.datetime
    sent_by: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class SendOutcome:
    request: SigningRequest
    #: False when an earlier request within :data:`RESEND_AFTER` stands and nobody was notified again.
    notified: bool


def signatories(application: Application) -> list:
    """The people who may sign the application now: confirmed signatories, then covering delegates."""
    people: dict[int, object] = {}
    for member in Membership.objects.filter(
        organisation=application.organisation, role=Role.SIGNATORY, removed_at__isnull=True, confirmed_at__isnull=False
    ).select_related("user"):
        people.setdefault(member.user_id, member.user)
    today = timezone.localdate()
    for delegation in Delegation.objects.filter(
        organisation=application.organisation, revoked_at__isnull=True, valid_until__gte=today
    ).select_related("delegate"):
        if delegation.covers(application.call_id, today) and permissions.membership(
            delegation.delegate, application.organisation
        ):
            people.setdefault(delegation.delegate_id, delegation.delegate)
    return [person for person in people.values() if getattr(person, "is_active", True)]


def _events(application: Application, action: AuditAction):
    return AuditEvent.objects.filter(
        subject_type=application._meta.model_name, subject_id=str(application.pk), action=action.value
    )


def waiting_request(application: Application) -> SigningRequest | None:
    """The request to sign that is still waiting: sent, not yet followed by a signature."""
    if not application.is_editable:
        return None
    sent = _events(application, AuditAction.APPLICATION_SENT_FOR_SIGNING).select_related("actor").last()
    if sent is None:
        return None
    if _events(application, AuditAction.APPLICATION_SIGNED).filter(at__gte=sent.at).exists():
        return None
    names = tuple(str(name) for name in (sent.data or {}).get("names", []))
    by = sent.actor.get_full_name() if sent.actor else ""
    return SigningRequest(sent_at=sent.at, sent_by=by, names=names)


def waiting_requests(applications) -> dict[int, SigningRequest]:
    """:func:`waiting_request` for many applications (Min side), keyed by application id."""
    found: dict[int, SigningRequest] = {}
    for application in applications:
        request = waiting_request(application)
        if request is not None:
            found[application.pk] = request
    return found


def can_send_for_signing(user, application: Application) -> Permission:
    """A member who may edit the application but not sign it, while it is unsigned and someone can sign."""
    editable = permissions.can_edit(user, application)
    if not editable:
        return editable
    if permissions.signing_capacity(user, application) is not None:
        return denied("Du kan signere søknaden selv.", "You can sign the application yourself.")
    if application.active_signature() is not None:
        return denied("Søknaden er allerede signert.", "The application is already signed.")
    if not signatories(application):
        return denied(
            "Ingen i organisasjonen har bekreftet signaturrett ennå, så det er ingen å sende søknaden til.",
            "Nobody in the organisation has confirmed signing authority yet, so there is nobody to send it to.",
        )
    return ALLOWED


def send_for_signing(user, application_id: int, *, link: str = "") -> SendOutcome:
    """Notify the signatories that the application waits for their signature (at most once an hour)."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("organisation", "call").get(pk=application_id)
        )
        require(can_send_for_signing(user, application))
        earlier = waiting_request(application)
        now = timezone.now()
        if earlier is not None and now - earlier.sent_at < RESEND_AFTER:
            return SendOutcome(earlier, notified=False)
        people = signatories(application)
        names = tuple(person.get_full_name() for person in people)
        record(
            user,
            application,
            AuditAction.APPLICATION_SENT_FOR_SIGNING,
            data={"names": list(names), "to": [person.email for person in people], "revision": application.revision},
            audience=Audience.APPLICANT,
        )
        title = f"«{application.title or application.call.title_nb}»"
        sender = user.get_full_name()
        organisation = application.organisation.name
        for person in people:
            notify(
                person.email,
                f"Søknad venter på din signatur / An application waits for your signature – {organisation}",
                f"{sender} har sendt søknaden {title} fra {organisation} til deg for signering.\n"
                "Les gjennom søknaden og signer den hvis opplysningene er riktige:\n"
                f"{link}\n\n"
                f"{sender} has sent the application {title} from {organisation} to you to sign.\n"
                "Read the application through and sign it if the information is correct:\n"
                f"{link}\n",
            )
    return SendOutcome(SigningRequest(sent_at=now, sent_by=sender, names=names), notified=True)
