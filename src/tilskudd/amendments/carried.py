"""What consented carry-overs move into a year, for ``grants.awards.carried`` (next year's accounts and plan)."""

from __future__ import annotations

from django.db.models import Sum

from tilskudd.amendments.models import AmendmentRequest
from tilskudd.amendments.states import AmendmentKind, AmendmentStatus


def carried_into(application_id: int, year: int) -> int:
    """Unused funds of the application's grants that a caseworker consented to carry into ``year``."""
    total = AmendmentRequest.objects.filter(
        grant__application_id=application_id,
        kind=AmendmentKind.CARRY_OVER,
        status=AmendmentStatus.CONSENTED,
        to_year=year,
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)
