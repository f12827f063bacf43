"""Audit events: one row per state change or edit, never updated or deleted (X-R06)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Audience(models.TextChoices):
    """Who may read an event, decided where it is written (X-R06).

    ``APPLICANT``: the applicant organisation's people may see it in their history, besides the
    grantor's staff. ``INTERNAL``: the grantor's casework (screening notes, scores, allocation,
    decisions before publication) and the system's own bookkeeping; never shown to applicants.
    """

    APPLICANT = "applicant", "Søker og tilskuddsgiver"
    INTERNAL = "internal", "Bare tilskuddsgiver"


class AuditEvent(models.Model):
    at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: What kind of thing changed, e.g. ``application`` or ``organisation``, and its id.
    subject_type = models.CharField(max_length=50)
    subject_id = models.CharField(max_length=50)
    #: What happened, e.g. ``application.submitted`` or ``draft.saved``.
    action = models.CharField(max_length=80)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    reason = models.TextField("begrunnelse", blank=True)
    #: Details: which fields changed, the content hash, the request id …
    data = models.JSONField(default=dict, blank=True)
    #: Who may read it; set by the code that writes it (``record(..., audience=...)``).
    audience = models.CharField("hvem kan se", max_length=20, choices=Audience.choices, default=Audience.INTERNAL)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]
        verbose_name = "hendelse"
        verbose_name_plural = "hendelser"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}:{self.subject_id}"
