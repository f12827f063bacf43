"""Background tasks for decisions (django-tasks; run by ``manage.py db_worker``).

``services.publish`` queues :func:`notify_decision` for each published decision
in the publication's own transaction (with the database backend; see
tilskudd.background), so a crash cannot publish a decision and lose its e-mail. The task e-mails the applicant's confirmed
members that a decision has been made, with a link to the application's page
where the letter is (the letter itself stays behind the login). Sending is
recorded as an audit event and never repeated, so the task may run again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.formatting import format_nok
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DECISION_KIND_EN, DecisionKind, DecisionStatus
from tilskudd.orgs.models import Membership

logger = logging.getLogger(__name__)

NOTIFIED_ACTION = AuditAction.DECISION_NOTIFIED


def recipients(decision: Decision) -> list[str]:
    """E-mail addresses of the organisation's confirmed members (each once)."""
    found: list[str] = []
    members = Membership.objects.filter(
        organisation=decision.application.organisation, removed_at__isnull=True, confirmed_at__isnull=False
    ).select_related("user")
    for member in members:
        address = (member.user.email or "").strip()
        if address and address.lower() not in {a.lower() for a in found}:
            found.append(address)
    return found


def send_notification(decision_id: int) -> bool:
    """E-mail once that the decision is published; False when already sent, not published or nobody to send to."""
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application", "application__organisation", "application__call", "application__case")
            .get(pk=decision_id)
        )
        if decision.status != DecisionStatus.PUBLISHED:
            return False
        if AuditEvent.objects.filter(
            subject_type="decision", subject_id=str(decision.pk), action=NOTIFIED_ACTION
        ).exists():
            return False
        to = recipients(decision)
        if not to:
            logger.warning("No confirmed member to tell of decision %s", decision.pk)
            return False
        application = decision.application
        kind = DecisionKind(decision.kind)
        context = {
            "application": application,
            "case_number": application.case_number,
            "grantor_name": application.case.grantor_name,
            "kind_nb": kind.label.lower() if kind != DecisionKind.GRANT else "tilskudd",
            "kind_en": DECISION_KIND_EN[kind].lower(),
            "amount": format_nok(decision.amount) if kind == DecisionKind.GRANT else "",
            "url": settings.SITE_URL + reverse("applications:review", args=[application.pk]),
        }
        subject = " ".join(render_to_string("grants/emails/decision_subject.txt", context).split())
        body = render_to_string("grants/emails/decision_body.txt", context)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send(fail_silently=False)
        record(None, decision, NOTIFIED_ACTION, data={"to": to}, audience=Audience.APPLICANT)
    return True


@task()
def notify_decision(decision_id: int) -> bool:
    """Tell the applicant that the decision is published (idempotent)."""
    return send_notification(decision_id)
