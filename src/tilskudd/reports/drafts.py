"""A report written in steps (issue #12, point 2, the API): save a draft, then the signatory delivers it.

:func:`save_draft` checks what is given as the report form checks it — the answers by
``services.check_answers`` (only the answers given: a draft may still lack required ones), the accounts'
amounts as whole kroner of 0 or more against the application's budget lines — and stores it in one
transaction with an audit event; anything that does not hold is a :class:`~tilskudd.reports.services.ReportInvalid`
naming each field, and nothing is saved. Saving against a draft changed since it was read is a conflict.

:func:`submit_draft` delivers exactly what is saved through ``services.deliver_report`` (the signatory or a
delegate, the content hash, the receipt), after checking that the draft is the one the signer read (its
``content_hash``). The same submission again returns the report already delivered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tilskudd.applications.services.content import content_hash
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.refusals import Refusal, require
from tilskudd.reports import services
from tilskudd.reports.models import Report, ReportDraft, ReportingDuty
from tilskudd.reports.services import Delivery, ReportInvalid
from tilskudd.rules.schema import FieldType


class DraftStale(Refusal):
    """The draft was changed (or delivered from) since it was read; nothing is saved."""

    status = 409


class NothingToSubmit(Refusal):
    status = 409


@dataclass
class Submitted:
    report: Report
    #: False when the same report had already been delivered (a retry).
    created: bool


def _typed(duty: ReportingDuty, answers: dict[str, Any]) -> dict[str, Any]:
    """JSON's answers as the form's types: a date field's yyyy-mm-dd as a date (anything else is left for the
    check to name)."""
    dates = {spec.id for spec in services.form_fields(duty) if spec.type is FieldType.DATE}
    typed = dict(answers)
    for key in dates & set(typed):
        if isinstance(typed[key], str):
            try:
                typed[key] = dt.date.fromisoformat(typed[key].strip())
            except ValueError:
                pass
    return typed


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_draft(duty: ReportingDuty, delivery: Delivery) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """The answers as they are kept, and every problem by field (the portal's names: ``actual_<line>`` …)."""
    fields = services.form_fields(duty)
    known = {spec.id for spec in fields}
    answers = _typed(duty, delivery.answers)
    errors: dict[str, tuple[str, str]] = {
        key: ("Rapportskjemaet har ikke dette feltet.", "The report form has no such field.")
        for key in answers
        if key not in known
    }
    given = [spec for spec in fields if not services._missing(answers.get(spec.id))]
    kept, problems = services.check_answers(given, answers)
    errors.update(problems)
    if not duty.accounts and (delivery.actual or delivery.other_income or delivery.own_contribution):
        errors["accounts"] = ("Denne rapporten har ikke regnskap.", "This report has no accounts.")
    lines = {line.index for line in services.budget_of(duty)} if duty.accounts else set()
    for index, amount in delivery.actual.items():
        if index not in lines:
            errors[f"actual_{index}"] = ("Søknadens budsjett har ikke denne posten.", "The budget has no such line.")
        elif not _whole(amount):
            errors[f"actual_{index}"] = ("Skriv beløpet i hele kroner, 0 eller mer.", "Whole kroner, 0 or more.")
    for key in ("other_income", "own_contribution"):
        if not _whole(getattr(delivery, key)):
            errors[key] = ("Skriv beløpet i hele kroner, 0 eller mer.", "Whole kroner, 0 or more.")
    return kept, errors


def delivery_of(draft: ReportDraft) -> Delivery:
    return Delivery(
        answers=_typed(draft.duty, draft.answers),
        actual={int(index): amount for index, amount in draft.actual.items()},
        other_income=draft.other_income,
        own_contribution=draft.own_contribution,
    )


def draft_hash(duty: ReportingDuty, draft: ReportDraft) -> str | None:
    """The SHA-256 of what delivering the draft now would sign (``services.report_document``); None while the
    draft cannot be delivered as it is (a required answer or a budget line missing)."""
    delivery = delivery_of(draft)
    answers, errors = services.check_answers(services.form_fields(duty), delivery.answers)
    accounts = services._accounts(duty, delivery, errors) if duty.accounts else None
    if errors:
        return None
    return content_hash(services.report_document(duty, answers, accounts.as_dict() if accounts else {}))


def save_draft(user, duty_id: int, delivery: Delivery, revision: int) -> ReportDraft:
    """Save the report's draft as a whole (``revision``: the draft's as read, 0 for the first)."""
    with transaction.atomic():
        duty = services._lock(duty_id)
        require(services.can_prepare(user, duty))
        kept, errors = check_draft(duty, delivery)
        if errors:
            raise ReportInvalid(errors)
        draft = ReportDraft.objects.filter(duty=duty).first()
        current = draft.revision if draft else 0
        if revision != current:
            raise DraftStale(
                f"Utkastet er endret siden du leste det (versjon {current}, ikke {revision}). Hent det på nytt.",
                f"The draft was changed since you read it (revision {current}, not {revision}). Fetch it again.",
            )
        draft = draft or ReportDraft(duty=duty, revision=0)
        draft.answers = kept
        draft.actual = {str(index): amount for index, amount in sorted(delivery.actual.items())}
        draft.other_income = delivery.other_income
        draft.own_contribution = delivery.own_contribution
        draft.revision = current + 1
        draft.saved_by = user
        draft.saved_at = timezone.now()
        draft.save()
        record(
            user,
            duty,
            AuditAction.REPORT_DRAFT_SAVED,
            data={"revision": draft.revision, "answers": sorted(kept), "actual_lines": len(draft.actual)},
            audience=Audience.APPLICANT,
        )
    return draft


def submit_draft(user, duty_id: int, expected_hash: str) -> Submitted:
    """Deliver the saved draft, if it is still what was read (``expected_hash``, from ``draft_hash``)."""
    with transaction.atomic():
        duty = services._lock(duty_id)
        require(services.can_view_duty(user, duty))
        draft = ReportDraft.objects.filter(duty=duty).first()
        if draft is None:
            raise NothingToSubmit(
                "Det er ikke lagret noe utkast til rapporten. Lagre utkastet først.",
                "No draft of the report is saved. Save the draft first.",
            )
        now = draft_hash(duty, draft)
        if now is not None and now != expected_hash:
            raise DraftStale(
                "Utkastet er ikke det samme som da du leste det. Hent det på nytt og les det før du leverer.",
                "The draft is not the one you read. Fetch it again and read it before you deliver.",
            )
        latest = duty.reports.order_by("-version").values_list("pk", flat=True).first()
        report = services.deliver_report(user, duty.pk, delivery_of(draft))
    return Submitted(report, created=report.pk != latest)
