"""ISO 20022 files for the bank, with the standard library and no Django.

* :mod:`~tilskudd.payments.iso20022.pain001` writes a batch of payments as ``pain.001.001.09``
  (customer credit transfer initiation), the file the accounting system sends to the bank.
* :mod:`~tilskudd.payments.iso20022.camt054` reads the bank's ``camt.054`` (debit/credit notification,
  versions .08 and .02): which payments were booked, by end-to-end id, and the money booked in (repayments),
  with the payer's KID and message.
* :mod:`~tilskudd.payments.iso20022.csv_export` writes the same batch as CSV, for systems that want it.

Every «this file cannot be made or read» is a :class:`~tilskudd.payments.iso20022.common.PaymentFileRefused`
(a :class:`~tilskudd.core.refusals.Refusal`) with its reason in bokmål and English.
"""
