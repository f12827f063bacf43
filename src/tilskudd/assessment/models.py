"""Assessment (*faglig vurdering*) of an application against its call's criteria.

An :class:`Assignment` gives one assessor one application. Before anything else
the assessor declares whether they are disqualified (*inhabil*, Public
Administration Act §6); a disqualified assessor never sees or fills the scoring
form. A :class:`Score` per criterion holds a value on the criterion's scale, or
None for "not applicable" (left out of the total, not counted as zero). The
:class:`AssessmentLock` closes the assessment once a lead has moderated it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Assignment(models.Model):
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    #: None until declared; True: disqualified (*inhabil*), False: not disqualified.
    disqualified = models.BooleanField("inhabil", null=True, blank=True)
    disqualification_reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    #: What the assessor proposes to grant, in whole NOK.
    proposed_amount = models.BigIntegerField("foreslått beløp", null=True, blank=True)
    comment = models.TextField("samlet vurdering", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "assessor"], name="one_assignment_per_assessor")]


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(max_length=60)
    #: On the criterion's scale; None = not applicable (*ikke relevant*).
    value = models.SmallIntegerField(null=True, blank=True)
    reason = models.TextField("begrunnelse")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]


class AssessmentLock(models.Model):
    """The moderated, locked assessment of one application; its total feeds allocation."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="assessment_lock"
    )
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField()
    #: The weighted total on the call's scale (None when no criterion was applicable).
    total = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    #: Per-criterion moderated values {criterion: value or None}.
    moderated_scores = models.JSONField(default=dict, blank=True)
    note = models.TextField("moderering", blank=True)
