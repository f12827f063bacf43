"""Payment batches and orders (*betalingsoppdrag*, *betalingsordre*), issue #11 point 4.

* :class:`PaymentBatch`: the due terms of one grantor a caseworker prepares together and another person
  approves (four eyes); one pain.001 file for the bank, with a message id fixed for the batch. The debtor
  (the grantor's account from ``settings.PAYMENT_DEBTORS``) is kept on the batch at its first export, so
  every later download is the same bytes.
* :class:`PaymentOrder`: one term of a grant in a batch, with what the file says (amount, creditor, end-to-end
  id = case number and term) and how it was recorded paid (by hand or from the bank's camt.054).
  A term is in at most one live order: an order stops being live when its batch is returned.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.payments.states import BatchStatus


class PaymentBatch(models.Model):
    grantor_org_number = models.CharField(max_length=9)
    status = models.CharField(max_length=20, choices=BatchStatus.choices, default=BatchStatus.PREPARED)
    #: The pain.001 message id (GrpHdr/MsgId): unique, fixed for the batch (the bank refuses one it has seen).
    message_id = models.CharField(max_length=35, unique=True)
    #: The day the bank is asked to pay (ReqdExctnDt).
    execution_date = models.DateField()
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    #: Who pays, as at the first export ({name, org_number, account, bic}): later downloads use it unchanged.
    debtor = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = "betalingsoppdrag"
        verbose_name_plural = "betalingsoppdrag"

    def __str__(self) -> str:
        return f"Betalingsoppdrag {self.message_id}"


class PaymentOrder(models.Model):
    class Via(models.TextChoices):
        MANUAL = "manual", "Registrert for hånd"
        CAMT054 = "camt054", "Fra bankens camt.054"

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="orders")
    term = models.ForeignKey("grants.PaymentTerm", on_delete=models.PROTECT, related_name="payment_orders")
    amount = models.BigIntegerField("beløp (NOK)")
    creditor_name = models.CharField(max_length=200)
    #: The grantee's account as an IBAN (checked with ``iso20022.common.to_iban`` when the order was made).
    creditor_account = models.CharField(max_length=34)
    end_to_end_id = models.CharField(max_length=35)
    remittance = models.CharField(max_length=140, blank=True)
    #: False once the batch is returned: the term may then be ordered again in another batch.
    live = models.BooleanField(default=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_via = models.CharField(max_length=10, choices=Via.choices, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The bank's reference of the booking (AcctSvcrRef), or what the person recorded by hand.
    bank_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["batch", "end_to_end_id"]
        constraints = [
            models.UniqueConstraint(fields=["term"], condition=models.Q(live=True), name="one_live_order_per_term"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="order_amount_positive"),
        ]

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None
