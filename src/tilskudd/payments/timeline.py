"""The payments' part of the grant's timeline (issue #11, point 7): per term, approved for payment and sent to the bank.

Registered with ``grants.awards.timeline.register`` in ``PaymentsConfig.ready`` (grants never imports payments).
Both entries are public: the grantee sees when a term was approved and when it went to the bank.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from tilskudd.core.formatting import format_nok
from tilskudd.grants.awards.timeline import Entry
from tilskudd.grants.models import Grant
from tilskudd.payments.models import PaymentOrder


def payment_entries(grant: Grant, for_applicant: bool) -> Iterable[Entry]:
    orders = PaymentOrder.objects.filter(term__grant=grant, live=True).select_related("batch", "term")
    for order in orders.order_by("term__number"):
        batch, number = order.batch, order.term.number
        nb_amount, en_amount = format_nok(order.amount, "nb"), format_nok(order.amount, "en")
        if batch.approved_at:
            yield Entry(
                timezone.localtime(batch.approved_at).date(),
                f"Termin {number} ({nb_amount}) er godkjent for utbetaling",
                f"Term {number} ({en_amount}) approved for payment",
                at=batch.approved_at,
            )
        if batch.exported_at:
            yield Entry(
                timezone.localtime(batch.exported_at).date(),
                f"Termin {number} ({nb_amount}) er sendt til banken",
                f"Term {number} ({en_amount}) sent to the bank",
                at=batch.exported_at,
            )
