"""The same batch as CSV, for an accounting system that reads CSV rather than pain.001.

One row per payment, with the figures of the pain.001 file: the same end-to-end id, the creditor's
name as it stands in the file (cut to 70 characters), the account as IBAN and as written in Norway,
the amount in NOK with two decimals, the message, the execution date and the account paid from.
As the call overview's CSV: UTF-8 with a byte order mark, «;» between fields and a decimal comma,
which Norwegian Excel opens without asking; a text that a spreadsheet would take for a formula
gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from tilskudd.payments.iso20022.common import format_bban
from tilskudd.payments.iso20022.pain001 import Batch

__all__ = ["HEADINGS", "write"]

HEADINGS = (
    "Meldings-id",
    "Ende-til-ende-id",
    "Mottaker",
    "Mottakers kontonummer",
    "Mottakers IBAN",
    "Beløp (NOK)",
    "Valuta",
    "Melding",
    "Betalingsdato",
    "Fra konto (IBAN)",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _amount(amount: int) -> str:
    return f"{amount},00"


def rows(batch: Batch) -> list[list[str]]:
    """The rows under the headings, as text."""
    debtor_iban = batch.debtor.iban
    return [
        [
            _cell(batch.message_id),
            _cell(payment.end_to_end_id),
            _cell(payment.creditor_name_in_file),
            format_bban(payment.creditor_iban),
            payment.creditor_iban,
            _amount(payment.amount),
            "NOK",
            _cell(payment.remittance_in_file),
            batch.execution_date.isoformat(),
            debtor_iban,
        ]
        for payment in batch.payments
    ]


def write(batch: Batch) -> bytes:
    """The batch as CSV bytes (UTF-8 with BOM, «;», CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows(batch))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
