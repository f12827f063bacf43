"""The applicant is told of each step of a complaint by e-mail (issue #11, point 5: «the applicant told»).

``services`` queues :func:`notify_complaint_step` in the step's own transaction (``background.enqueue_in_transaction``),
so a step is never taken without its e-mail queued. The task e-mails the applicant organisation's confirmed members
(the same people a decision is sent to, ``grants.tasks.recipients``) what happened and where to read it; sending is
recorded as an audit event on the complaint (``COMPLAINT_NOTIFIED`` with the step) and never repeated, so a task
that runs twice sends once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from tilskudd import background
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.complaints.models import Complaint
from tilskudd.grants.tasks import recipients

logger = logging.getLogger(__name__)

#: Each step the applicant is told of, and what the e-mail says happened (bokmål, English).
STEPS: dict[str, tuple[str, str]] = {
    AuditAction.COMPLAINT_FILED.value: ("Vi har mottatt klagen.", "We have received the complaint."),
    AuditAction.COMPLAINT_FORWARDED.value: (
        "Vi har ikke endret vedtaket og har sendt klagen til klageinstansen, {appeal_body}, som avgjør den.",
        "We have not changed the decision and have sent the complaint to the appeal body, {appeal_body}, "
        "which decides it.",
    ),
    AuditAction.COMPLAINT_UPHELD.value: (
        "Klageinstansen, {appeal_body}, har avgjort klagen: vedtaket står ved lag.",
        "The appeal body, {appeal_body}, has decided the complaint: the decision stands.",
    ),
    AuditAction.COMPLAINT_APPEAL_DECIDED.value: (
        "Klageinstansen, {appeal_body}, har gitt dere medhold. Dere får et nytt vedtak.",
        "The appeal body, {appeal_body}, has found in your favour. You will get a new decision.",
    ),
    # A rejection reopened to be assessed (told at once: no new decision to wait for).
    AuditAction.COMPLAINT_REVERSED.value: (
        "Vi har gitt dere medhold i klagen. Søknaden blir nå vurdert, og dere får et vedtak med eget brev.",
        "We have found in your favour. The application will now be assessed, and you will get a decision with its "
        "own letter.",
    ),
    # Told when the new decision has passed four eyes and is published, with its own letter.
    AuditAction.COMPLAINT_NEW_DECISION_PUBLISHED.value: (
        "Vi har gitt dere medhold i klagen og gjort et nytt vedtak. Brevet med det nye vedtaket ligger i portalen.",
        "We have found in your favour and made a new decision. The letter with the new decision is in the portal.",
    ),
}


def queue_step(complaint: Complaint, action: AuditAction) -> None:
    """Queue the e-mail for ``action`` on ``complaint`` in the caller's transaction (a step not in STEPS: nothing)."""
    if action.value not in STEPS:
        return
    background.enqueue_in_transaction(
        notify_complaint_step,
        complaint.pk,
        action.value,
        after_commit=lambda: _queue_after_commit(complaint.pk, action.value),
    )


def _queue_after_commit(complaint_id: int, step: str) -> None:
    try:
        notify_complaint_step.enqueue(complaint_id, step)
    except Exception:  # the step is taken; the e-mail can be sent later
        logger.exception("Could not queue the e-mail for complaint %s (%s)", complaint_id, step)


def send_step(complaint_id: int, step: str) -> bool:
    """E-mail once that ``step`` happened; False when already sent, unknown or nobody to send to."""
    if step not in STEPS:
        return False
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("decision", "decision__application", "decision__application__organisation")
            .get(pk=complaint_id)
        )
        sent = AuditEvent.objects.filter(
            subject_type="complaint", subject_id=str(complaint.pk), action=AuditAction.COMPLAINT_NOTIFIED
        )
        if any((event.data or {}).get("step") == step for event in sent):
            return False
        application = complaint.decision.application
        to = recipients(complaint.decision)
        if not to:
            logger.warning("No confirmed member to tell of complaint %s", complaint.pk)
            return False
        appeal_body = complaint.appeal_body or ""
        nb, en = (text.format(appeal_body=appeal_body) for text in STEPS[step])
        context = {
            "application": application,
            "case_number": application.case_number,
            "what_nb": nb,
            "what_en": en,
            "url": settings.SITE_URL + reverse("complaints:applicant_complaint", args=[application.pk, complaint.pk]),
        }
        subject = f"Klagen i sak {application.case_number} / The complaint in case {application.case_number}"
        body = render_to_string("complaints/emails/step_body.txt", context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send(fail_silently=False)
        record(
            None, complaint, AuditAction.COMPLAINT_NOTIFIED, data={"step": step, "to": to}, audience=Audience.APPLICANT
        )
    return True


@task()
def notify_complaint_step(complaint_id: int, step: str) -> bool:
    """Tell the applicant of a step of their complaint (idempotent)."""
    return send_step(complaint_id, step)
