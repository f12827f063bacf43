"""Staff pages for decisions: prepare, approvals, the decision with its letter preview, publish.

Thin over ``grants.decisions.services``; scope by ``casework.access`` (404 outside the
person's grantors, 403 with the reason for a missing role).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from tilskudd.assessment import services as assessment_services
from tilskudd.audit.labels import action_label
from tilskudd.audit.services import history
from tilskudd.casework import facts as case_facts
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing, call_or_404, case_or_404, staff_view
from tilskudd.casework.models import Case, Role
from tilskudd.core.formatting import format_decimal, format_nok
from tilskudd.core.text import pick
from tilskudd.core.views import reason_of
from tilskudd.grants.allocation.frames import AllocationRefused
from tilskudd.grants.decisions import letters, services
from tilskudd.grants.decisions.forms import DecisionForm, ReturnForm, past_period_warning, period_defaults
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DECISION_KIND_EN, DECISION_STATUS_EN, DecisionKind, DecisionStatus

#: What the services refuse with and the form shows (the frame's FrameExceeded is an AllocationRefused); a missing
#: role is not among them: it becomes the 403 page.
REFUSALS = (services.DecisionRefused, AllocationRefused)


def kind_name(kind: str) -> str:
    return pick(get_language(), DecisionKind(kind).label, DECISION_KIND_EN[DecisionKind(kind)])


def status_name(status: str) -> str:
    return pick(get_language(), DecisionStatus(status).label, DECISION_STATUS_EN[DecisionStatus(status)])


def decision_events(item: Decision) -> list[dict]:
    """The decision's history in words: the event's name and the status it moved to (issue #13, point 9)."""
    shown = []
    for event in history(item):
        state = ""
        if event.to_state in DecisionStatus.values:
            state = status_name(event.to_state)
        shown.append(
            {
                "at": event.at,
                "actor": event.actor,
                "what": action_label(event.action, get_language()),
                "state": state,
                "reason": event.reason,
            }
        )
    return shown


#: What a disagreement among the assessors is, in words (as on the assessment summary).
DISAGREEMENT_WORDS = {
    "points": ("ligger 2 poeng eller mer fra hverandre", "are 2 points or more apart"),
    "applicability": ("er uenige om kriteriet er relevant", "disagree on whether the criterion applies"),
    "amount": ("foreslår beløp som skiller seg med mer enn 25 %", "propose amounts more than 25 % apart"),
}


def assessment_for_approver(application) -> dict:
    """The counted assessors' scores, totals and proposed amounts, and where they disagree, for the decision page
    (issue #13, point 8): the approver sees what the decision rests on without leaving the page."""
    found = assessment_services.summary(application)
    language = get_language()
    counted = [row for row in found["assessors"] if row["counted"]]
    labels = {c.id: pick(language, c.label.nb, c.label.en or c.label.nb) for c in found["criteria"]}
    not_applicable = pick(language, "Ikke relevant", "Not applicable")

    def shown(values, criterion):
        if criterion not in values:
            return "–"
        value = values[criterion]
        return not_applicable if value is None else str(value)

    disagreements = []
    for item in found["disagreements"]:
        nb, en = DISAGREEMENT_WORDS.get(item.kind, (item.kind, item.kind))
        where = labels.get(item.criterion, "") if item.criterion else pick(language, "Beløpet", "The amount")
        disagreements.append(f"{where}: {pick(language, 'vurdererne', 'the assessors')} {pick(language, nb, en)}")
    return {
        "assessors": [row["assessor"].get_full_name() for row in counted],
        "criteria": [
            {"label": labels[c.id], "values": [shown(row["values"], c.id) for row in counted]}
            for c in found["criteria"]
        ],
        "totals": ["–" if row["total"] is None else format_decimal(row["total"], language, 2) for row in counted],
        "amounts": ["–" if row["proposed_amount"] is None else format_nok(row["proposed_amount"]) for row in counted],
        "disagreements": disagreements,
    }


def _later_years(definition) -> list[int]:
    multi = definition.multi_year
    if not multi.allowed:
        return []
    years = (multi.max_years or multi.normal_years or 1) - 1
    return [definition.year + i for i in range(1, max(years, 0) + 1)]


def _decision_rows(decisions, user):
    rows = []
    for decision in decisions:
        rows.append(
            {
                "decision": decision,
                "kind": kind_name(decision.kind),
                "status": status_name(decision.status),
                "amount": format_nok(decision.amount) if decision.kind == DecisionKind.GRANT else "",
                "own": decision.prepared_by_id == user.pk,
            }
        )
    return rows


@staff_view
@require_http_methods(["GET", "POST"])
def prepare(request, case_id: int):
    case = case_or_404(request.user, case_id, Role.CASEWORKER)
    application = case.application
    definition = application.call_version.parsed()
    year = definition.year
    later = _later_years(definition)
    active = services.active_decision(application)
    allocation = services.allocation_amount(application, year)
    initial = {
        "kind": DecisionKind.GRANT,
        "amount": allocation,
        "conditions": services.default_conditions(application),
        **period_defaults(year, later),
    }
    for each in later:
        initial[f"later_{each}"] = services.allocation_amount(application, each)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = DecisionForm(request.POST, definition=definition, later_years=later)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = services.prepare_decision(
                    request.user,
                    application.pk,
                    data["kind"],
                    amount=data["amount"],
                    reasons=data["reasons"],
                    conditions=data["conditions"],
                    extra_conditions=data["extra_conditions"],
                    later_years=form.commitments(),
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    report_due=data["report_due"],
                    acceptance_due=data["acceptance_due"],
                    **form.payment_plan(),
                )
            except REFUSALS as error:
                errors.append(("", reason_of(error)))
            else:
                messages.success(
                    request,
                    pick(
                        get_language(),
                        "Vedtaket er laget og venter på godkjenning.",
                        "The decision is prepared and awaits approval.",
                    ),
                )
                return redirect("grants:decision", decision_id=decision.pk)
        else:
            errors.extend((form[name].auto_id, f"{form[name].label}: {' '.join(e)}") for name, e in form.errors.items())
    else:
        form = DecisionForm(initial=initial, definition=definition, later_years=later)
    conditions = [
        {
            "id": c.id,
            "rule": c.rule,
            "text": pick(get_language(), c.text.nb, c.text.en or c.text.nb),
            "applies": c.id in {a.id for a in services.applicable_conditions(application)},
            "areas": ", ".join(c.areas or []),
        }
        for c in definition.grant_conditions
    ]
    context = {
        "casework_section": "calls",
        "case": case,
        "application": application,
        "form": form,
        "errors": errors,
        "year": year,
        "amount_applied": format_nok(case_facts.applied_for(application)),
        "allocation": format_nok(allocation) if allocation is not None else "",
        "conditions": conditions,
        "active": active,
        "active_kind": kind_name(active.kind) if active else "",
        "active_status": status_name(active.status) if active else "",
        "events": decision_events(active) if active else [],
        "decisions": _decision_rows(application.decisions.all().select_related("prepared_by"), request.user),
        "period_warning": past_period_warning(form),
    }
    return render(request, "grants/decision_prepare.html", context, status=400 if errors else 200)


@staff_view
def approvals(request):
    numbers = scope.grantor_numbers(request.user, Role.APPROVER)
    if not numbers:
        raise RoleMissing(Role.APPROVER)
    waiting = (
        Decision.objects.filter(status=DecisionStatus.PREPARED, application__case__grantor_org_number__in=numbers)
        .select_related(
            "application", "application__organisation", "application__call", "application__case", "prepared_by"
        )
        .order_by("prepared_at")
    )
    ready = (
        Decision.objects.filter(status=DecisionStatus.APPROVED, application__case__grantor_org_number__in=numbers)
        .values("application__call__slug", "application__call__title_nb", "application__call__title_en")
        .annotate(count=Count("id"))
        .order_by("application__call__slug")
    )
    context = {
        "casework_section": "approvals",
        "rows": _decision_rows(waiting, request.user),
        "ready": [
            {
                "slug": r["application__call__slug"],
                "title": pick(
                    get_language(),
                    r["application__call__title_nb"],
                    r["application__call__title_en"] or r["application__call__title_nb"],
                ),
                "count": r["count"],
            }
            for r in ready
        ],
    }
    return render(request, "grants/approvals.html", context)


def _decision_or_404(user, decision_id: int) -> Decision:
    decision = (
        Decision.objects.select_related("application", "application__case", "prepared_by", "approved_by")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or not hasattr(decision.application, "case"):
        raise Http404("no such decision")
    case_or_404(user, decision.application.case.pk, Role.CASEWORKER, Role.APPROVER)
    return decision


@staff_view
@require_http_methods(["GET", "POST"])
def decision(request, decision_id: int):
    item = _decision_or_404(request.user, decision_id)
    case = item.application.case
    return_form = ReturnForm()
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                services.approve(request.user, item.pk)
                messages.success(request, pick(get_language(), "Vedtaket er godkjent.", "The decision is approved."))
            elif "return" in request.POST:
                return_form = ReturnForm(request.POST)
                services.return_decision(request.user, item.pk, request.POST.get("reason", ""))
                messages.success(
                    request,
                    pick(
                        get_language(),
                        "Vedtaket er sendt tilbake til saksbehandleren.",
                        "The decision is returned to the caseworker.",
                    ),
                )
            elif "cancel" in request.POST:
                services.cancel(request.user, item.pk)
                messages.success(request, pick(get_language(), "Vedtaket er avbrutt.", "The decision is cancelled."))
            else:
                return HttpResponse(status=400)
        except REFUSALS as error:
            anchor = "id_reason" if "return" in request.POST else ""
            errors.append((anchor, reason_of(error)))
        else:
            return redirect("grants:decision", decision_id=item.pk)
        item.refresh_from_db()
    user = request.user
    is_approver = scope.can_see_case(user, case, Role.APPROVER)
    is_caseworker = scope.can_see_case(user, case, Role.CASEWORKER)
    own = item.prepared_by_id == user.pk
    facts = letters.letter_facts(item)
    context = {
        "casework_section": "approvals" if is_approver else "calls",
        "decision": item,
        "case": case,
        "application": item.application,
        "kind": kind_name(item.kind),
        "status": status_name(item.status),
        "amount": format_nok(item.amount),
        "facts": facts,
        "events": decision_events(item),
        "assessment": assessment_for_approver(item.application),
        "errors": errors,
        "return_form": return_form,
        "can_approve": is_approver and not own and item.status == DecisionStatus.PREPARED,
        "own_and_approver": is_approver and own and item.status == DecisionStatus.PREPARED,
        "can_return": is_approver and item.status in (DecisionStatus.PREPARED, DecisionStatus.APPROVED),
        "can_cancel": is_caseworker and item.status == DecisionStatus.PREPARED,
        "publish_url": reverse("grants:publish", args=[item.application.call.slug])
        if is_approver and item.status == DecisionStatus.APPROVED
        else "",
    }
    return render(request, "grants/decision.html", context, status=400 if errors else 200)


@staff_view
def letter_preview(request, decision_id: int):
    item = _decision_or_404(request.user, decision_id)
    pdf = letters.letter_pdf(item, preview=item.status != DecisionStatus.PUBLISHED)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="utkast-{letters.letter_filename(item)}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@require_http_methods(["GET", "POST"])
def publish(request, slug: str):
    call = call_or_404(request.user, slug)
    grantors = sorted(scope.call_grantors(request.user, call) & scope.grantor_numbers(request.user, Role.APPROVER))
    if not grantors:
        raise RoleMissing(Role.APPROVER)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        grantor = request.POST.get("grantor") or grantors[0]
        if grantor not in grantors:
            raise RoleMissing(Role.APPROVER)
        try:
            published = services.publish(request.user, call, grantor)
        except REFUSALS as error:
            errors.append(("", reason_of(error)))
        else:
            if published:
                messages.success(
                    request,
                    pick(
                        get_language(),
                        f"{len(published)} vedtak er sendt til søkerne sammen.",
                        f"{len(published)} decisions have been sent to the applicants together.",
                    ),
                )
            else:
                messages.info(
                    request, pick(get_language(), "Ingen godkjente vedtak å sende.", "No approved decisions to send.")
                )
            return redirect("grants:publish", slug=call.slug)
    groups = []
    for grantor in grantors:
        pending = services.publishable(call, grantor)
        counts = {row["kind"]: row["n"] for row in pending.values("kind").annotate(n=Count("id"))}
        total = pending.filter(kind=DecisionKind.GRANT).aggregate(s=Sum("amount"))["s"] or 0
        name = Case.objects.filter(grantor_org_number=grantor).values_list("grantor_name", flat=True).first() or grantor
        groups.append(
            {
                "grantor": grantor,
                "name": name,
                "rows": _decision_rows(pending.select_related("prepared_by"), request.user),
                "counts": [(kind_name(k), counts.get(k.value, 0)) for k in DecisionKind],
                "total": format_nok(total),
                "count": sum(counts.values()),
                "no_frame": "" if services.has_frame(call, grantor) else reason_of(services.FrameMissing(call)),
            }
        )
    context = {
        "casework_section": "calls",
        "call": call,
        "call_title": pick(get_language(), call.title_nb, call.title_en or call.title_nb),
        "groups": groups,
        "errors": errors,
    }
    return render(request, "grants/publish.html", context, status=400 if errors else 200)
