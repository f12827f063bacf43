"""The bank's debit/credit notification, ISO 20022 ``camt.054`` (versions .08 and .02): what was booked.

:func:`read` gives one :class:`BookedPayment` per booked payment out of the account: an entry
(``Ntry``) with status BOOK and CdtDbtInd DBIT, not a reversal, and for each of its transactions
(``NtryDtls/TxDtls``) with an end-to-end id, that id, the amount and the booking date. Entries
pending (PDNG) or for information (INFO), money in (CRDT), reversals and transactions without an
end-to-end id (or with «NOTPROVIDED») are left out: they are not payments this system ordered.

:func:`read_credits` gives one :class:`BookedCredit` per booked transaction *into* the account (CdtDbtInd
CRDT, not a reversal) with the payer's structured reference (``RmtInf/Strd/CdtrRefInf/Ref``, where a Norwegian
bank puts the KID) and free-text message (``RmtInf/Ustrd``): the grantees' repayments are matched on them.
Each credit's ``bank_id`` (the bank's transaction reference, else its entry reference and place in the entry)
is what a repayment recorded from it is stored under, so the same credit in a second file is known again.

Amounts are kept exactly, in øre (``amount_ore``): 1500.00 is 150000. A payment order is in whole
kroner, so a booking with øre will not match its order, and the matching says so; refusing the
whole file for it would hide the other payments in it. A payment out in another currency than NOK, or
with more than two decimals that are not zero, makes the file unreadable; such a credit (money in) is set
aside as an :class:`UnreadableCredit` with why, and the rest of the file is read
(:func:`read_credits_with_unreadable`).

The file is parsed with expat straight into an ElementTree, and refused at the first sign of a
document type declaration (DOCTYPE), an entity declaration or an external entity, before any of it
is expanded: no billion laughs, no external files. A file over :data:`MAX_BYTES` is not parsed.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NoReturn
from zoneinfo import ZoneInfo

from tilskudd.payments.iso20022.common import BankFileRefused

__all__ = [
    "MAX_BYTES",
    "NAMESPACES",
    "BookedCredit",
    "BookedPayment",
    "UnreadableCredit",
    "parse",
    "read",
    "read_credits",
    "read_credits_with_unreadable",
]

NAMESPACES = {
    "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08": "camt.054.001.08",
    "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02": "camt.054.001.02",
}
#: The largest file read (a year of daily notifications for a grantor is far less).
MAX_BYTES = 20 * 1024 * 1024
CURRENCY = "NOK"
OSLO = ZoneInfo("Europe/Oslo")
_AMOUNT = re.compile(r"[0-9]{1,18}(\.[0-9]{1,5})?")


@dataclass(frozen=True)
class BookedPayment:
    """One payment the bank has booked out of the account."""

    end_to_end_id: str
    amount_ore: int  #: the booked amount in øre, exactly (1500.00 NOK is 150000)
    booking_date: dt.date | None  #: the date the bank booked it (Europe/Oslo), None when the file does not say
    status: str = "BOOK"
    account_servicer_reference: str = ""  #: the bank's reference of the entry (AcctSvcrRef), for the audit

    @property
    def whole_kroner(self) -> int | None:
        """The amount in whole kroner, or None when it has øre (it cannot then match a payment order)."""
        kroner, ore = divmod(self.amount_ore, 100)
        return kroner if ore == 0 else None


def _refuse_declaration(*_args: object) -> NoReturn:
    raise BankFileRefused(
        "Filen fra banken har en dokumenttypedeklarasjon (DOCTYPE) eller en entitet. "
        "Slike filer leses ikke: de kan få et system til å lese andre filer eller bruke opp minnet.",
        "The file from the bank has a document type declaration (DOCTYPE) or an entity. "
        "Such files are not read: they can make a system read other files or use up its memory.",
    )


def _qualified(name: str) -> str:
    """expat's «namespace}local» → ElementTree's «{namespace}local»."""
    return "{" + name if "}" in name else name


def parse(data: bytes) -> ET.Element:
    """The root element of an XML file, parsed without DTDs or entities (refused at the first sight of one)."""
    if not isinstance(data, bytes | bytearray):
        raise BankFileRefused("Filen fra banken må leses som bytes.", "The file from the bank must be read as bytes.")
    if len(data) > MAX_BYTES:
        raise BankFileRefused(
            f"Filen fra banken er {len(data)} byte; høyst {MAX_BYTES} leses.",
            f"The file from the bank is {len(data)} bytes; at most {MAX_BYTES} are read.",
        )
    builder = ET.TreeBuilder()
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.UnparsedEntityDeclHandler = _refuse_declaration
    parser.ExternalEntityRefHandler = _refuse_declaration
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartElementHandler = lambda name, attributes: builder.start(
        _qualified(name), {_qualified(key): value for key, value in attributes.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(bytes(data), True)
        return builder.close()
    except xml.parsers.expat.ExpatError as error:
        raise BankFileRefused(
            f"Filen fra banken er ikke gyldig XML (linje {error.lineno}, kolonne {error.offset}).",
            f"The file from the bank is not well-formed XML (line {error.lineno}, column {error.offset}).",
        ) from error


def _amount_problem(element: ET.Element | None) -> tuple[str, str] | None:
    """Why the amount cannot be taken exactly (bokmål, English; no place named), or None when it can."""
    if element is None:
        return "Beløpet mangler", "The amount is missing"
    currency = element.get("Ccy", "")
    if currency != CURRENCY:
        return (
            f"Beløpet er i {currency or 'ukjent valuta'}; bare NOK leses",
            f"The amount is in {currency or 'an unknown currency'}; only NOK is read",
        )
    text = (element.text or "").strip()
    try:
        if not _AMOUNT.fullmatch(text):
            raise InvalidOperation
        hundredths = Decimal(text) * 100
    except InvalidOperation:
        return f"Beløpet {text!r} er ikke et beløp", f"The amount {text!r} is not an amount"
    if hundredths != hundredths.to_integral_value():
        return f"Beløpet {text} har brøkdeler av øre", f"The amount {text} has fractions of an øre"
    return None


def _ore(element: ET.Element | None, where_nb: str, where_en: str) -> int:
    problem = _amount_problem(element)
    if problem is not None or element is None:
        nb, en = problem or ("Beløpet mangler", "The amount is missing")
        raise BankFileRefused(f"{nb} ({where_nb}).", f"{en} ({where_en}).")
    return int(Decimal((element.text or "").strip()) * 100)


def _date(element: ET.Element | None, ns: str) -> dt.date | None:
    if element is None:
        return None
    day = element.findtext(f"{{{ns}}}Dt")
    moment = element.findtext(f"{{{ns}}}DtTm")
    try:
        if day:
            return dt.date.fromisoformat(day.strip())
        if moment:
            parsed = dt.datetime.fromisoformat(moment.strip())
            return parsed.astimezone(OSLO).date() if parsed.utcoffset() is not None else parsed.date()
    except ValueError:
        raise BankFileRefused(
            f"Bokføringsdatoen {(day or moment or '').strip()!r} er ikke en dato.",
            f"The booking date {(day or moment or '').strip()!r} is not a date.",
        ) from None
    return None


def _booked_entries(data: bytes, indicator: str):
    """(number, entry, q) for each booked entry with CdtDbtInd ``indicator``, not a reversal, in the file's order."""
    root = parse(data)
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if ns not in NAMESPACES or local != "Document":
        raise BankFileRefused(
            f"Filen er ikke en camt.054-melding (versjon .08 eller .02): rotelementet er {root.tag!r}.",
            f"The file is not a camt.054 message (version .08 or .02): its root element is {root.tag!r}.",
        )

    def q(path: str) -> str:
        return "/".join(f"{{{ns}}}{step}" for step in path.split("/"))

    message = root.find(q("BkToCstmrDbtCdtNtfctn"))
    if message is None:
        raise BankFileRefused(
            "Filen har ikke BkToCstmrDbtCdtNtfctn under Document.",
            "The file has no BkToCstmrDbtCdtNtfctn under Document.",
        )
    for number, entry in enumerate(message.iterfind(q("Ntfctn/Ntry")), start=1):
        status_element = entry.find(q("Sts"))
        status = ""
        if status_element is not None:
            status = (status_element.findtext(q("Cd")) or status_element.text or "").strip()
        if status != "BOOK" or (entry.findtext(q("CdtDbtInd")) or "").strip() != indicator:
            continue
        if (entry.findtext(q("RvslInd")) or "").strip().lower() in ("true", "1"):
            continue
        yield number, entry, q, ns


def _amount_of(transaction: ET.Element | None, entry: ET.Element, alone: bool, q) -> ET.Element | None:
    """The transaction's amount, else its AmtDtls' amount, else (for the entry's only transaction) the entry's."""
    amount = None
    if transaction is not None:
        amount = transaction.find(q("Amt"))
        if amount is None:
            amount = transaction.find(q("AmtDtls/TxAmt/Amt"))
    if amount is None and alone:
        amount = entry.find(q("Amt"))
    return amount


def read(data: bytes) -> list[BookedPayment]:
    """The payments booked out of the account in a camt.054.001.08 or .02 file, in the file's order."""
    booked: list[BookedPayment] = []
    for number, entry, q, ns in _booked_entries(data, "DBIT"):
        reference = (entry.findtext(q("AcctSvcrRef")) or "").strip()
        booking_date = _date(entry.find(q("BookgDt")), ns)
        transactions = entry.findall(q("NtryDtls/TxDtls"))
        for transaction in transactions:
            end_to_end = (transaction.findtext(q("Refs/EndToEndId")) or "").strip()
            if not end_to_end or end_to_end == "NOTPROVIDED":
                continue
            where_nb, where_en = f"post {number}, {end_to_end}", f"entry {number}, {end_to_end}"
            amount = _amount_of(transaction, entry, len(transactions) == 1, q)
            booked.append(
                BookedPayment(
                    end_to_end_id=end_to_end,
                    amount_ore=_ore(amount, where_nb, where_en),
                    booking_date=booking_date,
                    status="BOOK",
                    account_servicer_reference=reference,
                )
            )
    return booked


@dataclass(frozen=True)
class BookedCredit:
    """Money booked into the account (CdtDbtInd CRDT): one per transaction, or per entry without details."""

    amount_ore: int  #: exactly, in øre
    booking_date: dt.date | None
    #: The structured creditor reference (RmtInf/Strd/CdtrRefInf/Ref: a KID in Norway), or "".
    reference: str = ""
    #: The free-text message (RmtInf/Ustrd, joined by a space), or "".
    message: str = ""
    account_servicer_reference: str = ""  #: the bank's reference of the entry (Ntry/AcctSvcrRef), or ""
    debtor_name: str = ""
    #: The bank's reference of the transaction itself (TxDtls/Refs/AcctSvcrRef), or "".
    transaction_reference: str = ""
    position: int = 1  #: the transaction's place in its entry, from 1
    of: int = 1  #: how many transactions the entry has

    @property
    def whole_kroner(self) -> int | None:
        kroner, ore = divmod(self.amount_ore, 100)
        return kroner if ore == 0 else None

    @property
    def bank_id(self) -> str:
        """What tells this credit from every other the bank booked, the same in every file that holds it, or "".

        The bank's own reference of the transaction (TxDtls/Refs/AcctSvcrRef) where it gives one; else the entry's
        (Ntry/AcctSvcrRef), followed by «/n» for the n-th of an entry's several transactions. Not the end-to-end id
        (the payer's, often NOTPROVIDED, never unique across payers) nor NtryRef (unique only within one file)."""
        if self.transaction_reference:
            return self.transaction_reference[:100]
        if not self.account_servicer_reference:
            return ""
        suffix = f"/{self.position}" if self.of > 1 else ""
        return self.account_servicer_reference[: 100 - len(suffix)] + suffix


def _debtor_name(transaction: ET.Element, q) -> str:
    for path in ("RltdPties/Dbtr/Pty/Nm", "RltdPties/Dbtr/Nm"):  # .08 wraps the party in Pty, .02 does not
        name = (transaction.findtext(q(path)) or "").strip()
        if name:
            return name
    return ""


@dataclass(frozen=True)
class UnreadableCredit:
    """Money booked into the account that cannot be taken exactly (another currency than NOK, no amount of its
    own in an entry of several, fractions of an øre, a booking date that is not a date): said why, never guessed."""

    text_nb: str  #: «Innbetaling i EUR er ikke lest: bare NOK leses (post 2, innbetaling 1, …); ikke registrert.»
    text_en: str
    reference: str = ""  #: the structured creditor reference (the KID), or ""
    account_servicer_reference: str = ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _unreadable(
    amount: ET.Element | None, alone: bool, date_refused: BankFileRefused | None, where: tuple[str, str]
) -> tuple[str, str] | None:
    """Why a credit cannot be read (bokmål, English, naming where it is), or None when it can."""
    where_nb, where_en = where
    if date_refused is not None:
        why_nb = _lower_first(date_refused.reason("nb").rstrip("."))
        why_en = _lower_first(date_refused.reason("en").rstrip("."))
    elif amount is None and not alone:
        why_nb = "posten har flere innbetalinger uten eget beløp"
        why_en = "the entry has several credits without an amount of their own"
    elif amount is not None and amount.get("Ccy", "") != CURRENCY:
        currency = amount.get("Ccy", "")
        return (
            f"Innbetaling i {currency or 'ukjent valuta'} er ikke lest: bare NOK leses ({where_nb}); ikke registrert.",
            f"Credit in {currency or 'an unknown currency'} not read: only NOK is read ({where_en}); not recorded.",
        )
    else:
        problem = _amount_problem(amount)
        if problem is None:
            return None
        why_nb, why_en = _lower_first(problem[0]), _lower_first(problem[1])
    return (
        f"Innbetaling er ikke lest: {why_nb} ({where_nb}); ikke registrert.",
        f"Credit not read: {why_en} ({where_en}); not recorded.",
    )


def read_credits_with_unreadable(data: bytes) -> tuple[list[BookedCredit], list[UnreadableCredit]]:
    """The money booked into the account (repayments, among others) in a camt.054 file, in the file's order, and
    apart, each credit that cannot be read, with why.

    Each transaction (``NtryDtls/TxDtls``) of a booked credit entry that is not a reversal gives one credit with
    its structured reference (the KID the payer gave) and free-text message; an entry without transactions gives
    one credit with neither. Money out, pending entries and reversals are left out. A credit in another currency
    than NOK, without an amount of its own in an entry of several, with fractions of an øre or under a booking
    date that is not a date is an :class:`UnreadableCredit`: the rest of the file is still read (money in that
    cannot be read must not hide the grantor's own payments out). A file that is not a camt.054 is refused."""
    credits: list[BookedCredit] = []
    unreadable: list[UnreadableCredit] = []
    for number, entry, q, ns in _booked_entries(data, "CRDT"):
        bank_reference = (entry.findtext(q("AcctSvcrRef")) or "").strip()
        date_refused: BankFileRefused | None = None
        try:
            booking_date = _date(entry.find(q("BookgDt")), ns)
        except BankFileRefused as refused:
            booking_date, date_refused = None, refused
        transactions: list[ET.Element | None] = list(entry.findall(q("NtryDtls/TxDtls"))) or [None]
        alone = len(transactions) == 1
        for position, transaction in enumerate(transactions, start=1):
            amount = _amount_of(transaction, entry, alone, q)
            reference = message = debtor = transaction_reference = ""
            if transaction is not None:
                transaction_reference = (transaction.findtext(q("Refs/AcctSvcrRef")) or "").strip()
                reference = " ".join((transaction.findtext(q("RmtInf/Strd/CdtrRefInf/Ref")) or "").split())
                message = " ".join(
                    " ".join((text.text or "").split()) for text in transaction.iterfind(q("RmtInf/Ustrd"))
                ).strip()
                debtor = _debtor_name(transaction, q)
            why = _unreadable(
                amount, alone, date_refused, _credit_where(number, position, reference or message, debtor)
            )
            if why is not None:
                unreadable.append(UnreadableCredit(why[0], why[1], reference, bank_reference))
                continue
            credits.append(
                BookedCredit(
                    amount_ore=_ore(amount, f"post {number}", f"entry {number}"),
                    booking_date=booking_date,
                    reference=reference,
                    message=message,
                    account_servicer_reference=bank_reference,
                    debtor_name=debtor,
                    transaction_reference=transaction_reference,
                    position=position,
                    of=len(transactions),
                )
            )
    return credits, unreadable


def _credit_where(number: int, position: int, said: str, debtor: str) -> tuple[str, str]:
    where_nb, where_en = f"post {number}, innbetaling {position}", f"entry {number}, credit {position}"
    if said:
        where_nb, where_en = f"{where_nb}, merket «{said}»", f"{where_en}, marked '{said}'"
    if debtor:
        where_nb, where_en = f"{where_nb}, fra {debtor}", f"{where_en}, from {debtor}"
    return where_nb, where_en


def read_credits(data: bytes) -> list[BookedCredit]:
    """The credits of :func:`read_credits_with_unreadable`; a file with a credit that cannot be read is refused
    (``BankFileRefused``, saying which and why). The import reads them apart and reports such a credit instead."""
    credits, unreadable = read_credits_with_unreadable(data)
    if unreadable:
        raise BankFileRefused(unreadable[0].text_nb, unreadable[0].text_en)
    return credits
