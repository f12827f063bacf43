"""The participants of an individual report (C0-R12, issue #12 point 3).

:class:`ParticipantRecord`: one participant in a ``reports.ReportingDuty`` with ``personal_data``. The personal
fields — name, birth year, what the person took part in, the outcome — are stored encrypted (``crypto.seal``:
Fernet tokens, one per field); only ``services.read_participants`` decrypts them, and it logs every read.
``informed_at`` is the day the participant was informed of the collection and processing (Introduction Act
§ 25) and is required. The rows are deleted (``retention``) when the call's ``retention_months`` has run out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: The personal fields, encrypted each on its own (the call leaves «which data» to IMDi: see docs/decisions.md).
PERSONAL_FIELDS = ("name", "birth_year", "activity", "outcome")


class ParticipantRecord(models.Model):
    duty = models.ForeignKey("reports.ReportingDuty", on_delete=models.CASCADE, related_name="participants")
    #: Fernet tokens (``participants.crypto``), never plain text.
    name = models.TextField()
    birth_year = models.TextField()
    activity = models.TextField()
    outcome = models.TextField()
    #: The day the participant was informed of the collection and processing (C0-R12).
    informed_at = models.DateField("informert")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["duty", "pk"]
        verbose_name = "deltaker"
        verbose_name_plural = "deltakere"

    def __str__(self) -> str:  # never the personal data
        return f"Deltaker {self.pk} ({self.duty_id})"
