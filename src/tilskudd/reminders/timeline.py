"""The grant timeline's «Påminnelse sendt» lines (issue #12, point 8), registered in ``RemindersConfig.ready``.

One line per reminder sent (of the same offer or duty and kind, once however many people got it): public for
the grantee's, for the caseworker only when it went to the caseworker.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from tilskudd.core.formatting import format_date
from tilskudd.grants.awards.timeline import Entry
from tilskudd.grants.models import Grant
from tilskudd.reminders.models import Kind, Reminder


def reminder_entries(grant: Grant, for_applicant: bool) -> Iterable[Entry]:
    sent = Reminder.objects.filter(grant=grant, sent_at__isnull=False).select_related("duty").order_by("sent_at", "pk")
    if for_applicant:
        sent = sent.exclude(kind=Kind.OVERDUE_TO_CASEWORKER)
    seen: set[tuple] = set()
    for reminder in sent:
        key = (reminder.about, reminder.duty_id, reminder.kind)
        if key in seen:
            continue
        seen.add(key)
        if reminder.duty is None:
            what_nb, what_en = "aksept av tilbudet", "acceptance of the offer"
        else:
            what_nb, what_en = reminder.duty.title
        to_staff = reminder.kind == Kind.OVERDUE_TO_CASEWORKER
        yield Entry(
            timezone.localtime(reminder.sent_at).date(),
            f"Påminnelse sendt{' til saksbehandler' if to_staff else ''}: {what_nb}, frist {format_date(reminder.due)}",
            f"Reminder sent{' to the caseworker' if to_staff else ''}: {what_en}, due {format_date(reminder.due, 'en')}",
            public=not to_staff,
            at=reminder.sent_at,
        )
