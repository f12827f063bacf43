"""Frames, allocation and decisions.

* :class:`Frame` (*ramme*): the money a grantor may allocate in a call, for one
  year, for the whole call or one priority area. Filled from the call file
  where it names amounts (C0, C1, C3, C4) and set by the grantor where it does
  not (C2's scheme total, split 60/40 by ``local_grantors.share_percent``).
* :class:`AllocationLine` (*fordeling*): the amount an application is to get in
  one year — the call's year against the frame, later years as commitments
  (*tilsagn*) subject to appropriation. Proposed by the allocation assistant or
  set by a caseworker; the sum never exceeds a frame.
* :class:`Decision` (*vedtak*): grant, refusal or rejection, prepared by a
  caseworker and approved by someone else; published with the call's others.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.casework import facts as case_facts
from tilskudd.grants.states import ACTIVE, DecisionKind, DecisionStatus


class Frame(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="frames")
    #: The grantor whose frame this is; "" is the whole scheme (C2's total before the 60/40 split).
    grantor_org_number = models.CharField(max_length=9, blank=True)
    #: A priority area id, or "" for the whole call.
    area = models.CharField(max_length=60, blank=True)
    year = models.PositiveIntegerField()
    amount = models.BigIntegerField("ramme (NOK)")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "grantor_org_number", "year", "area"]
        constraints = [
            models.UniqueConstraint(fields=["call", "grantor_org_number", "area", "year"], name="one_frame_per_scope"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="frame_not_negative"),
        ]


class AllocationLine(models.Model):
    class Source(models.TextChoices):
        ASSISTANT = "assistant", "Forslag fra fordelingsassistenten"
        CASEWORKER = "caseworker", "Satt av saksbehandler"

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="allocation_lines"
    )
    year = models.PositiveIntegerField()
    amount = models.BigIntegerField("beløp (NOK)")
    #: Why this amount, in plain bokmål and English (from the assistant or the caseworker).
    explanation_nb = models.TextField(blank=True)
    explanation_en = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="one_allocation_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="allocation_not_negative"),
        ]


class Decision(models.Model):
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    status = models.CharField(max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PREPARED)
    #: Granted for the call's year, whole NOK (0 for refusal and rejection).
    amount = models.BigIntegerField("beløp (NOK)", default=0)
    #: Commitments for later years {year: amount}, subject to appropriation.
    later_years = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    #: The deadline for reports the call gives no date for (C2, C3, C4 leave it to the grant letter).
    report_due = models.DateField("rapportfrist", null=True, blank=True)
    #: Reasons (*begrunnelse*) in bokmål; shown in the letter.
    reasons = models.TextField("begrunnelse", blank=True)
    #: Ids of the call's grant conditions the letter carries (C0-R23, C4-R05 …).
    conditions = models.JSONField(default=list, blank=True)
    extra_conditions = models.TextField("andre vilkår", blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    letter = models.ForeignKey(
        "applications.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = "vedtak"
        verbose_name_plural = "vedtak"
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=sorted(s.value for s in ACTIVE)),  # sorted: a set has no stable order
                name="one_active_decision",
            )
        ]

    @property
    def is_partial(self) -> bool:
        applied = case_facts.applied_for(self.application)
        return self.kind == DecisionKind.GRANT and self.amount < applied
