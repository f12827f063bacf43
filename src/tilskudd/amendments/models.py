"""A change request (*endringsanmodning*, issue #12 point 6): carry-over of unused funds or a change of use.

Asked by the grantee's signatory or a delegate (``grants.awards.acceptance.can_answer``) and signed with the
SHA-256 of what is asked (``amendments.services.request_document``); answered by a caseworker of the grantor
with a letter (a PDF stored on the request, which the grantee downloads). States in ``amendments.states``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.amendments.states import AmendmentKind, AmendmentStatus


class AmendmentRequest(models.Model):
    grant = models.ForeignKey("grants.Grant", on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField(max_length=20, choices=AmendmentKind.choices)
    status = models.CharField(max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.REQUESTED)
    #: Carry-over: the unused amount, whole NOK, and the year it is to be used in (the grant's year + 1).
    amount = models.BigIntegerField("beløp (NOK)", default=0)
    to_year = models.PositiveIntegerField(null=True, blank=True)
    #: Change of use: what is to change, in the grantee's words.
    change = models.TextField("hva som endres", blank=True)
    #: Why, in the grantee's words.
    reason = models.TextField("begrunnelse", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    #: "signatory" or "delegate" (with the delegation), as ``grants.Acceptance``.
    capacity = models.CharField(max_length=20)
    title = models.CharField(max_length=100, blank=True)
    delegation = models.ForeignKey("orgs.Delegation", on_delete=models.PROTECT, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The caseworker's reason for the answer (consent or refusal), which the letter states.
    answer_reason = models.TextField(blank=True)
    letter = models.FileField(upload_to="amendments/%Y/", max_length=300, blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "kind"],
                condition=models.Q(status="requested"),
                name="one_open_amendment_per_grant_and_kind",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="amendment_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.grant_id})"
