"""camt.054.001.08 notifications built in the tests, as the grantor's bank could send them: the document with
one notification, and a booked entry with its one transaction's details (test_camt054.py's round trip from a
written pain.001, test_camt_repayments.py's credits with a KID)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from tests.payments.conftest import CAMT054_08


def notification(
    message_id: str, notification_id: str, iban: str | None, booked_on: dt.date
) -> tuple[ET.Element, ET.Element]:
    """A camt.054.001.08 document and its one (still empty) notification of the account ``iban``."""
    document = ET.Element("Document", {"xmlns": CAMT054_08})
    message = ET.SubElement(document, "BkToCstmrDbtCdtNtfctn")
    header = ET.SubElement(message, "GrpHdr")
    ET.SubElement(header, "MsgId").text = message_id
    ET.SubElement(header, "CreDtTm").text = f"{booked_on.isoformat()}T18:00:00+01:00"
    notified = ET.SubElement(message, "Ntfctn")
    ET.SubElement(notified, "Id").text = notification_id
    ET.SubElement(ET.SubElement(ET.SubElement(notified, "Acct"), "Id"), "IBAN").text = iban
    return document, notified


def entry(
    notified: ET.Element,
    *,
    amount: str | None,
    currency: str,
    indicator: str,
    status: str,
    booked_on: dt.date,
    reference: str,
    family: str,
    end_to_end_id: str | None,
    transaction_reference: str = "",
) -> ET.Element:
    """Adds an entry (``indicator`` DBIT or CRDT, bank transaction family ICDT or RCDT) to the notification and
    gives back its transaction's details, with the end-to-end id (and the bank's own reference of the transaction,
    ``transaction_reference``, where given), for the caller to add to. ``reference`` "" leaves out the entry's."""
    added = ET.SubElement(notified, "Ntry")
    ET.SubElement(added, "Amt", {"Ccy": currency}).text = amount
    ET.SubElement(added, "CdtDbtInd").text = indicator
    ET.SubElement(ET.SubElement(added, "Sts"), "Cd").text = status
    ET.SubElement(ET.SubElement(added, "BookgDt"), "Dt").text = booked_on.isoformat()
    if reference:
        ET.SubElement(added, "AcctSvcrRef").text = reference
    domain = ET.SubElement(ET.SubElement(added, "BkTxCd"), "Domn")
    ET.SubElement(domain, "Cd").text = "PMNT"
    transaction_family = ET.SubElement(domain, "Fmly")
    ET.SubElement(transaction_family, "Cd").text = family
    ET.SubElement(transaction_family, "SubFmlyCd").text = "DMCT"
    details = ET.SubElement(ET.SubElement(added, "NtryDtls"), "TxDtls")
    references = ET.SubElement(details, "Refs")
    if transaction_reference:
        ET.SubElement(references, "AcctSvcrRef").text = transaction_reference
    ET.SubElement(references, "EndToEndId").text = end_to_end_id
    return details


def as_bytes(document: ET.Element) -> bytes:
    return ET.tostring(document, encoding="utf-8", xml_declaration=True)
