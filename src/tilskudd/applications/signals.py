"""Signals other apps listen to. Sent inside the transaction that made the change."""

from django.dispatch import Signal

#: Sent with ``application`` when it is submitted (first time or after completion).
application_submitted = Signal()
