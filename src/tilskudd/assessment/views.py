"""Assessment pages: my assessments, one assignment (declaration, then scoring), the case's summary.

Access: grantor staff only (:func:`staff_view`). The assignment page belongs to
its assessor alone — anyone else, also an assessor or caseworker of the same
grantor, gets 404 (the caseworker's view is the summary page). The summary is
for the grantor's caseworkers and approvers: another grantor's staff get 404,
the grantor's assessors and administrators 403 (assessors should not see each
other's scores while they score).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from tilskudd.applications import formbuilder
from tilskudd.assessment import forms, services
from tilskudd.assessment.models import Assignment
from tilskudd.assessment.services import AssessmentError, NotAssigned, Problem
from tilskudd.casework import scope
from tilskudd.casework.access import case_or_404, staff_view
from tilskudd.casework.facts import applied_for
from tilskudd.casework.models import Role
from tilskudd.core.text import pick

SECTION = {"casework_section": "assessments"}


def _errors(problems: list[Problem], prefix: str = "") -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """(summary [(anchor, text)], by field {field: [text]}) in the page's language."""
    summary: list[tuple[str, str]] = []
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        field = f"{prefix}{problem.field}" if problem.field else ""
        text = pick(get_language(), problem.nb, problem.en)
        summary.append((field, text))
        by_field.setdefault(field, []).append(text)
    return summary, by_field


# --- my assessments -----------------------------------------------------------------------------------------------


@staff_view
def mine(request):
    grantors = scope.grantor_numbers(request.user, Role.ASSESSOR)
    assignments = (
        Assignment.objects.filter(assessor=request.user, application__case__grantor_org_number__in=grantors)
        .select_related("application", "application__call", "application__organisation", "application__case")
        .select_related("application__assessment_lock")
        .order_by("application__case_number")
    )
    rows = []
    for assignment in assignments:
        locked = hasattr(assignment.application, "assessment_lock")
        state = services.state_of(assignment, locked=locked)
        rows.append(
            {
                "assignment": assignment,
                "application": assignment.application,
                "state": state,
                "state_text": services.STATE_TEXT[state],
            }
        )
    return render(request, "assessment/mine.html", {**SECTION, "rows": rows, "is_assessor": bool(grantors)})


# --- one assignment -----------------------------------------------------------------------------------------------

#: The states in which the assessor reads the submitted application beside the form: not before the
#: declaration of (dis)qualification, and not when disqualified.
READS_APPLICATION = ("to_score", "completed", "locked")


def _submitted_form(application) -> formbuilder.Form:
    """The application as it was submitted, for the read-only partial the case page uses."""
    uploads: dict[str, list[formbuilder.Uploaded]] = {}
    for attachment in application.attachment_files.all():
        uploads.setdefault(attachment.kind, []).append(
            formbuilder.Uploaded(attachment.pk, attachment.original_name, attachment.size, attachment.content_type)
        )
    return formbuilder.build_form(
        application.call_version.parsed(), application.submitted_content or {}, uploads=uploads
    )


def _scale_choices(criterion) -> list[tuple[str, str]]:
    labels = criterion.scale.labels
    choices = []
    for value in range(criterion.scale.min, criterion.scale.max + 1):
        label = labels.get(value)
        text = f"{value} – {label.get(request_language())}" if label else str(value)
        choices.append((str(value), text))
    choices.append((forms.NOT_APPLICABLE, pick(get_language(), "Ikke relevant", "Not applicable")))
    return choices


def request_language() -> str:
    return get_language() or "nb"


def _criteria_rows(criteria, stored: dict, data=None, by_field=None) -> list[dict]:
    """What the scoring form shows per criterion: the posted values on error, else the stored ones."""
    by_field = by_field or {}
    rows = []
    for criterion in criteria:
        if data is not None:
            chosen = data.get(criterion.id) or ""
            reason = data.get(f"{criterion.id}_reason", "")
        elif criterion.id in stored:
            value, reason = stored[criterion.id]
            chosen = forms.NOT_APPLICABLE if value is None else str(value)
        else:
            chosen, reason = "", ""
        rows.append(
            {
                "criterion": criterion,
                "choices": [
                    {"value": v, "text": t, "checked": v == chosen, "id": f"id_{criterion.id}_{i}"}
                    for i, (v, t) in enumerate(_scale_choices(criterion))
                ],
                "reason": reason,
                "errors": by_field.get(criterion.id, []),
                "reason_errors": by_field.get(f"{criterion.id}_reason", []),
            }
        )
    return rows


def _merged(criteria, *groups: list[Problem]) -> list[Problem]:
    """The problems in the form's order (criterion by criterion), each once."""
    order = {}
    for index, criterion in enumerate(criteria):
        order[criterion.id] = 2 * index
        order[f"{criterion.id}_reason"] = 2 * index + 1
    seen, merged = set(), []
    for problem in (p for group in groups for p in group):
        if (problem.field, problem.en) not in seen:
            seen.add((problem.field, problem.en))
            merged.append(problem)
    return sorted(merged, key=lambda p: order.get(p.field, len(order) * 2))


def _anchor(field: str, criteria) -> str:
    """The id an error summary entry links to."""
    ids = {c.id for c in criteria}
    if field in ids:
        return f"id_{field}_0"
    if field == "disqualified":
        return "id_disqualified_0"
    return f"id_{field}" if field else "assessment-form"


@staff_view
@require_http_methods(["GET", "POST"])
def assignment(request, assignment_id: int):
    found = (
        Assignment.objects.select_related(
            "application", "application__case", "application__call", "application__organisation"
        )
        .filter(pk=assignment_id, assessor=request.user)
        .first()
    )
    if found is None:
        raise Http404("no such assignment")
    case = case_or_404(request.user, found.application.case.pk, Role.ASSESSOR)
    application = found.application
    criteria = services.criteria_of(application)
    problems: list[Problem] = []
    posted = None
    if request.method == "POST":
        try:
            if "declare" in request.POST:
                disqualified, reason, problems = forms.parse_declaration(request.POST)
                if not problems:
                    services.declare(request.user, found.pk, disqualified, reason)
                    messages.success(
                        request,
                        pick(
                            get_language(),
                            "Erklæringen er lagret. Du er inhabil og skal ikke vurdere søknaden.",
                            "Your declaration is saved. You are disqualified and will not assess the application.",
                        )
                        if disqualified
                        else pick(
                            get_language(),
                            "Erklæringen er lagret. Du kan nå vurdere søknaden.",
                            "Your declaration is saved. You can now assess the application.",
                        ),
                    )
                    return redirect("assessment:assignment", assignment_id=found.pk)
            elif "score" in request.POST:
                posted = request.POST
                scores, amount, comment, problems = forms.parse_scores(request.POST, criteria)
                if problems and services.state_of(found) == "to_score":
                    # show every problem at once: the form's and the service's
                    amount_ok = None if any(p.field == "proposed_amount" for p in problems) else amount
                    problems = _merged(criteria, problems, services.score_problems(application, scores, amount_ok))
                if not problems:
                    completing = request.POST.get("score") == "complete"
                    with transaction.atomic():
                        services.save_scores(request.user, found.pk, scores, amount, comment)
                        if completing:
                            services.complete(request.user, found.pk)
                    messages.success(
                        request,
                        pick(get_language(), "Vurderingen er fullført.", "The assessment is completed.")
                        if completing
                        else pick(get_language(), "Vurderingen er lagret.", "The assessment is saved."),
                    )
                    return redirect("assessment:assignment", assignment_id=found.pk)
            else:
                problems = [Problem("", "Ukjent handling.", "Unknown action.")]
        except NotAssigned as error:
            raise Http404("no such assignment") from error
        except AssessmentError as error:
            problems = error.problems
        found.refresh_from_db()
    summary, by_field = _errors(problems)
    error_summary = [(_anchor(field, criteria), text) for field, text in summary]
    stored = {s.criterion: (s.value, s.reason) for s in found.scores.all()}
    locked = hasattr(application, "assessment_lock") and application.assessment_lock is not None
    state = services.state_of(found, locked=locked)
    context = {
        **SECTION,
        "assignment": found,
        "application": application,
        "case": case,
        "state": state,
        "state_text": services.STATE_TEXT[state],
        "criteria": criteria,
        "rows": _criteria_rows(criteria, stored, posted if problems else None, by_field),
        "stored": [(c, stored.get(c.id)) for c in criteria],
        "amount_applied": applied_for(application),
        "proposed_amount": (
            posted.get("proposed_amount", "") if posted is not None and problems else found.proposed_amount
        ),
        "comment": (posted.get("comment", "") if posted is not None and problems else found.comment),
        "declaration": {
            "choice": request.POST.get("disqualified", "") if request.method == "POST" else "",
            "reason": request.POST.get("disqualification_reason", "") if request.method == "POST" else "",
        },
        "error_summary": error_summary,
        "by_field": by_field,
        "can_score": state == "to_score",
        "submitted_form": _submitted_form(application) if state in READS_APPLICATION else None,
    }
    return render(request, "assessment/assignment.html", context, status=400 if problems else 200)


# --- the case's summary -------------------------------------------------------------------------------------------

DISAGREEMENT_TEXT = {
    "points": ("Vurdererne ligger 2 poeng eller mer fra hverandre", "The assessors are 2 points or more apart"),
    "applicability": (
        "Én vurderer mener kriteriet ikke er relevant, en annen har gitt poeng",
        "One assessor finds the criterion not applicable, another has scored it",
    ),
    "amount": ("Foreslåtte beløp skiller seg med mer enn 25 %", "The proposed amounts differ by more than 25 %"),
}


@staff_view
@require_http_methods(["GET", "POST"])
def summary(request, case_id: int):
    case = case_or_404(request.user, case_id, Role.CASEWORKER, Role.APPROVER)
    application = case.application
    criteria = services.criteria_of(application)
    problems: list[Problem] = []
    form = ""
    if request.method == "POST":
        try:
            if "assign" in request.POST:
                form = "assign"
                ids, problems = forms.parse_assign(request.POST)
                if not problems:
                    made = services.assign(request.user, case.pk, ids)
                    messages.success(
                        request,
                        pick(
                            get_language(),
                            f"{len(made)} fagvurderer(e) er tildelt.",
                            f"{len(made)} assessor(s) assigned.",
                        ),
                    )
                    return redirect("assessment:summary", case_id=case.pk)
            elif "unassign" in request.POST:
                form = "assign"
                services.unassign(request.user, forms.parse_id(request.POST.get("unassign")))
                messages.success(
                    request, pick(get_language(), "Tildelingen er tatt tilbake.", "The assignment is taken back.")
                )
                return redirect("assessment:summary", case_id=case.pk)
            elif "lock" in request.POST:
                form = "lock"
                moderated, note, problems = forms.parse_lock(request.POST, criteria)
                if not problems:
                    services.lock(request.user, case.pk, moderated, note)
                    messages.success(request, pick(get_language(), "Vurderingen er låst.", "The assessment is locked."))
                    return redirect("assessment:summary", case_id=case.pk)
            else:
                problems = [Problem("", "Ukjent handling.", "Unknown action.")]
        except (ValueError, AssessmentError) as error:
            problems = (
                error.problems
                if isinstance(error, AssessmentError)
                else [Problem("", "Ugyldig forespørsel.", "Invalid request.")]
            )
            if form == "lock":
                known = {c.id for c in criteria}
                problems = [
                    Problem(f"moderated_{p.field}" if p.field in known else p.field, p.nb, p.en) for p in problems
                ]
    result = services.summary(application)
    error_summary, by_field = _errors(problems)
    error_summary = [
        (f"id_{field}" if field else f"{form or 'assessment'}-form", text) for field, text in error_summary
    ]
    disagreements = {}
    amount_disagreement = None
    for found in result["disagreements"]:
        text = pick(get_language(), *DISAGREEMENT_TEXT[found.kind])
        if found.criterion is None:
            amount_disagreement = text
        else:
            disagreements[found.criterion] = text
    rows = []
    lock = result["lock"]
    for criterion in criteria:
        posted = request.POST.get(f"moderated_{criterion.id}") if form == "lock" and problems else None
        mean = result["combined"].means.get(criterion.id)
        rows.append(
            {
                "criterion": criterion,
                "cells": [_cell(row, criterion.id) for row in result["assessors"]],
                "mean": mean,
                "moderated_value": posted if posted is not None else ("" if mean is None else _plain(mean)),
                "locked": (lock.moderated_scores.get(criterion.id) if lock else None),
                "disagreement": disagreements.get(criterion.id),
                "errors": by_field.get(f"moderated_{criterion.id}", []),
            }
        )
    is_caseworker = scope.can_see_case(request.user, case, Role.CASEWORKER)
    assigned_ids = {row["assessor"].pk for row in result["assessors"]}
    context = {
        **SECTION,
        "case": case,
        "application": application,
        "result": result,
        "rows": rows,
        "amount_disagreement": amount_disagreement,
        "disagreement_count": len(result["disagreements"]),
        "lock": lock,
        "is_caseworker": is_caseworker,
        "may_lock": lock is None
        and application.status == "in_assessment"
        and any(r["counted"] for r in result["assessors"]),
        "waiting_for_completion": lock is None and not any(r["counted"] for r in result["assessors"]),
        "candidates": [p for p in services.assessors_of(case.grantor_org_number) if p.pk not in assigned_ids],
        "disqualified": [row for row in result["assessors"] if row["state"] == "disqualified"],
        "error_summary": error_summary,
        "by_field": by_field,
        "form": form,
        "note": request.POST.get("note", "") if form == "lock" else "",
    }
    return render(request, "assessment/summary.html", context, status=400 if problems else 200)


def _plain(value) -> str:
    """A Decimal without trailing zeros: 4.500 → 4.5, 4.000 → 4."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(row: dict, criterion_id: str) -> str:
    if row["state"] == "disqualified":
        return pick(get_language(), "Inhabil", "Disqualified")
    if criterion_id not in row["values"]:
        return pick(get_language(), "Ikke vurdert", "Not scored")
    value = row["values"][criterion_id]
    return pick(get_language(), "Ikke relevant", "Not applicable") if value is None else str(value)
