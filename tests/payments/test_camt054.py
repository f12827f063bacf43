"""camt.054: the bank's booked payments read back by end-to-end id; hostile or wrong files refused unread."""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.payments import camt_files
from tests.payments.conftest import assert_valid
from tilskudd.core.refusals import Refusal
from tilskudd.payments.iso20022 import camt054, pain001
from tilskudd.payments.iso20022.camt054 import BookedPayment
from tilskudd.payments.iso20022.common import BankFileRefused

SAMPLES = Path(__file__).resolve().parent / "samples"
PAIN = {"p": pain001.NAMESPACE}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_the_hand_written_sample_is_valid_camt_054_001_08():
    assert_valid("camt.054.001.08", sample("camt054_08_booked.xml"))


def test_booked_debits_are_read_with_end_to_end_id_amount_in_ore_and_booking_date():
    booked = camt054.read(sample("camt054_08_booked.xml"))

    assert booked == [
        BookedPayment("2026-000123-T1", 15_000_000, dt.date(2026, 12, 4), "BOOK", "BANKREF-0001"),
        # a batch booking: one entry, a payment per transaction; booked 23:30 UTC is 5 December in Oslo
        BookedPayment("2026-000124-T2", 7_550_000, dt.date(2026, 12, 5), "BOOK", "BANKREF-0002"),
        BookedPayment("2026-000125-T1", 100, dt.date(2026, 12, 5), "BOOK", "BANKREF-0002"),
        # øre kept exactly; pending, money in and «NOTPROVIDED» are not among the payments
        BookedPayment("2026-000127-T3", 123_450, dt.date(2026, 12, 4), "BOOK", ""),
    ]
    assert [payment.whole_kroner for payment in booked] == [150_000, 75_500, 1, None]


def test_version_02_is_read_too_the_entry_amount_standing_for_its_only_transaction():
    document = sample("camt054_02_booked.xml")

    assert_valid("camt.054.001.02", document)
    assert camt054.read(document) == [
        BookedPayment("2026-000123-T1", 15_000_000, dt.date(2026, 12, 4), "BOOK", "V02-REF-1")
    ]


def camt_from(pain: bytes, booked_on: dt.date) -> bytes:
    """What the grantor's bank would send back for a pain.001 it has paid: one booked entry per payment."""
    root = ET.fromstring(pain)
    iban = root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=PAIN)
    document, notified = camt_files.notification("ROUNDTRIP-1", "NTF-1", iban, booked_on)
    for number, transaction in enumerate(root.iterfind(".//p:CdtTrfTxInf", PAIN), start=1):
        amount = transaction.find("p:Amt/p:InstdAmt", PAIN)
        assert amount is not None
        camt_files.entry(
            notified,
            amount=amount.text,
            currency=amount.get("Ccy", ""),
            indicator="DBIT",
            status="BOOK",
            booked_on=booked_on,
            reference=f"REF-{number}",
            family="ICDT",
            end_to_end_id=transaction.findtext("p:PmtId/p:EndToEndId", namespaces=PAIN),
        )
    return camt_files.as_bytes(document)


def test_round_trip_the_end_to_end_ids_and_amounts_of_a_written_pain_001_come_back_from_camt_054(batch):
    pain = pain001.write(batch)
    notification = camt_from(pain, dt.date(2026, 12, 4))

    assert_valid("camt.054.001.08", notification)
    booked = camt054.read(notification)
    assert [(p.end_to_end_id, p.whole_kroner) for p in booked] == [(p.end_to_end_id, p.amount) for p in batch.payments]
    assert {p.booking_date for p in booked} == {dt.date(2026, 12, 4)}


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>&lol9;</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>&secret;</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/evil.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"/>"""


@pytest.mark.parametrize(
    "hostile",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_a_file_with_a_doctype_or_entities_is_refused_before_anything_is_expanded(hostile, monkeypatch):
    seen: list[str] = []
    real_builder = ET.TreeBuilder

    class Recording:
        """The tree builder the parser feeds, noting every tag and text that reaches it."""

        def __init__(self):
            self.inner = real_builder()

        def start(self, tag, attributes):
            seen.append(tag)
            return self.inner.start(tag, attributes)

        def end(self, tag):
            return self.inner.end(tag)

        def data(self, text):
            seen.append(text)
            return self.inner.data(text)

        def close(self):
            return self.inner.close()

    monkeypatch.setattr(camt054.ET, "TreeBuilder", Recording)
    started = time.perf_counter()

    with pytest.raises(BankFileRefused) as refused:
        camt054.read(hostile)

    assert time.perf_counter() - started < 1
    assert "dokumenttypedeklarasjon (DOCTYPE)" in refused.value.reason("nb")
    assert "document type declaration (DOCTYPE)" in refused.value.reason("en")
    assert seen == []  # refused at the DOCTYPE: not one element, let alone an entity's text, was built
    camt054.read(sample("camt054_08_booked.xml"))
    assert seen  # the recording builder is the one the parser feeds


@pytest.mark.parametrize(
    ("document", "reason_nb", "reason_en"),
    [
        (b"<Document><unclosed></Document>", "ikke gyldig XML (linje 1", "not well-formed XML (line 1"),
        (b"", "ikke gyldig XML", "not well-formed XML"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><x>&undefined;</x></Document>',
            "ikke gyldig XML",
            "not well-formed XML",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>',
            "ikke en camt.054-melding",
            "not a camt.054 message",
        ),
        (b"<Document/>", "ikke en camt.054-melding", "not a camt.054 message"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"/>',
            "BkToCstmrDbtCdtNtfctn",
            "BkToCstmrDbtCdtNtfctn",
        ),
    ],
    ids=["malformed", "empty", "undefined-entity", "camt053", "no-namespace", "no-notification"],
)
def test_a_file_that_is_not_a_camt_054_is_refused_with_its_reason(document, reason_nb, reason_en):
    with pytest.raises(BankFileRefused) as refused:
        camt054.read(document)

    assert isinstance(refused.value, Refusal)
    assert reason_nb in refused.value.reason("nb")
    assert reason_en in refused.value.reason("en")


def test_a_pain_001_given_as_a_bank_notification_is_refused(batch):
    with pytest.raises(BankFileRefused, match="not a camt.054 message"):
        camt054.read(pain001.write(batch))


@pytest.mark.parametrize(
    ("replace", "by", "reason_en"),
    [
        (
            b'<Amt Ccy="NOK">150000.00</Amt>\n            <CdtDbtInd>',
            b'<Amt Ccy="EUR">150000.00</Amt>\n            <CdtDbtInd>',
            "is in EUR; only NOK is read (entry 1, 2026-000123-T1)",
        ),
        (
            b'<Amt Ccy="NOK">150000.00</Amt>\n            <CdtDbtInd>',
            b'<Amt Ccy="NOK">150000.005</Amt>\n            <CdtDbtInd>',
            "has fractions of an øre (entry 1, 2026-000123-T1)",
        ),
        (
            b'<Amt Ccy="NOK">150000.00</Amt>\n            <CdtDbtInd>',
            b'<Amt Ccy="NOK">1,5</Amt>\n            <CdtDbtInd>',
            "'1,5' is not an amount",
        ),
        (
            b"<BookgDt><Dt>2026-12-04</Dt></BookgDt>\n        <ValDt>",
            b"<BookgDt><Dt>4.12.2026</Dt></BookgDt>\n        <ValDt>",
            "'4.12.2026' is not a date",
        ),
    ],
    ids=["currency", "fraction-of-ore", "decimal-comma", "date"],
)
def test_an_amount_or_date_that_cannot_be_taken_exactly_is_refused(replace, by, reason_en):
    original = sample("camt054_08_booked.xml")
    assert replace in original

    with pytest.raises(BankFileRefused) as refused:
        camt054.read(original.replace(replace, by, 1))

    assert reason_en in refused.value.reason("en")


def test_trailing_zero_decimals_are_exact_amounts():
    original = sample("camt054_08_booked.xml")
    changed = original.replace(
        b'<Amt Ccy="NOK">150000.00</Amt>\n            <CdtDbtInd>',
        b'<Amt Ccy="NOK">150000.00000</Amt>\n            <CdtDbtInd>',
        1,
    )

    assert camt054.read(changed)[0].amount_ore == 15_000_000


def test_a_file_over_the_size_limit_is_not_parsed(monkeypatch):
    monkeypatch.setattr(camt054, "MAX_BYTES", 100)

    with pytest.raises(BankFileRefused, match="at most 100 are read"):
        camt054.read(sample("camt054_08_booked.xml"))
