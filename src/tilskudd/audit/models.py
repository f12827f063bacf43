"""Audit events: one row per state change or edit, never updated or deleted (X-R06)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Audience(models.TextChoices):
    """Who may read an event, decided where it is written (X-R06).

    ``APPLICANT``: the applicant organisation's people may see it in their history, besides the
    grantor's staff. ``INTERNAL``: the grantor's casework (screening notes, scores, allocation,
    decisions before publication) and the system's own bookkeeping; never shown to applicants.
    """

    APPLICANT = "applicant", "Søker og tilskuddsgiver"
    INTERNAL = "internal", "Bare tilskuddsgiver"


class AuditEvent(models.Model):
    #: Set by ``record()`` before the hash is computed (not ``auto_now_add``, which would overwrite it on save).
    at = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: What kind of thing changed, e.g. ``application`` or ``organisation``, and its id.
    subject_type = models.CharField(max_length=50)
    subject_id = models.CharField(max_length=50)
    #: What happened, e.g. ``application.submitted`` or ``draft.saved``: a member of ``AuditAction``
    #: (``tilskudd.audit.actions``, the one list of what can happen). ``record()`` takes only members, so the
    #: column has no ``choices``: a new action needs no migration (each one rewrote the whole list), and the
    #: pages show ``audit/labels.py``'s words, not the choices' names.
    action = models.CharField(max_length=80)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    reason = models.TextField("begrunnelse", blank=True)
    #: Details: which fields changed, the content hash, the request id …
    data = models.JSONField(default=dict, blank=True)
    #: Who may read it; set by the code that writes it (``record(..., audience=...)``).
    audience = models.CharField("hvem kan se", max_length=20, choices=Audience.choices, default=Audience.INTERNAL)
    #: The hash chain (tamper evidence): the events of one subject form a stream, e.g. ``application:42``,
    #: numbered 1, 2, … Each event carries the hash of the one before it in the stream and its own
    #: hash over its fields (``tilskudd.audit.chain``); ``tilskudd audit verify`` walks the chains.
    stream = models.CharField(max_length=120, default="")
    sequence = models.PositiveIntegerField(default=0)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]
        constraints = [models.UniqueConstraint(fields=["stream", "sequence"], name="audit_event_stream_sequence")]
        verbose_name = "hendelse"
        verbose_name_plural = "hendelser"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}:{self.subject_id}"


class AuditStreamHead(models.Model):
    """The last event of each stream (its sequence and hash), written by ``record()`` with the event.

    The chain alone cannot show that the newest events of a stream were deleted; the head can.
    """

    stream = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "siste hendelse i strøm"
        verbose_name_plural = "siste hendelser i strømmer"

    def __str__(self) -> str:
        return f"{self.stream} #{self.sequence}"
