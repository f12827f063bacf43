"""Repayments read from the bank's camt.054 (issue #12, point 5; C1-R13, C2-R12): money booked *into* the grantor's
account is matched to a sent repayment claim by the KID its letter gives; a credit up to what is left is recorded on
the claim, a part or the whole (which closes the grant), once, under the bank's reference of the credit, so the same
file (or one overlapping it) read again pays nothing twice; anything else is reported and changes nothing.
The files are built here and checked against the official camt.054.001.08 schema first."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import staff_of
from tests.payments import camt_files, payment_helpers
from tests.payments.conftest import CAMT054_08, assert_valid
from tests.reports.helpers import OSLO, accepted_grant
from tests.staff_world import C2, build_world
from tests.web.conftest import element, visible_text
from tilskudd.audit.models import AuditEvent
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.payments import services
from tilskudd.payments.iso20022 import camt054
from tilskudd.payments.iso20022.common import BankFileRefused, is_valid_kid, kid
from tilskudd.reports import repayment
from tilskudd.reports.models import RepaymentPayment
from tilskudd.reports.states import ClaimStatus


@dataclass(frozen=True)
class Credit:
    amount: str  #: as the bank writes it, «20000.00»
    kid: str = ""
    message: str = ""
    payer: str = "Foreningen Trygg Oppvekst"
    indicator: str = "CRDT"
    status: str = "BOOK"
    currency: str = "NOK"
    end_to_end_id: str = "NOTPROVIDED"  #: a debit of ours (a payment order) has its own
    #: The bank's reference of the entry (Ntry/AcctSvcrRef): None for «INN-<its place in the file>», "" for none.
    entry_reference: str | None = None
    transaction_reference: str = ""  #: the bank's reference of the transaction (TxDtls/Refs/AcctSvcrRef)


def camt(*credits: Credit, booked_on: dt.date = dt.date(2021, 4, 19), message_id: str = "CAMT054-REPAY-1") -> bytes:
    """A camt.054.001.08 the grantor's bank could send: one entry per credit (or debit), with its remittance."""
    document, notified = camt_files.notification(message_id, "NTF-REPAY-1", "NO9386011117947", booked_on)
    for number, credit in enumerate(credits, start=1):
        details = camt_files.entry(
            notified,
            amount=credit.amount,
            currency=credit.currency,
            indicator=credit.indicator,
            status=credit.status,
            booked_on=booked_on,
            reference=f"INN-{number}" if credit.entry_reference is None else credit.entry_reference,
            family="RCDT",
            end_to_end_id=credit.end_to_end_id,
            transaction_reference=credit.transaction_reference,
        )
        ET.SubElement(details, "Amt", {"Ccy": credit.currency}).text = credit.amount
        ET.SubElement(details, "CdtDbtInd").text = credit.indicator
        parties = ET.SubElement(details, "RltdPties")
        ET.SubElement(ET.SubElement(ET.SubElement(parties, "Dbtr"), "Pty"), "Nm").text = credit.payer
        remittance = ET.SubElement(details, "RmtInf")
        if credit.message:
            ET.SubElement(remittance, "Ustrd").text = credit.message
        if credit.kid:
            reference = ET.SubElement(ET.SubElement(remittance, "Strd"), "CdtrRefInf")
            ET.SubElement(ET.SubElement(ET.SubElement(reference, "Tp"), "CdOrPrtry"), "Cd").text = "SCOR"
            ET.SubElement(reference, "Ref").text = credit.kid
    data = camt_files.as_bytes(document)
    assert_valid("camt.054.001.08", data)
    return data


# --- the reader and the KID, without a database ------------------------------------------------------------


def test_a_kid_ends_in_its_mod10_check_digit_and_a_changed_digit_is_caught():
    assert kid(7) == "0000000075" and len(kid(123_456)) == 10
    assert is_valid_kid("79927398713")  # the usual Luhn example
    assert not is_valid_kid("79927398714") and not is_valid_kid("0000000076") and not is_valid_kid("KID")
    with pytest.raises(ValueError):
        kid(0)


def test_credits_are_read_with_their_kid_message_payer_and_exact_amount_and_money_out_is_left_to_read():
    data = camt(
        Credit("20000.00", kid="0000000075"),
        Credit("150.50", message="Tilbakebetaling sak 2020/17 0000000018"),
        Credit("99.00", kid="0000000018", status="PDNG"),  # pending: not booked yet
        Credit("5000.00", indicator="DBIT", payer="IMDi"),  # money out: the payment reader's business
    )

    credits = camt054.read_credits(data)

    assert [(c.amount_ore, c.reference, c.message, c.debtor_name) for c in credits] == [
        (2_000_000, "0000000075", "", "Foreningen Trygg Oppvekst"),
        (15_050, "", "Tilbakebetaling sak 2020/17 0000000018", "Foreningen Trygg Oppvekst"),
    ]
    assert [c.whole_kroner for c in credits] == [20_000, None]
    assert credits[0].booking_date == dt.date(2021, 4, 19) and credits[0].account_servicer_reference == "INN-1"
    assert camt054.read(data) == []  # the debit has no end-to-end id of ours: no payment order is touched


def several_without_their_own_amounts(data: bytes, entry: int) -> bytes:
    """The file with the ``entry``-th entry's one transaction made two, neither with an amount of its own."""
    ET.register_namespace("", CAMT054_08)
    root = ET.fromstring(data)
    found = root.findall(f".//{{{CAMT054_08}}}Ntry")[entry - 1].find(f"{{{CAMT054_08}}}NtryDtls")
    assert found is not None
    details = found.find(f"{{{CAMT054_08}}}TxDtls")
    assert details is not None
    details.remove(details.find(f"{{{CAMT054_08}}}Amt"))
    found.append(ET.fromstring(ET.tostring(details)))
    changed = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    assert_valid("camt.054.001.08", changed)
    return changed


def test_a_credit_that_cannot_be_read_is_set_aside_with_why_and_the_other_credits_are_still_read():
    data = several_without_their_own_amounts(
        camt(
            Credit("20000.00", kid="0000000075"),
            Credit("500.00", currency="EUR", kid="0000000018", payer="Verein Kinderhilfe"),
            Credit("300.00", message="Gave"),
            Credit("10.005", message="Renter"),
        ),
        3,
    )

    credits, unreadable = camt054.read_credits_with_unreadable(data)

    assert [(c.amount_ore, c.reference) for c in credits] == [(2_000_000, "0000000075")]
    assert [(u.reference, u.account_servicer_reference) for u in unreadable] == [
        ("0000000018", "INN-2"),
        ("", "INN-3"),
        ("", "INN-3"),
        ("", "INN-4"),
    ]
    assert [u.text_nb for u in unreadable] == [
        "Innbetaling i EUR er ikke lest: bare NOK leses (post 2, innbetaling 1, merket «0000000018», "
        "fra Verein Kinderhilfe); ikke registrert.",
        "Innbetaling er ikke lest: posten har flere innbetalinger uten eget beløp (post 3, innbetaling 1, "
        "merket «Gave», fra Foreningen Trygg Oppvekst); ikke registrert.",
        "Innbetaling er ikke lest: posten har flere innbetalinger uten eget beløp (post 3, innbetaling 2, "
        "merket «Gave», fra Foreningen Trygg Oppvekst); ikke registrert.",
        "Innbetaling er ikke lest: beløpet 10.005 har brøkdeler av øre (post 4, innbetaling 1, merket «Renter», "
        "fra Foreningen Trygg Oppvekst); ikke registrert.",
    ]
    assert unreadable[0].text_en == (
        "Credit in EUR not read: only NOK is read (entry 2, credit 1, marked '0000000018', "
        "from Verein Kinderhilfe); not recorded."
    )
    # Asked for the credits alone, the reader still refuses a file with one it cannot read.
    with pytest.raises(BankFileRefused, match="EUR"):
        camt054.read_credits(data)


# --- matched to claims --------------------------------------------------------------------------------------

camt_repayment_world_built = shared_world(lambda: build_world((C2,)), name="camt_repayment_world_built")


@pytest.fixture
def world(camt_repayment_world_built, db):
    return fresh(camt_repayment_world_built)


def sent_claim(world, freeze_now, amount: int = 20_000):
    """A C2 grant of 150 000 paid out, and a claim of ``amount`` prepared, approved by another person and sent."""
    grant = accepted_grant(world, freeze_now, C2, 150_000, report_due=dt.date(2021, 3, 1))
    grant.terms.update(status=TermStatus.PAID)
    grant.status = GrantStatus.PAID_OUT
    grant.save(update_fields=["status"])
    staff = staff_of(world, grant.application)
    freeze_now(dt.datetime(2021, 3, 10, 10, 0, tzinfo=OSLO))
    claim = repayment.prepare_claim(
        staff["caseworker"], grant.pk, reason="Ubrukte midler i 2020.", due=dt.date(2021, 4, 30), amount=amount
    )
    claim = repayment.approve_claim(staff["approver"], claim.pk)
    freeze_now(dt.datetime(2021, 4, 20, 9, 0, tzinfo=OSLO))
    return claim, staff


def imported(staff, claim, data: bytes) -> services.ImportReport:
    return services.import_camt054(staff["caseworker"], claim.grant.application.case.grantor_org_number, data)


def test_the_letter_gives_the_kid_and_the_claim_is_paid_from_the_bank_file_once(world, freeze_now):
    claim, staff = sent_claim(world, freeze_now)
    assert is_valid_kid(claim.reference)
    letter = repayment.letter_html(claim)
    assert "KID-nummer" in letter and claim.reference in letter

    data = camt(Credit("20000.00", kid=claim.reference), Credit("700.00", kid=kid(claim.pk + 5000)))
    report = imported(staff, claim, data)

    claim.refresh_from_db()
    grant = claim.grant
    grant.refresh_from_db()
    assert (claim.status, claim.paid_amount, claim.paid_on) == (ClaimStatus.PAID, 20_000, dt.date(2021, 4, 19))
    assert grant.status == GrantStatus.CLOSED
    assert [(line.kind, line.outcome) for line in report.lines] == [("repayment", "paid"), ("repayment", "unknown")]
    assert (
        report.lines[0].text_nb.replace("\xa0", " ").endswith("tilbakebetalt 19.04.2021 (20 000 kr); kravet er betalt.")
    )
    assert "ingen krav om tilbakebetaling" in report.lines[1].text_nb
    paid = AuditEvent.objects.get(subject_type="repaymentclaim", subject_id=str(claim.pk), action="repayment.paid")
    assert paid.audience == "applicant" and paid.data["via"] == "camt054" and paid.data["bank_reference"] == "INN-1"
    imports = AuditEvent.objects.filter(action="bank_statement.imported", subject_type="organisation")
    assert imports.count() == 1 and imports.get().data["credits"] == 2 and imports.get().data["paid"] == 1

    # The same file again pays nothing: the claim is already paid, said so, and no second payment is recorded.
    again = imported(staff, claim, data)
    claim.refresh_from_db()
    assert [line.outcome for line in again.lines] == ["already_paid", "unknown"] and again.paid == 0
    assert claim.paid_amount == 20_000
    assert AuditEvent.objects.filter(subject_id=str(claim.pk), action="repayment.paid").count() == 1


def payments_of(claim) -> list[tuple[int, dt.date, str, str]]:
    return [(p.amount, p.paid_on, p.via, p.bank_reference) for p in claim.payments.all()]


def test_part_payments_from_the_file_are_recorded_each_once_and_the_last_pays_the_claim(world, freeze_now):
    claim, staff = sent_claim(world, freeze_now)
    first = camt(Credit("5000.00", kid=claim.reference), Credit("25000.00", kid=claim.reference))

    report = imported(staff, claim, first)

    claim.refresh_from_db()
    assert [line.outcome for line in report.lines] == ["paid", "mismatch"] and report.problems == [report.lines[1]]
    assert report.lines[0].text_nb.replace("\xa0", " ") == (
        f"Krav {claim.reference}: delbetaling 5 000 kr bokført 19.04.2021 (bankens referanse INN-1) er registrert; "
        "det gjenstår 15 000 kr."
    )
    assert (claim.status, claim.paid_amount, claim.left) == (ClaimStatus.SENT, 5_000, 15_000)
    assert payments_of(claim) == [(5_000, dt.date(2021, 4, 19), "camt054", "INN-1")]
    paid = AuditEvent.objects.get(subject_type="repaymentclaim", subject_id=str(claim.pk), action="repayment.paid")
    assert paid.audience == "applicant"
    assert (paid.data["via"], paid.data["bank_reference"], paid.data["left"], paid.data["full"]) == (
        "camt054",
        "INN-1",
        15_000,
        False,
    )

    # The same file again: the part is known by the bank's reference; 25 000 is still more than what is left.
    again = imported(staff, claim, first)
    claim.refresh_from_db()
    assert [line.outcome for line in again.lines] == ["already_paid", "mismatch"] and again.paid == 0
    assert "innbetalingen på 5 000 kr med bankens referanse INN-1 er allerede registrert" in again.lines[
        0
    ].text_nb.replace("\xa0", " ")
    assert claim.paid_amount == 5_000 and claim.payments.count() == 1

    # A later file overlaps the first: the same credit (now its second entry) and the rest, the KID in the message.
    later = camt(
        Credit("15000.00", message=f"Tilbakebetaling KID {claim.reference}", entry_reference="INN-7"),
        Credit("5000.00", kid=claim.reference, entry_reference="INN-1"),
        message_id="CAMT054-REPAY-2",
    )
    report = imported(staff, claim, later)
    claim.refresh_from_db()
    claim.grant.refresh_from_db()
    assert [line.outcome for line in report.lines] == ["paid", "already_paid"]
    assert (claim.status, claim.paid_amount, claim.left, claim.grant.status) == (
        ClaimStatus.PAID,
        20_000,
        0,
        GrantStatus.CLOSED,
    )
    assert sorted(payment[3] for payment in payments_of(claim)) == ["INN-1", "INN-7"]

    # Both files once more: every credit is reported as already recorded, and nothing is paid twice.
    for data in (first, later):
        assert [line.outcome for line in imported(staff, claim, data).lines] == ["already_paid", "already_paid"]
    claim.refresh_from_db()
    assert claim.paid_amount == 20_000 and claim.payments.count() == 2
    assert AuditEvent.objects.filter(subject_id=str(claim.pk), action="repayment.paid").count() == 2


def test_a_part_the_bank_gave_no_reference_or_with_ore_is_left_for_the_caseworker_and_the_whole_rest_still_pays(
    world, freeze_now
):
    claim, staff = sent_claim(world, freeze_now)

    report = imported(
        staff,
        claim,
        camt(Credit("5000.00", kid=claim.reference, entry_reference=""), Credit("150.50", kid=claim.reference)),
    )

    claim.refresh_from_db()
    assert [line.outcome for line in report.lines] == ["partial", "partial"] and len(report.problems) == 2
    assert "banken har ikke gitt innbetalingen en referanse" in report.lines[0].text_nb
    assert "registrer den for hånd på kravet" in report.lines[0].text_nb
    assert "beløpet har øre" in report.lines[1].text_nb
    assert (claim.status, claim.paid_amount, payments_of(claim)) == (ClaimStatus.SENT, 0, [])
    assert not AuditEvent.objects.filter(subject_id=str(claim.pk), action="repayment.paid").exists()

    # Without the bank's reference the whole of what is left still pays, as before: the paid claim is the guard.
    whole = camt(Credit("20000.00", kid=claim.reference, entry_reference=""))
    assert [line.outcome for line in imported(staff, claim, whole).lines] == ["paid"]
    assert [line.outcome for line in imported(staff, claim, whole).lines] == ["already_paid"]
    claim.refresh_from_db()
    assert (claim.status, payments_of(claim)) == (ClaimStatus.PAID, [(20_000, dt.date(2021, 4, 19), "camt054", "")])


def test_a_part_recorded_by_hand_is_linked_to_its_credit_in_the_file_and_not_counted_again(world, freeze_now):
    claim, staff = sent_claim(world, freeze_now)
    repayment.mark_paid(staff["caseworker"], claim.pk, 5_000, dt.date(2021, 4, 19))
    # The bank's reference of the transaction is the credit's, before that of its entry (INN-1).
    data = camt(Credit("5000.00", kid=claim.reference, transaction_reference="ARK-20210419-991"))

    report = imported(staff, claim, data)

    claim.refresh_from_db()
    assert [line.outcome for line in report.lines] == ["already_paid"]
    assert "registrert for hånd; den er nå knyttet til bankens referanse ARK-20210419-991" in report.lines[0].text_nb
    assert (claim.paid_amount, payments_of(claim)) == (
        5_000,
        [(5_000, dt.date(2021, 4, 19), "manual", "ARK-20210419-991")],
    )
    again = imported(staff, claim, data)
    assert "med bankens referanse ARK-20210419-991 er allerede registrert" in again.lines[0].text_nb
    claim.refresh_from_db()
    assert claim.paid_amount == 5_000
    assert AuditEvent.objects.filter(subject_id=str(claim.pk), action="repayment.paid").count() == 1


def test_another_grantors_credit_never_pays_this_grantors_claim(world, freeze_now):
    claim, staff = sent_claim(world, freeze_now)
    line = repayment.match_credits(
        world.bergen_staff["caseworker"],
        world.bergen.org_number,
        camt054.read_credits(camt(Credit("20000.00", kid=claim.reference))),
    )
    claim.refresh_from_db()
    assert [entry.outcome for entry in line] == ["unknown"] and claim.status == ClaimStatus.SENT


def test_a_credit_in_eur_is_reported_unread_and_the_grantors_own_payment_in_the_same_file_is_still_recorded(
    world, freeze_now
):
    spring = dt.date(2021, 3, 2)
    freeze_now(dt.datetime(2021, 3, 2, 9, 0, tzinfo=OSLO))
    grant = payment_helpers.accepted_grant(world, payment_helpers.imdi_c2(world), 20_000, spring)
    term = grant.terms.get()
    staff = staff_of(world, grant.application)
    grantor = world.imdi.org_number
    batch = services.prepare_batch(staff["caseworker"], grantor, [term.pk], spring)
    services.approve_batch(staff["approver"], batch.pk)
    services.export_pain001(staff["approver"], batch.pk)
    order = batch.orders.get()
    data = camt(
        Credit("20000.00", indicator="DBIT", end_to_end_id=order.end_to_end_id, payer="IMDi"),
        Credit("500.00", currency="EUR", kid="0000000018", payer="Verein Kinderhilfe"),
        booked_on=spring,
    )

    report = services.import_camt054(staff["caseworker"], grantor, data)

    term.refresh_from_db()
    assert (term.status, report.paid) == (TermStatus.PAID, 1)
    assert [(line.kind, line.outcome) for line in report.lines] == [("payment", "paid"), ("repayment", "unreadable")]
    unread = report.lines[1]
    assert unread in report.problems and unread.end_to_end_id == "0000000018"
    assert unread.text_nb.startswith("Innbetaling i EUR er ikke lest: bare NOK leses (post 2, innbetaling 1")
    imports = AuditEvent.objects.get(action="bank_statement.imported", subject_type="organisation")
    assert (imports.data["paid"], imports.data["unreadable"], imports.data["problems"]) == (1, 1, ["0000000018"])


def test_the_payments_page_reads_the_file_and_says_which_claim_was_repaid_and_which_credit_is_unknown(
    world, freeze_now, client
):
    claim, staff = sent_claim(world, freeze_now)
    login_verified(client, staff["caseworker"])
    data = camt(Credit("20000.00", kid=claim.reference), Credit("1.00", message="Renter"))

    page = client.post(
        f"/saksbehandling/utbetalinger/{world.imdi.pk}/bankfil/",
        {"file": SimpleUploadedFile("camt054.xml", data)},
        secure=True,
    )

    text = visible_text(page.content.decode()).replace("\xa0", " ")
    assert page.status_code == 200
    assert f"Krav {claim.reference}: tilbakebetalt 19.04.2021 (20 000 kr); kravet er betalt." in text
    assert "Innbetaling 1 kr merket «Renter»: ingen krav om tilbakebetaling har denne referansen" in text
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID


def test_a_part_paid_from_the_file_is_shown_on_the_import_report_the_caseworkers_claim_and_to_the_grantee(
    world, freeze_now, client
):
    claim, staff = sent_claim(world, freeze_now)
    login_verified(client, staff["caseworker"])

    page = client.post(
        f"/saksbehandling/utbetalinger/{world.imdi.pk}/bankfil/",
        {"file": SimpleUploadedFile("camt054.xml", camt(Credit("5000.00", kid=claim.reference)))},
        secure=True,
    )

    assert page.status_code == 200
    assert (
        f"Krav {claim.reference}: delbetaling 5 000 kr bokført 19.04.2021 (bankens referanse INN-1) er registrert; "
        "det gjenstår 15 000 kr." in visible_text(page.content.decode()).replace("\xa0", " ")
    )
    repayment.mark_paid(staff["caseworker"], claim.pk, 2_000, dt.date(2021, 4, 20))
    html = client.get(f"/saksbehandling/tilskudd/{claim.grant_id}/", secure=True).content.decode()
    table = element(html, "table", id=f"claim-{claim.pk}-payments")
    assert "Innbetalinger · gjenstår 13 000 kr" in visible_text(table).replace("\xa0", " ")
    rows = [
        [visible_text(cell).replace("\xa0", " ") for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", element(table, "tbody"), re.S)
    ]
    assert rows == [["19.04.2021", "5 000 kr", "INN-1"], ["20.04.2021", "2 000 kr", "registrert for hånd"]]

    client.logout()
    login_verified(client, applicant_of(claim.grant.application))
    mine = client.get(f"/soknader/{claim.grant.application_id}/tilskudd/", secure=True)
    assert mine.status_code == 200
    said = visible_text(element(mine.content.decode(), "p", id=f"claim-{claim.pk}-left")).replace("\xa0", " ")
    assert said == "Betalt så langt: 7 000 kr. Det gjenstår å betale: 13 000 kr."


def test_a_credit_is_known_by_the_banks_reference_of_its_transaction_else_of_its_entry_and_place_in_it():
    data = camt(
        Credit("100.00", kid="0000000075", transaction_reference="ARK-1"),
        Credit("200.00", kid="0000000075"),
        Credit("300.00", kid="0000000075", entry_reference=""),
    )

    credits = camt054.read_credits(data)

    assert [(c.transaction_reference, c.account_servicer_reference, c.bank_id) for c in credits] == [
        ("ARK-1", "INN-1", "ARK-1"),
        ("", "INN-2", "INN-2"),
        ("", "", ""),
    ]
    # The second of an entry's three transactions, without a reference of its own.
    assert replace(credits[1], position=2, of=3).bank_id == "INN-2/2"


def test_payments_recorded_before_their_rows_are_written_from_their_audit_events(world, freeze_now):
    claim, staff = sent_claim(world, freeze_now)
    repayment.mark_paid(staff["caseworker"], claim.pk, 5_000, dt.date(2021, 4, 19))
    imported(staff, claim, camt(Credit("15000.00", kid=claim.reference)))
    recorded = payments_of(claim)
    RepaymentPayment.objects.filter(claim=claim).delete()  # as before the migration

    importlib.import_module("tilskudd.reports.migrations.0004_repayment_payment").payments_from_audit(apps, None)

    assert (
        payments_of(claim)
        == recorded
        == [
            (5_000, dt.date(2021, 4, 19), "manual", ""),
            (15_000, dt.date(2021, 4, 19), "camt054", "INN-1"),
        ]
    )
