"""Complaint pages: the applicant's form and complaint page under the application, the grantor's queue and
complaint page with its actions, and the bundle sent to the appeal body. Thin over ``complaints.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from tilskudd.applications.views.common import application_for, told_status_name
from tilskudd.audit.labels import action_label
from tilskudd.audit.services import Audience, history
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing, staff_view
from tilskudd.casework.models import Role
from tilskudd.complaints import reversal, services
from tilskudd.complaints.models import Complaint, ComplaintAttachment
from tilskudd.complaints.states import COMPLAINT_STATUS_EN, ComplaintStatus
from tilskudd.core.text import pick
from tilskudd.core.views import reason_of
from tilskudd.grants.allocation.frames import AllocationRefused
from tilskudd.grants.decisions.services import DecisionRefused
from tilskudd.grants.states import DECISION_KIND_EN, DecisionKind
from tilskudd.orgs.permissions import is_member


def complaint_status(complaint: Complaint, for_applicant: bool = False) -> str:
    status = services.status_for_applicant(complaint) if for_applicant else ComplaintStatus(complaint.status)
    return pick(get_language(), status.label, COMPLAINT_STATUS_EN[status])


def _kind(decision) -> str:
    kind = DecisionKind(decision.kind)
    return pick(get_language(), kind.label, DECISION_KIND_EN[kind])


def _steps(events) -> list[dict]:
    """Each event of a complaint's history, oldest first, in words."""
    language = "en" if (get_language() or "nb").startswith("en") else "nb"
    return [
        {"at": e.at, "text": action_label(e.action, language), "reason": e.reason} for e in events.order_by("at", "pk")
    ]


def _member_application(request, pk: int):
    application = application_for(request, pk)
    if not is_member(request.user, application.organisation).allowed:
        raise Http404("No such application.")
    return application


# --- the applicant ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def file(request, pk: int):
    """The complaint form under the application; where no complaint is allowed, why not."""
    application = _member_application(request, pk)
    decision = services.published_decision_of(application)
    if decision is None:
        raise Http404("No published decision.")
    right = services.complaint_right(decision)
    existing = services.under_way(decision)
    errors: list[tuple[str, str]] = []
    reasons = ""
    if request.method == "POST":
        reasons = request.POST.get("reasons", "")
        try:
            complaint = services.file_complaint(
                request.user, decision.pk, reasons, request.FILES.getlist("attachments")
            )
        except services.ComplaintRefused as refusal:
            errors.append(("id_reasons", reason_of(refusal)))
        else:
            messages.success(
                request,
                pick(get_language(), "Klagen er sendt.", "The complaint has been sent."),
            )
            return redirect("complaints:applicant_complaint", pk=application.pk, complaint_id=complaint.pk)
    deadline = services.deadline_of(decision, right.deadline_weeks) if right.allowed and right.deadline_weeks else None
    context = {
        "application": application,
        "call": application.call,
        "status_name": told_status_name(application),
        "decision": decision,
        "kind": _kind(decision),
        "right": right,
        "existing": existing,
        "deadline": deadline,
        "received_on": services.letter_received_on(decision),
        "errors": errors,
        "reasons": reasons,
        "earlier": Complaint.objects.filter(decision=decision).exclude(pk=existing.pk if existing else 0),
    }
    return render(request, "complaints/file.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def applicant_complaint(request, pk: int, complaint_id: int):
    """The complaint as the applicant sees it: status, deadline, late or not, each step; withdraw while filed."""
    application = _member_application(request, pk)
    complaint = get_object_or_404(
        Complaint.objects.select_related("decision", "filed_by"), pk=complaint_id, decision__application=application
    )
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            services.withdraw(request.user, complaint.pk)
        except services.ComplaintRefused as refusal:
            errors.append(("", reason_of(refusal)))
        else:
            return redirect("complaints:applicant_complaint", pk=application.pk, complaint_id=complaint.pk)
    context = {
        "application": application,
        "call": application.call,
        "status_name": told_status_name(application),
        "complaint": complaint,
        "complaint_status": complaint_status(complaint, for_applicant=True),
        "kind": _kind(complaint.decision),
        "events": _steps(history(complaint, audience=Audience.APPLICANT)),
        "errors": errors,
    }
    return render(request, "complaints/applicant_complaint.html", context, status=400 if errors else 200)


# --- the grantor and the appeal body ----------------------------------------------------------


def _visible(user, *roles: str):
    own = scope.grantor_numbers(user, *roles)
    return Complaint.objects.filter(
        Q(decision__application__case__grantor_org_number__in=own)
        | (Q(appeal_body_org_number__in=own) & ~Q(status=ComplaintStatus.FILED))
    ).select_related("decision", "decision__application", "decision__application__organisation", "filed_by")


def _complaint_or_404(user, complaint_id: int) -> Complaint:
    """404 outside the person's grantors (the complaint's existence does not leak); 403 for a role that may not read it."""
    complaint = _visible(user).filter(pk=complaint_id).first()
    if complaint is None or not services.may_see(user, complaint, *Role.values):
        raise Http404("No such complaint.")
    if not services.may_see(user, complaint):
        raise RoleMissing(*services.READERS)
    return complaint


@staff_view
def queue(request):
    own = scope.grantor_numbers(request.user, *services.READERS)
    if not own:
        raise RoleMissing(*services.READERS)
    rows = [
        {
            "complaint": c,
            "status": complaint_status(c),
            "kind": _kind(c.decision),
            "as_appeal_body": c.appeal_body_org_number in own
            and c.decision.application.case.grantor_org_number not in own,
        }
        for c in _visible(request.user, *services.READERS)
        .select_related("decision__application__case")
        .order_by("-filed_at")
    ]
    return render(request, "complaints/queue.html", {"casework_section": "complaints", "rows": rows})


@staff_view
@require_http_methods(["GET", "POST"])
def complaint(request, complaint_id: int):
    item = _complaint_or_404(request.user, complaint_id)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "take":
                services.take(request.user, item.pk)
            elif action == "forward":
                services.forward(request.user, item.pk, request.POST.get("note", ""))
            elif action == "appeal":
                services.record_appeal_outcome(
                    request.user, item.pk, request.POST.get("outcome", ""), request.POST.get("text", "")
                )
            elif action == "reverse":
                reversal.reverse(request.user, item.pk, request.POST.get("amount", ""), request.POST.get("reasons", ""))
            else:
                raise services.ComplaintRefused("Ukjent handling.", "Unknown action.")
        except (services.ComplaintRefused, DecisionRefused, AllocationRefused) as refusal:
            errors.append(("", reason_of(refusal)))
        else:
            return redirect("complaints:complaint", complaint_id=item.pk)
    decision = item.decision
    may_handle = services.may_handle(request.user, item)
    context = {
        "casework_section": "complaints",
        "complaint": item,
        "decision": decision,
        "application": decision.application,
        "kind": _kind(decision),
        "status": complaint_status(item),
        "right": services.complaint_right(decision),
        "may_handle": may_handle and item.status == ComplaintStatus.FILED,
        "decided": request.user.pk in (decision.prepared_by_id, decision.approved_by_id),
        "may_record_appeal": item.status == ComplaintStatus.FORWARDED
        and services.may_record_appeal(request.user, item),
        "events": _steps(history(item)),
        "errors": errors,
        **_reversal_context(request.user, item),
    }
    return render(request, "complaints/complaint.html", context, status=400 if errors else 200)


def _reversal_context(user, item: Complaint) -> dict:
    """The new decision after the complaint, and — where this person may make it — the frame's room beforehand."""
    new = item.new_decision
    status = reversal.decision_status_of(new)
    may_reverse = reversal.may_reverse(user, item)
    return {
        "new_decision": new,
        "new_decision_status": pick(get_language(), *status) if status else "",
        "may_reverse": may_reverse,
        "reverse_raises": item.decision.kind == DecisionKind.GRANT,
        "frame_room": reversal.frame_room(item.decision.application) if may_reverse else [],
    }


@staff_view
def bundle(request, complaint_id: int):
    item = _complaint_or_404(request.user, complaint_id)
    if not item.bundle or not item.bundle.name:
        raise Http404("Not forwarded.")
    name = str(item.bundle.name).rsplit("/", 1)[-1]
    return FileResponse(item.bundle.open("rb"), as_attachment=False, filename=name, content_type="application/pdf")


@staff_view
def attachment(request, complaint_id: int, attachment_id: int):
    item = _complaint_or_404(request.user, complaint_id)
    found = get_object_or_404(ComplaintAttachment, pk=attachment_id, complaint=item)
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
