"""The official ISO 20022 schemas (tests/payments/xsd/, see its README), loaded once, and a batch to pay."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema

from tilskudd.payments.iso20022 import pain001
from tilskudd.payments.iso20022.pain001 import Batch, Debtor, Payment

XSD = Path(__file__).resolve().parent / "xsd"
CAMT054_08 = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"


@functools.cache
def schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD / f"{name}.xsd"))


def assert_valid(name: str, document: bytes) -> None:
    """Fails with the schema's own words (the path and the rule broken) when ``document`` is not valid."""
    errors = [f"{error.path}: {error.reason}" for error in schema(name).iter_errors(document.decode("utf-8"))]
    assert errors == [], "\n".join(errors)


# Real account numbers' shape, check digits computed: 8601 11 17947 is the usual textbook example.
GRANTOR = Debtor(
    name="Integrerings- og mangfoldsdirektoratet",
    org_number="974 760 843",
    account="8601 11 17947",
    bic="DNBANOKK",
)


def three_payments() -> list[Payment]:
    return [
        Payment(
            end_to_end_id=pain001.end_to_end_id("2026-000123", 1),
            amount=150_000,
            creditor_name="Foreningen Æ, Ø & Å <Tromsø>",
            creditor_account="1234.56.78903",
            remittance=pain001.remittance_text(
                "2026-000123", 1, "Tilskudd til integreringsarbeid i frivillige organisasjoner"
            ),
        ),
        Payment(
            end_to_end_id=pain001.end_to_end_id("2026-000124", 2),
            amount=75_500,
            creditor_name="Bergen kommune",
            creditor_account="NO93 8601 1117 947",
            remittance=pain001.remittance_text("2026-000124", 2, "Kommunale integreringstiltak"),
        ),
        Payment(
            end_to_end_id=pain001.end_to_end_id("2026-000125", 1),
            amount=1,
            creditor_name="Stiftelsen Mangfold mot rasisme",
            creditor_account="9710 05 12347",
        ),
    ]


def batch_of(payments: list[Payment], message_id: str = "IMDI-2026-12-02-001") -> Batch:
    return Batch(
        message_id=message_id,
        created_at=dt.datetime(2026, 12, 2, 9, 30, 15, tzinfo=dt.UTC),
        execution_date=dt.date(2026, 12, 4),
        debtor=GRANTOR,
        payments=payments,
    )


@pytest.fixture
def batch() -> Batch:
    return batch_of(three_payments())


def decimal(text: str | None) -> Decimal:
    assert text is not None
    return Decimal(text)
