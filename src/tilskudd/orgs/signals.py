"""The signals orgs sends, for apps above it to answer (the receivers orgs itself connects are in
:mod:`tilskudd.orgs.receivers`)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent with ``delegation`` and ``actor`` inside the transaction that revoked a delegation (*fullmakt*),
#: so that apps above orgs (applications) void what was signed under it.
delegation_revoked = Signal()
