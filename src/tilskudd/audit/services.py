"""Writing audit events. Called inside the transaction of the service that changes state."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tilskudd.audit import chain
from tilskudd.audit.actions import AuditAction
from tilskudd.audit.models import Audience, AuditEvent, AuditStreamHead

__all__ = ["Audience", "AuditAction", "history", "record"]


def record(
    actor,
    subject: models.Model,
    action: AuditAction,
    *,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    audience: Audience,
) -> AuditEvent:
    """Write one event. ``audience`` (required) says who may read it: ``Audience.APPLICANT`` (the applicant
    organisation's people, besides the grantor) or ``Audience.INTERNAL`` (the grantor only).

    The event is chained to the one before it in the subject's stream (``tilskudd.audit.chain``): the
    stream is locked, its head read, the event written with its hash and the head moved on.

    ``action`` is a member of ``AuditAction`` (``tilskudd.audit.actions``), never a plain string: the
    list of what can happen is kept in one place (TypeError otherwise).
    """
    if not isinstance(action, AuditAction):
        raise TypeError(f"record() takes an AuditAction member, not {action!r} (see tilskudd.audit.actions).")
    event = AuditEvent(
        audience=Audience(audience).value,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject_type=subject._meta.model_name,
        subject_id=str(subject.pk),
        action=action.value,
        from_state=str(from_state),
        to_state=str(to_state),
        reason=reason,
        data=chain.normalised_data(data),
    )
    event.stream = chain.stream_of(event.subject_type, event.subject_id)
    # Inside the service's transaction (the usual case) no savepoint of its own: an event that cannot be written
    # fails the whole change anyway, and the savepoint cost two round trips an event (issue #14: 4 of a submit's
    # 27 queries). Called outside one, this opens the transaction the lock and the head need.
    with transaction.atomic(savepoint=False):
        chain.lock_stream(event.stream)
        head = AuditStreamHead.objects.select_for_update().filter(stream=event.stream).first()
        event.sequence = head.sequence + 1 if head else 1
        event.prev_hash = head.hash if head else ""
        event.at = timezone.now()
        event.hash = chain.compute_hash(event)
        event.save(force_insert=True)
        if head is None:
            AuditStreamHead.objects.create(stream=event.stream, sequence=event.sequence, hash=event.hash)
        else:
            AuditStreamHead.objects.filter(pk=head.pk).update(sequence=event.sequence, hash=event.hash)
    return event


def history(subject: models.Model, *, audience: Audience | None = None):
    """The subject's events; with ``audience=Audience.APPLICANT`` only those the applicant may see."""
    events = AuditEvent.objects.filter(subject_type=subject._meta.model_name, subject_id=str(subject.pk))
    if audience is not None:
        events = events.filter(audience=audience)
    return events.select_related("actor")
