"""Payments (*utbetaling*), issue #11 point 4: due terms into batches with four eyes, the bank's files, paid back.

Each public function is one domain operation in one transaction: it checks the person's role at the grantor
(``casework.scope``), moves the batch through ``payments.states.BATCH_TRANSITIONS`` and each term through
``grants.states.TERM_TRANSITIONS`` (the grant through its own with ``grants.awards.services.move_grant``), and
writes audit events on the batch's stream (staff) and on each grant's stream (what the grantee may read —
a term held, released or paid, the grant paying or paid out — with ``Audience.APPLICANT``).

Nothing is paid before acceptance: only PLANNED terms of ACCEPTED or IN_PAYMENT grants whose ``due_on`` has
come (Europe/Oslo) are due. Money is whole kroner; the bank's øre are compared exactly (kroner × 100).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Role
from tilskudd.core.formatting import format_nok
from tilskudd.core.refusals import Refusal
from tilskudd.grants.awards.services import move_grant
from tilskudd.grants.models import Grant, PaymentTerm
from tilskudd.grants.states import GrantStatus, TermStatus, check_term_transition
from tilskudd.orgs.models import Organisation
from tilskudd.payments.iso20022 import camt054, csv_export, pain001
from tilskudd.payments.iso20022.common import PaymentFileRefused, to_iban
from tilskudd.payments.models import PaymentBatch, PaymentOrder
from tilskudd.payments.states import BATCH_STATUS_EN, DOWNLOADABLE, BatchStatus, check_batch_transition
from tilskudd.payments.states import BatchTransitionNotAllowed as _BatchMove

#: Who prepares batches, holds and releases terms, and records payments by hand or from the bank.
PREPARERS = (Role.CASEWORKER,)
#: Who approves or returns a batch (never the person who prepared it).
APPROVERS = (Role.APPROVER,)
#: Who may download a batch's files and record what the bank booked.
HANDLERS = (Role.CASEWORKER, Role.APPROVER)
#: Who may read the payment pages of a grantor.
READERS = (Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR)
#: The grant states whose terms may be paid (nothing before acceptance).
PAYABLE_GRANTS = (GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT)


class PaymentRefused(Refusal):
    """The payment operation is not done; the reasons are shown to the person."""


class NotFound(PaymentRefused):
    status = 404


class BadInput(PaymentRefused):
    """Something the person must fill in is missing (a 400; nothing changed)."""

    status = 400


# --- small helpers ---------------------------------------------------------------------------


def _require(user, grantor: str, roles: tuple[str, ...]) -> None:
    if not scope.has_role(user, grantor, *roles):
        raise RoleMissing(*roles)


def grantor_of_grant(grant: Grant) -> str:
    return grant.application.case.grantor_org_number


def _status_names(status: str) -> tuple[str, str]:
    return BatchStatus(status).label, BATCH_STATUS_EN[BatchStatus(status)]


def _move_batch(batch: PaymentBatch, target: str, **fields: Any) -> str:
    """Move the locked batch to ``target`` (PaymentRefused if the table has no such move); the status it had."""
    try:
        check_batch_transition(batch.status, target)
    except _BatchMove:
        now_nb, now_en = _status_names(batch.status)
        to_nb, to_en = _status_names(target)
        raise PaymentRefused(
            f"Betalingsoppdraget er «{now_nb}» og kan ikke bli «{to_nb}».",
            f"The payment batch is '{now_en}' and cannot become '{to_en}'.",
        ) from None
    before = batch.status
    batch.status = target
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=["status", *fields])
    return before


def _move_term(term: PaymentTerm, target: str, **fields: Any) -> str:
    check_term_transition(term.status, target)
    before = term.status
    term.status = target
    for name, value in fields.items():
        setattr(term, name, value)
    term.save(update_fields=["status", *fields])
    return before


def _locked_batch(batch_id: int) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("Fant ikke betalingsoppdraget.", "No such payment batch.")
    return batch


def _orders(batch: PaymentBatch) -> QuerySet[PaymentOrder]:
    return batch.orders.select_related("term", "term__grant", "term__grant__application")


def _on_grants(user, batch: PaymentBatch, action: AuditAction, *, reason: str = "", **data: Any) -> None:
    """The batch's event on the stream of each grant in it (staff only: the timeline tells the grantee)."""
    for order in _orders(batch):
        record(
            user,
            order.term.grant,
            action,
            reason=reason,
            data={"batch": batch.pk, "term": order.term.number, "amount": order.amount, **data},
            audience=Audience.INTERNAL,
        )


# --- what is due ---------------------------------------------------------------------------


def due_terms(grantor: str, today: dt.date) -> QuerySet[PaymentTerm]:
    """The grantor's terms due by ``today`` (Europe/Oslo): planned, of an accepted grant or one being paid.

    A term of an offered grant is never due (its ``due_on`` is set on acceptance, and its grant is not
    payable); a held term is not planned, nor one already ordered.
    """
    return (
        PaymentTerm.objects.filter(
            status=TermStatus.PLANNED,
            grant__status__in=PAYABLE_GRANTS,
            grant__application__case__grantor_org_number=grantor,
            due_on__isnull=False,
            due_on__lte=today,
        )
        .select_related("grant", "grant__application", "grant__application__organisation")
        .order_by("due_on", "grant__application__case_number", "number")
    )


def _order_for(term: PaymentTerm) -> PaymentOrder:
    grant = term.grant
    application = grant.application
    case_number = application.case_number or ""
    try:
        account = to_iban(
            grant.bank_account,
            whose_nb=f"Kontonummeret til tilskuddsmottakeren i sak {case_number}",
            whose_en=f"The grantee's account number in case {case_number}",
        )
        payment = pain001.Payment(
            end_to_end_id=pain001.end_to_end_id(case_number, term.number),
            amount=term.amount,
            creditor_name=application.organisation.name,
            creditor_account=account,
            remittance=pain001.remittance_text(case_number, term.number, grant.purpose or application.call.title_nb),
        )
    except PaymentFileRefused as error:
        raise PaymentRefused(error.reason_nb, error.reason_en) from None
    return PaymentOrder(
        term=term,
        amount=payment.amount,
        creditor_name=payment.creditor_name_in_file,
        creditor_account=payment.creditor_iban,
        end_to_end_id=payment.end_to_end_id,
        remittance=payment.remittance_in_file,
    )


# --- prepare, approve, return ------------------------------------------------------------------


def prepare_batch(user, grantor: str, term_ids: Iterable[int], execution_date: dt.date) -> PaymentBatch:
    """A batch of the grantor's chosen due terms (caseworker); each term → ORDERED, one order per term."""
    wanted = sorted({int(pk) for pk in term_ids})
    today = timezone.localdate()
    with transaction.atomic():
        _require(user, grantor, PREPARERS)
        if not wanted:
            raise BadInput("Velg minst én termin som skal betales.", "Choose at least one term to pay.")
        if execution_date < today:
            raise PaymentRefused(
                f"Betalingsdatoen {execution_date:%d.%m.%Y} er passert.",
                f"The payment date {execution_date.isoformat()} has passed.",
            )
        terms = list(
            PaymentTerm.objects.select_for_update(of=("self",))
            .filter(pk__in=wanted)
            .select_related(
                "grant", "grant__application", "grant__application__organisation", "grant__application__call"
            )
            .order_by("pk")
        )
        due = set(due_terms(grantor, today).filter(pk__in=wanted).values_list("pk", flat=True))
        for term in terms:
            if term.pk not in due:
                raise PaymentRefused(
                    f"Termin {term.number} i sak {term.grant.application.case_number} kan ikke betales nå: "
                    "den er ikke forfalt, er holdt tilbake, er allerede bestilt, eller tilskuddet er ikke akseptert.",
                    f"Term {term.number} of case {term.grant.application.case_number} cannot be paid now: "
                    "it is not due, is held, is already ordered, or the grant is not accepted.",
                )
        if len(terms) != len(wanted) or len(due) != len(wanted):
            raise NotFound("Fant ikke alle terminene som ble valgt.", "Not every chosen term was found.")
        orders = [_order_for(term) for term in terms]
        now = timezone.now()
        batch = PaymentBatch.objects.create(
            grantor_org_number=grantor,
            message_id=f"pending-{now.timestamp()}-{user.pk}",
            execution_date=execution_date,
            prepared_by=user,
            prepared_at=now,
        )
        batch.message_id = f"{grantor}-{timezone.localtime(now):%Y%m%d}-{batch.pk:08d}"
        batch.save(update_fields=["message_id"])
        for order, term in zip(orders, terms, strict=True):
            order.batch = batch
            _move_term(term, TermStatus.ORDERED)
        try:
            with transaction.atomic():
                PaymentOrder.objects.bulk_create(orders)
        except IntegrityError:
            raise PaymentRefused(
                "En av terminene er allerede i et annet betalingsoppdrag.",
                "One of the terms is already in another payment batch.",
            ) from None
        total = sum(order.amount for order in orders)
        record(
            user,
            batch,
            AuditAction.PAYMENT_BATCH_PREPARED,
            to_state=batch.status,
            data={"orders": [o.end_to_end_id for o in orders], "total": total, "execution_date": str(execution_date)},
            audience=Audience.INTERNAL,
        )
        _on_grants(user, batch, AuditAction.PAYMENT_BATCH_PREPARED)
    return batch


def approve_batch(user, batch_id: int) -> PaymentBatch:
    """Approve a prepared batch: an approver of the grantor who did not prepare it (four eyes)."""
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        _require(user, batch.grantor_org_number, APPROVERS)
        if batch.prepared_by_id == user.pk:
            raise PaymentRefused(
                "Du klargjorde dette betalingsoppdraget selv og kan ikke godkjenne det. "
                "En annen beslutter må godkjenne det (fire øyne).",
                "You prepared this payment batch yourself and cannot approve it. "
                "Another approver must approve it (four eyes).",
            )
        before = _move_batch(batch, BatchStatus.APPROVED, approved_by=user, approved_at=timezone.now())
        record(
            user,
            batch,
            AuditAction.PAYMENT_BATCH_APPROVED,
            from_state=before,
            to_state=batch.status,
            audience=Audience.INTERNAL,
        )
        _on_grants(user, batch, AuditAction.PAYMENT_BATCH_APPROVED)
    return batch


def return_batch(user, batch_id: int, reason: str) -> PaymentBatch:
    """Send a prepared or approved batch back (approver), with the reason; its terms are planned again."""
    reason = (reason or "").strip()
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        _require(user, batch.grantor_org_number, APPROVERS)
        if not reason:
            raise BadInput(
                "Skriv hvorfor betalingsoppdraget sendes tilbake.", "Write why the payment batch is returned."
            )
        before = _move_batch(batch, BatchStatus.RETURNED, returned_reason=reason)
        _on_grants(user, batch, AuditAction.PAYMENT_BATCH_RETURNED, reason=reason)
        for order in _orders(batch).select_for_update(of=("self",)):
            term = PaymentTerm.objects.select_for_update().get(pk=order.term_id)
            _move_term(term, TermStatus.PLANNED)
        batch.orders.update(live=False)
        record(
            user,
            batch,
            AuditAction.PAYMENT_BATCH_RETURNED,
            from_state=before,
            to_state=batch.status,
            reason=reason,
            audience=Audience.INTERNAL,
        )
    return batch


# --- the files ---------------------------------------------------------------------------------


def configured_debtor(grantor: str) -> dict[str, str]:
    """The grantor's account from ``settings.PAYMENT_DEBTORS``; refused when there is none."""
    entry = (getattr(settings, "PAYMENT_DEBTORS", None) or {}).get(grantor)
    if not entry or not entry.get("account"):
        raise PaymentRefused(
            f"Tilskuddsforvalteren {grantor} har ikke noe konto å betale fra i oppsettet (PAYMENT_DEBTORS). "
            "Be driftsansvarlig legge den inn; ingen betalingsfil lages uten.",
            f"The grantor {grantor} has no account to pay from in the configuration (PAYMENT_DEBTORS). "
            "Ask the operators to add it; no payment file is made without it.",
        )
    return {
        "name": str(entry.get("name") or grantor),
        "org_number": grantor,
        "account": str(entry["account"]),
        "bic": str(entry.get("bic") or ""),
    }


def bank_batch(batch: PaymentBatch) -> pain001.Batch:
    """The batch as the ISO 20022 code takes it, from what is stored (the same file every time)."""
    try:
        return pain001.Batch(
            message_id=batch.message_id,
            created_at=batch.prepared_at,
            execution_date=batch.execution_date,
            debtor=pain001.Debtor(**batch.debtor),
            payments=tuple(
                pain001.Payment(
                    end_to_end_id=order.end_to_end_id,
                    amount=order.amount,
                    creditor_name=order.creditor_name,
                    creditor_account=order.creditor_account,
                    remittance=order.remittance,
                )
                for order in batch.orders.filter(live=True).order_by("end_to_end_id")
            ),
        )
    except PaymentFileRefused as error:
        raise PaymentRefused(error.reason_nb, error.reason_en) from None


def _export(user, batch_id: int, kind: str) -> tuple[PaymentBatch, pain001.Batch]:
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        _require(user, batch.grantor_org_number, HANDLERS)
        if batch.status not in DOWNLOADABLE:
            now_nb, now_en = _status_names(batch.status)
            raise PaymentRefused(
                f"Betalingsoppdraget er «{now_nb}»; filen til banken lages først når det er godkjent.",
                f"The payment batch is '{now_en}'; the file for the bank is made only once it is approved.",
            )
        first = batch.status == BatchStatus.APPROVED
        if first:
            batch.debtor = configured_debtor(batch.grantor_org_number)
        made = bank_batch(batch)
        before = batch.status
        if first:
            _move_batch(batch, BatchStatus.EXPORTED, exported_at=timezone.now(), debtor=batch.debtor)
            _on_grants(user, batch, AuditAction.PAYMENT_BATCH_EXPORTED)
        record(
            user,
            batch,
            AuditAction.PAYMENT_BATCH_EXPORTED,
            from_state=before if first else "",
            to_state=batch.status if first else "",
            data={"format": kind, "first": first, "total": made.total, "count": made.count},
            audience=Audience.INTERNAL,
        )
    return batch, made


def export_pain001(user, batch_id: int) -> bytes:
    """The batch's pain.001.001.09 file (caseworker or approver); the first download marks it sent to the bank."""
    return pain001.write(_export(user, batch_id, "pain.001")[1])


def export_csv(user, batch_id: int) -> bytes:
    """The same batch as CSV, for systems that want it (also marks an approved batch sent)."""
    return csv_export.write(_export(user, batch_id, "csv")[1])


# --- paid ------------------------------------------------------------------------------------


def _pay(user, order: PaymentOrder, paid_on: dt.date, via: str, reference: str = "") -> None:
    """Record the locked ``order`` paid: its term PAID, the grant IN_PAYMENT or PAID_OUT, the batch SETTLED."""
    now = timezone.now()
    order.paid_on, order.paid_at, order.paid_via, order.paid_by = paid_on, now, via, user
    order.bank_reference = reference[:100]
    order.save(update_fields=["paid_on", "paid_at", "paid_via", "paid_by", "bank_reference"])
    term = PaymentTerm.objects.select_for_update().get(pk=order.term_id)
    _move_term(term, TermStatus.PAID, paid_on=paid_on)
    grant = Grant.objects.select_for_update().select_related("application").get(pk=term.grant_id)
    record(
        user,
        grant,
        AuditAction.PAYMENT_TERM_PAID,
        data={"term": term.number, "amount": term.amount, "paid_on": paid_on.isoformat(), "via": via},
        audience=Audience.APPLICANT,
    )
    left = grant.terms.exclude(status__in=[TermStatus.PAID, TermStatus.CANCELLED]).exists()
    if not left:
        move_grant(user, grant, GrantStatus.PAID_OUT, AuditAction.GRANT_PAID_OUT, term=term.number)
    elif grant.status == GrantStatus.ACCEPTED:
        move_grant(user, grant, GrantStatus.IN_PAYMENT, AuditAction.GRANT_PAYING, term=term.number)
    batch = PaymentBatch.objects.select_for_update().get(pk=order.batch_id)
    if not batch.orders.filter(live=True, paid_on__isnull=True).exists():
        before = _move_batch(batch, BatchStatus.SETTLED, settled_at=now)
        record(
            user,
            batch,
            AuditAction.PAYMENT_BATCH_SETTLED,
            from_state=before,
            to_state=batch.status,
            audience=Audience.INTERNAL,
        )


def _payable_order(order: PaymentOrder) -> None:
    if not order.live or order.batch.status not in (BatchStatus.EXPORTED, BatchStatus.SETTLED):
        raise PaymentRefused(
            f"Betalingen {order.end_to_end_id} er ikke sendt til banken og kan ikke registreres som betalt.",
            f"Payment {order.end_to_end_id} has not been sent to the bank and cannot be recorded as paid.",
        )
    if order.is_paid:
        raise PaymentRefused(
            f"Betalingen {order.end_to_end_id} er allerede registrert betalt {order.paid_on:%d.%m.%Y}.",
            f"Payment {order.end_to_end_id} is already recorded as paid on {order.paid_on}.",
        )


def mark_paid(user, order_id: int, paid_on: dt.date, reference: str = "") -> PaymentOrder:
    """Record one order paid by hand (caseworker or approver), on a day not after today (Europe/Oslo)."""
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update(of=("self",)).select_related("batch").filter(pk=order_id).first()
        if order is None:
            raise NotFound("Fant ikke betalingen.", "No such payment.")
        _require(user, order.batch.grantor_org_number, HANDLERS)
        if paid_on > timezone.localdate():
            raise BadInput("Betalingsdatoen kan ikke være fram i tid.", "The date paid cannot be in the future.")
        _payable_order(order)
        _pay(user, order, paid_on, PaymentOrder.Via.MANUAL, reference.strip())
    return order


@dataclass(frozen=True)
class ImportLine:
    """What became of one booked payment (or, ``kind`` "repayment", one credit) in the bank's file."""

    end_to_end_id: str  #: the payment's end-to-end id; for a credit, the reference it was matched on (or "")
    #: "paid", "already_paid", "unknown", "mismatch"; for a credit also "partial", and "unreadable" (another
    #: currency than NOK, no amount of its own, …: reported, nothing changed, the rest of the file still read)
    outcome: str
    text_nb: str
    text_en: str
    kind: str = "payment"  #: "payment" (money out, an order of ours) or "repayment" (money in)


#: Money into the account is matched by the apps above payments that claim it (reports: repayment claims), each
#: registered at start-up with :func:`register_credit_matcher`; each is called inside the import's transaction
#: with the importing person, the grantor and the file's credits, and says what became of each credit it knows.
CreditMatcher = Callable[[Any, str, Sequence[camt054.BookedCredit]], list[ImportLine]]
_credit_matchers: list[CreditMatcher] = []


def register_credit_matcher(matcher: CreditMatcher) -> None:
    if matcher not in _credit_matchers:
        _credit_matchers.append(matcher)


@dataclass
class ImportReport:
    lines: list[ImportLine] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def paid(self) -> int:
        return self.count("paid")

    @property
    def problems(self) -> list[ImportLine]:
        return [line for line in self.lines if line.outcome in ("unknown", "mismatch", "partial", "unreadable")]


def import_camt054(user, grantor: str, data: bytes) -> ImportReport:
    """Record paid what the bank's camt.054 says it booked (caseworker or approver of the grantor).

    Each booked payment is matched by end-to-end id to a live order of the grantor's batches sent to the bank;
    the amount must be exactly the order's (øre = kroner × 100). An unknown id or a different amount is
    reported and changes nothing; an order already paid is reported so (the same file twice pays once).
    Money booked into the account (credits) goes to the registered credit matchers (repayment claims, by the
    KID the letter gave), in the same transaction. A credit that cannot be read (another currency than NOK, no
    amount of its own in an entry of several, …) is reported as "unreadable" and changes nothing; the rest of
    the file is still imported. A file that cannot be read is refused whole (``BankFileRefused``, a 400) before
    anything changes.
    """
    with transaction.atomic():
        _require(user, grantor, HANDLERS)
        booked = camt054.read(data)
        credits, unreadable = camt054.read_credits_with_unreadable(data)
        report = ImportReport()
        for payment in booked:
            e2e = payment.end_to_end_id
            order = (
                PaymentOrder.objects.select_for_update(of=("self",))
                .select_related("batch")
                .filter(
                    end_to_end_id__iexact=e2e,
                    live=True,
                    batch__grantor_org_number=grantor,
                    batch__status__in=[BatchStatus.EXPORTED, BatchStatus.SETTLED],
                )
                .first()
            )
            if order is None:
                report.lines.append(
                    ImportLine(
                        e2e,
                        "unknown",
                        f"{e2e}: ingen betaling sendt til banken har denne ende-til-ende-id-en; ikke registrert.",
                        f"{e2e}: no payment sent to the bank has this end-to-end id; not recorded.",
                    )
                )
            elif payment.amount_ore != order.amount * 100:
                booked_text = f"{payment.amount_ore // 100},{payment.amount_ore % 100:02d}"
                report.lines.append(
                    ImportLine(
                        e2e,
                        "mismatch",
                        f"{e2e}: banken bokførte {booked_text} kr, men betalingen er {format_nok(order.amount, 'nb')}; "
                        "ikke registrert.",
                        f"{e2e}: the bank booked NOK {booked_text.replace(',', '.')}, but the payment is "
                        f"{format_nok(order.amount, 'en')}; not recorded.",
                    )
                )
            elif order.is_paid:
                report.lines.append(
                    ImportLine(
                        e2e,
                        "already_paid",
                        f"{e2e}: allerede registrert betalt {order.paid_on:%d.%m.%Y}.",
                        f"{e2e}: already recorded as paid on {order.paid_on}.",
                    )
                )
            else:
                paid_on = payment.booking_date or timezone.localdate()
                _pay(user, order, paid_on, PaymentOrder.Via.CAMT054, payment.account_servicer_reference)
                report.lines.append(
                    ImportLine(
                        e2e,
                        "paid",
                        f"{e2e}: betalt {paid_on:%d.%m.%Y} ({format_nok(order.amount, 'nb')}).",
                        f"{e2e}: paid on {paid_on} ({format_nok(order.amount, 'en')}).",
                    )
                )
        if credits:
            for matcher in _credit_matchers:
                report.lines.extend(matcher(user, grantor, credits))
        for credit in unreadable:
            report.lines.append(
                ImportLine(credit.reference, "unreadable", credit.text_nb, credit.text_en, kind="repayment")
            )
        batches = set(
            PaymentOrder.objects.filter(
                end_to_end_id__in=[
                    line.end_to_end_id for line in report.lines if line.outcome == "paid" and line.kind == "payment"
                ],
                live=True,
                batch__grantor_org_number=grantor,
            ).values_list("batch_id", flat=True)
        )
        summary = {
            "booked": len(booked),
            "credits": len(credits),
            **{o: report.count(o) for o in ("paid", "already_paid", "unknown", "mismatch", "partial", "unreadable")},
            "problems": [line.end_to_end_id for line in report.problems],
        }
        for batch in PaymentBatch.objects.filter(pk__in=batches):
            record(user, batch, AuditAction.BANK_STATEMENT_IMPORTED, data=summary, audience=Audience.INTERNAL)
        organisation = Organisation.objects.filter(org_number=grantor).first()
        if organisation is not None:  # the grantor's own stream: every import, whether it paid anything or not
            record(user, organisation, AuditAction.BANK_STATEMENT_IMPORTED, data=summary, audience=Audience.INTERNAL)
    return report


# --- hold and release ----------------------------------------------------------------------------


def _locked_term(user, term_id: int) -> PaymentTerm:
    term = (
        PaymentTerm.objects.select_for_update(of=("self",))
        .select_related("grant", "grant__application", "grant__application__case")
        .filter(pk=term_id)
        .first()
    )
    if term is None or not scope.has_role(user, grantor_of_grant(term.grant)):
        raise NotFound("Fant ikke terminen.", "No such payment term.")
    _require(user, grantor_of_grant(term.grant), PREPARERS)
    return term


def hold_term(user, term_id: int, reason: str) -> PaymentTerm:
    """Hold a planned term back (caseworker), with a reason the grantee reads; it is not due while held."""
    reason = (reason or "").strip()
    with transaction.atomic():
        term = _locked_term(user, term_id)
        if not reason:
            raise BadInput(
                "Skriv hvorfor utbetalingen holdes tilbake. Tilskuddsmottakeren ser begrunnelsen.",
                "Write why the payment is held. The grantee sees the reason.",
            )
        if term.status != TermStatus.PLANNED:
            raise PaymentRefused(
                f"Termin {term.number} er «{TermStatus(term.status).label}»; bare en planlagt termin kan holdes tilbake.",
                f"Term {term.number} is '{term.status}'; only a planned term can be held.",
            )
        _move_term(term, TermStatus.HELD, held_reason=reason, held_by=user, held_at=timezone.now())
        record(
            user,
            term.grant,
            AuditAction.PAYMENT_TERM_HELD,
            from_state=TermStatus.PLANNED,
            to_state=TermStatus.HELD,
            reason=reason,
            data={"term": term.number, "amount": term.amount},
            audience=Audience.APPLICANT,
        )
    return term


def release_term(user, term_id: int) -> PaymentTerm:
    """Release a held term (caseworker): planned again, due when its day has come."""
    with transaction.atomic():
        term = _locked_term(user, term_id)
        if term.status != TermStatus.HELD:
            raise PaymentRefused(f"Termin {term.number} er ikke holdt tilbake.", f"Term {term.number} is not held.")
        reason = term.held_reason
        _move_term(term, TermStatus.PLANNED, held_reason="", held_by=None, held_at=None)
        record(
            user,
            term.grant,
            AuditAction.PAYMENT_TERM_RELEASED,
            from_state=TermStatus.HELD,
            to_state=TermStatus.PLANNED,
            data={"term": term.number, "amount": term.amount, "was_held_because": reason},
            audience=Audience.APPLICANT,
        )
    return term
