"""At once on PostgreSQL: a term goes into one batch only, and the bank's file read twice pays once (row locks)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from tests.payments.payment_helpers import accepted_grant, imdi_c2
from tests.payments.test_camt054 import camt_from
from tilskudd.audit.models import AuditEvent
from tilskudd.payments import services
from tilskudd.payments.models import PaymentOrder


def _at_once(*calls) -> list[str]:
    """Run each call in its own thread and connection, started together; what each gave ('ok' or the refusal's class)."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            start.wait(timeout=10)
            result = call()
            outcomes.append(result if isinstance(result, str) else "ok")
        except services.PaymentRefused as refusal:
            outcomes.append(type(refusal).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_ordering_the_same_term_at_once_make_one_order_and_one_import_twice_pays_once(
    fresh_casework_world, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SELECT … FOR UPDATE row locks); run with DATABASE_URL=postgres://…")
    world, imdi = fresh_casework_world, fresh_casework_world.imdi.org_number
    today = timezone.localdate()
    grant = accepted_grant(world, imdi_c2(world), 20_000, today - dt.timedelta(days=1))
    term = grant.terms.get()

    # Widen the window between reading the term and writing the order, so that without the row lock
    # both would pass the «is it due?» check.
    real_order_for = services._order_for

    def slow_order_for(found):
        time.sleep(0.3)
        return real_order_for(found)

    monkeypatch.setattr(services, "_order_for", slow_order_for)
    caseworker = world.staff["caseworker"]
    outcomes = _at_once(
        lambda: services.prepare_batch(caseworker, imdi, [term.pk], today),
        lambda: services.prepare_batch(caseworker, imdi, [term.pk], today),
    )
    assert outcomes == ["PaymentRefused", "ok"]
    assert PaymentOrder.objects.filter(term=term, live=True).count() == 1

    batch = PaymentOrder.objects.get(term=term).batch
    services.approve_batch(world.staff["approver"], batch.pk)
    camt = camt_from(services.export_pain001(world.staff["approver"], batch.pk), today)
    reports: list = []

    def read():
        reports.append(services.import_camt054(caseworker, imdi, camt))
        return "ok"

    assert _at_once(read, read) == ["ok", "ok"]
    assert sorted(line.outcome for report in reports for line in report.lines) == ["already_paid", "paid"]
    paid = AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk), action="payment_term.paid")
    assert paid.count() == 1
