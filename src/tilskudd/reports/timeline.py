"""The grant timeline's entries for reporting (issue #12, points 3 and 8): each duty due, each report delivered,
each duty approved.

Registered in ``ReportsConfig.ready`` with ``grants.awards.timeline.register``; ``grants`` never imports this.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from tilskudd.grants.awards.timeline import Entry
from tilskudd.grants.models import Grant
from tilskudd.reports.models import Report, ReportingDuty
from tilskudd.reports.states import DELIVERABLE, DutyStatus


def report_entries(grant: Grant, for_applicant: bool) -> Iterable[Entry]:
    """A duty still owed is due on its day; a delivered report happened when it was delivered."""
    for duty in ReportingDuty.objects.filter(grant=grant).order_by("due", "position"):
        title_nb, title_en = duty.title
        if duty.status in DELIVERABLE and duty.due is not None:
            yield Entry(duty.due, f"Frist: {title_nb}", f"Due: {title_en}", done=False)
        elif duty.status == DutyStatus.APPROVED:
            yield Entry(
                timezone.localtime(duty.status_changed_at).date(),
                f"Godkjent: {title_nb}",
                f"Approved: {title_en}",
                at=duty.status_changed_at,
            )
    for report in Report.objects.filter(duty__grant=grant).select_related("duty").order_by("submitted_at", "pk"):
        title_nb, title_en = report.duty.title
        yield Entry(
            timezone.localtime(report.submitted_at).date(),
            f"Levert: {title_nb}",
            f"Delivered: {title_en}",
            at=report.submitted_at,
        )
