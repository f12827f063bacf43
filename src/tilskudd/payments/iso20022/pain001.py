"""A batch of payments as ISO 20022 ``pain.001.001.09`` (customer credit transfer initiation).

One file per batch: the group header (message id, time made, number of payments and their sum),
one payment instruction (``PmtInf``: credit transfer, the requested execution date, the grantor as
debtor with its account and bank) and one ``CdtTrfTxInf`` per payment (end-to-end id, amount in
NOK, the grantee as creditor with its account, the remittance text). Written with the standard
library's ElementTree; the tests validate it against the official schema (tests/payments/xsd/).

Input is checked where it is made: a :class:`Debtor`, :class:`Payment` or :class:`Batch` that could
not go into a valid file is refused with :class:`~tilskudd.payments.iso20022.common.PaymentFileRefused`,
so a file, once written, is one the bank can read.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from tilskudd.payments.iso20022.common import PaymentFileRefused, field_text, to_iban
from tilskudd.rules.validators import digits_only, is_valid_org_number

__all__ = [
    "MAX_AMOUNT",
    "NAMESPACE",
    "Batch",
    "Debtor",
    "Payment",
    "end_to_end_id",
    "nok_amount",
    "remittance_text",
    "write",
]

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
CURRENCY = "NOK"
#: The largest amount of one payment, in NOK (the schema's 18 digits hold far more; no grant comes near).
MAX_AMOUNT = 999_999_999_999
NAME_LENGTH = 70  # the SEPA and Norwegian banks' limit for a party's name (the schema allows 140)
REMITTANCE_LENGTH = 140  # Ustrd, Max140Text
ID_LENGTH = 35  # MsgId, EndToEndId: Max35Text
#: Letters, digits and + ? / - : ( ) . , ' and space: the identifier set every bank passes on unchanged.
_IDENTIFIER = re.compile(r"[A-Za-z0-9+?/\-:().,' ]{1,35}")
_BIC = re.compile(r"[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")


def _identifier(value: str, what_nb: str, what_en: str) -> str:
    if not value or len(value) > ID_LENGTH:
        raise PaymentFileRefused(
            f"{what_nb} må ha 1–{ID_LENGTH} tegn; {value!r} har {len(value or '')}.",
            f"{what_en} must have 1–{ID_LENGTH} characters; {value!r} has {len(value or '')}.",
        )
    if not _IDENTIFIER.fullmatch(value) or value != value.strip() or value.startswith("/") or "//" in value:
        raise PaymentFileRefused(
            f"{what_nb} {value!r} kan bare ha bokstavene A–Z, sifre og + ? / - : ( ) . , ' og mellomrom "
            "(ikke mellomrom først eller sist, ikke / først, ikke //).",
            f"{what_en} {value!r} may only have the letters A–Z, digits and + ? / - : ( ) . , ' and spaces "
            "(no space first or last, no / first, no //).",
        )
    return value


def end_to_end_id(case_number: str, term: str | int) -> str:
    """The end-to-end id of a payment: case number and term, «2026-000123-T1» (refused past 35 characters)."""
    label = f"T{term}" if isinstance(term, int) else str(term)
    return _identifier(f"{case_number}-{label}", "Ende-til-ende-id-en", "The end-to-end id")


def remittance_text(case_number: str, term: str | int, grant_title: str) -> str:
    """The message to the grantee (Ustrd): case number, term and the grant's title, cut to 140 characters."""
    label = f"T{term}" if isinstance(term, int) else str(term)
    return field_text(
        f"{case_number} {label} {grant_title}", REMITTANCE_LENGTH, "Meldingen", "The remittance text", shorten=True
    )


def nok_amount(amount: int) -> str:
    """123456 → «123456.00»: whole kroner as the schema's decimal, without a thousands separator."""
    return f"{amount}.00"


def _whole_nok(amount: object, what_nb: str, what_en: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PaymentFileRefused(
            f"{what_nb} må være hele kroner (et heltall), ikke {amount!r}.",
            f"{what_en} must be whole kroner (an integer), not {amount!r}.",
        )
    if amount <= 0:
        raise PaymentFileRefused(
            f"{what_nb} må være større enn 0 kr; det er {amount} kr.",
            f"{what_en} must be more than NOK 0; it is NOK {amount}.",
        )
    if amount > MAX_AMOUNT:
        raise PaymentFileRefused(
            f"{what_nb} er {amount} kr; høyst {MAX_AMOUNT} kr kan stå i én betaling.",
            f"{what_en} is NOK {amount}; at most NOK {MAX_AMOUNT} can be in one payment.",
        )
    return amount


@dataclass(frozen=True)
class Debtor:
    """Who pays: the grantor, with its organisation number and the account the grants are paid from."""

    name: str
    org_number: str
    account: str  #: a Norwegian account number (11 digits) or an IBAN
    bic: str = ""  #: the bank's BIC; without it the file says NOTPROVIDED and the bank finds it from the IBAN

    def __post_init__(self) -> None:
        field_text(self.name, NAME_LENGTH, "Avsenderens navn", "The debtor's name", shorten=True)
        if not is_valid_org_number(digits_only(self.org_number)):
            raise PaymentFileRefused(
                f"Avsenderens organisasjonsnummer {self.org_number!r} er ikke gyldig (9 siffer med kontrollsiffer).",
                f"The debtor's organisation number {self.org_number!r} is not valid (9 digits with a check digit).",
            )
        to_iban(self.account, whose_nb="Avsenderens kontonummer", whose_en="The debtor's account number")
        if self.bic and not _BIC.fullmatch(self.bic):
            raise PaymentFileRefused(
                f"Avsenderens BIC {self.bic!r} er ikke gyldig (8 eller 11 tegn, som DNBANOKK).",
                f"The debtor's BIC {self.bic!r} is not valid (8 or 11 characters, such as DNBANOKK).",
            )

    @property
    def iban(self) -> str:
        return to_iban(self.account)

    @property
    def name_in_file(self) -> str:
        return field_text(self.name, NAME_LENGTH, "Avsenderens navn", "The debtor's name", shorten=True)


@dataclass(frozen=True)
class Payment:
    """One payment to one grantee: the end-to-end id that comes back from the bank, and the amount in whole NOK."""

    end_to_end_id: str  #: case number and term, «2026-000123-T1» (see :func:`end_to_end_id`)
    amount: int  #: whole NOK
    creditor_name: str  #: cut to 70 characters at a word boundary in the file
    creditor_account: str  #: a Norwegian account number (11 digits) or an IBAN
    remittance: str = ""  #: the message to the grantee, cut to 140 characters (see :func:`remittance_text`)

    def __post_init__(self) -> None:
        _identifier(self.end_to_end_id, "Ende-til-ende-id-en", "The end-to-end id")
        _whole_nok(
            self.amount,
            f"Beløpet i betalingen {self.end_to_end_id}",
            f"The amount of payment {self.end_to_end_id}",
        )
        self.creditor_name_in_file  # noqa: B018 - checks the name now, not when the file is written
        self.remittance_in_file  # noqa: B018
        to_iban(
            self.creditor_account,
            whose_nb=f"Mottakerens kontonummer i betalingen {self.end_to_end_id}",
            whose_en=f"The creditor's account number in payment {self.end_to_end_id}",
        )

    @property
    def creditor_iban(self) -> str:
        return to_iban(self.creditor_account)

    @property
    def creditor_name_in_file(self) -> str:
        return field_text(
            self.creditor_name,
            NAME_LENGTH,
            f"Mottakerens navn i betalingen {self.end_to_end_id}",
            f"The creditor's name in payment {self.end_to_end_id}",
            shorten=True,
        )

    @property
    def remittance_in_file(self) -> str:
        return field_text(
            self.remittance,
            REMITTANCE_LENGTH,
            f"Meldingen i betalingen {self.end_to_end_id}",
            f"The remittance text of payment {self.end_to_end_id}",
            shorten=True,
            required=False,
        )


@dataclass(frozen=True)
class Batch:
    """The payments sent to the bank together (*bunt*): one file, one debit date, one account to pay from."""

    message_id: str  #: unique per file (the bank refuses a message id it has seen)
    created_at: dt.datetime  #: when the file was made; aware (stored UTC)
    execution_date: dt.date  #: the date the bank is asked to pay
    debtor: Debtor
    payments: tuple[Payment, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "payments", tuple(self.payments))
        _identifier(self.message_id, "Meldings-id-en", "The message id")
        if not isinstance(self.created_at, dt.datetime) or self.created_at.utcoffset() is None:
            raise PaymentFileRefused(
                "Tidspunktet bunten ble laget må ha tidssone (lagres i UTC).",
                "The time the batch was made must have a time zone (stored in UTC).",
            )
        if isinstance(self.execution_date, dt.datetime) or not isinstance(self.execution_date, dt.date):
            raise PaymentFileRefused("Betalingsdatoen må være en dato.", "The requested execution date must be a date.")
        if not self.payments:
            raise PaymentFileRefused(
                "Bunten har ingen betalinger; en tom betalingsfil lages ikke.",
                "The batch has no payments; an empty payment file is not made.",
            )
        seen: dict[str, str] = {}
        for payment in self.payments:
            key = payment.end_to_end_id.casefold()
            if key in seen:
                raise PaymentFileRefused(
                    f"Ende-til-ende-id-en {payment.end_to_end_id} står to ganger i bunten; "
                    "hver betaling må kunne kjennes igjen når banken melder den betalt.",
                    f"The end-to-end id {payment.end_to_end_id} is in the batch twice; "
                    "each payment must be known again when the bank reports it paid.",
                )
            seen[key] = payment.end_to_end_id

    @property
    def count(self) -> int:
        return len(self.payments)

    @property
    def total(self) -> int:
        """The sum of the payments in whole NOK (the file's CtrlSum)."""
        return sum(payment.amount for payment in self.payments)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _path(parent: ET.Element, tags: Iterable[str], text: str | None = None) -> ET.Element:
    """``_path(p, ["Id", "IBAN"], x)``: the nested elements, the last with the text."""
    element = parent
    for tag in tags:
        element = _sub(element, tag)
    element.text = text
    return element


def _party(parent: ET.Element, tag: str, name: str, org_number: str | None = None) -> None:
    party = _sub(parent, tag)
    _sub(party, "Nm", name)
    if org_number:
        other = _path(party, ["Id", "OrgId", "Othr"])
        _sub(other, "Id", digits_only(org_number))
        _path(other, ["SchmeNm", "Cd"], "CUST")


def _utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def document(batch: Batch) -> ET.Element:
    """The ``Document`` element of the batch's pain.001.001.09 file (for writing: its tags are not qualified)."""
    debtor = batch.debtor
    # Plain tags under a default xmlns (ElementTree's default_namespace will not take the plain Ccy attribute).
    root = ET.Element("Document", {"xmlns": NAMESPACE})
    initiation = _sub(root, "CstmrCdtTrfInitn")

    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", batch.message_id)
    _sub(header, "CreDtTm", _utc_iso(batch.created_at))
    _sub(header, "NbOfTxs", str(batch.count))
    _sub(header, "CtrlSum", nok_amount(batch.total))
    _party(header, "InitgPty", debtor.name_in_file, debtor.org_number)

    instruction = _sub(initiation, "PmtInf")
    _sub(instruction, "PmtInfId", batch.message_id)
    _sub(instruction, "PmtMtd", "TRF")
    _sub(instruction, "BtchBookg", "false")  # one booking per payment: each comes back on its own in camt.054
    _sub(instruction, "NbOfTxs", str(batch.count))
    _sub(instruction, "CtrlSum", nok_amount(batch.total))
    _path(instruction, ["ReqdExctnDt", "Dt"], batch.execution_date.isoformat())
    _party(instruction, "Dbtr", debtor.name_in_file, debtor.org_number)
    account = _sub(instruction, "DbtrAcct")
    _path(account, ["Id", "IBAN"], debtor.iban)
    _sub(account, "Ccy", CURRENCY)
    institution = _path(instruction, ["DbtrAgt", "FinInstnId"])
    if debtor.bic:
        _sub(institution, "BICFI", debtor.bic)
    else:
        _path(institution, ["Othr", "Id"], "NOTPROVIDED")

    for payment in batch.payments:
        transaction = _sub(instruction, "CdtTrfTxInf")
        identification = _sub(transaction, "PmtId")
        _sub(identification, "InstrId", payment.end_to_end_id)
        _sub(identification, "EndToEndId", payment.end_to_end_id)
        _path(_sub(transaction, "Amt"), ["InstdAmt"], nok_amount(payment.amount)).set("Ccy", CURRENCY)
        _party(transaction, "Cdtr", payment.creditor_name_in_file)
        _path(_sub(transaction, "CdtrAcct"), ["Id", "IBAN"], payment.creditor_iban)
        if payment.remittance_in_file:
            _path(transaction, ["RmtInf", "Ustrd"], payment.remittance_in_file)
    return root


def write(batch: Batch) -> bytes:
    """The batch as a pain.001.001.09 file: UTF-8 XML with its declaration, indented."""
    root = document(batch)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body.encode("utf-8") + b"\n"
