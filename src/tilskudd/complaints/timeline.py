"""The complaints on a grant's timeline (issue #11, point 7): registered with ``grants.awards.timeline``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from tilskudd.complaints import services
from tilskudd.complaints.models import Complaint
from tilskudd.complaints.states import COMPLAINT_STATUS_EN, ComplaintStatus
from tilskudd.grants.awards import timeline
from tilskudd.grants.models import Grant


@timeline.register
def complaints(grant: Grant, for_applicant: bool) -> Iterable[timeline.Entry]:
    """Each complaint against the grant's decision: filed (late or not), where it is now, and where it went."""
    for complaint in Complaint.objects.filter(decision_id=grant.decision_id).order_by("filed_at"):
        late_nb, late_en = (" (etter fristen)", " (after the deadline)") if complaint.late else ("", "")
        yield timeline.Entry(
            day=timezone.localdate(complaint.filed_at),
            text_nb=f"Klage sendt{late_nb}",
            text_en=f"Complaint filed{late_en}",
            at=complaint.filed_at,
        )
        status = services.status_for_applicant(complaint) if for_applicant else ComplaintStatus(complaint.status)
        if status != ComplaintStatus.FILED:
            moment = complaint.appeal_decided_at or complaint.forwarded_at or complaint.filed_at
            yield timeline.Entry(
                day=timezone.localdate(moment),
                text_nb=f"Klagen: {status.label.lower()}",
                text_en=f"Complaint: {COMPLAINT_STATUS_EN[status].lower()}",
                at=moment,
            )
