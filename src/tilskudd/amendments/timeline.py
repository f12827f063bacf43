"""The grant timeline's entries for change requests (issue #12, point 6): a request waiting for an answer.

What was asked and answered is on the grant's audit stream (``grants.awards.timeline`` shows it); this adds
what is still open. Registered in ``AmendmentsConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from tilskudd.amendments.models import AmendmentRequest
from tilskudd.amendments.states import AMENDMENT_KIND_EN, AmendmentKind, AmendmentStatus
from tilskudd.grants.awards.timeline import Entry
from tilskudd.grants.models import Grant


def amendment_entries(grant: Grant, for_applicant: bool) -> Iterable[Entry]:
    for amendment in AmendmentRequest.objects.filter(grant=grant, status=AmendmentStatus.REQUESTED):
        kind = AmendmentKind(amendment.kind)
        yield Entry(
            timezone.localtime(amendment.requested_at).date(),
            f"Venter på svar: {kind.label.lower()}",
            f"Awaiting an answer: {AMENDMENT_KIND_EN[kind].lower()}",
            done=False,
        )
