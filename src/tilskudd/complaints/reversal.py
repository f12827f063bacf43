"""A complaint allowed (*klagen tas til følge*, forvaltningsloven § 33 second paragraph and § 34): a new decision.

The grantor that decided may reverse its decision itself; where the appeal body reversed it, the grantor makes
the new decision the same way. :func:`reverse` is one transaction by a caseworker of the deciding grantor who
neither prepared nor approved the decision:

* the complained-of decision moves published → superseded (*omgjort*, ``grants.states.TRANSITIONS``), so it no
  longer holds the application and the new decision can be prepared;
* a **refusal or rejection**: the application moves refused/rejected → in_assessment («reopen_after_complaint»)
  and a grant decision of the amount given is prepared through ``grants.decisions.services.prepare_decision``
  (a rejected application without a locked assessment may be reopened without an amount: it is assessed first);
* a **partial grant raised**: a grant decision of the higher amount (``prepare_raise``), whose publication changes
  the existing grant's amount and re-plans its open terms rather than making a second grant;
* either way the money goes through the frame under its row locks: when the frame has no room,
  ``frames.FrameExceeded`` refuses with the frame's own words and nothing is changed;
* the new decision then goes the ordinary way — approved by another person, published with its own letter;
* the complaint moves filed → reversed (reversed by the appeal body: it stays so, with its new decision).

**Nothing of this is the applicant's to read yet** (issue #11: the grantor's internal work before publication):
the moves above are recorded for staff only, no e-mail goes out, and the applicant's pages keep showing the
decision they were sent and the complaint as received (``services.announced``). When the new decision is published —
after another person has approved it — :func:`announce` (on ``grants.signals.decision_published``, in the
publication's transaction) tells the applicant on the complaint, the application, the grant and the old decision,
and queues the e-mail. A rejection reopened without an amount has no new decision to wait for: the reopening is
told at once (the application is assessed, and decided the ordinary way).

Should the new decision be returned or cancelled, the handler prepares another from the complaint page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tilskudd.applications import states as application_states
from tilskudd.applications.models import Application
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import facts as case_facts
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Role
from tilskudd.complaints import services
from tilskudd.complaints.models import Complaint
from tilskudd.complaints.services import ComplaintRefused
from tilskudd.complaints.states import ComplaintStatus
from tilskudd.core.formatting import format_nok
from tilskudd.grants import states as decision_states
from tilskudd.grants import totals
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards.changes import CHANGEABLE
from tilskudd.grants.decisions import services as decisions
from tilskudd.grants.models import AllocationLine, Decision, Grant
from tilskudd.grants.states import ACTIVE, DecisionKind, DecisionStatus

#: The complaint states from which the grantor makes the new decision.
REVERSIBLE = (ComplaintStatus.FILED, ComplaintStatus.REVERSED_BY_APPEAL_BODY)


@dataclass(frozen=True)
class Room:
    """One frame the application counts against, for the call's year: what is left, and what this application
    could have (what is left plus what it holds already)."""

    label_nb: str
    label_en: str
    frame: int
    left: int
    held: int

    @property
    def room(self) -> int:
        return self.left + self.held


def frame_room(application: Application) -> list[Room]:
    """The frames the application counts against in the call's year, each with its «left» (frames.limits, and the
    counting allocation lines as ``frames.usage`` sums them)."""
    call = application.call
    year = call.definition.year
    grantor, area = frames.grantor_number_of(application), frames.area_of(application)
    mine = [limit for limit in frames.limits(call, year) if limit.counts(grantor, area)]
    if not mine:
        return []
    # The counting lines per grantor and first area, from the running totals (grants.totals).
    used = [(g, a, total) for (g, a), total in totals.proposed_in(call, year).items()]
    own = AllocationLine.objects.filter(application=application, year=year).values_list("amount", flat=True).first()
    held = (own or 0) if application.status in frames.COUNTING else 0
    found = []
    for limit in mine:
        taken = sum(total for g, a, total in used if limit.counts(g, a))
        found.append(Room(limit.label_nb, limit.label_en, limit.amount, limit.amount - taken, held))
    return found


# --- who may ---------------------------------------------------------------------------------


def may_reverse(user, complaint: Complaint) -> bool:
    """Whether ``user`` may make the new decision now (the page offers the form)."""
    if complaint.status not in REVERSIBLE and not _redo(complaint):
        return False
    try:
        _require_reverser(user, complaint)
    except (ComplaintRefused, RoleMissing):
        return False
    return complaint.new_decision_id is None or _redo(complaint)


def _redo(complaint: Complaint) -> bool:
    """The new decision was returned or cancelled: another may be prepared."""
    new = complaint.new_decision
    return new is not None and new.status not in ACTIVE


def _require_reverser(user, complaint: Complaint) -> None:
    """A caseworker of the deciding grantor who neither prepared nor approved the decision (it prepares a decision);
    while the complaint is filed, also its handler if it has one."""
    case = services._case(complaint.decision)
    if not scope.can_see_case(user, case, *services.HANDLERS):
        raise RoleMissing(Role.CASEWORKER)
    if user.pk in (complaint.decision.prepared_by_id, complaint.decision.approved_by_id):
        raise ComplaintRefused(
            "Du var med på vedtaket klagen gjelder, og kan ikke omgjøre det. En annen saksbehandler må gjøre det.",
            "You took part in the decision the complaint is about and cannot reverse it. "
            "Another caseworker must do it.",
        )
    if not scope.can_see_case(user, case, Role.CASEWORKER):
        raise RoleMissing(Role.CASEWORKER)
    if complaint.handled_by_id and complaint.handled_by_id != user.pk and complaint.status == ComplaintStatus.FILED:
        raise ComplaintRefused(
            "Klagen behandles av en annen saksbehandler.", "Another caseworker is handling the complaint."
        )


# --- the reversal ---------------------------------------------------------------------------


def _amount(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        amount = int(str(value).replace(" ", "").replace("\u00a0", ""))
    except (TypeError, ValueError):
        raise ComplaintRefused("Beløpet må være et helt antall kroner.", "The amount must be whole kroner.") from None
    if amount <= 0:
        raise ComplaintRefused("Beløpet må være større enn 0 kroner.", "The amount must be more than NOK 0.")
    return amount


def reverse(user, complaint_id: int, amount, reasons: str) -> Complaint:
    """Allow the complaint with a new decision (see the module's description); one transaction."""
    reasons = (reasons or "").strip()
    amount = _amount(amount)
    with transaction.atomic():
        complaint = services._locked(complaint_id)
        if complaint.status not in REVERSIBLE and not _redo(complaint):
            raise ComplaintRefused("Klagen kan ikke tas til følge nå.", "The complaint cannot be allowed now.")
        _require_reverser(user, complaint)
        if complaint.new_decision_id is not None and not _redo(complaint):
            raise ComplaintRefused(
                "Det nye vedtaket etter klagen er allerede laget.",
                "The new decision after the complaint has already been prepared.",
            )
        if not reasons:
            raise ComplaintRefused(
                "Skriv begrunnelsen for det nye vedtaket. Den står i brevet til søkeren.",
                "Write the reasons for the new decision. They appear in the letter to the applicant.",
            )
        old = decisions._locked(complaint.decision_id)
        application = Application.objects.select_for_update(of=("self",)).get(pk=old.application_id)
        old.application = application
        # Told at once only when no new decision follows (a rejection reopened to be assessed first).
        told = old.kind == DecisionKind.REJECTION and amount is None
        audience = Audience.APPLICANT if told else Audience.INTERNAL
        if old.status == DecisionStatus.PUBLISHED:
            _supersede(user, old, complaint, audience)
        elif old.status != DecisionStatus.SUPERSEDED:
            raise ComplaintRefused(
                "Vedtaket klagen gjelder, er ikke lenger gjeldende.",
                "The decision complained of is no longer in force.",
            )
        new: Decision | None
        if old.kind == DecisionKind.GRANT:
            new = _raise(user, old, application, amount, reasons)
        else:
            new = _grant_after_refusal(user, old, application, amount, reasons, audience)
        before = complaint.status
        if complaint.status == ComplaintStatus.FILED:
            services._move(complaint, ComplaintStatus.REVERSED)
            complaint.handled_by = user
            complaint.outcome_text = reasons
        complaint.new_decision = new
        complaint.save()
        data = {
            "decision": old.pk,
            "new_decision": new.pk if new else None,
            "amount": new.amount if new else None,
        }
        record(
            user,
            complaint,
            AuditAction.COMPLAINT_REVERSED,
            from_state=before,
            to_state=complaint.status,
            reason=reasons,
            data=data,
            audience=audience,
        )
        if told:
            services._note_on_application(user, complaint, AuditAction.COMPLAINT_REVERSED, data)
    return complaint


def announce(user, complaint: Complaint, new: Decision) -> None:
    """The new decision after the complaint is published: tell the applicant, in the publication's transaction —
    on the complaint, the old decision, the application (and grant), with the e-mail queued."""
    old = complaint.decision
    data = {"decision": old.pk, "new_decision": new.pk, "amount": new.amount, "letter": new.letter_id}
    record(
        user,
        complaint,
        AuditAction.COMPLAINT_NEW_DECISION_PUBLISHED,
        reason=complaint.outcome_text,
        data=data,
        audience=Audience.APPLICANT,
    )
    record(user, old, AuditAction.COMPLAINT_NEW_DECISION_PUBLISHED, data=data, audience=Audience.APPLICANT)
    services._note_on_application(user, complaint, AuditAction.COMPLAINT_NEW_DECISION_PUBLISHED, data)


def on_decision_published(sender, decision: Decision, actor=None, **kwargs) -> None:
    """``grants.signals.decision_published``: a new decision made after a complaint is told to the applicant."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("decision", "decision__application")
        .filter(new_decision_id=decision.pk)
        .first()
    )
    if complaint is not None:
        announce(actor, complaint, decision)


def _supersede(user, old: Decision, complaint: Complaint, audience: Audience) -> None:
    decisions._move(old, DecisionStatus.SUPERSEDED)
    old.status = DecisionStatus.SUPERSEDED
    old.save(update_fields=["status"])
    record(
        user,
        old,
        AuditAction.DECISION_SUPERSEDED,
        from_state=DecisionStatus.PUBLISHED,
        to_state=DecisionStatus.SUPERSEDED,
        data={"complaint": complaint.pk},
        audience=audience,
    )


def _grant_after_refusal(
    user, old: Decision, application: Application, amount, reasons: str, audience: Audience
) -> Decision | None:
    Status = application_states.Status
    if application.status in (Status.REFUSED, Status.REJECTED):
        before = application.status
        move = application_states.check_transition(before, Status.IN_ASSESSMENT)
        application.status = Status.IN_ASSESSMENT
        application.save(update_fields=["status", "updated_at"])
        record(
            user,
            application,
            application_states.audit_action(move),
            from_state=before,
            to_state=application.status,
            data={"decision": old.pk},
            audience=audience,
        )
    if amount is None:
        if old.kind == DecisionKind.REJECTION:
            return None  # assessed first, then decided the ordinary way
        raise ComplaintRefused("Oppgi beløpet søkeren skal få.", "Give the amount the applicant is to get.")
    # DecisionRefused and FrameExceeded are refusals too: they undo everything above (one transaction).
    return decisions.prepare_decision(user, application.pk, DecisionKind.GRANT, amount=amount, reasons=reasons)


def _raise(user, old: Decision, application: Application, amount, reasons: str) -> Decision:
    grant = Grant.objects.select_for_update(of=("self",)).filter(application=application).first()
    if grant is None or grant.status not in CHANGEABLE:
        raise ComplaintRefused(
            "Tilskuddet kan ikke endres nå (det er ikke lenger gjeldende).",
            "The grant cannot be changed now (it is no longer in force).",
        )
    if amount is None:
        raise ComplaintRefused("Oppgi det nye beløpet.", "Give the new amount.")
    applied = case_facts.applied_for(application)
    if amount <= grant.amount:
        raise ComplaintRefused(
            f"Det nye beløpet må være høyere enn tilskuddet i dag ({format_nok(grant.amount)}).",
            f"The new amount must be higher than the grant now ({format_nok(grant.amount, 'en')}).",
        )
    if applied and amount > applied:
        raise ComplaintRefused(
            f"Beløpet kan ikke være større enn søknadsbeløpet ({format_nok(applied)}).",
            f"The amount cannot be more than the amount applied for ({format_nok(applied, 'en')}).",
        )
    return decisions.prepare_raise(user, old, grant, amount, reasons)


def decision_status_of(decision: Decision | None) -> tuple[str, str] | None:
    if decision is None:
        return None
    status = DecisionStatus(decision.status)
    return status.label, decision_states.DECISION_STATUS_EN[status]
