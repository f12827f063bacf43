"""A complaint (*klage*) against one published decision, and its attachments (forvaltningsloven §§ 28–34)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.complaints.states import OPEN, ComplaintStatus


class Complaint(models.Model):
    decision = models.ForeignKey("grants.Decision", on_delete=models.PROTECT, related_name="complaints")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    reasons = models.TextField("begrunnelse")
    #: The day the letter counts as received (Europe/Oslo): see docs/decisions.md, «Complaints: the day received».
    letter_received_on = models.DateField("brevet mottatt")
    #: The last day to complain: received + the call's deadline_weeks (fvl § 29).
    deadline = models.DateField("klagefrist")
    #: Filed after the deadline: still registered (fvl § 31 lets the grantor consider it).
    late = models.BooleanField("for sent", default=False)
    status = models.CharField(max_length=30, choices=ComplaintStatus.choices, default=ComplaintStatus.FILED)
    #: The grantor's person who prepares the complaint: never the one who prepared or approved the decision.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_text = models.TextField("grantors vurdering", blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_note = models.TextField(blank=True)
    #: The appeal body as the call names it (bokmål), and its org number where it is a grantor in the system.
    appeal_body = models.CharField("klageinstans", max_length=200, blank=True)
    appeal_body_org_number = models.CharField(max_length=9, blank=True)
    appeal_outcome_text = models.TextField("klageinstansens avgjørelse", blank=True)
    appeal_decided_at = models.DateTimeField(null=True, blank=True)
    appeal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The case documents sent to the appeal body, as one PDF (made on forwarding).
    bundle = models.FileField(upload_to="complaints/%Y/", blank=True)
    bundle_sha256 = models.CharField(max_length=64, blank=True)
    #: The new decision prepared when the complaint is allowed (by the grantor, or after the appeal body
    #: reversed): complaints.reversal. Its letter is its own; the complained-of decision is then superseded.
    new_decision = models.ForeignKey(
        "grants.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = "klage"
        verbose_name_plural = "klager"
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=models.Q(status__in=sorted(s.value for s in OPEN)),
                name="one_open_complaint_per_decision",
            )
        ]

    def __str__(self) -> str:
        return f"Klage på vedtak {self.decision_id}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/attachments/%Y/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_result = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["complaint", "id"]
