"""Complaints (*klage*, forvaltningsloven §§ 28–34): the right, filing, forwarding, the appeal body's outcome.

Each function is one domain operation in one transaction: it checks who may do it, moves the complaint
through its table (``complaints.states``) and writes an audit event (``COMPLAINT_*``) — with the applicant
as audience where the applicant must know the step.

* :func:`complaint_right` reads the call's ``complaints`` for the decision's kind and the grantor's kind
  through ``grants.decisions.letters.complaint_facts`` — exactly what the letter states.
* The day the letter counts as received: the publication day (Europe/Oslo). The letter is delivered in the
  portal and announced by e-mail the same day, so no days are added for post (docs/decisions.md,
  «Complaints: the day the letter is received»). The deadline is that day + the call's ``deadline_weeks``.
* A late complaint is registered and marked late (fvl § 31 lets the grantor consider it).
* The grantor's person who prepares the complaint (``handled_by``) is a caseworker or approver of the
  deciding grantor who neither prepared nor approved the decision.
* The appeal body is IMDi where a municipality decided (C2-R13) — IMDi's own staff then see the forwarded
  complaint and record the outcome; otherwise the body the call names (a ministry), outside the system, and the
  grantor records what it decided.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from tilskudd.applications import attachments as upload_checks
from tilskudd.applications.models import Document
from tilskudd.applications.receipts import FONT_DIR, latest_receipt
from tilskudd.applications.states import Status as ApplicationStatus
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Case, Role
from tilskudd.complaints import states, tasks
from tilskudd.complaints.models import Complaint, ComplaintAttachment
from tilskudd.complaints.states import OPEN, ComplaintStatus
from tilskudd.core.pdf import render_pdf
from tilskudd.core.refusals import Refusal
from tilskudd.grants.decisions import letters
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DecisionKind, DecisionStatus
from tilskudd.orgs import permissions as org_permissions

#: Days added to the publication day for the letter to count as received (portal + e-mail: none).
DELIVERY_DAYS = 0
MAX_ATTACHMENTS = 10
HANDLERS = (Role.CASEWORKER, Role.APPROVER)


class ComplaintRefused(Refusal):
    """The complaint cannot be filed or moved; the reasons are shown to the person."""


@dataclass(frozen=True)
class Right:
    """Whether a complaint is allowed against a decision, with the legal reference (as the letter states it)."""

    allowed: bool
    rule: str
    legal_reference: str
    deadline_weeks: int | None
    decided_by: str
    text: str


# --- reading the decision --------------------------------------------------------------------


def _grantor(decision: Decision) -> dict[str, Any]:
    return letters.grantor_of_decision(decision, decision.application.call_version.parsed())


def complaint_right(decision: Decision) -> Right:
    """The call's complaint right for this decision's kind and grantor kind (C1-R09, C2-R13, C3-R10 …)."""
    definition = decision.application.call_version.parsed()
    grantor = _grantor(decision)
    facts = letters.complaint_facts(definition, DecisionKind(decision.kind), grantor["kind"], grantor["name"])
    return Right(
        allowed=bool(facts["allowed"]),
        rule=facts["rule"],
        legal_reference=facts["legal_reference"],
        deadline_weeks=facts["deadline_weeks"],
        decided_by=facts["decided_by"],
        text=facts["text"],
    )


def letter_received_on(decision: Decision) -> dt.date:
    """The day the letter counts as received: its publication day in Europe/Oslo (+ DELIVERY_DAYS)."""
    assert decision.published_at is not None
    return timezone.localdate(decision.published_at) + dt.timedelta(days=DELIVERY_DAYS)


def deadline_of(decision: Decision, weeks: int) -> dt.date:
    return letter_received_on(decision) + dt.timedelta(weeks=weeks)


#: A complaint allowed by the grantor whose new decision is not published yet: the applicant is not told yet.
_UNTOLD = Q(status=ComplaintStatus.REVERSED, new_decision__isnull=False, new_decision__published_at__isnull=True)


def published_decision_of(application) -> Decision | None:
    """The application's latest published decision as the applicant knows it (grants' own record): a decision
    superseded after a complaint stays the one they know until the new decision is published."""
    untold = Complaint.objects.filter(_UNTOLD).values("decision_id")
    return (
        Decision.objects.filter(application=application)
        .filter(Q(status=DecisionStatus.PUBLISHED) | Q(status=DecisionStatus.SUPERSEDED, pk__in=untold))
        .select_related("application", "application__call_version", "application__organisation")
        .order_by("-published_at", "-id")
        .first()
    )


def told_application_status(application) -> ApplicationStatus | None:
    """``applications.told``: an application reopened by a reversal whose new decision is not yet published is, to
    the applicant, still refused or rejected — as the letter they have says."""
    complaint = (
        Complaint.objects.filter(_UNTOLD, decision__application=application)
        .select_related("decision")
        .order_by("-id")
        .first()
    )
    if complaint is None:
        return None
    return (
        ApplicationStatus.REJECTED if complaint.decision.kind == DecisionKind.REJECTION else ApplicationStatus.REFUSED
    )


def open_complaint(decision: Decision) -> Complaint | None:
    return Complaint.objects.filter(decision=decision, status__in=[s.value for s in OPEN]).first()


def under_way(decision: Decision) -> Complaint | None:
    """The complaint against ``decision`` that is under way as the applicant sees it: open, or allowed by the
    grantor with a new decision that has not been published yet."""
    return Complaint.objects.filter(Q(status__in=[s.value for s in OPEN]) | _UNTOLD, decision=decision).first()


def announced(complaint: Complaint) -> bool:
    """Whether the applicant may know how the complaint went: a reversal by the grantor is theirs to know when its
    new decision is published (until then the complaint reads as received); every other state at once."""
    new = complaint.new_decision if complaint.status == ComplaintStatus.REVERSED else None
    return new is None or new.published_at is not None


def status_for_applicant(complaint: Complaint) -> ComplaintStatus:
    """The complaint's state as the applicant may see it (:func:`announced`)."""
    return ComplaintStatus(complaint.status) if announced(complaint) else ComplaintStatus.FILED


def appeal_body(decision: Decision, right: Right) -> tuple[str, str]:
    """(name, org number in the system or ""): IMDi for a municipality's decision (C2-R13), else the call's body."""
    definition = decision.application.call_version.parsed()
    case = getattr(decision.application, "case", None)
    number = case.grantor_org_number if case else definition.grantor.org_number
    if number != definition.grantor.org_number:
        return definition.grantor.name.nb, definition.grantor.org_number
    return right.decided_by or "Overordnet forvaltningsorgan", ""


# --- who may --------------------------------------------------------------------------------


def _case(decision: Decision) -> Case:
    case = Case.objects.filter(application_id=decision.application_id).first()
    if case is None:
        raise ComplaintRefused("Søknaden har ingen sak.", "The application has no case.")
    return case


def may_handle(user, complaint: Complaint) -> bool:
    """A caseworker or approver of the deciding grantor who neither prepared nor approved the decision."""
    decision = complaint.decision
    case = _case(decision)
    if not scope.can_see_case(user, case, *HANDLERS):
        return False
    return user.pk not in (decision.prepared_by_id, decision.approved_by_id)


def _require_handler(user, complaint: Complaint) -> None:
    case = _case(complaint.decision)
    if not scope.can_see_case(user, case, *HANDLERS):
        raise RoleMissing(*HANDLERS)
    if user.pk in (complaint.decision.prepared_by_id, complaint.decision.approved_by_id):
        raise ComplaintRefused(
            "Du var med på vedtaket klagen gjelder, og kan ikke behandle klagen. En annen saksbehandler må gjøre det.",
            "You took part in the decision the complaint is about and cannot handle the complaint. "
            "Another caseworker must do it.",
        )
    if complaint.handled_by_id and complaint.handled_by_id != user.pk:
        raise ComplaintRefused(
            "Klagen behandles av en annen saksbehandler.", "Another caseworker is handling the complaint."
        )


def may_record_appeal(user, complaint: Complaint) -> bool:
    """The appeal body's staff where it is a grantor in the system (IMDi), else the deciding grantor's handler."""
    if complaint.appeal_body_org_number:
        return scope.has_role(user, complaint.appeal_body_org_number, Role.CASEWORKER, Role.APPROVER)
    return may_handle(user, complaint)


#: Who reads complaints at a grantor: not the assessors (least privilege).
READERS = (Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR)


def may_see(user, complaint: Complaint, *roles: str) -> bool:
    """Staff of the deciding grantor, and of the appeal body once the complaint is forwarded to it (``roles``:
    any of these; none given: the readers)."""
    roles = roles or READERS
    if scope.can_see_case(user, _case(complaint.decision), *roles):
        return True
    return bool(
        complaint.appeal_body_org_number
        and complaint.status != ComplaintStatus.FILED
        and scope.has_role(user, complaint.appeal_body_org_number, *roles)
    )


def _locked(complaint_id: int) -> Complaint:
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("decision", "decision__application", "decision__application__call_version")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise ComplaintRefused("Fant ikke klagen.", "No such complaint.")
    return complaint


def _move(complaint: Complaint, target: str) -> str:
    before = complaint.status
    try:
        states.check_transition(before, target)
    except states.TransitionNotAllowed:
        raise ComplaintRefused(
            f"Klagen er «{ComplaintStatus(before).label}» og kan ikke få status «{ComplaintStatus(target).label}».",
            f"The complaint is '{states.COMPLAINT_STATUS_EN[ComplaintStatus(before)]}' and cannot become "
            f"'{states.COMPLAINT_STATUS_EN[ComplaintStatus(target)]}'.",
        ) from None
    complaint.status = target
    return before


# --- filing ----------------------------------------------------------------------------------


@contextmanager
def _checked_uploads(files: list) -> Iterator[list[upload_checks.Checked]]:
    """Every file checked as an application's attachments are (``applications.attachments.checked_upload``), kept
    open until the block ends; the first refusal is the complaint's, in the same words."""
    with ExitStack() as stack:
        try:
            checked = [stack.enter_context(upload_checks.checked_upload(f, upload_checks.ANY_ALLOWED)) for f in files]
        except upload_checks.AttachmentRefused as refused:
            raise ComplaintRefused(*refused.reasons) from None
        yield checked


def file_complaint(user, decision_id: int, reasons: str, files: list | None = None) -> Complaint:
    """File a complaint against a published decision: any member of the applicant organisation, where allowed."""
    reasons = (reasons or "").strip()
    files = list(files or [])
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application", "application__organisation", "application__call_version")
            .filter(pk=decision_id, status=DecisionStatus.PUBLISHED)
            .first()
        )
        if decision is None or not org_permissions.is_member(user, decision.application.organisation).allowed:
            raise ComplaintRefused("Fant ikke vedtaket.", "No such decision.")
        right = complaint_right(decision)
        if not right.allowed:
            raise ComplaintRefused(
                f"Dere har ikke klagerett på dette vedtaket. {right.legal_reference}",
                f"There is no right of complaint against this decision ({right.rule}). {right.legal_reference}",
            )
        if open_complaint(decision) is not None:
            raise ComplaintRefused(
                "Dere har allerede en klage på dette vedtaket som ikke er avgjort.",
                "You already have a complaint against this decision that is not decided.",
            )
        if not reasons:
            raise ComplaintRefused(
                "Skriv hva dere mener er feil i vedtaket, og hvorfor.",
                "Write what you think is wrong with the decision, and why.",
            )
        if len(files) > MAX_ATTACHMENTS:
            raise ComplaintRefused(
                f"Last opp høyst {MAX_ATTACHMENTS} vedlegg.", f"Upload at most {MAX_ATTACHMENTS} attachments."
            )
        now = timezone.now()
        received_on = letter_received_on(decision)
        deadline = deadline_of(decision, right.deadline_weeks or 3)
        late = timezone.localdate(now) > deadline
        with _checked_uploads(files) as checked:
            complaint = Complaint(
                decision=decision,
                filed_by=user,
                filed_at=now,
                reasons=reasons,
                letter_received_on=received_on,
                deadline=deadline,
                late=late,
            )
            try:
                with transaction.atomic():
                    complaint.save()
            except IntegrityError:
                raise ComplaintRefused(
                    "Dere har allerede en klage på dette vedtaket som ikke er avgjort.",
                    "You already have a complaint against this decision that is not decided.",
                ) from None
            for upload in checked:
                attachment = ComplaintAttachment(
                    complaint=complaint, scan_result=upload.scan.status, **upload.described()
                )
                upload.save_to(attachment.file)
                attachment.save()
        data = {
            "decision": decision.pk,
            "deadline": deadline.isoformat(),
            "late": late,
            "attachments": [a.sha256 for a in complaint.attachments.all()],
        }
        record(
            user,
            complaint,
            AuditAction.COMPLAINT_FILED,
            to_state=complaint.status,
            data=data,
            audience=Audience.APPLICANT,
        )
        record(
            user,
            decision.application,
            AuditAction.COMPLAINT_FILED,
            data={"complaint": complaint.pk, **data},
            audience=Audience.APPLICANT,
        )
        grant = getattr(decision, "grant", None)
        if grant is not None:
            record(
                user, grant, AuditAction.COMPLAINT_FILED, data={"complaint": complaint.pk}, audience=Audience.APPLICANT
            )
        tasks.queue_step(complaint, AuditAction.COMPLAINT_FILED)
    return complaint


def withdraw(user, complaint_id: int) -> Complaint:
    """The applicant withdraws a complaint not yet decided or forwarded (any member)."""
    with transaction.atomic():
        complaint = _locked(complaint_id)
        if not org_permissions.is_member(user, complaint.decision.application.organisation).allowed:
            raise ComplaintRefused("Fant ikke klagen.", "No such complaint.")
        before = _move(complaint, ComplaintStatus.WITHDRAWN)
        complaint.save(update_fields=["status"])
        record(
            user,
            complaint,
            AuditAction.COMPLAINT_WITHDRAWN,
            from_state=before,
            to_state=complaint.status,
            audience=Audience.APPLICANT,
        )
    return complaint


# --- the grantor --------------------------------------------------------------------------


def take(user, complaint_id: int) -> Complaint:
    """A caseworker who did not decide takes the complaint to prepare it (``handled_by``)."""
    with transaction.atomic():
        complaint = _locked(complaint_id)
        _require_handler(user, complaint)
        if complaint.status != ComplaintStatus.FILED:
            raise ComplaintRefused("Klagen er allerede behandlet.", "The complaint has already been handled.")
        complaint.handled_by = user
        complaint.save(update_fields=["handled_by"])
        record(
            user, complaint, AuditAction.COMPLAINT_ASSIGNED, data={"handled_by": user.pk}, audience=Audience.INTERNAL
        )
    return complaint


def forward(user, complaint_id: int, note: str = "") -> Complaint:
    """Forward the complaint to the appeal body with the case documents as one PDF bundle (fvl § 33 fourth paragraph)."""
    note = (note or "").strip()
    with transaction.atomic():
        complaint = _locked(complaint_id)
        _require_handler(user, complaint)
        if not note:
            raise ComplaintRefused(
                "Skriv grantors vurdering av klagen (hvorfor vedtaket ikke endres). Den følger saken til klageinstansen.",
                "Write the grantor's view of the complaint (why the decision stands). It goes to the appeal body.",
            )
        before = _move(complaint, ComplaintStatus.FORWARDED)
        right = complaint_right(complaint.decision)
        name, number = appeal_body(complaint.decision, right)
        complaint.handled_by = user
        complaint.forwarded_at = timezone.now()
        complaint.forward_note = note
        complaint.appeal_body, complaint.appeal_body_org_number = name, number
        pdf = bundle_pdf(complaint)
        complaint.bundle_sha256 = hashlib.sha256(pdf).hexdigest()
        case_number = complaint.decision.application.case_number or complaint.pk
        complaint.bundle.save(f"klage-{case_number}-{complaint.pk}.pdf", ContentFile(pdf), save=False)
        complaint.save()
        record(
            user,
            complaint,
            AuditAction.COMPLAINT_FORWARDED,
            from_state=before,
            to_state=complaint.status,
            data={"appeal_body": name, "bundle_sha256": complaint.bundle_sha256},
            audience=Audience.APPLICANT,
        )
        _note_on_application(user, complaint, AuditAction.COMPLAINT_FORWARDED, {"appeal_body": name})
    return complaint


def record_appeal_outcome(user, complaint_id: int, outcome: str, text: str) -> Complaint:
    """The appeal body's outcome: ``upheld`` (the decision stands) or ``reversed``."""
    text = (text or "").strip()
    targets = {"upheld": ComplaintStatus.UPHELD, "reversed": ComplaintStatus.REVERSED_BY_APPEAL_BODY}
    with transaction.atomic():
        complaint = _locked(complaint_id)
        if not may_record_appeal(user, complaint):
            if may_see(user, complaint):
                raise RoleMissing(*HANDLERS)
            raise ComplaintRefused("Fant ikke klagen.", "No such complaint.")
        if outcome not in targets:
            raise ComplaintRefused("Velg klageinstansens utfall.", "Choose the appeal body's outcome.")
        if not text:
            raise ComplaintRefused("Skriv klageinstansens begrunnelse.", "Write the appeal body's reasons.")
        before = _move(complaint, targets[outcome])
        complaint.appeal_outcome_text = text
        complaint.appeal_decided_at = timezone.now()
        complaint.appeal_recorded_by = user
        complaint.save()
        action = AuditAction.COMPLAINT_UPHELD if outcome == "upheld" else AuditAction.COMPLAINT_APPEAL_DECIDED
        record(
            user,
            complaint,
            action,
            from_state=before,
            to_state=complaint.status,
            reason=text,
            data={"appeal_body": complaint.appeal_body, "outcome": outcome},
            audience=Audience.APPLICANT,
        )
        _note_on_application(user, complaint, action, {"outcome": outcome})
    return complaint


def _note_on_application(user, complaint: Complaint, action: AuditAction, data: dict) -> None:
    """The step in the application's (and the grant's) history, so the applicant sees it there too."""
    decision = complaint.decision
    record(user, decision.application, action, data={"complaint": complaint.pk, **data}, audience=Audience.APPLICANT)
    tasks.queue_step(complaint, action)
    grant = getattr(decision, "grant", None) if decision.kind == DecisionKind.GRANT else None
    if grant is not None:
        record(user, grant, action, data={"complaint": complaint.pk, **data}, audience=Audience.APPLICANT)


# --- the bundle ------------------------------------------------------------------------------


def _documents(complaint: Complaint) -> list[tuple[str, Any]]:
    """(title, file) of each PDF in the bundle after the cover: receipt, letter, the complaint's PDF attachments."""
    application = complaint.decision.application
    found: list[tuple[str, Any]] = []
    receipt = latest_receipt(application)
    if receipt is not None and receipt.file:
        found.append(("Søknadskvittering", receipt.file))
    letter: Document | None = complaint.decision.letter
    if letter is not None and letter.file:
        found.append(("Vedtaksbrev", letter.file))
    for attachment in complaint.attachments.all():
        if attachment.content_type == "application/pdf":
            found.append((f"Vedlegg til klagen: {attachment.original_name}", attachment.file))
    return found


def bundle_pdf(complaint: Complaint) -> bytes:
    """The case documents as one PDF: a cover (case, decision, complaint, attachments list) and the PDFs after it."""
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415 - only when a bundle is made

    decision = complaint.decision
    application = decision.application
    documents = _documents(complaint)
    cover = render_to_string(
        "complaints/bundle_cover.html",
        {
            "complaint": complaint,
            "decision": decision,
            "application": application,
            "grantor": _grantor(decision),
            "kind": DecisionKind(decision.kind).label,
            "received_on": complaint.letter_received_on,
            "documents": [title for title, _ in documents],
            "attachments": list(complaint.attachments.all()),
        },
    )
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(render_pdf(cover, base_url=FONT_DIR.as_uri() + "/", language="nb"))))
    for title, stored in documents:
        with stored.open("rb") as handle:
            writer.append(PdfReader(io.BytesIO(handle.read())), outline_item=title)
    writer.add_metadata({"/Title": f"Klagesak {application.case_number}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
