"""Start an application and fill in the form: save («Lagre») and the htmx preview."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tilskudd.applications import formbuilder, permissions, services
from tilskudd.applications.formbuilder import calm
from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.applications.views import form_state
from tilskudd.applications.views.common import (
    application_for,
    checked_form,
    deadline_text,
    memberships_of,
    organisation_url,
    told_status_name,
    with_content,
)
from tilskudd.applications.views.decisions import casework_context
from tilskudd.applications.views.my_page import display_title
from tilskudd.applications.views.progress import signature_state
from tilskudd.calls import presentation
from tilskudd.calls.models import Call
from tilskudd.core.formatting import format_time
from tilskudd.core.refusals import NotAllowed
from tilskudd.core.text import pick
from tilskudd.core.views import reason_of

# --- start ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request, slug: str):
    """Start an application to a call: choose the organisation, then a draft is made."""
    call = get_object_or_404(Call.objects.select_related("current_version"), slug=slug, current_version__isnull=False)
    now = timezone.now()
    memberships = list(memberships_of(request.user))
    context: dict[str, Any] = {
        "call": call,
        "title": pick(get_language(), call.title_nb, call.title_en or call.title_nb),
        "deadline": deadline_text(call.deadline),
        "memberships": memberships,
        "closed": now > call.deadline,
        "new_organisation_url": "/organisasjoner/ny/",
    }
    if context["closed"] or not memberships:
        return render(request, "applications/start.html", context)
    definition = call.current_version.definition if call.current_version else {}
    allowed_types = ((definition.get("eligibility") or {}).get("applicant_types") or {}).get("allowed") or []
    choices = []
    for member in memberships:
        organisation = member.organisation
        drafts = Application.objects.filter(
            organisation=organisation, call=call, status__in=[Status.DRAFT, Status.REOPENED]
        ).order_by("-updated_at")
        choices.append(
            {
                "organisation": organisation,
                "drafts": [{"pk": d.pk, "title": display_title(d, get_language())} for d in drafts],
                "eligible_type": not allowed_types or organisation.applicant_type in allowed_types,
                "type_name": presentation.applicant_types_text([organisation.applicant_type], get_language()),
            }
        )
    context["choices"] = choices
    context["has_drafts"] = any(choice["drafts"] for choice in choices)
    context["allowed_types"] = presentation.applicant_types_text(allowed_types, get_language())
    if request.method == "POST":
        chosen = request.POST.get("organisation") or (
            str(memberships[0].organisation_id) if len(memberships) == 1 else ""
        )
        member = next((m for m in memberships if str(m.organisation_id) == chosen), None)
        if member is None:
            context["choice_error"] = pick(
                get_language(), "Velg hvilken organisasjon som søker.", "Choose which organisation applies."
            )
            return render(request, "applications/start.html", context, status=400)
        drafts_of_chosen = next(c["drafts"] for c in choices if c["organisation"].pk == member.organisation_id)
        if drafts_of_chosen and request.POST.get("another") != "yes":
            # «Start søknad» twice opens the draft there is and says so; a second one only when asked (issue #13, point 5).
            messages.info(
                request,
                pick(
                    get_language(),
                    f"{member.organisation.name} har allerede et utkast til denne utlysningen, så vi åpnet det i stedet "
                    "for å lage et nytt. Vil dere sende en søknad til, velg «Start en ny søknad i tillegg» på siden "
                    "«Start en søknad».",
                    f"{member.organisation.name} already has a draft for this call, so we opened it instead of making "
                    "a new one. To send another application, choose “Start another application” on the page “Start an "
                    "application”.",
                ),
            )
            return redirect("applications:form", pk=drafts_of_chosen[0]["pk"])
        try:
            application = services.start_draft(request.user, member.organisation, call)
        except NotAllowed as refused:
            context["choice_error"] = reason_of(refused)
            return render(request, "applications/start.html", context, status=403)
        messages.success(
            request,
            pick(
                get_language(),
                "Utkastet er laget. Det du skriver, lagres mens du skriver.",
                "The draft is made. What you type is saved as you type.",
            ),
        )
        return redirect("applications:form", pk=application.pk)
    return render(request, "applications/start.html", context)


# --- the form ----------------------------------------------------------------------------------


def _form_context(request, application: Application, document: dict[str, Any], **extra) -> dict[str, Any]:
    """The form's context, calm (issue #13, point 2): a finding shows beside a field once it is filled in or
    left (``touched``), and the summary only when the person asked for a check, pressed «Lagre» or chose
    a file that could not be attached."""
    checked = checked_form(application, document, extra_rows=extra.pop("extra_rows", None))
    state = extra.pop("state", None) or form_state.state_of(request, application.pk)
    notes = extra.pop("notes", None) or {}
    all_clear = not checked.form.errors
    tasks = calm.progress(checked.form)
    show_summary = bool(state.checked or extra.get("stale") or any(n[0] != "ok" for v in notes.values() for n in v))
    if not state.checked:
        calm.calm_down(checked.form, state.touched)
    checked.form.place(form_state.note_messages({k: [n for n in v if n[0] != "ok"] for k, v in notes.items()}))
    now = timezone.now()
    edit = permissions.can_edit(request.user, application)
    context = {
        "application": application,
        "call": application.call,
        "definition": application.call_version.parsed(),
        "form": checked.form,
        "can_submit": checked.can_submit,
        "has_format_errors": checked.format_errors,
        "show_summary": show_summary,
        "all_clear": all_clear,
        "tasks": tasks,
        "touched": sorted(state.touched),
        "can_edit": edit,
        "editable": bool(edit),
        "revision": extra.pop("revision", application.revision),
        "deadline": deadline_text(application.call.deadline),
        "closed": now > application.call.deadline,
        "organisation_url": organisation_url(application.organisation),
        "status_name": told_status_name(application),
        "state": signature_state(application)
        if not extra.get("stale")
        else {"signature": None, "voided": None, "changed": False},
        "language": get_language(),
        **casework_context(application),
    }
    context.update(extra)
    return context


def _extra_rows(request) -> dict[str, int]:
    path = request.GET.get("ny")
    if not path:
        return {}
    try:
        count = max(1, min(10, int(request.GET.get("antall", "1"))))
    except ValueError:
        count = 1
    return {path: count}


@login_required
@require_http_methods(["GET", "POST"])
def application_form(request, pk: int):
    """The application form: GET shows it with every check; POST saves («Lagre») and shows it again."""
    application = application_for(request, pk)
    if not application.is_editable:
        return redirect("applications:review", pk=application.pk)
    if request.method == "GET":
        document = services.exchange_document(application)
        notes = form_state.take_notes(request, application.pk)
        context = _form_context(request, application, document, extra_rows=_extra_rows(request), notes=notes)
        return render(request, "applications/form.html", context)
    return save_posted(request, application, then="form")


def save_posted(request, application: Application, *, then: str):
    """Save what was posted; on a conflict show the person's own values again with the warning."""
    definition = application.call_version.parsed()
    document = services.exchange_document(application)
    parsed = formbuilder.apply_post(definition, document, request.POST)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    pressed = then == "form" and not parsed.add and not parsed.remove  # «Lagre», «Sjekk søknaden» or onward
    state = form_state.remember(
        request, application.pk, touched=form_state.posted_touched(request), checked=True if pressed else None
    )
    try:
        if parsed.changes:
            application = services.save_draft(request.user, application.pk, parsed.changes, revision)
    except services.StaleRevision:
        stale_app = with_content(application_for(request, application.pk), parsed.document)
        context = _form_context(
            request,
            stale_app,
            parsed.document,
            revision=revision,
            stale=True,
            state=state,
            extra_rows=parsed.extra_rows(),
        )
        return render(request, "applications/form.html", context, status=409)
    except NotAllowed as refused:
        messages.error(request, reason_of(refused))
        return redirect("applications:review", pk=application.pk)
    if then != "form":
        return None
    notes = form_state.upload_chosen(request, application)  # a chosen file goes with «Lagre» too
    for note in (n for kind_notes in notes.values() for n in kind_notes if n[0] == "ok"):
        messages.success(request, form_state.said(note))
    trouble = {kind: [n for n in kind_notes if n[0] != "ok"] for kind, kind_notes in notes.items()}
    trouble = {kind: kind_notes for kind, kind_notes in trouble.items() if kind_notes}
    if trouble:
        form_state.remember(request, application.pk, notes=trouble)
        return redirect(reverse("applications:form", args=[application.pk]) + "#error-summary")
    if request.POST.get("_next") == "review":
        return redirect("applications:review", pk=application.pk)
    if request.POST.get("_check"):
        return redirect(reverse("applications:form", args=[application.pk]) + "#error-summary")
    url = reverse("applications:form", args=[application.pk])
    query = {}
    if parsed.add:
        query = {"ny": parsed.add, "antall": parsed.extra_rows()[parsed.add]}
    if not parsed.add and not parsed.remove:
        saved_at = format_time(timezone.now(), seconds=False)
        messages.success(
            request,
            pick(get_language(), f"Endringene er lagret kl. {saved_at}.", f"Your changes were saved at {saved_at}.")
            if parsed.changes
            else pick(get_language(), "Ingen endringer å lagre.", "No changes to save."),
        )
    if query:
        url += "?" + urlencode(query)
    if parsed.anchor:
        url += "#" + parsed.anchor
    return redirect(url)


@login_required
@require_POST
def preview(request, pk: int):
    """htmx: the form again with what is typed (not saved), after a choice that shows or hides questions."""
    application = application_for(request, pk)
    if not permissions.can_edit(request.user, application):
        raise Http404("Not editable.")
    definition = application.call_version.parsed()
    parsed = formbuilder.apply_post(definition, services.exchange_document(application), request.POST)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = application.revision
    state = form_state.remember(request, application.pk, touched=form_state.posted_touched(request))
    preview_app = with_content(application, parsed.document)
    context = _form_context(request, preview_app, parsed.document, revision=revision, previewing=True, state=state)
    return render(request, "applications/_form_body.html", context)


def _said(nb: str, en: str) -> str:
    return pick(get_language(), nb, en)


@login_required
@require_POST
def autosave(request, pk: int):
    """Save what is typed as the person types (issue #13, point 1): JSON with the new revision and a quiet status.

    409 when someone else saved after this page's revision (nothing is saved; the page keeps what was
    typed), 403 when the draft may not be changed, 400 without a readable revision. Files are not
    uploaded here; «Lagre» and «Last opp» do that.
    """
    application = application_for(request, pk)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        return JsonResponse(
            {
                "error": _said(
                    "Skjemaet mangler versjonsnummer. Last siden på nytt.", "The form has no revision. Reload."
                )
            },
            status=400,
        )
    allowed = permissions.can_edit(request.user, application)
    if not application.is_editable or not allowed:
        reason = _said(allowed.reason_nb, allowed.reason_en) if not allowed else ""
        return JsonResponse(
            {"error": reason or _said("Søknaden kan ikke endres.", "It cannot be changed.")}, status=403
        )
    form_state.remember(request, application.pk, touched=form_state.posted_touched(request))
    parsed = formbuilder.apply_post(
        application.call_version.parsed(), services.exchange_document(application), request.POST
    )
    if parsed.add or parsed.remove:
        return JsonResponse({"error": _said("Bruk knappene i skjemaet.", "Use the form's buttons.")}, status=400)
    try:
        if parsed.changes:
            application = services.save_draft(request.user, application.pk, parsed.changes, revision)
        elif revision != application.revision:
            raise services.StaleRevision()
    except services.StaleRevision:
        return JsonResponse(
            {
                "stale": True,
                "error": _said(
                    "Noen andre har lagret endringer i søknaden etter at du åpnet den, så det du skrev sist er "
                    "ikke lagret. Det står fortsatt i skjemaet. Kopier det du vil ta vare på, og last siden på nytt.",
                    "Someone else saved changes to the application after you opened it, so what you typed last "
                    "was not saved. It is still in the form. Copy what you want to keep, then reload the page.",
                ),
                "reload": reverse("applications:form", args=[application.pk]),
                "reload_text": _said("Last siden på nytt", "Reload the page"),
            },
            status=409,
        )
    except NotAllowed as refused:
        return JsonResponse({"error": reason_of(refused)}, status=403)
    saved_at = format_time(timezone.now(), seconds=False)
    return JsonResponse(
        {
            "saved": bool(parsed.changes),
            "revision": application.revision,
            "status": _said(f"Lagret kl. {saved_at}", f"Saved at {saved_at}")
            if parsed.changes
            else _said("Ingen endringer å lagre", "No changes to save"),
            **_checked_fields(request, application),
        }
    )


#: Inputs whose findings autosave redraws in place (a choice redraws the form through the preview).
_PLAIN_KINDS = {"text", "textarea", "number", "money", "decimal", "date", "email", "tel", "select"}


def _checked_fields(request, application: Application) -> dict[str, Any]:
    """The findings beside each plain input as the calm form shows them now, and the task list: the page puts
    them beside a field once it is left, without a reload (issue #13, point 2)."""
    context = _form_context(request, application, services.exchange_document(application))
    fields = {}
    for widget in context["form"].widgets():
        for item in [*widget.inputs, *(i for row in widget.rows for i in row.inputs)]:
            if item.kind in _PLAIN_KINDS:
                fields[item.id] = {
                    "invalid": bool(item.errors),
                    "messages": render_to_string("applications/_messages.html", {"target": item}, request).strip(),
                }
    return {
        "fields": fields,
        "tasks": render_to_string("applications/_task_list.html", {"tasks": context["tasks"]}, request),
    }
