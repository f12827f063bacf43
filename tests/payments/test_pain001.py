"""pain.001.001.09: a batch becomes a file the official schema accepts, with the counts, sums and accounts right."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.payments.conftest import GRANTOR, assert_valid, batch_of, decimal, three_payments
from tilskudd.core.refusals import Refusal
from tilskudd.payments.iso20022 import pain001
from tilskudd.payments.iso20022.common import (
    PaymentFileRefused,
    format_bban,
    is_valid_iban,
    mod11_account_check_digit,
    to_iban,
)
from tilskudd.payments.iso20022.pain001 import Batch, Debtor, Payment

NS = {"p": pain001.NAMESPACE}


def parsed(document: bytes) -> ET.Element:
    return ET.fromstring(document)


def test_a_batch_of_three_payments_is_valid_against_the_official_schema(batch):
    document = pain001.write(batch)

    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert_valid("pain.001.001.09", document)
    assert parsed(document).tag == f"{{{pain001.NAMESPACE}}}Document"


def test_number_of_transactions_and_control_sum_are_the_count_and_sum_of_the_payments(batch):
    payments = three_payments()
    root = parsed(pain001.write(batch))
    amounts = [decimal(element.text) for element in root.iterfind(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)]

    for header in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert root.findtext(f"{header}/p:NbOfTxs", namespaces=NS) == str(len(payments))
        assert decimal(root.findtext(f"{header}/p:CtrlSum", namespaces=NS)) == sum(p.amount for p in payments)
    assert amounts == [payment.amount for payment in payments]
    assert sum(amounts) == batch.total == 225_501


def test_each_payment_carries_its_end_to_end_id_amount_in_nok_creditor_and_message(batch):
    root = parsed(pain001.write(batch))
    first = root.find(".//p:CdtTrfTxInf", NS)
    assert first is not None

    assert first.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == "2026-000123-T1"
    amount = first.find("p:Amt/p:InstdAmt", NS)
    assert amount is not None and amount.text == "150000.00" and amount.get("Ccy") == "NOK"
    # æ, ø, å, & and < go in as text and come back as written
    assert first.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Foreningen Æ, Ø & Å <Tromsø>"
    assert first.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "NO7112345678903"
    assert first.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == (
        "2026-000123 T1 Tilskudd til integreringsarbeid i frivillige organisasjoner"
    )
    # the third payment has no message: no empty RmtInf
    last = root.findall(".//p:CdtTrfTxInf", NS)[-1]
    assert last.find("p:RmtInf", NS) is None


def test_the_debtor_is_the_grantor_with_its_account_as_iban_bank_and_execution_date(batch):
    root = parsed(pain001.write(batch))
    instruction = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert instruction is not None

    assert instruction.findtext("p:PmtMtd", namespaces=NS) == "TRF"
    assert instruction.findtext("p:ReqdExctnDt/p:Dt", namespaces=NS) == "2026-12-04"
    assert instruction.findtext("p:Dbtr/p:Nm", namespaces=NS) == "Integrerings- og mangfoldsdirektoratet"
    assert instruction.findtext("p:Dbtr/p:Id/p:OrgId/p:Othr/p:Id", namespaces=NS) == "974760843"
    assert instruction.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "NO9386011117947"
    assert instruction.findtext("p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == "DNBANOKK"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", namespaces=NS) == "IMDI-2026-12-02-001"


def test_creation_time_is_written_in_utc_with_its_offset():
    oslo = dt.datetime(2026, 12, 2, 10, 30, 15, tzinfo=ZoneInfo("Europe/Oslo"))
    batch = Batch("B-1", oslo, dt.date(2026, 12, 4), GRANTOR, three_payments())
    root = parsed(pain001.write(batch))

    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm", namespaces=NS) == "2026-12-02T09:30:15+00:00"


def test_without_a_bic_the_bank_is_not_provided_and_the_file_is_still_valid():
    debtor = Debtor("IMDi", "974760843", "86011117947")
    document = pain001.write(Batch("B-2", dt.datetime.now(dt.UTC), dt.date(2026, 12, 4), debtor, three_payments()))

    assert_valid("pain.001.001.09", document)
    assert parsed(document).findtext(".//p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == "NOTPROVIDED"


# --- account numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["8601 11 17947", "8601.11.17947", "86011117947", "NO93 8601 1117 947", "no9386011117947"]
)
def test_a_norwegian_account_becomes_its_iban(written):
    assert to_iban(written) == "NO9386011117947"


def test_the_iban_check_digits_are_computed_and_the_account_shown_as_written_in_norway():
    iban = to_iban("1234 56 78903")

    assert iban == "NO7112345678903"
    assert is_valid_iban(iban)
    assert format_bban(iban) == "1234 56 78903"
    assert format_bban("SE4550000000058398257466") == "SE45 5000 0000 0583 9825 7466"


def test_a_foreign_iban_is_taken_when_its_check_digits_hold():
    assert to_iban("SE45 5000 0000 0583 9825 7466") == "SE4550000000058398257466"


# --- refusals: each with its reason --------------------------------------------------------------------


def payment(**changes) -> Payment:
    values = {
        "end_to_end_id": "2026-000200-T1",
        "amount": 10_000,
        "creditor_name": "Foreningen Fellesskap",
        "creditor_account": "86011117947",
        "remittance": "2026-000200 T1 Tilskudd",
    }
    return Payment(**(values | changes))


@pytest.mark.parametrize(
    ("make", "reason_nb", "reason_en"),
    [
        (lambda: payment(amount=0), "må være større enn 0 kr; det er 0 kr", "must be more than NOK 0; it is NOK 0"),
        (lambda: payment(amount=-500), "det er -500 kr", "it is NOK -500"),
        (lambda: payment(amount=100.5), "må være hele kroner (et heltall)", "must be whole kroner (an integer)"),
        (lambda: payment(amount=True), "må være hele kroner", "must be whole kroner"),
        (lambda: payment(amount=pain001.MAX_AMOUNT + 1), "kan stå i én betaling", "can be in one payment"),
        (
            lambda: payment(creditor_account="86011117948"),
            "kontrollsifferet (MOD11) stemmer ikke",
            "check digit (MOD11) does not match",
        ),
        (lambda: payment(creditor_account="8601111794"), "et norsk kontonummer har 11 siffer", "has 11 digits"),
        (
            lambda: payment(creditor_account="NO94 8601 1117 947"),
            "verken et gyldig norsk kontonummer eller et gyldig IBAN",
            "neither a valid Norwegian account number nor a valid IBAN",
        ),
        (lambda: payment(creditor_account="SE46 5000 0000 0583 9825 7466"), "verken et gyldig", "neither a valid"),
        (lambda: payment(end_to_end_id="2026-000200-T1-" + "X" * 21), "må ha 1–35 tegn", "must have 1–35 characters"),
        (lambda: payment(end_to_end_id=""), "må ha 1–35 tegn", "must have 1–35 characters"),
        (
            lambda: payment(end_to_end_id="2026_000200#T1"),
            "kan bare ha bokstavene A–Z",
            "may only have the letters A–Z",
        ),
        (lambda: payment(end_to_end_id="/2026-1"), "ikke / først", "no / first"),
        (
            lambda: payment(creditor_name="   "),
            "Mottakerens navn i betalingen 2026-000200-T1 mangler",
            "creditor's name in payment 2026-000200-T1 is missing",
        ),
        (
            lambda: payment(creditor_name="Forening\x00en"),
            "et tegn som ikke kan stå i en betalingsfil (U+0000)",
            "cannot be in a payment file (U+0000)",
        ),
        (lambda: payment(remittance="Tilskudd\x1b[31m"), "(U+001B)", "(U+001B)"),
        (
            lambda: Debtor("IMDi", "974760844", "86011117947"),
            "organisasjonsnummer '974760844' er ikke gyldig",
            "organisation number '974760844' is not valid",
        ),
        (lambda: Debtor("IMDi", "974760843", "86011117948"), "Avsenderens kontonummer", "The debtor's account number"),
        (
            lambda: Debtor("IMDi", "974760843", "86011117947", bic="DNB"),
            "BIC 'DNB' er ikke gyldig",
            "BIC 'DNB' is not valid",
        ),
        (lambda: batch_of([]), "Bunten har ingen betalinger", "The batch has no payments"),
        (
            lambda: batch_of([payment(), payment(end_to_end_id="2026-000200-t1", amount=5)]),
            "2026-000200-t1 står to ganger i bunten",
            "2026-000200-t1 is in the batch twice",
        ),
        (
            lambda: batch_of(three_payments(), message_id="M" * 36),
            "Meldings-id-en må ha 1–35 tegn",
            "The message id must have 1–35 characters",
        ),
        (
            lambda: Batch("B-3", dt.datetime(2026, 12, 2, 9, 30), dt.date(2026, 12, 4), GRANTOR, three_payments()),
            "må ha tidssone",
            "must have a time zone",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else None,
)
def test_bad_input_is_refused_with_its_reason(make, reason_nb, reason_en):
    with pytest.raises(PaymentFileRefused) as refused:
        make()

    assert isinstance(refused.value, Refusal)
    assert reason_nb in refused.value.reason("nb")
    assert reason_en in refused.value.reason("en")


def test_a_long_creditor_name_is_cut_at_a_word_to_70_characters_and_a_long_message_to_140():
    name = "Den frivillige foreningen for integrering, mangfold og fellesskap i Nordre Aker bydel"
    text = "2026-000200 T1 " + "Tilskudd til nasjonale ressurssentre for arbeid mot rasisme og diskriminering " * 3
    document = pain001.write(batch_of([payment(creditor_name=name, remittance=text)]))
    transaction = parsed(document).find(".//p:CdtTrfTxInf", NS)
    assert transaction is not None
    in_file = transaction.findtext("p:Cdtr/p:Nm", namespaces=NS) or ""
    message = transaction.findtext("p:RmtInf/p:Ustrd", namespaces=NS) or ""

    assert_valid("pain.001.001.09", document)
    assert in_file == "Den frivillige foreningen for integrering, mangfold og fellesskap i"
    assert len(in_file) <= 70 and name.startswith(in_file)
    assert len(message) <= 140 and text.startswith(message) and not message.endswith(" ")


def test_end_to_end_id_and_message_from_case_number_and_term():
    assert pain001.end_to_end_id("2026-000123", 1) == "2026-000123-T1"
    assert pain001.end_to_end_id("2026-000123", "SLUTT") == "2026-000123-SLUTT"
    assert (
        pain001.remittance_text("2026-000123", 2, "Tilskudd  til\nintegrering")
        == "2026-000123 T2 Tilskudd til integrering"
    )
    with pytest.raises(PaymentFileRefused):
        pain001.end_to_end_id("2026-000123-" + "9" * 30, 1)


# --- any valid batch ------------------------------------------------------------------------------------


@st.composite
def accounts(draw) -> str:
    while True:
        first_ten = draw(st.text("0123456789", min_size=10, max_size=10))
        check = mod11_account_check_digit(first_ten)
        if check is not None:
            return first_ten + str(check)


names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=120
).filter(lambda value: value.strip() != "")


@st.composite
def payment_lists(draw) -> list[Payment]:
    size = draw(st.integers(min_value=1, max_value=12))
    ids = draw(st.lists(st.integers(min_value=1, max_value=999_999), min_size=size, max_size=size, unique=True))
    return [
        Payment(
            end_to_end_id=pain001.end_to_end_id(f"2026-{number:06d}", draw(st.integers(min_value=1, max_value=9))),
            amount=draw(st.integers(min_value=1, max_value=pain001.MAX_AMOUNT)),
            creditor_name=draw(names),
            creditor_account=draw(accounts()),
            remittance=draw(st.one_of(st.just(""), names)),
        )
        for number in ids
    ]


@settings(max_examples=40, deadline=None)
@given(payment_lists())
def test_any_list_of_valid_payments_gives_a_valid_file_whose_control_sum_is_their_sum(payments):
    document = pain001.write(batch_of(payments))
    root = parsed(document)

    assert_valid("pain.001.001.09", document)
    assert decimal(root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == sum(
        payment.amount for payment in payments
    )
    assert [element.text for element in root.iterfind(".//p:EndToEndId", NS)] == [p.end_to_end_id for p in payments]
