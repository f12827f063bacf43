"""At once on PostgreSQL: the bank's file with part repayments imported twice at the same moment records each credit
once (the claim's row lock, then the payment row unique on the grantor and the bank's reference)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection

from tests.payments.test_batches_pg import _at_once
from tests.payments.test_camt_repayments import Credit, camt, imported, sent_claim
from tilskudd.audit.models import AuditEvent
from tilskudd.reports import repayment
from tilskudd.reports.models import RepaymentPayment
from tilskudd.reports.states import ClaimStatus


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_file_with_part_repayments_imported_twice_at_once_records_each_credit_once(
    fresh_casework_world, freeze_now, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SELECT … FOR UPDATE row locks); run with DATABASE_URL=postgres://…")
    claim, staff = sent_claim(fresh_casework_world, freeze_now)
    data = camt(
        Credit("5000.00", kid=claim.reference),
        Credit("3000.00", kid=claim.reference, transaction_reference="ARK-77"),
    )
    # Widen the window between looking for the credit's payment row and writing it, so that without the claim's row
    # lock both imports would find none and record each credit twice (or the second would fail on the constraint).
    real_record_payment = repayment._record_payment

    def slow_record_payment(*args, **kwargs):
        time.sleep(0.3)
        return real_record_payment(*args, **kwargs)

    monkeypatch.setattr(repayment, "_record_payment", slow_record_payment)
    reports: list = []

    def read():
        reports.append(imported(staff, claim, data))
        return "ok"

    assert _at_once(read, read) == ["ok", "ok"]

    outcomes = sorted(tuple(line.outcome for line in report.lines) for report in reports)
    assert outcomes == [("already_paid", "already_paid"), ("paid", "paid")]
    claim.refresh_from_db()
    assert (claim.status, claim.paid_amount) == (ClaimStatus.SENT, 8_000)
    assert sorted(RepaymentPayment.objects.filter(claim=claim).values_list("bank_reference", "amount")) == [
        ("ARK-77", 3_000),
        ("INN-1", 5_000),
    ]
    assert AuditEvent.objects.filter(subject_id=str(claim.pk), action="repayment.paid").count() == 2
    assert claim.payments.get(bank_reference="INN-1").paid_on == dt.date(2021, 4, 19)
