"""The participants of an individual report (C0-R12): who may add and read them, adding, reading, rotation.

* Who may add: the grantee's named people — the organisation's confirmed signatory and those with a valid
  delegation from them for the call (``applications.permissions.signing_capacity``, the same people who deliver
  the report) — while the report can still be delivered.
* Who may read the personal data: those same named people, and the case's caseworker (``Case.caseworker``, still
  holding the caseworker role at the grantor). Nobody else, not the grantor's other staff.
* Every read gives a reason and writes ``participant.data_read`` (internal) with who, why and how many; the
  personal data never go into the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tilskudd.applications.permissions import signing_capacity
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.models import Role
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import Refusal, require
from tilskudd.participants import crypto
from tilskudd.participants.models import ParticipantRecord
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.services import REPORTING_GRANT_STATES
from tilskudd.reports.states import DELIVERABLE

MAX_TEXT = 500
MIN_REASON = 10


class ParticipantRefused(Refusal):
    """Nothing is stored or read; the reason says why."""


class ParticipantInvalid(ParticipantRefused):
    """Fields that do not hold, by field: (nb, en)."""

    status = 400

    def __init__(self, errors: dict[str, tuple[str, str]]):
        self.errors = errors
        super().__init__(
            "Deltakeren har feil som må rettes. Ingenting er lagret.",
            "The participant has errors to correct. Nothing was stored.",
        )


@dataclass
class Participant:
    """One participant's data as typed (add) or decrypted (read)."""

    name: str
    birth_year: int | None
    activity: str
    outcome: str
    informed_at: dt.date | None
    pk: int | None = None


# --- who may ----------------------------------------------------------------------------------------


def is_named_grantee(user, duty: ReportingDuty) -> bool:
    return signing_capacity(user, duty.grant.application) is not None


def is_case_caseworker(user, duty: ReportingDuty) -> bool:
    case = getattr(duty.grant.application, "case", None)
    return (
        case is not None
        and case.caseworker_id is not None
        and case.caseworker_id == getattr(user, "pk", None)
        and scope.can_see_case(user, case, Role.CASEWORKER)
    )


def can_read(user, duty: ReportingDuty) -> Permission:
    if not duty.personal_data:
        return denied("Rapporten har ingen personopplysninger.", "The report has no personal data.")
    if is_named_grantee(user, duty) or is_case_caseworker(user, duty):
        return ALLOWED
    return denied(
        "Bare den som har signaturrett i organisasjonen (eller fullmakt fra denne) og sakens saksbehandler kan lese "
        "deltakernes personopplysninger.",
        "Only the organisation's signatory (or someone with their delegated authority) and the case's caseworker "
        "can read the participants' personal data.",
    )


def can_add(user, duty: ReportingDuty) -> Permission:
    if not duty.personal_data:
        return denied("Rapporten har ingen deltakere.", "The report has no participants.")
    if not is_named_grantee(user, duty):
        return denied(
            "Bare den som har signaturrett i organisasjonen, eller fullmakt fra denne, kan registrere deltakere.",
            "Only the organisation's signatory, or someone with their delegated authority, can add participants.",
        )
    if duty.grant.status not in REPORTING_GRANT_STATES or duty.status not in DELIVERABLE:
        return denied(
            "Individrapporteringen er levert eller skal ikke leveres; deltakere kan ikke legges til.",
            "The individual report is delivered or not owed; participants cannot be added.",
        )
    return ALLOWED


def has_participants(duty: ReportingDuty) -> bool:
    """``reports.services.PERSONAL_DATA_READY``: the individual report can be delivered once it has participants."""
    return duty.personal_data and ParticipantRecord.objects.filter(duty=duty).exists()


# --- adding -----------------------------------------------------------------------------------------


def check(participant: Participant, today: dt.date) -> dict[str, tuple[str, str]]:
    errors: dict[str, tuple[str, str]] = {}
    for key in ("name", "activity", "outcome"):
        value = (getattr(participant, key) or "").strip()
        if not value:
            errors[key] = ("Fyll ut feltet.", "Fill in the field.")
        elif len(value) > MAX_TEXT:
            errors[key] = (f"Høyst {MAX_TEXT} tegn.", f"At most {MAX_TEXT} characters.")
    year = participant.birth_year
    if year is None or not 1900 <= year <= today.year:
        errors["birth_year"] = (
            f"Skriv et fødselsår fra 1900 til {today.year}.",
            f"Write a birth year 1900–{today.year}.",
        )
    if participant.informed_at is None:
        errors["informed_at"] = (
            "Skriv datoen deltakeren ble informert om innsamlingen og behandlingen.",
            "Write the date the participant was informed of the collection and processing.",
        )
    elif participant.informed_at > today:
        errors["informed_at"] = ("Datoen kan ikke være fram i tid.", "The date cannot be in the future.")
    return errors


def add_participant(user, duty_id: int, participant: Participant) -> ParticipantRecord:
    """Store one participant, each personal field encrypted; audited on the duty without the personal data."""
    today = timezone.localdate()
    with transaction.atomic():
        duty = (
            ReportingDuty.objects.select_for_update(of=("self",))
            .select_related("grant", "grant__application", "grant__application__organisation")
            .get(pk=duty_id)
        )
        require(can_add(user, duty))
        errors = check(participant, today)
        if errors:
            raise ParticipantInvalid(errors)
        assert participant.informed_at is not None and participant.birth_year is not None  # checked above
        row = ParticipantRecord.objects.create(
            duty=duty,
            name=crypto.seal(participant.name.strip()),
            birth_year=crypto.seal(str(participant.birth_year)),
            activity=crypto.seal(participant.activity.strip()),
            outcome=crypto.seal(participant.outcome.strip()),
            informed_at=participant.informed_at,
            added_by=user,
            added_at=timezone.now(),
        )
        record(
            user,
            duty,
            AuditAction.PARTICIPANT_ADDED,
            data={"participant": row.pk, "informed_at": participant.informed_at.isoformat()},
            audience=Audience.APPLICANT,
        )
    return row


# --- reading ----------------------------------------------------------------------------------------


def read_participants(user, duty_id: int, reason: str) -> list[Participant]:
    """The participants decrypted, for a person who may read them and says why; the read is audited."""
    reason = (reason or "").strip()
    duty = ReportingDuty.objects.select_related(
        "grant", "grant__application", "grant__application__organisation", "grant__application__case"
    ).get(pk=duty_id)
    require(can_read(user, duty))
    if len(reason) < MIN_REASON:
        raise ParticipantInvalid(
            {
                "reason": (
                    f"Skriv hvorfor du leser opplysningene (minst {MIN_REASON} tegn).",
                    f"Write why you are reading the data (at least {MIN_REASON} characters).",
                )
            }
        )
    with transaction.atomic():
        rows = list(ParticipantRecord.objects.filter(duty=duty).order_by("pk"))
        found = [
            Participant(
                name=crypto.unseal(row.name),
                birth_year=int(crypto.unseal(row.birth_year)),
                activity=crypto.unseal(row.activity),
                outcome=crypto.unseal(row.outcome),
                informed_at=row.informed_at,
                pk=row.pk,
            )
            for row in rows
        ]
        record(
            user,
            duty,
            AuditAction.PARTICIPANT_DATA_READ,
            reason=reason,
            data={"count": len(found), "as": "caseworker" if is_case_caseworker(user, duty) else "grantee"},
            audience=Audience.INTERNAL,
        )
    return found


# --- key rotation -----------------------------------------------------------------------------------


def rotate_keys() -> int:
    """Re-encrypt every participant's fields with the newest key (``MultiFernet.rotate``); the number of rows."""
    done = 0
    with transaction.atomic():
        for row in ParticipantRecord.objects.select_for_update().order_by("pk"):
            for key in ("name", "birth_year", "activity", "outcome"):
                setattr(row, key, crypto.rotate(getattr(row, key)))
            row.save(update_fields=["name", "birth_year", "activity", "outcome"])
            done += 1
    return done
