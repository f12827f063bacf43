"""Casework operations: opening cases, staff roles, screening. Each one transaction with an audit event."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connections, transaction
from django.db.models import BooleanField, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from tilskudd.applications.models import Application
from tilskudd.applications.states import STATUS_EN, Status, TransitionNotAllowed, audit_action, check_transition
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import duplicates, facts, scope, search, signals, totals
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import (
    ROLE_EN,
    Case,
    CaseTally,
    Role,
    ScreeningOutcome,
    StaffInvitation,
    StaffProfile,
    StaffRole,
)
from tilskudd.casework.scope import grantor_of
from tilskudd.core.formatting import format_datetime
from tilskudd.core.refusals import Refusal
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.rules.reference.imdi import regional_office_for_county, regional_offices, route


def open_case(application: Application) -> Case:
    """The case of a just-submitted application, routed (C0-R27); the existing one on resubmission."""
    existing = Case.objects.filter(application=application).first()
    if existing is not None:
        if existing.screening == ScreeningOutcome.COMPLETION_REQUESTED:
            record(
                application.submitted_by,
                existing,
                AuditAction.CASE_COMPLETED,
                data={"hash": application.submitted_hash},
                audience=Audience.INTERNAL,
            )
        facts.write(existing, application)  # the completed application's facts replace the earlier ones
        return existing
    number, name = grantor_of(application)
    case = Case(application=application, grantor_org_number=number, grantor_name=name)
    _route(case, application)
    facts.write(case, application)  # saves the case
    record(
        None,
        case,
        AuditAction.CASE_OPENED,
        data={"grantor": number, "office": case.office, "contact": case.contact_name},
        audience=Audience.INTERNAL,
    )
    return case


def _route(case: Case, application: Application) -> None:
    definition = application.call_version.parsed()
    exchange = application.submitted()
    if definition.routing is None or definition.routing.by != "regional_office" or exchange is None:
        return
    contact = route(definition, exchange)
    if exchange.applicant.county:
        try:
            case.office = regional_office_for_county(exchange.applicant.county)
        except KeyError:
            case.office = ""
    if contact is not None:
        case.contact_name = contact.name
        case.contact_email = contact.email or ""
        case.contact_phone = contact.phone or ""


# --- refusals ------------------------------------------------------------------------


class CaseworkRefused(Refusal):
    """A casework action that cannot be done; the reasons say why in bokmål and English."""


def _status_words(status: str) -> tuple[str, str]:
    return Status(status).label.lower(), STATUS_EN[Status(status)].lower()


def _locked_case(user, case_id: int, *wanted: str) -> tuple[Case, Application]:
    """The case and its application, locked for the transaction; RoleMissing unless ``user`` holds a wanted role."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not scope.can_see_case(user, case, *wanted):
        raise RoleMissing(*wanted)
    application = (
        Application.objects.select_for_update()
        .select_related("organisation", "call", "call_version")
        .get(pk=case.application_id)
    )
    return case, application


def _move(application: Application, target: str, **fields: Any) -> tuple[str, str]:
    """Move ``application`` to ``target`` with ``fields``, saved: (previous status, action), or CaseworkRefused with the reason."""
    try:
        action = check_transition(application.status, target)
    except TransitionNotAllowed:
        nb, en = _status_words(application.status)
        raise CaseworkRefused(
            f"Søknaden har status «{nb}». Den kan ikke få status «{_status_words(target)[0]}» nå.",
            f"The application's status is “{en}”. It cannot become “{_status_words(target)[1]}” now.",
        ) from None
    previous = application.status
    application.status = target
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["status", *fields, "updated_at"])
    return previous, action


def _screened(case: Case, user, outcome: str, note: str) -> None:
    case.screening = outcome
    case.screened_at = timezone.now()
    case.screened_by = user
    case.screening_note = note
    case.save(update_fields=["screening", "screened_at", "screened_by", "screening_note"])


# --- screening (forhåndskontroll) ------------------------------------------------------


def accept(user, case_id: int, note: str = "") -> Case:
    """Accept the application for assessment: SUBMITTED → IN_ASSESSMENT. A repeat (double click) changes nothing."""
    with transaction.atomic():
        case, application = _locked_case(user, case_id, Role.CASEWORKER)
        if application.status == Status.IN_ASSESSMENT and case.screening == ScreeningOutcome.ACCEPTED:
            return case
        if application.status != Status.SUBMITTED:
            nb, en = _status_words(application.status)
            raise CaseworkRefused(
                f"Bare en innsendt søknad kan godtas til vurdering. Denne har status «{nb}».",
                f"Only a submitted application can be accepted for assessment. This one is “{en}”.",
            )
        previous, action = _move(application, Status.IN_ASSESSMENT)
        _screened(case, user, ScreeningOutcome.ACCEPTED, note.strip())
        # The screening note is the grantor's own (on the case event below), not the applicant's.
        record(
            user,
            application,
            audit_action(action),
            from_state=previous,
            to_state=Status.IN_ASSESSMENT,
            audience=Audience.APPLICANT,
        )
        record(
            user,
            case,
            AuditAction.CASE_ACCEPTED,
            reason=note.strip(),
            data={"screening": ScreeningOutcome.ACCEPTED},
            audience=Audience.INTERNAL,
        )
    return case


def request_completion(user, case_id: int, message: str, deadline: dt.datetime) -> Case:
    """Reopen the application for completion (X-R04) until ``deadline`` and tell the applicant what is missing."""
    message = (message or "").strip()
    if not message:
        raise CaseworkRefused("Skriv hva søkeren må komplettere.", "Write what the applicant must complete.")
    if deadline is None or timezone.is_naive(deadline):
        raise CaseworkRefused(
            "Fristen for komplettering mangler tidssone.", "The completion deadline has no time zone."
        )
    if deadline <= timezone.now():
        raise CaseworkRefused(
            "Fristen for komplettering må være fram i tid.", "The completion deadline must be in the future."
        )
    with transaction.atomic():
        case, application = _locked_case(user, case_id, Role.CASEWORKER)
        if application.status != Status.SUBMITTED:
            nb, en = _status_words(application.status)
            raise CaseworkRefused(
                f"Bare en innsendt søknad som ikke er vurdert ennå, kan åpnes for komplettering. Denne har status «{nb}».",
                f"Only a submitted application not yet in assessment can be reopened for completion. This one is “{en}”.",
            )
        previous, action = _move(application, Status.REOPENED, reopened_until=deadline, reopened_message=message)
        _screened(case, user, ScreeningOutcome.COMPLETION_REQUESTED, message)
        record(
            user,
            application,
            audit_action(action),
            from_state=previous,
            to_state=Status.REOPENED,
            reason=message,
            data={"reopened_until": deadline.isoformat()},
            audience=Audience.APPLICANT,
        )
        record(
            user,
            case,
            AuditAction.CASE_COMPLETION_REQUESTED,
            reason=message,
            data={"screening": ScreeningOutcome.COMPLETION_REQUESTED, "reopened_until": deadline.isoformat()},
            audience=Audience.INTERNAL,
        )
        recipients = completion_recipients(application)
        subject, body = completion_email(application, case, message, deadline)
        if recipients:
            transaction.on_commit(
                lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
            )
    return case


def completion_recipients(application: Application) -> list[str]:
    """The confirmed members of the applicant organisation (their e-mail addresses, once each)."""
    emails = (
        Membership.objects.filter(organisation=application.organisation, removed_at__isnull=True)
        .exclude(confirmed_at=None)
        .values_list("user__email", flat=True)
    )
    unique: list[str] = []
    for email in emails:
        if email and email.lower() not in {e.lower() for e in unique}:
            unique.append(email)
    return unique


def completion_email(application: Application, case: Case, message: str, deadline: dt.datetime) -> tuple[str, str]:
    """Subject and plain-text body (bokmål, then English) of the request for completion."""
    title = application.title or application.call.title_nb
    link = settings.SITE_URL + reverse("applications:form", args=[application.pk])
    subject = (
        f"Søknad {application.case_number} må kompletteres / Application {application.case_number} must be completed"
    )
    body = "\n".join(
        [
            f"Søknaden «{title}» (saksnummer {application.case_number}) til {case.grantor_name} må kompletteres.",
            "",
            "Dette mangler:",
            message,
            "",
            f"Søknaden er åpnet igjen. Rett den, signer og send den inn på nytt innen {format_datetime(deadline, 'nb', seconds=False)}.",
            "Sendes den ikke inn innen fristen, kan søknaden bli avvist.",
            f"Søknaden: {link}",
            "",
            "---",
            "",
            f"The application “{title}” (case number {application.case_number}) to {case.grantor_name} must be completed.",
            "",
            "What is missing:",
            message,
            "",
            f"The application has been reopened. Correct it, sign it and submit it again by {format_datetime(deadline, 'en', seconds=False)}.",
            "If it is not submitted by then, the application may be rejected.",
            f"The application: {link}",
        ]
    )
    return subject, body


def propose_rejection(user, case_id: int, reasons: str) -> Case:
    """Propose to reject (*avvise*) the application: a rejection decision is prepared for an approver (four eyes)."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise CaseworkRefused("Skriv hvorfor søknaden bør avvises.", "Write why the application should be rejected.")
    with transaction.atomic():
        case, application = _locked_case(user, case_id, Role.CASEWORKER)
        try:
            check_transition(application.status, Status.REJECTED)
        except TransitionNotAllowed:
            nb, en = _status_words(application.status)
            raise CaseworkRefused(
                f"En søknad med status «{nb}» kan ikke avvises.", f"An application that is “{en}” cannot be rejected."
            ) from None
        _screened(case, user, ScreeningOutcome.REJECTION_PROPOSED, reasons)
        record(
            user,
            case,
            AuditAction.CASE_REJECTION_PROPOSED,
            reason=reasons,
            data={"screening": ScreeningOutcome.REJECTION_PROPOSED},
            audience=Audience.INTERNAL,
        )
        # Grants (tilskudd.grants.receivers) prepares the rejection decision for an approver; a refusal
        # it raises, a CaseworkRefused, rolls the proposal back.
        signals.rejection_proposed.send(sender=Case, user=user, application=application, reasons=reasons)
    return case


# --- caseworker and staff -----------------------------------------------------------------


def assign_caseworker(user, case_id: int, caseworker) -> Case:
    """Make ``caseworker`` (or nobody, with None) responsible for the case."""
    with transaction.atomic():
        case, _application = _locked_case(user, case_id, Role.CASEWORKER, Role.ADMINISTRATOR)
        if caseworker is not None and not scope.has_role(caseworker, case.grantor_org_number, Role.CASEWORKER):
            raise CaseworkRefused(
                f"{caseworker.get_full_name()} er ikke saksbehandler hos {case.grantor_name}.",
                f"{caseworker.get_full_name()} is not a caseworker at {case.grantor_name}.",
            )
        if case.caseworker_id == (caseworker.pk if caseworker else None):
            return case
        previous = case.caseworker
        case.caseworker = caseworker
        case.save(update_fields=["caseworker"])
        record(
            user,
            case,
            AuditAction.CASE_ASSIGNED,
            data={
                "caseworker": caseworker.get_full_name() if caseworker else "",
                "previous": previous.get_full_name() if previous else "",
            },
            audience=Audience.INTERNAL,
        )
    return case


def caseworkers(grantor_org_number: str):
    """The people who hold the caseworker role at the grantor."""
    User = get_user_model()
    return (
        User.objects.filter(
            staff_roles__grantor__org_number=grantor_org_number,
            staff_roles__role=Role.CASEWORKER,
            staff_roles__removed_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


def _require_administrator(user, grantor: Organisation) -> None:
    if not scope.has_role(user, grantor.org_number, Role.ADMINISTRATOR):
        raise RoleMissing(Role.ADMINISTRATOR)


#: How long an invitation to a role may be claimed.
STAFF_INVITATION_DAYS = 14


def invite_staff(admin_user, grantor: Organisation, email: str, role: str, site_url: str = "") -> StaffInvitation:
    """Offer a role at ``grantor`` to an e-mail address, by a link sent to it.

    Nobody gets the role at once, even when the address has an account: whoever made that account
    may not own the address. The link, followed by a verified account with the address, claims it
    (:func:`claim_staff_invitation`); then they must use two-factor authentication.
    """
    if role not in Role.values:
        raise CaseworkRefused("Velg en rolle.", "Choose a role.")
    address = (email or "").strip().lower()
    if not address:
        raise CaseworkRefused("Skriv e-postadressen.", "Enter the e-mail address.")
    with transaction.atomic():
        _require_administrator(admin_user, grantor)
        holder = (
            StaffRole.objects.filter(user__email__iexact=address, grantor=grantor, role=role, removed_at__isnull=True)
            .select_related("user")
            .first()
        )
        if holder is not None:
            raise CaseworkRefused(
                f"{holder.user.get_full_name()} har allerede rollen {Role(role).label.lower()} hos {grantor.name}.",
                f"{holder.user.get_full_name()} already has the role {ROLE_EN[Role(role)].lower()} at {grantor.name}.",
            )
        invitation = StaffInvitation.objects.create(
            grantor=grantor,
            email=address,
            role=role,
            token=secrets.token_urlsafe(32),
            invited_by=admin_user,
            expires_at=timezone.now() + dt.timedelta(days=STAFF_INVITATION_DAYS),
        )
        record(
            admin_user,
            grantor,
            AuditAction.STAFF_INVITATION_SENT,
            to_state="open",
            data={"invitation": invitation.pk, "email": address, "grantor": grantor.org_number, "role": role},
            audience=Audience.INTERNAL,
        )
        base = (site_url or getattr(settings, "SITE_URL", "")).rstrip("/")
        link = f"{base}{reverse('casework:staff_invitation', kwargs={'token': invitation.token})}"
        inviter = admin_user.get_full_name()
        role_nb, role_en = Role(role).label.lower(), ROLE_EN[Role(role)].lower()
        body = (
            f"{inviter} gir deg rollen {role_nb} hos {grantor.name} i tilskudd.\n"
            f"Åpne lenken og logg inn (eller lag en konto) med denne e-postadressen ({address}):\n{link}\n"
            f"Invitasjonen gjelder i {STAFF_INVITATION_DAYS} dager. Med rollen må du bruke tofaktorinnlogging.\n\n"
            f"{inviter} gives you the role {role_en} at {grantor.name} in tilskudd.\n"
            f"Open the link and log in (or create an account) with this e-mail address ({address}):\n{link}\n"
            f"The invitation is valid for {STAFF_INVITATION_DAYS} days. With the role you must use two-factor login.\n"
        )
        subject = f"Rolle hos {grantor.name} i tilskudd / A role at {grantor.name}"
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    return invitation


def claim_staff_invitation(user, token: str) -> StaffRole:
    """Take the role offered by the link: only a verified account whose address the link was sent to."""
    with transaction.atomic():
        invitation = (
            StaffInvitation.objects.select_for_update()
            .select_related("grantor", "invited_by")
            .filter(token=token)
            .first()
        )
        if invitation is None or not invitation.is_open():
            raise CaseworkRefused(
                "Invitasjonen gjelder ikke lenger. Be en administrator om en ny.",
                "The invitation is no longer valid. Ask an administrator for a new one.",
            )
        if not getattr(user, "is_authenticated", False) or (user.email or "").lower() != invitation.email.lower():
            raise CaseworkRefused(
                "Invitasjonen ble sendt til en annen e-postadresse enn den du er logget inn med.",
                "The invitation was sent to another e-mail address than the one you are logged in with.",
            )
        if not user.email_verified or not user.is_active:
            raise CaseworkRefused("Bekreft e-postadressen din først.", "Confirm your e-mail address first.")
        grantor, role = invitation.grantor, invitation.role
        staff_role = StaffRole.objects.filter(user=user, grantor=grantor, role=role, removed_at__isnull=True).first()
        if staff_role is None:
            staff_role = StaffRole.objects.create(user=user, grantor=grantor, role=role, added_by=invitation.invited_by)
            record(
                user,
                staff_role,
                AuditAction.STAFF_ROLE_ADDED,
                to_state="active",
                data={
                    "user": user.email,
                    "grantor": grantor.org_number,
                    "role": role,
                    "invited_by": invitation.invited_by.email,
                },
                audience=Audience.INTERNAL,
            )
        if not user.is_staff:
            # Kept for the admin and older code; two-factor follows from the role itself
            # (accounts.services.two_factor_required).
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        invitation.claimed_at, invitation.claimed_by = timezone.now(), user
        invitation.save(update_fields=["claimed_at", "claimed_by"])
    return staff_role


def revoke_staff_invitation(admin_user, invitation_id: int) -> StaffInvitation:
    with transaction.atomic():
        invitation = StaffInvitation.objects.select_for_update().select_related("grantor").get(pk=invitation_id)
        _require_administrator(admin_user, invitation.grantor)
        if invitation.is_open():
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            record(
                admin_user,
                invitation.grantor,
                AuditAction.STAFF_INVITATION_REVOKED,
                from_state="open",
                to_state="revoked",
                data={"invitation": invitation.pk, "email": invitation.email, "role": invitation.role},
                audience=Audience.INTERNAL,
            )
    return invitation


def remove_staff_role(admin_user, staff_role_id: int) -> StaffRole:
    """End a role; a grantor's last administrator cannot be removed. A repeat changes nothing."""
    with transaction.atomic():
        staff_role = StaffRole.objects.select_for_update().select_related("grantor", "user").get(pk=staff_role_id)
        _require_administrator(admin_user, staff_role.grantor)
        if staff_role.removed_at is not None:
            return staff_role
        if (
            staff_role.role == Role.ADMINISTRATOR
            and not StaffRole.objects.filter(
                grantor=staff_role.grantor, role=Role.ADMINISTRATOR, removed_at__isnull=True
            )
            .exclude(pk=staff_role.pk)
            .exists()
        ):
            raise CaseworkRefused(
                f"{staff_role.grantor.name} må ha minst én administrator.",
                f"{staff_role.grantor.name} must have at least one administrator.",
            )
        staff_role.removed_at = timezone.now()
        staff_role.save(update_fields=["removed_at"])
        record(
            admin_user,
            staff_role,
            AuditAction.STAFF_ROLE_REMOVED,
            from_state="active",
            to_state="removed",
            data={"user": staff_role.user.email, "grantor": staff_role.grantor.org_number, "role": staff_role.role},
            audience=Audience.INTERNAL,
        )
    return staff_role


#: The longest job title (*stillingstittel*) kept.
JOB_TITLE_MAX = 100


def set_job_title(admin_user, grantor: Organisation, person, job_title: str) -> StaffProfile:
    """Set ``person``'s job title at ``grantor`` (the decision letters sign with it); empty clears it.

    Only the grantor's administrator, and only for a person with a role there. An unchanged title
    writes nothing.
    """
    title = " ".join((job_title or "").split())
    if len(title) > JOB_TITLE_MAX:
        raise CaseworkRefused(
            f"Stillingstittelen kan ha høyst {JOB_TITLE_MAX} tegn.",
            f"The job title can have at most {JOB_TITLE_MAX} characters.",
        )
    with transaction.atomic():
        _require_administrator(admin_user, grantor)
        if not StaffRole.objects.filter(user=person, grantor=grantor, removed_at__isnull=True).exists():
            raise CaseworkRefused(
                f"{person.get_full_name()} har ingen rolle hos {grantor.name}.",
                f"{person.get_full_name()} has no role at {grantor.name}.",
            )
        profile, _created = StaffProfile.objects.select_for_update().get_or_create(user=person, grantor=grantor)
        before = profile.job_title
        if before == title:
            return profile
        profile.job_title = title
        profile.save(update_fields=["job_title", "updated_at"])
        record(
            admin_user,
            profile,
            AuditAction.STAFF_TITLE_CHANGED,
            data={"user": person.email, "grantor": grantor.org_number, "before": before, "job_title": title},
            audience=Audience.INTERNAL,
        )
    return profile


# --- reading: the queue ---------------------------------------------------------------------


@dataclass
class QueueRow:
    case: Case
    application: Application
    areas: list[str]
    county: str
    amount_applied: int | None
    findings: int
    flag: object | None  # duplicates.DuplicateFlag, None when C2-R07 does not apply


#: A queue of at most this many cases is read by their ids (from the ledger's index, ``CaseTally``) instead of
#: by call and grantor: C2's grantors have ~1 000 cases each among the call's 20 000 at 100 000 applications,
#: and PostgreSQL, not knowing that a grantor's cases sit in a few calls, walked or hashed the whole call.
FEW_CASES = 2000


def _few_cases(call, numbers) -> list[int] | None:
    """The ids of the call's non-draft cases at ``numbers``, or None when there are more than :data:`FEW_CASES`."""
    ids = list(
        CaseTally.objects.filter(call=call, grantor_org_number__in=numbers)
        .order_by()
        .values_list("case_id", flat=True)[: FEW_CASES + 1]
    )
    return ids if len(ids) <= FEW_CASES else None


def _id_array(ids: list[int]) -> str:
    """``ids`` as one PostgreSQL array literal, for ``= ANY(%s::bigint[])``: the driver sends one text value
    instead of adapting a list element by element (1 000 ids: ~1.9 → 0.2 ms of CPU a query, issue #14)."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _by_ids(ids: list[int], alias: str) -> QuerySet[Case]:
    """The cases ``ids``; on PostgreSQL their applications by id too, each list one array parameter (a thousand
    ``IN`` parameters cost Django and the driver ~20 ms a query to build and quote)."""
    if connections[alias].vendor != "postgresql":
        return Case.objects.using(alias).filter(pk__in=ids)
    cases = _id_array(ids)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT application_id FROM casework_case WHERE id = ANY(%s::bigint[])", [cases])
        applications = _id_array([row[0] for row in cursor.fetchall()])
    # The applications by their ids too (Django would test the case's column): so PostgreSQL, which cannot know
    # that a grantor's cases sit in a few calls, reads those rows by primary key instead of scanning them all.
    # (the caller's filter on the application's status joins "applications_application")
    return Case.objects.using(alias).filter(
        RawSQL('"casework_case"."id" = ANY(%s::bigint[])', [cases], output_field=BooleanField()),
        RawSQL('"applications_application"."id" = ANY(%s::bigint[])', [applications], output_field=BooleanField()),
    )


#: What a row of the queue does not show of its application and organisation: not read (issue #14, point 4: the
#: answer documents, dates and the organisation's registry data cost ~5 ms of Python a page of 50 to build).
_QUEUE_DEFERRED = (
    *(
        f"application__{name}"
        for name in (
            "content",
            "submitted_content",
            "call_version",
            "revision",
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
            "submitted_at",
            "submitted_by",
            "submitted_hash",
            "reopened_until",
            "reopened_message",
        )
    ),
    *(
        f"application__organisation__{name}"
        for name in (
            "applicant_type",
            "org_form",
            "address",
            "postal_code",
            "city",
            "phone",
            "email",
            "bank_account",
            "county",
            "municipality_number",
            "founded_on",
            "voluntary_registered",
            "voluntary_registered_on",
            "counties_activity",
            "counties_members",
            "counties_branches",
            "registry_verified",
            "registry_checked_at",
            "registry_data",
            "created_at",
            "updated_at",
        )
    ),
)


def queue_cases(user, call, filters: dict | None = None) -> QuerySet[Case]:
    """The call's cases of the person's grantors, filtered (keys as in ``forms.QueueFilterForm``), in case-number order.

    Every filter, the search and the order are the database's, on the facts written at submission
    (``casework.facts``) and indexed columns: a page of the queue reads only its own rows.
    """
    filters = filters or {}
    numbers = scope.grantor_numbers(user)
    if filters.get("grantor"):
        numbers &= {filters["grantor"]}
    few = _few_cases(call, numbers)
    flagged = bool(filters.get("flagged")) and duplicates.has_local_grantors(call)
    if few is not None and flagged:
        # The flag (C2-R07) asks, for each case, after the organisation's other cases: asked once here of the few
        # cases, not again by the page's count and by the page itself (issue #14: C2's flagged queue at 100 000,
        # 18 + 20 ms of the database for the two).
        few = list(
            _by_ids(few, Case.objects.db)
            .filter(grantor_org_number__in=numbers)
            .exclude(application__status=Status.DRAFT)
            .filter(duplicates.flagged_filter())
            .order_by()
            .values_list("pk", flat=True)
        )
    # the ledger keeps every non-draft case's call and grantor in the same transaction (casework.totals)
    base = _by_ids(few, Case.objects.db) if few is not None else Case.objects.filter(application__call=call)
    found = (
        base.filter(grantor_org_number__in=numbers)
        .exclude(application__status=Status.DRAFT)
        .annotate(applied=Coalesce("amount_applied", 0))
    )
    if filters.get("area"):
        found = found.filter(areas__area=filters["area"])
    if filters.get("status"):
        found = found.filter(application__status=filters["status"])
    if filters.get("county"):
        found = found.filter(county=filters["county"])
    if filters.get("amount_from") is not None:
        found = found.filter(applied__gte=filters["amount_from"])
    if filters.get("amount_to") is not None:
        found = found.filter(applied__lte=filters["amount_to"])
    if filters.get("office"):
        found = found.filter(office=filters["office"])
    if filters.get("mine"):
        found = found.filter(caseworker_id=user.pk)
    if filters.get("findings"):
        found = found.exclude(application__submitted_findings=[])
    if flagged and few is None:
        found = found.filter(duplicates.flagged_filter())
    found = search.matching(found, filters.get("q") or "", call_id=call.pk)
    return (
        found.select_related("application", "application__organisation", "caseworker")
        .defer(*_QUEUE_DEFERRED)
        .prefetch_related("areas")
        .order_by("application__case_number", "pk")
    )


def queue_rows(call, cases: list[Case]) -> list[QueueRow]:
    """The queue's rows of ``cases`` (one page), with their duplicate flags (C2-R07) read for these cases only."""
    applies = duplicates.has_local_grantors(call)
    flags = duplicates.flags_for_call(call, cases) if applies and cases else {}
    return [
        QueueRow(
            case,
            case.application,
            case.area_codes,
            case.county,
            case.amount_applied,
            len(case.application.submitted_findings or []),
            flags.get(case.pk) if applies else None,
        )
        for case in cases
    ]


def queue(user, call, filters: dict | None = None) -> list[QueueRow]:
    """Every row of the filtered queue (the page shows one page of :func:`queue_cases` at a time)."""
    return queue_rows(call, list(queue_cases(user, call, filters)))


def offices(user, call) -> list[str]:
    """The regional offices the call's cases at the person's grantors are routed to (C0-R27), for the filter."""
    definition = call.definition if call.current_version_id else None
    if definition is None or definition.routing is None or definition.routing.by != "regional_office":
        return []  # the call does not route to regional offices (C0-R27): no case has one
    routed = Case.objects.filter(application__call=call, grantor_org_number__in=scope.grantor_numbers(user))
    # One EXISTS per known office (a handful, each stopping at its first case) instead of a DISTINCT over every case.
    return sorted(office.name for office in regional_offices() if routed.filter(office=office.name).exists())


def status_counts(user, call) -> dict[str, int]:
    """Application status → number of cases of ``call`` at the person's grantors."""
    counts: dict[str, int] = {}
    # The running totals (casework.totals): a few rows per status, not every case of the call.
    for status, count in (
        totals.totals(call, scope.grantor_numbers(user)).values_list("status").annotate(n=Sum("cases")).order_by()
    ):
        counts[status] = count
    return counts


def queue_count(user, call, filters: dict | None = None) -> int | None:
    """How many cases the queue lists, from the running totals when no filter but the grantor narrows it.

    None when a filter or a search narrows the queue: then the page counts its query's rows.
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "", False)}
    if set(filters) - {"grantor"}:
        return None
    numbers = scope.grantor_numbers(user)
    if filters.get("grantor"):
        numbers &= {filters["grantor"]}
    return totals.case_count(call, numbers)
