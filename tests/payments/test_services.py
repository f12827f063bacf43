"""Payment batches with four eyes, the bank's files and paid back (issue #11, point 4; the payment part of 7).

The «done when» of the issue: a C2 grant of NOK 150 000 from IMDi, accepted, paid in two terms through two
approved batches whose pain.001 is valid against the official XSD, and marked paid from the bank's camt.054.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings

from tests.grants.grant_helpers import publish_decision
from tests.payments.conftest import assert_valid
from tests.payments.payment_helpers import accept, accepted_grant, imdi_c2
from tests.payments.test_camt054 import camt_from
from tilskudd.audit.models import AuditEvent
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Role, StaffRole
from tilskudd.grants.awards import timeline
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.payments import services
from tilskudd.payments.iso20022.common import BankFileRefused
from tilskudd.payments.models import PaymentOrder
from tilskudd.payments.services import PaymentRefused
from tilskudd.payments.states import BatchStatus

PAIN = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
SPRING = dt.date(2026, 3, 2)
AUTUMN = dt.date(2026, 9, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour - 1, tzinfo=dt.UTC)  # Oslo is UTC+1 in winter


def events(subject, action: str):
    return AuditEvent.objects.filter(subject_type=subject._meta.model_name, subject_id=str(subject.pk), action=action)


def pay_run(world, grant, term, day: dt.date):
    """Prepare (caseworker), approve (approver) and export a batch of one term; the batch and its pain.001."""
    imdi = world.imdi.org_number
    batch = services.prepare_batch(world.staff["caseworker"], imdi, [term.pk], day + dt.timedelta(days=2))
    services.approve_batch(world.staff["approver"], batch.pk)
    return batch, services.export_pain001(world.staff["approver"], batch.pk)


def test_a_c2_grant_of_150000_is_paid_in_two_terms_through_two_approved_batches_and_ends_paid_out(
    casework_world, freeze_now
):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(dt.date(2026, 2, 20)))
    grant = accepted_grant(world, imdi_c2(world), 150_000, SPRING, AUTUMN)
    first, second = grant.terms.order_by("number")
    assert (first.amount, second.amount) == (75_000, 75_000)
    # Nothing is due before its day (Europe/Oslo).
    assert list(services.due_terms(imdi, dt.date(2026, 3, 1))) == []

    freeze_now(at(SPRING))
    assert list(services.due_terms(imdi, SPRING)) == [first]
    batch, pain = pay_run(world, grant, first, SPRING)
    assert_valid("pain.001.001.09", pain)
    root = ET.fromstring(pain)
    case_number = grant.application.case_number
    assert root.findtext(".//p:CdtTrfTxInf/p:PmtId/p:EndToEndId", namespaces=PAIN) == f"{case_number}-T1"
    assert root.findtext(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=PAIN) == "75000.00"
    assert root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=PAIN) == "NO9386011117947"
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=PAIN) == batch.message_id
    # The same bytes on every download; the first one marked the batch sent to the bank.
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED and batch.exported_at is not None
    assert services.export_pain001(world.staff["caseworker"], batch.pk) == pain
    first.refresh_from_db()
    assert first.status == TermStatus.ORDERED

    services.import_camt054(world.staff["caseworker"], imdi, camt_from(pain, SPRING + dt.timedelta(days=2)))
    first.refresh_from_db()
    grant.refresh_from_db()
    batch.refresh_from_db()
    assert (first.status, first.paid_on) == (TermStatus.PAID, dt.date(2026, 3, 4))
    assert grant.status == GrantStatus.IN_PAYMENT
    assert batch.status == BatchStatus.SETTLED
    # The autumn term is not due until autumn.
    assert list(services.due_terms(imdi, dt.date(2026, 8, 31))) == []

    freeze_now(at(AUTUMN))
    second_batch, second_pain = pay_run(world, grant, second, AUTUMN)
    assert_valid("pain.001.001.09", second_pain)
    assert second_batch.message_id != batch.message_id
    services.import_camt054(world.staff["approver"], imdi, camt_from(second_pain, AUTUMN))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAID_OUT
    assert events(grant, "grant.paid_out").get().audience == "applicant"
    assert [e.data["term"] for e in events(grant, "payment_term.paid").order_by("pk")] == [1, 2]

    # The grant's timeline, as the grantee reads it: each term approved and sent to the bank, with dates.
    texts = [(e.day, e.text_nb.replace("\xa0", " ")) for e in timeline.entries(grant, for_applicant=True)]
    assert (SPRING, "Termin 1 (75 000 kr) er godkjent for utbetaling") in texts
    assert (SPRING, "Termin 1 (75 000 kr) er sendt til banken") in texts
    assert (AUTUMN, "Termin 2 (75 000 kr) er sendt til banken") in texts


def test_the_person_who_prepared_a_batch_cannot_approve_it(casework_world, freeze_now):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    caseworker = world.staff["caseworker"]
    StaffRole.objects.create(user=caseworker, grantor=world.imdi, role=Role.APPROVER)
    batch = services.prepare_batch(caseworker, imdi, [grant.terms.get().pk], SPRING)
    with pytest.raises(PaymentRefused, match="four eyes"):
        services.approve_batch(caseworker, batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREPARED and batch.approved_by is None
    # Nor may anyone download a file for the bank before it is approved.
    with pytest.raises(PaymentRefused, match="only once it is approved"):
        services.export_pain001(world.staff["approver"], batch.pk)
    services.approve_batch(world.staff["approver"], batch.pk)


def test_a_term_of_an_offered_grant_is_never_due(casework_world, freeze_now):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    grant = publish_decision(world, imdi_c2(world), amount=20_000).grant
    assert grant.status == GrantStatus.OFFERED
    term = grant.terms.get()
    term.due_on = dt.date(2026, 1, 1)  # even with a day set, nothing is paid before acceptance
    term.save(update_fields=["due_on"])
    assert list(services.due_terms(imdi, SPRING)) == []
    with pytest.raises(PaymentRefused, match="not accepted"):
        services.prepare_batch(world.staff["caseworker"], imdi, [term.pk], SPRING)
    term.refresh_from_db()
    assert term.status == TermStatus.PLANNED and not PaymentOrder.objects.exists()


def test_a_held_term_is_not_due_and_the_grantee_reads_why_until_it_is_released(casework_world, freeze_now):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    term = grant.terms.get()
    caseworker = world.staff["caseworker"]
    with pytest.raises(PaymentRefused):
        services.hold_term(caseworker, term.pk, "  ")
    with pytest.raises(RoleMissing):
        services.hold_term(world.staff["approver"], term.pk, "Rapporten for 2025 mangler.")
    services.hold_term(caseworker, term.pk, "Rapporten for 2025 mangler.")
    term.refresh_from_db()
    assert term.status == TermStatus.HELD and term.held_reason == "Rapporten for 2025 mangler."
    assert list(services.due_terms(imdi, SPRING)) == []
    held = events(grant, "payment_term.held").get()
    assert held.audience == "applicant" and held.reason == "Rapporten for 2025 mangler."
    with pytest.raises(PaymentRefused):
        services.prepare_batch(caseworker, imdi, [term.pk], SPRING)

    services.release_term(caseworker, term.pk)
    assert list(services.due_terms(imdi, SPRING)) == [term]
    assert events(grant, "payment_term.released").get().audience == "applicant"
    with pytest.raises(PaymentRefused, match="not held"):
        services.release_term(caseworker, term.pk)


def test_importing_the_same_file_twice_pays_once_and_unknown_or_different_amounts_are_reported(
    casework_world, freeze_now
):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    one = accepted_grant(world, imdi_c2(world, 0), 20_000, SPRING)
    two = accepted_grant(world, imdi_c2(world, 1), 30_000, SPRING)
    caseworker = world.staff["caseworker"]
    terms = [one.terms.get().pk, two.terms.get().pk]
    batch = services.prepare_batch(caseworker, imdi, terms, SPRING)
    services.approve_batch(world.staff["approver"], batch.pk)
    pain = services.export_pain001(caseworker, batch.pk)
    assert_valid("pain.001.001.09", pain)
    # The bank booked the second payment with a different amount, and one it was never asked for.
    wrong = pain.replace(b">30000.00<", b">30000.50<")
    camt = camt_from(wrong, SPRING)
    camt = camt.replace(b"</Ntfctn>", camt_entry(b"1999-999999-T1", b"10.00") + b"</Ntfctn>")

    report = services.import_camt054(caseworker, imdi, camt)
    outcomes = {line.end_to_end_id: line.outcome for line in report.lines}
    assert outcomes == {
        f"{one.application.case_number}-T1": "paid",
        f"{two.application.case_number}-T1": "mismatch",
        "1999-999999-T1": "unknown",
    }
    mismatch = next(line for line in report.lines if line.outcome == "mismatch")
    assert "30000.50" in mismatch.text_en and "30\xa0000\xa0kr" in mismatch.text_nb
    two.refresh_from_db()
    assert two.terms.get().status == TermStatus.ORDERED and two.status == GrantStatus.ACCEPTED

    again = services.import_camt054(caseworker, imdi, camt)
    assert [line.outcome for line in again.lines].count("paid") == 0
    assert "already_paid" in [line.outcome for line in again.lines]
    assert events(one, "payment_term.paid").count() == 1
    one.refresh_from_db()
    assert one.status == GrantStatus.PAID_OUT
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED  # one order still unpaid

    # The rest by hand; then the batch is settled.
    order = batch.orders.get(term__grant=two)
    with pytest.raises(PaymentRefused, match="future"):
        services.mark_paid(caseworker, order.pk, SPRING + dt.timedelta(days=1))
    services.mark_paid(caseworker, order.pk, SPRING)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED
    with pytest.raises(PaymentRefused, match="already"):
        services.mark_paid(caseworker, order.pk, SPRING)

    with pytest.raises(BankFileRefused):
        services.import_camt054(caseworker, imdi, b"<not-xml")


def camt_entry(end_to_end: bytes, amount: bytes) -> bytes:
    return (
        b'<Ntry><Amt Ccy="NOK">' + amount + b"</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
        b"<BookgDt><Dt>2026-03-02</Dt></BookgDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd>"
        b"<SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>"
        + end_to_end
        + b'</EndToEndId></Refs><Amt Ccy="NOK">'
        + amount
        + b"</Amt></TxDtls></NtryDtls></Ntry>"
    )


def test_a_returned_batch_plans_its_terms_again_and_they_can_be_ordered_anew(casework_world, freeze_now):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    term = grant.terms.get()
    batch = services.prepare_batch(world.staff["caseworker"], imdi, [term.pk], SPRING)
    with pytest.raises(PaymentRefused):  # already ordered
        services.prepare_batch(world.staff["caseworker"], imdi, [term.pk], SPRING)
    with pytest.raises(PaymentRefused, match="Write why"):
        services.return_batch(world.staff["approver"], batch.pk, "")
    services.return_batch(world.staff["approver"], batch.pk, "Feil betalingsdato.")
    term.refresh_from_db()
    batch.refresh_from_db()
    assert term.status == TermStatus.PLANNED and batch.status == BatchStatus.RETURNED
    assert not batch.orders.filter(live=True).exists()
    again = services.prepare_batch(world.staff["caseworker"], imdi, [term.pk], SPRING)
    assert again.orders.get().end_to_end_id == batch.orders.get().end_to_end_id


def test_a_bad_account_is_refused_naming_the_case_and_nothing_changes(casework_world, freeze_now):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    grant.bank_account = "1234 56 78900"
    grant.save(update_fields=["bank_account"])
    term = grant.terms.get()
    with pytest.raises(PaymentRefused, match=grant.application.case_number):
        services.prepare_batch(world.staff["caseworker"], imdi, [term.pk], SPRING)
    term.refresh_from_db()
    assert term.status == TermStatus.PLANNED and not PaymentOrder.objects.exists()


def test_without_the_grantors_account_in_the_configuration_no_file_is_made(casework_world, freeze_now):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    batch = services.prepare_batch(world.staff["caseworker"], imdi, [grant.terms.get().pk], SPRING)
    services.approve_batch(world.staff["approver"], batch.pk)
    with override_settings(PAYMENT_DEBTORS={}), pytest.raises(PaymentRefused, match="PAYMENT_DEBTORS"):
        services.export_pain001(world.staff["approver"], batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED


def test_another_grantors_staff_can_do_nothing_with_imdis_payments(casework_world, freeze_now):
    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(at(SPRING))
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    bergen = world.bergen_staff
    with pytest.raises(RoleMissing):
        services.prepare_batch(bergen["caseworker"], imdi, [grant.terms.get().pk], SPRING)
    batch = services.prepare_batch(world.staff["caseworker"], imdi, [grant.terms.get().pk], SPRING)
    with pytest.raises(RoleMissing):
        services.approve_batch(bergen["approver"], batch.pk)
    with pytest.raises(services.NotFound):
        services.hold_term(bergen["caseworker"], grant.terms.get().pk, "Nei.")
    # Bergen's own due terms do not include IMDi's.
    assert list(services.due_terms(world.bergen.org_number, SPRING)) == []
    accept(grant, SPRING)


def test_accepted_by_the_signatory_in_spring_the_c2_terms_fall_due_spring_and_autumn_and_not_before(
    casework_world, freeze_now
):
    """The acceptance service sets each term's day (C2-R10): the spring term on acceptance, autumn on 1 September."""
    from tests.casework.helpers import applicant_of  # noqa: PLC0415
    from tilskudd.grants.awards import acceptance  # noqa: PLC0415

    world, imdi = casework_world, casework_world.imdi.org_number
    freeze_now(dt.datetime(2020, 5, 4, 8, tzinfo=dt.UTC))
    grant = publish_decision(world, imdi_c2(world), amount=150_000).grant
    assert list(services.due_terms(imdi, dt.date(2020, 12, 31))) == []  # offered: nothing is due
    freeze_now(dt.datetime(2020, 5, 11, 8, tzinfo=dt.UTC))
    acceptance.accept(applicant_of(grant.application), grant.pk, acceptance.terms_hash(grant))
    spring, autumn = grant.terms.order_by("number")
    assert list(services.due_terms(imdi, dt.date(2020, 5, 10))) == []
    assert list(services.due_terms(imdi, dt.date(2020, 5, 11))) == [spring]
    assert list(services.due_terms(imdi, dt.date(2020, 9, 1))) == [spring, autumn]
