"""The batch as CSV: Norwegian headings, one row per payment, the same figures as the pain.001 file."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

from tests.payments.conftest import batch_of
from tilskudd.payments.iso20022 import csv_export, pain001
from tilskudd.payments.iso20022.pain001 import Payment

NS = {"p": pain001.NAMESPACE}


def table(document: bytes) -> list[dict[str, str]]:
    assert document.startswith("\ufeff".encode())  # the byte order mark Norwegian Excel needs for UTF-8
    text = document.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_csv_has_bokmal_headings_and_a_row_per_payment(batch):
    rows = table(csv_export.write(batch))

    assert list(rows[0]) == list(csv_export.HEADINGS)
    assert len(rows) == batch.count == 3
    assert rows[0] == {
        "Meldings-id": "IMDI-2026-12-02-001",
        "Ende-til-ende-id": "2026-000123-T1",
        "Mottaker": "Foreningen Æ, Ø & Å <Tromsø>",
        "Mottakers kontonummer": "1234 56 78903",
        "Mottakers IBAN": "NO7112345678903",
        "Beløp (NOK)": "150000,00",
        "Valuta": "NOK",
        "Melding": "2026-000123 T1 Tilskudd til integreringsarbeid i frivillige organisasjoner",
        "Betalingsdato": "2026-12-04",
        "Fra konto (IBAN)": "NO9386011117947",
    }


def test_the_csv_has_the_same_figures_as_the_pain_001_file(batch):
    rows = table(csv_export.write(batch))
    transactions = ET.fromstring(pain001.write(batch)).findall(".//p:CdtTrfTxInf", NS)

    assert [row["Ende-til-ende-id"] for row in rows] == [
        transaction.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for transaction in transactions
    ]
    assert [Decimal(row["Beløp (NOK)"].replace(",", ".")) for row in rows] == [
        Decimal(transaction.findtext("p:Amt/p:InstdAmt", namespaces=NS) or "") for transaction in transactions
    ]
    assert [row["Mottakers IBAN"] for row in rows] == [
        transaction.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) for transaction in transactions
    ]
    assert sum(Decimal(row["Beløp (NOK)"].replace(",", ".")) for row in rows) == batch.total


def test_a_name_a_spreadsheet_would_take_for_a_formula_is_written_as_text():
    risky = Payment("2026-000300-T1", 100, '=HYPERLINK("http://x";"Klikk")', "86011117947", "@SUM(A1)")
    rows = table(csv_export.write(batch_of([risky])))

    assert rows[0]["Mottaker"] == '\'=HYPERLINK("http://x";"Klikk")'
    assert rows[0]["Melding"] == "'@SUM(A1)"
