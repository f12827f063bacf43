"""Repayment claims (*krav om tilbakebetaling*, issue #12 point 5; C1-R13, C2-R12): a decision with a letter.

Each public function is one transaction with an audit event on the claim's stream and, where the grant moves,
on the grant's (``Audience.APPLICANT``: the grantee reads the history):

* :func:`prepare_claim` (a caseworker of the grantor): the amount (by default the unused amount of the grant's
  latest accounts, ``reports.review.unused_amount``), the reason, the legal basis (the call's ``repayment`` rule
  and text) and the due date; at most one live claim per grant.
* :func:`approve_claim` (another person with the approver role; four eyes): prepared → approved, and at once
  sent: the letter (a PDF in bokmål: the amount, why, the grantor's account from ``settings.PAYMENT_DEBTORS``,
  the claim's KID as the payment's reference, the due date, whom to ask, the complaint right) is stored on the
  claim for the grantee, and the grant moves to REPAYMENT.
* :func:`mark_paid` (a caseworker or approver): the amount and the day the grantor's bank booked; paid in full,
  the claim is paid and the grant moves REPAYMENT → CLOSED. A part payment is recorded (a ``RepaymentPayment``
  row each) and the claim stays sent.
* :func:`cancel_claim` (a caseworker) before it is sent.
* :func:`match_credits` — the money booked into the grantor's account in the bank's camt.054 (registered with
  ``payments.services.register_credit_matcher``, run inside ``payments.services.import_camt054``'s transaction):
  a credit whose KID (or, in the free-text message, the claim's reference) names a sent claim and is no more than
  what is left of it is recorded on the claim as :func:`mark_paid` records a payment (the same ``_record_payment``:
  a ``RepaymentPayment`` row, audited for the grantee with ``via: camt054``), a part or the whole, under the
  bank's reference of the credit — unique for the grantor, so the same credit in a file read again is reported
  «already recorded» and paid once. More than is left, an unknown reference, a claim already paid, øre, or a part
  the bank gave no reference is reported and changes nothing.

The complaint right is the call's for the allocation of a grant (``complaints.allocation``): a claim takes back
part of what was granted (see docs/decisions.md). The claim's reference is a KID (``claim_kid``: the claim's
number, MOD10), so the grantee's bank carries it into the grantor's camt.054 where it is matched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tilskudd.applications.receipts import FONT_DIR
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Role
from tilskudd.core.files import deleted_on_failure
from tilskudd.core.formatting import format_date, format_nok
from tilskudd.core.pdf import render_pdf
from tilskudd.core.refusals import Refusal
from tilskudd.grants.awards import carried
from tilskudd.grants.awards.services import move_grant
from tilskudd.grants.decisions import letters
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, check_grant_transition
from tilskudd.payments.iso20022.camt054 import BookedCredit
from tilskudd.payments.iso20022.common import kid
from tilskudd.payments.services import ImportLine, configured_debtor
from tilskudd.reports.models import RepaymentClaim, RepaymentPayment
from tilskudd.reports.review import unused_amount
from tilskudd.reports.states import (
    CLAIM_ACTIVE,
    CLAIM_STATUS_EN,
    CLAIM_TRANSITIONS,
    ClaimStatus,
    check_claim_transition,
)

MAX_TEXT = 5_000
LETTER_TITLE = "Vedtak om krav om tilbakebetaling av tilskudd"
#: The grant states a claim may be made in (``grants.states.GRANT_TRANSITIONS`` to REPAYMENT).
CLAIMABLE = frozenset({GrantStatus.IN_PAYMENT, GrantStatus.PAID_OUT, GrantStatus.REPORTED})


class ClaimRefused(Refusal):
    """The claim is not made or moved; the reason says why. Nothing is changed."""


class ClaimNotFound(ClaimRefused):
    status = 404


class ClaimInvalid(ClaimRefused):
    status = 400


def _grantor(grant: Grant) -> str:
    return grant.application.case.grantor_org_number


def _require(user, grant: Grant, *roles: str) -> None:
    case = getattr(grant.application, "case", None)
    if case is None or not scope.can_see_case(user, case):
        raise ClaimNotFound("Fant ikke tilskuddet.", "No such grant.")
    if not scope.can_see_case(user, case, *roles):
        raise RoleMissing(*roles)


def legal_basis(grant: Grant) -> tuple[str, str]:
    """The call's repayment rule and text (bokmål), else the general condition of the grant letter."""
    definition = grant.application.call_version.parsed()
    if definition.repayment is not None:
        return definition.repayment.rule, definition.repayment.text.nb.strip()
    return "", "Tilskudd som ikke brukes etter formålet og vilkårene i tilskuddsbrevet, skal betales tilbake."


def _locked_claim(user, claim_id: int, *roles: str) -> RepaymentClaim:
    claim = (
        RepaymentClaim.objects.select_for_update(of=("self",))
        .select_related("grant", "grant__application", "grant__application__case", "grant__decision")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise ClaimNotFound("Fant ikke kravet.", "No such claim.")
    _require(user, claim.grant, *roles)
    return claim


def _move(claim: RepaymentClaim, target: str, **fields: Any) -> str:
    if (claim.status, target) not in CLAIM_TRANSITIONS:
        status = ClaimStatus(claim.status)
        raise ClaimRefused(
            f"Kravet er «{status.label.lower()}» og kan ikke endres slik.",
            f"The claim is '{CLAIM_STATUS_EN[status].lower()}' and cannot be changed that way.",
        )
    check_claim_transition(claim.status, target)
    before = claim.status
    claim.status = target
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save(update_fields=["status", *fields])
    return before


def _text(value: str, what_nb: str, what_en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ClaimInvalid(f"Skriv {what_nb}.", f"Write {what_en}.")
    if len(value) > MAX_TEXT:
        raise ClaimInvalid(f"Teksten kan være på høyst {MAX_TEXT} tegn.", f"At most {MAX_TEXT} characters.")
    return value


def prepare_claim(
    user, grant_id: int, *, reason: str, due: dt.date | None, amount: int | None = None, basis: str = ""
) -> RepaymentClaim:
    """Prepare a claim (caseworker); ``amount`` None claims the unused amount of the accounts."""
    with transaction.atomic():
        grant = (
            Grant.objects.select_for_update(of=("self",))
            .select_related("application", "application__case")
            .filter(pk=grant_id)
            .first()
        )
        if grant is None:
            raise ClaimNotFound("Fant ikke tilskuddet.", "No such grant.")
        _require(user, grant, Role.CASEWORKER)
        if grant.status not in CLAIMABLE:
            raise ClaimRefused(
                f"Tilskuddet er «{GrantStatus(grant.status).label.lower()}»; det kan ikke kreves tilbake nå.",
                f"The grant is '{grant.status}'; no repayment can be claimed now.",
            )
        if grant.repayment_claims.filter(status__in=CLAIM_ACTIVE).exists():
            raise ClaimRefused(
                "Tilskuddet har allerede et krav om tilbakebetaling som ikke er avsluttet.",
                "The grant already has a repayment claim that is not finished.",
            )
        paid = sum(t.amount for t in grant.terms.filter(status="paid"))
        if amount is None:
            amount = unused_amount(grant)
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ClaimInvalid("Skriv et beløp i hele kroner, over 0.", "Write an amount in whole kroner, above 0.")
        # Money carried into this year by consent is part of the grant (and of its accounts' unused amount) but was
        # paid out the year before, so the year's terms pay the rest: the grantee has had the terms and it.
        carried_in = min(grant.amount, carried.carried_into(grant.application_id, grant.year))
        if amount > paid + carried_in:
            if carried_in:
                had = paid + carried_in
                raise ClaimInvalid(
                    f"Beløpet kan ikke være mer enn det tilskuddsmottakeren har fått for året, {format_nok(had)}: "
                    f"{format_nok(paid)} utbetalt og {format_nok(carried_in)} overført fra i fjor.",
                    f"The amount cannot be more than the grantee has had for the year, {format_nok(had, 'en')}: "
                    f"{format_nok(paid, 'en')} paid and {format_nok(carried_in, 'en')} carried over from last year.",
                )
            raise ClaimInvalid(
                f"Beløpet kan ikke være mer enn det som er utbetalt ({format_nok(paid)}).",
                f"The amount cannot be more than what was paid ({format_nok(paid, 'en')}).",
            )
        reason = _text(reason, "hvorfor tilskuddet kreves tilbake", "why the grant is claimed back")
        today = timezone.localdate()
        if due is None or due <= today:
            raise ClaimInvalid(
                f"Sett en betalingsfrist etter {format_date(today)}.", f"Set a due date after {today.isoformat()}."
            )
        rule, text = legal_basis(grant)
        latest_accounts = None
        for duty in grant.reporting_duties.filter(accounts=True):
            latest_accounts = duty.reports.order_by("-version").first() or latest_accounts
        claim = RepaymentClaim.objects.create(
            grant=grant,
            report=latest_accounts,
            amount=amount,
            reason=reason,
            rule=rule,
            legal_basis=(basis or "").strip() or text,
            due=due,
            reference="",
            prepared_by=user,
            prepared_at=timezone.now(),
        )
        claim.reference = claim_kid(claim)
        claim.save(update_fields=["reference"])
        record(
            user,
            claim,
            AuditAction.REPAYMENT_PREPARED,
            to_state=claim.status,
            data={"grant": grant.pk, "amount": amount, "due": due.isoformat(), "rule": rule},
            audience=Audience.INTERNAL,
        )
    return claim


def approve_claim(user, claim_id: int) -> RepaymentClaim:
    """Approve (an approver who did not prepare it) and send the claim: its letter stored, the grant in REPAYMENT."""
    with transaction.atomic():
        claim = _locked_claim(user, claim_id, Role.APPROVER)
        if claim.prepared_by_id == user.pk:
            raise ClaimRefused(
                "Du forberedte dette kravet selv og kan ikke godkjenne det. En annen beslutter må godkjenne det "
                "(fire øyne).",
                "You prepared this claim yourself and cannot approve it. Another approver must approve it (four eyes).",
            )
        grant = Grant.objects.select_for_update().select_related("application").get(pk=claim.grant_id)
        check = (grant.status, GrantStatus.REPAYMENT)
        if grant.status not in CLAIMABLE:
            raise ClaimRefused(
                f"Tilskuddet er «{GrantStatus(grant.status).label.lower()}»; kravet kan ikke sendes.",
                f"The grant is '{grant.status}'; the claim cannot be sent.",
            )
        check_grant_transition(*check)
        now = timezone.now()
        before = _move(claim, ClaimStatus.APPROVED, approved_by=user, approved_at=now)
        record(
            user,
            claim,
            AuditAction.REPAYMENT_APPROVED,
            from_state=before,
            to_state=claim.status,
            data={"amount": claim.amount},
            audience=Audience.INTERNAL,
        )
        pdf = letter_pdf(claim)
        claim.letter.save(f"krav-om-tilbakebetaling-{claim.reference.replace('/', '-')}.pdf", ContentFile(pdf), False)
        with deleted_on_failure(claim.letter):
            before = _move(claim, ClaimStatus.SENT, sent_at=now, letter=claim.letter, letter_sha256=_sha(pdf))
            record(
                user,
                claim,
                AuditAction.REPAYMENT_SENT,
                from_state=before,
                to_state=claim.status,
                data={"amount": claim.amount, "due": claim.due.isoformat(), "letter_sha256": claim.letter_sha256},
                audience=Audience.APPLICANT,
            )
            move_grant(
                user,
                grant,
                GrantStatus.REPAYMENT,
                AuditAction.REPAYMENT_SENT,
                reason=claim.reason,
                claim=claim.pk,
                amount=claim.amount,
                due=claim.due.isoformat(),
            )
    return claim


def mark_paid(user, claim_id: int, amount: int, paid_on: dt.date | None) -> RepaymentClaim:
    """Record what the grantee paid back (caseworker or approver); paid in full, the claim and the grant close."""
    with transaction.atomic():
        claim = _locked_claim(user, claim_id, Role.CASEWORKER, Role.APPROVER)
        if claim.status != ClaimStatus.SENT:
            raise ClaimRefused("Kravet er ikke sendt og venter ikke på betaling.", "The claim is not awaiting payment.")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ClaimInvalid("Skriv beløpet i hele kroner, over 0.", "Write the amount in whole kroner, above 0.")
        left = claim.amount - claim.paid_amount
        if amount > left:
            raise ClaimInvalid(
                f"Det gjenstår bare {format_nok(left)} av kravet.",
                f"Only {format_nok(left, 'en')} of the claim is left.",
            )
        today = timezone.localdate()
        if paid_on is None or paid_on > today:
            raise ClaimInvalid(
                "Skriv datoen betalingen ble bokført (ikke fram i tid).", "Write the booking date (not in the future)."
            )
        _record_payment(user, claim, amount, paid_on, RepaymentPayment.Via.MANUAL)
    return claim


def _record_payment(
    user, claim: RepaymentClaim, amount: int, paid_on: dt.date, via: str, bank_reference: str = ""
) -> RepaymentPayment:
    """The one place a payment is recorded on the locked, sent ``claim`` (by hand or from the bank's file): its row
    (with the bank's reference of the credit, unique for the grantor), ``amount`` added to what is paid, audited for
    the grantee; paid in full, the claim moves to PAID and the grant closes. The caller checked ``amount`` ≤ left."""
    payment = RepaymentPayment.objects.create(
        claim=claim,
        amount=amount,
        paid_on=paid_on,
        via=via,
        grantor_org_number=_grantor(claim.grant),
        bank_reference=bank_reference,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    claim.paid_amount += amount
    claim.paid_on = paid_on
    full = claim.paid_amount == claim.amount
    if full:
        before = _move(claim, ClaimStatus.PAID, paid_amount=claim.paid_amount, paid_on=paid_on)
    else:
        before = claim.status
        claim.save(update_fields=["paid_amount", "paid_on"])
    record(
        user,
        claim,
        AuditAction.REPAYMENT_PAID,
        from_state=before,
        to_state=claim.status,
        data={
            "amount": amount,
            "paid_on": paid_on.isoformat(),
            "paid_total": claim.paid_amount,
            "left": claim.left,
            "full": full,
            "via": via,
            "payment": payment.pk,
            **({"bank_reference": bank_reference} if bank_reference else {}),
        },
        audience=Audience.APPLICANT,
    )
    if full:
        grant = Grant.objects.select_for_update().get(pk=claim.grant_id)
        if grant.status == GrantStatus.REPAYMENT:
            move_grant(user, grant, GrantStatus.CLOSED, AuditAction.GRANT_CLOSED, claim=claim.pk)
    return payment


def cancel_claim(user, claim_id: int, reason: str) -> RepaymentClaim:
    """Cancel a claim not yet sent (caseworker), with the reason."""
    with transaction.atomic():
        claim = _locked_claim(user, claim_id, Role.CASEWORKER)
        reason = _text(reason, "hvorfor kravet avbrytes", "why the claim is cancelled")
        before = _move(claim, ClaimStatus.CANCELLED, cancelled_reason=reason)
        record(
            user,
            claim,
            AuditAction.REPAYMENT_CANCELLED,
            from_state=before,
            to_state=claim.status,
            reason=reason,
            audience=Audience.INTERNAL,
        )
    return claim


# --- repayments read from the bank's camt.054 -------------------------------------------------------------

_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z/\-]*")


def claim_kid(claim: RepaymentClaim) -> str:
    """The KID the letter asks the grantee to pay with: the claim's number, MOD10 (``payments...common.kid``)."""
    return kid(claim.pk)


def _kroner_text(ore: int, language: str) -> str:
    kroner, rest = divmod(ore, 100)
    return format_nok(kroner, language) if rest == 0 else f"{kroner},{rest:02d} kr"


def _claim_for(grantor: str, credit: BookedCredit) -> RepaymentClaim | None:
    """The grantor's sent or paid claim the credit names: by its KID, else by a word of the message."""
    candidates = [credit.reference] if credit.reference else []
    candidates += _TOKEN.findall(credit.message)
    if not candidates:
        return None
    claims = (
        RepaymentClaim.objects.select_for_update(of=("self",))
        .select_related("grant__application__case")
        .filter(
            reference__in=candidates,
            status__in=[ClaimStatus.SENT, ClaimStatus.PAID],
            grant__application__case__grantor_org_number=grantor,
        )
        .order_by("-status", "pk")  # a sent claim before a paid one with the same reference (an old case number)
    )
    by_reference: dict[str, RepaymentClaim] = {}
    for claim in claims:
        by_reference.setdefault(claim.reference, claim)
    return next((by_reference[ref] for ref in candidates if ref in by_reference), None)


def _already(ref: str, text_nb: str, text_en: str) -> ImportLine:
    return ImportLine(ref, "already_paid", text_nb, text_en, kind="repayment")


def _part_left(ref: str, amount_nb: str, amount_en: str, left: int, why_nb: str, why_en: str) -> ImportLine:
    """A credit less than what is left that is not recorded from the file: for the caseworker to record by hand."""
    return ImportLine(
        ref,
        "partial",
        f"Krav {ref}: innbetalt {amount_nb}, men det gjenstår {format_nok(left)}; {why_nb}; ikke registrert. "
        "Er det en delbetaling, registrer den for hånd på kravet.",
        f"Claim {ref}: {amount_en} paid in, but {format_nok(left, 'en')} is left; {why_en}; not recorded. "
        "If it is a part payment, record it by hand on the claim.",
        kind="repayment",
    )


def _credit_line(user, grantor: str, credit: BookedCredit, claim: RepaymentClaim | None) -> ImportLine:
    """What becomes of one credit; ``claim`` (the one it names) is already locked, so a second import of the same
    file at once waits here and then finds the first one's payment row."""
    said = credit.reference or credit.message or "–"
    amount_nb, amount_en = _kroner_text(credit.amount_ore, "nb"), _kroner_text(credit.amount_ore, "en")
    key = credit.bank_id
    recorded = (
        RepaymentPayment.objects.select_related("claim").filter(grantor_org_number=grantor, bank_reference=key).first()
        if key
        else None
    )
    if recorded is not None:
        ref = recorded.claim.reference
        return _already(
            ref,
            f"Krav {ref}: innbetalingen på {amount_nb} med bankens referanse {key} er allerede registrert "
            f"({format_date(recorded.paid_on)}, {format_nok(recorded.amount)}); ikke registrert en gang til.",
            f"Claim {ref}: the credit of {amount_en} with the bank's reference {key} is already recorded "
            f"({recorded.paid_on}, {format_nok(recorded.amount, 'en')}); not recorded again.",
        )
    if claim is None:
        return ImportLine(
            credit.reference,
            "unknown",
            f"Innbetaling {amount_nb} merket «{said}»: ingen krav om tilbakebetaling har denne referansen; "
            "ikke registrert.",
            f"Credit of {amount_en} marked '{said}': no repayment claim has this reference; not recorded.",
            kind="repayment",
        )
    ref = claim.reference
    if claim.status == ClaimStatus.PAID:
        return _already(
            ref,
            f"Krav {ref}: allerede betalt {format_date(claim.paid_on)}; innbetalingen på {amount_nb} er ikke "
            "registrert en gang til.",
            f"Claim {ref}: already paid on {claim.paid_on}; the credit of {amount_en} is not recorded again.",
        )
    left = claim.left
    if credit.amount_ore > left * 100:
        return ImportLine(
            ref,
            "mismatch",
            f"Krav {ref}: innbetalt {amount_nb}, mer enn de {format_nok(left)} som gjenstår; ikke registrert.",
            f"Claim {ref}: {amount_en} paid in, more than the {format_nok(left, 'en')} left; not recorded.",
            kind="repayment",
        )
    kroner = credit.whole_kroner
    if kroner is None:
        return _part_left(ref, amount_nb, amount_en, left, "beløpet har øre", "the amount has øre")
    paid_on = credit.booking_date or timezone.localdate()
    if kroner < left and not key:
        # Without the bank's reference a second reading of the file could not tell this part from a new one.
        return _part_left(
            ref,
            amount_nb,
            amount_en,
            left,
            "banken har ikke gitt innbetalingen en referanse, så den kan ikke registreres herfra uten fare for å "
            "telle den to ganger",
            "the bank gave the credit no reference, so it cannot be recorded from here without the risk of counting "
            "it twice",
        )
    if key:
        # A part recorded by hand (as the import used to ask) for this very credit: linked, not counted again.
        by_hand = (
            claim.payments.filter(via=RepaymentPayment.Via.MANUAL, bank_reference="", amount=kroner, paid_on=paid_on)
            .order_by("pk")
            .first()
        )
        if by_hand is not None:
            by_hand.bank_reference = key
            by_hand.save(update_fields=["bank_reference"])
            return _already(
                ref,
                f"Krav {ref}: innbetalingen på {amount_nb} bokført {format_date(paid_on)} er allerede registrert "
                f"for hånd; den er nå knyttet til bankens referanse {key} og ikke registrert en gang til.",
                f"Claim {ref}: the credit of {amount_en} booked on {paid_on} is already recorded by hand; it is now "
                f"linked to the bank's reference {key} and not recorded again.",
            )
    _record_payment(user, claim, kroner, paid_on, RepaymentPayment.Via.CAMT054, key)
    if claim.status == ClaimStatus.PAID:
        return ImportLine(
            ref,
            "paid",
            f"Krav {ref}: tilbakebetalt {format_date(paid_on)} ({format_nok(kroner)}); kravet er betalt.",
            f"Claim {ref}: repaid on {paid_on} ({format_nok(kroner, 'en')}); the claim is paid.",
            kind="repayment",
        )
    return ImportLine(
        ref,
        "paid",
        f"Krav {ref}: delbetaling {format_nok(kroner)} bokført {format_date(paid_on)} (bankens referanse {key}) er "
        f"registrert; det gjenstår {format_nok(claim.left)}.",
        f"Claim {ref}: part payment of {format_nok(kroner, 'en')} booked on {paid_on} (the bank's reference {key}) "
        f"is recorded; {format_nok(claim.left, 'en')} is left.",
        kind="repayment",
    )


def match_credits(user, grantor: str, credits: Sequence[BookedCredit]) -> list[ImportLine]:
    """What became of each credit of the grantor's camt.054 (run in the import's transaction; its role checked).

    Each credit is recorded once, under the bank's reference (``BookedCredit.bank_id``): up to what is left of the
    sent claim it names, as a part or the whole; a credit already recorded, more than is left, with øre, a part
    without the bank's reference or an unknown KID is reported and changes nothing."""
    return [_credit_line(user, grantor, credit, _claim_for(grantor, credit)) for credit in credits]


# --- the letter -------------------------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def letter_facts(claim: RepaymentClaim, *, today: dt.date | None = None) -> dict[str, Any]:
    """What the claim's letter states (bokmål): the grant letter's parties and contact, the claim, the account."""
    grant = claim.grant
    decision = grant.decision
    facts = letters.letter_facts(decision, today=today or timezone.localdate())
    grantor = facts["grantor_org_number"]
    account = configured_debtor(grantor)
    person = letters._person  # the signer by name and job title at the grantor
    facts.update(
        {
            "title": LETTER_TITLE,
            "caseworker": person(claim.prepared_by, "saksbehandler", grantor),
            "approver": person(claim.approved_by, "beslutter", grantor) if claim.approved_by_id else None,
            "claim_amount": claim.amount,
            "claim_amount_text": format_nok(claim.amount),
            "granted_text": format_nok(grant.amount),
            "claim_reason": claim.reason,
            "claim_basis": claim.legal_basis,
            "due_text": format_date(claim.due),
            "account": account["account"],
            "account_name": account["name"],
            "reference": claim.reference,
            "reference_is_kid": claim.reference.isdigit(),
            "legal_basis": "",
        }
    )
    return facts


def letter_html(claim: RepaymentClaim) -> str:
    return render_to_string("reports/repayment_letter.html", {"f": letter_facts(claim), "preview": False})


def letter_pdf(claim: RepaymentClaim) -> bytes:
    """The letter as a tagged PDF (WeasyPrint), in bokmål: it is the legal document."""
    return render_pdf(letter_html(claim), base_url=FONT_DIR.as_uri() + "/", language="nb")
