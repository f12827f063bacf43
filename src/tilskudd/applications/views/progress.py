"""Where an application stands: its signature, who may sign it, and what the applicant does next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.applications import permissions, services, told
from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.applications.views.common import deadline_text
from tilskudd.core.phrases import date_moment
from tilskudd.core.text import pick
from tilskudd.orgs.models import Delegation, Membership, Role


def signature_state(application: Application) -> dict[str, Any]:
    """The valid signature, or why the last one no longer counts (``why``: ``changed`` or ``authority``)."""
    active = application.active_signature()
    if active is not None:
        if not application.is_editable and application.submitted_hash:
            # Submitted: the signature covers what was sent, whatever the organisation's profile says today.
            current = application.submitted_hash
        else:
            current = services.content_hash(services.exchange_document(application))
            if not permissions.may_still_sign(active, application):
                return {"signature": None, "voided": active, "changed": False, "why": "authority"}
        if active.content_hash != current:
            return {"signature": None, "voided": active, "changed": True, "why": "changed"}
        return {"signature": active, "voided": None, "changed": False, "why": ""}
    last = application.signatures.order_by("-signed_at").first()
    if last is not None and last.voided_reason == services.DELEGATION_REVOKED:
        return {"signature": None, "voided": last, "changed": False, "why": "authority"}
    return {"signature": None, "voided": last, "changed": last is not None, "why": "changed" if last else ""}


def signers(application: Application) -> list[dict[str, Any]]:
    """Who may sign: the organisation's confirmed signatories and the delegates whose authority covers the call."""
    people = []
    for member in Membership.objects.filter(
        organisation=application.organisation, role=Role.SIGNATORY, removed_at__isnull=True, confirmed_at__isnull=False
    ).select_related("user"):
        people.append({"name": member.user.get_full_name(), "title": member.title, "delegate": False})
    today = timezone.localdate()
    for delegation in Delegation.objects.filter(
        organisation=application.organisation, revoked_at__isnull=True, valid_until__gte=today
    ).select_related("delegate", "granted_by"):
        if delegation.covers(application.call_id, today):
            people.append(
                {
                    "name": delegation.delegate.get_full_name(),
                    "title": "",
                    "delegate": True,
                    "granted_by": delegation.granted_by.get_full_name(),
                    "valid_until": date_moment(delegation.valid_until, get_language()).text,
                }
            )
    return people


def next_step(
    application: Application, now: dt.datetime, *, can_submit: bool | None = None, status: Status | None = None
) -> str:
    """What is expected of the applicant next, in plain words (``status``: the told status, if already read)."""
    deadline = deadline_text(application.call.deadline)
    status = status or told.status_of(application)
    if status == Status.SUBMITTED:
        return pick(get_language(), "Sendt inn – venter på behandling", "Submitted – waiting to be processed")
    if status == Status.WITHDRAWN:
        return pick(get_language(), "Trukket – ingen ting mer å gjøre", "Withdrawn – nothing more to do")
    if status == Status.IN_ASSESSMENT:
        return pick(
            get_language(),
            "Til vurdering – dere får brev når vedtaket er gjort",
            "In assessment – you get a letter when the decision is made",
        )
    if status in (Status.GRANTED, Status.REFUSED, Status.REJECTED):
        return pick(get_language(), "Vedtak er gjort – les brevet", "A decision is made – read the letter")
    if application.status == Status.REOPENED and application.reopened_until:
        until = deadline_text(application.reopened_until)
        if now > application.reopened_until:
            return pick(
                get_language(),
                f"Fristen for komplettering gikk ut {until}.",
                f"The deadline for completion passed on {until}.",
            )
        return pick(
            get_language(),
            f"Åpnet for komplettering – send inn igjen før {until}",
            f"Reopened for completion – submit again before {until}",
        )
    if now > application.call.deadline:
        return pick(
            get_language(),
            f"Søknadsfristen gikk ut {deadline}. Søknaden kan ikke sendes inn.",
            f"The deadline passed on {deadline}. The application cannot be submitted.",
        )
    state = signature_state(application)
    if state["signature"] is not None:
        return pick(get_language(), f"Signert – send inn før {deadline}", f"Signed – submit before {deadline}")
    if can_submit is None:
        can_submit = services.check(application).can_submit
    if can_submit:
        return pick(get_language(), "Venter på signatur", "Waiting for signature")
    prefix = (
        pick(get_language(), "Åpnet for komplettering – ", "Reopened for completion – ")
        if application.status == Status.REOPENED
        else ""
    )
    return prefix + pick(
        get_language(), f"Fullfør og send inn før {deadline}", f"Complete and submit before {deadline}"
    )
