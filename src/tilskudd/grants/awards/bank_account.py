"""Changing the grant's bank account by a signed request (*endring av kontonummer*, issue #11 point 4).

The account a grant is paid to is the one in the application (``Grant.bank_account``) unless the grantee
changes it. Money going to a new account is where fraud happens, so it takes two people:

* :func:`request_change` — the grantee's signatory, or a delegate within a delegation covering the call (the
  rule of the acceptance, ``acceptance.can_answer``), asks for a new account: 11 digits with a valid MOD11
  check digit, not the account already used. The request is signed with :func:`change_hash`, the SHA-256 of
  :func:`change_document` (the grant, its case, the organisation, the old and the new account), as the
  acceptance and the application are. At most one request waits at a time. Audited (applicant audience).
* :func:`confirm_change` — a caseworker of the grant's grantor, having checked it, confirms it: the grant's
  ``bank_account`` becomes the new one; terms not yet ordered are paid there (an order takes the grant's
  account when a batch is prepared), orders already in a batch keep the account they were made with.
  Audited as ``GRANT_BANK_ACCOUNT_CHANGED`` (applicant audience).
* :func:`refuse_change` — the caseworker refuses it with a reason the grantee reads; nothing changes.

Each is one transaction with the grant row locked, so a request and its confirmation cannot cross a second
request or a change of the account in between (a request made for another old account is refused).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tilskudd.applications.services.content import content_hash
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.access import require_case
from tilskudd.casework.models import Role
from tilskudd.core.refusals import Refusal, require
from tilskudd.grants.awards.acceptance import can_answer
from tilskudd.grants.awards.bank_states import BankChangeStatus, check_bank_change_transition
from tilskudd.grants.awards.signed_requests import sign
from tilskudd.grants.models import BankAccountChange, Grant
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.rules.validators import digits_only, format_bank_account, is_valid_bank_account

#: The grant states in which money is still to be paid, so the account can still be changed. Not while the offer
#: is open: the account is part of the terms accepted (``acceptance.terms_document``); nothing is paid before.
CHANGEABLE = (GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT)
MAX_REASON = 2000


class BankChangeRefused(Refusal):
    """The request or its handling is not allowed; nothing was changed. ``field``: the form field it is about."""

    status = 409
    field = ""


class BadAccount(BankChangeRefused):
    status = 400
    field = "new_account"


class NoSuchChange(Refusal):
    status = 404

    def __init__(self):
        super().__init__("Fant ikke endringen av kontonummer.", "No such change of bank account.")


# --- what is signed --------------------------------------------------------------------------


def change_document(grant: Grant, old_account: str, new_account: str) -> dict[str, Any]:
    """What the grantee signs: which grant (its case and organisation), the account now and the one wanted."""
    application = grant.application
    return {
        "what": "bank_account_change",
        "grant": grant.pk,
        "case_number": application.case_number or "",
        "organisation": application.organisation.org_number,
        "old_account": old_account,
        "new_account": new_account,
    }


def change_hash(grant: Grant, old_account: str, new_account: str) -> str:
    return content_hash(change_document(grant, old_account, new_account))


def clean_account(value: str) -> str:
    """The 11 digits of a Norwegian account number (dots and spaces dropped), or BadAccount."""
    digits = digits_only(value or "")
    if not digits:
        raise BadAccount("Skriv det nye kontonummeret.", "Enter the new account number.")
    if len(digits) != 11:
        raise BadAccount(
            "Kontonummeret må ha 11 siffer, for eksempel 1234.56.78903.",
            "The account number must have 11 digits, for example 1234.56.78903.",
        )
    if not is_valid_bank_account(digits):
        raise BadAccount(
            "Kontonummeret er ikke gyldig (kontrollsifferet stemmer ikke). Sjekk at du har skrevet det riktig.",
            "The account number is not valid (its check digit is wrong). Check that you typed it correctly.",
        )
    return digits


# --- who may, and whether now ----------------------------------------------------------------


def pending(grant: Grant) -> BankAccountChange | None:
    """The request waiting for a caseworker, if any."""
    return (
        BankAccountChange.objects.filter(grant=grant, status=BankChangeStatus.REQUESTED)
        .select_related("requested_by", "delegation")
        .first()
    )


def _changeable(grant: Grant) -> None:
    if grant.status not in CHANGEABLE:
        raise BankChangeRefused(
            "Kontonummeret kan ikke endres nå: tilskuddet er ikke lenger til utbetaling.",
            "The bank account cannot be changed now: the grant is no longer being paid.",
        )


def _locked(grant_id: int) -> Grant:
    return (
        Grant.objects.select_for_update(of=("self",))
        .select_related("application", "application__organisation", "application__case", "application__call")
        .get(pk=grant_id)
    )


# --- the grantee's request -------------------------------------------------------------------


def request_change(user, grant_id: int, new_account: str, shown_account: str | None = None) -> BankAccountChange:
    """The signed request for payments to ``new_account``. ``shown_account``: the account the page showed —
    when the grant's account changed since, the request is refused (the person signs what they saw)."""
    with transaction.atomic():
        grant = _locked(grant_id)
        require(can_answer(user, grant))
        _changeable(grant)
        account = clean_account(new_account)
        old = grant.bank_account or ""
        if shown_account is not None and digits_only(shown_account) != digits_only(old):
            raise BankChangeRefused(
                "Kontonummeret for tilskuddet er endret etter at du åpnet siden. Les siden på nytt. Ingenting er endret.",
                "The grant's bank account changed after you opened the page. Read the page again. Nothing was changed.",
            )
        if account == digits_only(old):
            raise BadAccount(
                "Dette er kontonummeret tilskuddet allerede utbetales til.",
                "This is the account the grant is already paid to.",
            )
        if pending(grant) is not None:
            raise BankChangeRefused(
                "Det ligger allerede en endring av kontonummer til behandling hos tilskuddsforvalteren. "
                "Vent på svar før du ber om en ny.",
                "A change of bank account is already waiting for the grantor. Wait for the answer before asking again.",
            )
        signature = sign(user, grant, change_document(grant, old, account))
        change = BankAccountChange.objects.create(
            grant=grant,
            old_account=old,
            new_account=account,
            requested_by=user,
            requested_at=timezone.now(),
            **signature.fields(),
        )
        record(
            user,
            grant,
            AuditAction.GRANT_BANK_ACCOUNT_REQUESTED,
            data={"change": change.pk, "old_account": old, "new_account": account, **signature.audit()},
            audience=Audience.APPLICANT,
        )
    return change


# --- the caseworker's answer -----------------------------------------------------------------


def _locked_change(user, change_id: int) -> tuple[BankAccountChange, Grant]:
    """The change and its grant, both locked; NoSuchChange outside the person's grantors, RoleMissing without
    the caseworker role there."""
    found = BankAccountChange.objects.select_related("grant__application__case").filter(pk=change_id).first()
    require_case(
        user, getattr(found.grant.application, "case", None) if found else None, NoSuchChange(), Role.CASEWORKER
    )
    assert found is not None  # require_case refused a missing change's (absent) case
    grant = _locked(found.grant_id)
    change = BankAccountChange.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=change_id)
    if change.status != BankChangeStatus.REQUESTED:
        raise BankChangeRefused(
            f"Endringen er allerede behandlet ({BankChangeStatus(change.status).label.lower()}). Ingenting er endret.",
            "The change has already been handled. Nothing was changed.",
        )
    if change.requested_by_id == getattr(user, "pk", None):
        raise BankChangeRefused(
            "Du ba selv om endringen og kan ikke bekrefte eller avvise den; det må en annen gjøre.",
            "You asked for the change yourself and cannot confirm or refuse it; someone else must.",
        )
    return change, grant


def orders_keeping_the_old_account(grant: Grant) -> int:
    """How many terms of the grant are ordered for payment (in a batch): they keep the account they were made with."""
    return grant.terms.filter(status=TermStatus.ORDERED).count()


def confirm_change(user, change_id: int) -> BankAccountChange:
    """Confirm the request: the grant is paid to the new account from the next order on."""
    with transaction.atomic():
        change, grant = _locked_change(user, change_id)
        _changeable(grant)
        if digits_only(grant.bank_account or "") != digits_only(change.old_account):
            raise BankChangeRefused(
                "Kontonummeret for tilskuddet er endret etter at endringen ble bedt om. Avvis den, og be "
                "tilskuddsmottakeren sende en ny.",
                "The grant's bank account changed after the change was asked for. Refuse it and ask the grantee "
                "for a new one.",
            )
        check_bank_change_transition(change.status, BankChangeStatus.CONFIRMED)
        change.status = BankChangeStatus.CONFIRMED
        change.decided_by = user
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        grant.bank_account = change.new_account
        grant.save(update_fields=["bank_account"])
        record(
            user,
            grant,
            AuditAction.GRANT_BANK_ACCOUNT_CHANGED,
            reason=f"{format_bank_account(change.old_account) or '–'} → {format_bank_account(change.new_account)}",
            data={
                "change": change.pk,
                "old_account": change.old_account,
                "new_account": change.new_account,
                "hash": change.content_hash,
                "requested_by": change.requested_by_id,
                "orders_keeping_old_account": orders_keeping_the_old_account(grant),
            },
            audience=Audience.APPLICANT,
        )
    return change


def refuse_change(user, change_id: int, reason: str) -> BankAccountChange:
    """Refuse the request with a reason the grantee reads; the account stays as it is."""
    reason = (reason or "").strip()
    with transaction.atomic():
        change, grant = _locked_change(user, change_id)
        if not reason:
            raise BankChangeRefused(
                "Skriv hvorfor endringen avvises. Tilskuddsmottakeren ser begrunnelsen.",
                "Write why the change is refused. The grantee sees the reason.",
            )
        if len(reason) > MAX_REASON:
            raise BankChangeRefused(
                f"Begrunnelsen kan være på høyst {MAX_REASON} tegn.",
                f"The reason can be at most {MAX_REASON} characters.",
            )
        check_bank_change_transition(change.status, BankChangeStatus.REFUSED)
        change.status = BankChangeStatus.REFUSED
        change.decided_by = user
        change.decided_at = timezone.now()
        change.refusal_reason = reason
        change.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        record(
            user,
            grant,
            AuditAction.GRANT_BANK_ACCOUNT_REFUSED,
            reason=reason,
            data={"change": change.pk, "old_account": change.old_account, "new_account": change.new_account},
            audience=Audience.APPLICANT,
        )
    return change


# --- what the pages show ---------------------------------------------------------------------


def for_grantee(user, grant: Grant) -> dict[str, Any]:
    """The grant page's part: the account now, a request waiting, the last answer, and whether ``user`` may ask."""
    permission = can_answer(user, grant)
    latest = BankAccountChange.objects.filter(grant=grant).select_related("requested_by").first()
    waiting = latest if latest is not None and latest.status == BankChangeStatus.REQUESTED else None
    return {
        "account": grant.bank_account or "",
        "account_shown": format_bank_account(grant.bank_account or ""),
        "waiting": waiting,
        "latest": latest,
        "may_request": bool(permission) and grant.status in CHANGEABLE and waiting is None,
        "changeable": grant.status in CHANGEABLE,
    }


def for_caseworker(user, grant: Grant) -> dict[str, Any]:
    """The staff grant page's part: the request waiting (old and new account, who signed) and earlier ones."""
    changes = list(
        BankAccountChange.objects.filter(grant=grant).select_related("requested_by", "decided_by", "delegation")
    )
    waiting = next((c for c in changes if c.status == BankChangeStatus.REQUESTED), None)
    case = grant.application.case
    return {
        "waiting": waiting,
        "earlier": [c for c in changes if c is not waiting],
        "may_decide": scope.can_see_case(user, case, Role.CASEWORKER) and waiting is not None,
        "ordered": orders_keeping_the_old_account(grant),
    }
