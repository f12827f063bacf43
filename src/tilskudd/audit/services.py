"""Writing audit events. Called inside the transaction of the service that changes state."""

from __future__ import annotations

from typing import Any

from django.db import models

from tilskudd.audit.models import Audience, AuditEvent

__all__ = ["Audience", "history", "record"]


def record(
    actor,
    subject: models.Model,
    action: str,
    *,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    audience: Audience,
) -> AuditEvent:
    """Write one event. ``audience`` (required) says who may read it: ``Audience.APPLICANT`` (the applicant
    organisation's people, besides the grantor) or ``Audience.INTERNAL`` (the grantor only)."""
    return AuditEvent.objects.create(
        audience=audience,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject_type=subject._meta.model_name,
        subject_id=str(subject.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def history(subject: models.Model):
    return AuditEvent.objects.filter(subject_type=subject._meta.model_name, subject_id=str(subject.pk)).select_related(
        "actor"
    )
