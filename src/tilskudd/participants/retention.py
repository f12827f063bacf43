"""Deleting the participants' personal data when the call's retention period has run out (C0-R12).

The call's duty says ``retention_months``. The months are counted from the day the individual report was
approved (the duty's ``status_changed_at`` in Europe/Oslo); where it never was, from its due date; where it has
none, from the day the last participant was added — so every record expires. On the day the period ends the
rows are **deleted** (not hidden), each duty's in one transaction with an internal audit event that says how
many and why, never who. Running it again deletes nothing more.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.participants.models import ParticipantRecord
from tilskudd.reports.models import ReportingDuty


@dataclass(frozen=True)
class Deleted:
    duty_id: int
    count: int
    counted_from: dt.date
    expired_on: dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_months(duty: ReportingDuty) -> int | None:
    duties = duty.grant.application.call_version.parsed().reporting.duties
    if duty.position >= len(duties):
        return None
    found = duties[duty.position]
    return found.retention_months if found.kind.value == duty.kind else None


def counted_from(duty: ReportingDuty) -> dt.date | None:
    if duty.status == "approved":  # reports.states.DutyStatus.APPROVED
        return timezone.localdate(duty.status_changed_at)
    if duty.due:
        return duty.due
    last = ParticipantRecord.objects.filter(duty=duty).aggregate(last=Max("added_at"))["last"]
    return timezone.localdate(last) if last else None


def expires_on(duty: ReportingDuty) -> dt.date | None:
    months, start = retention_months(duty), counted_from(duty)
    return add_months(start, months) if months and start else None


def delete_expired(today: dt.date | None = None) -> list[Deleted]:
    today = today or timezone.localdate()
    deleted: list[Deleted] = []
    duty_ids = ParticipantRecord.objects.values_list("duty_id", flat=True).distinct()
    for duty in ReportingDuty.objects.filter(pk__in=duty_ids).select_related("grant__application__call_version"):
        start, end = counted_from(duty), expires_on(duty)
        if start is None or end is None or today < end:
            continue
        with transaction.atomic():
            locked = ReportingDuty.objects.select_for_update().get(pk=duty.pk)
            count, _ = ParticipantRecord.objects.filter(duty=locked).delete()
            if not count:
                continue
            record(
                None,
                locked,
                AuditAction.PARTICIPANT_DATA_DELETED,
                reason="retention",
                data={
                    "count": count,
                    "retention_months": retention_months(duty),
                    "counted_from": start.isoformat(),
                    "expired_on": end.isoformat(),
                },
                audience=Audience.INTERNAL,
            )
        deleted.append(Deleted(duty.pk, count, start, end))
    return deleted
