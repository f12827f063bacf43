"""The reminder's e-mail (django-tasks; run by the task worker): sent once, in the recipient's language.

``services.remind`` queues :func:`send_reminder` in the transaction that writes the
:class:`~tilskudd.reminders.models.Reminder` row (database backend; tilskudd.background). The task locks the
row and sends only while ``sent_at`` is empty, then sets it in the same transaction, so a retried task (a
worker lost after sending is the one case left: at most that one e-mail twice) does not send again. A reminder
whose offer was answered or whose report was delivered before the task ran is not sent.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tilskudd.core.formatting import format_date
from tilskudd.grants.states import GrantStatus
from tilskudd.reminders.models import About, Kind, Reminder
from tilskudd.reports.states import DutyStatus

logger = logging.getLogger(__name__)


def still_open(reminder: Reminder) -> bool:
    if reminder.about == About.OFFER:
        return reminder.grant.status == GrantStatus.OFFERED
    return reminder.duty is not None and reminder.duty.status == DutyStatus.OPEN


def language_of(user) -> str:
    return "en" if getattr(user, "preferred_language", "nb") == "en" else "nb"


def link(reminder: Reminder) -> str:
    """The grant's page or the duty's page for the grantee; the grant's case page for the caseworker."""
    grant = reminder.grant
    if reminder.kind == Kind.OVERDUE_TO_CASEWORKER:
        path = reverse("grants:staff_grant", args=[grant.pk])
    elif reminder.about == About.OFFER:
        path = reverse("grants:grant", args=[grant.application_id])
    else:
        path = reverse("reports:duty", args=[grant.application_id, reminder.duty_id])
    return settings.SITE_URL + path


def message(reminder: Reminder) -> tuple[str, str]:
    """The subject and body, in the recipient's language."""
    language = language_of(reminder.recipient)
    grant = reminder.grant
    application = grant.application
    duty = reminder.duty
    if duty is not None:
        title_nb, title_en = duty.title
    else:
        title_nb, title_en = "Aksept av tilbudet om tilskudd", "Acceptance of the grant offer"
    days = (reminder.due - reminder.day).days
    context = {
        "reminder": reminder,
        "offer": reminder.about == About.OFFER,
        "kind": reminder.kind,
        "to_caseworker": reminder.kind == Kind.OVERDUE_TO_CASEWORKER,
        "title": title_en if language == "en" else title_nb,
        "due": format_date(reminder.due, language),
        "days": days,
        "days_late": -days,
        "case_number": application.case_number or "",
        "organisation": application.organisation.name,
        "call_title": (application.call.title_en or application.call.title_nb)
        if language == "en"
        else application.call.title_nb,
        "url": link(reminder),
    }
    subject = " ".join(render_to_string(f"reminders/emails/subject_{language}.txt", context).split())
    body = render_to_string(f"reminders/emails/body_{language}.txt", context)
    return subject, body


def send(reminder_id: int) -> bool:
    """Send the reminder once; False when already sent, no longer needed or gone."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related(
                "recipient",
                "grant",
                "grant__application",
                "grant__application__organisation",
                "grant__application__call",
                "duty",
            )
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None:
            return False
        if not still_open(reminder):
            logger.info("Reminder %s not sent: its offer or duty is no longer open", reminder_id)
            return False
        subject, body = message(reminder)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.recipient.email]).send(fail_silently=False)
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
    return True


@task()
def send_reminder(reminder_id: int) -> bool:
    """E-mail one reminder (idempotent)."""
    return send(reminder_id)


def queue_reminder(reminder_id: int) -> None:
    """Queue the e-mail after the commit (backends other than the database's); the next run cannot re-send it."""
    try:
        send_reminder.enqueue(reminder_id)
    except Exception:  # the row is committed; an operator can send it with the task again
        logger.exception("Could not queue the e-mail for reminder %s", reminder_id)
