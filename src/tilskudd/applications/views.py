"""The applicant's pages: start, fill in, check, sign, submit, withdraw, history and «Min side».

Thin views over ``services`` (the only place that changes state) and the pure
``formbuilder``. Every view checks the permission functions; an application
of another organisation is a 404, never a 403, so that its existence does not
leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tilskudd.applications import formbuilder, permissions, receipts, services
from tilskudd.applications.models import Application, Attachment, Document
from tilskudd.applications.states import DECIDED, STATUS_EN, Status
from tilskudd.audit.services import Audience, AuditAction
from tilskudd.audit.services import history as audit_history
from tilskudd.calls import presentation
from tilskudd.calls.models import Call
from tilskudd.orgs.models import Delegation, Membership, Organisation, Role

# --- helpers -----------------------------------------------------------------------------


def _pick(nb: str, en: str) -> str:
    return presentation.pick(get_language(), nb, en)


def _application(request, pk: int) -> Application:
    """The application if the person may see it; 404 otherwise (also for other organisations)."""
    application = get_object_or_404(Application.objects.select_related("organisation", "call", "call_version"), pk=pk)
    if not permissions.can_view(request.user, application):
        raise Http404("No such application.")
    return application


def _memberships(user):
    return (
        Membership.objects.filter(user=user, removed_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_url(organisation: Organisation, page: str = "edit") -> str:
    """Where the organisation's data is changed (``edit``) or shown (``profile``), or the list of them."""
    for name, args in ((f"orgs:{page}", [organisation.pk]), ("orgs:profile", [organisation.pk]), ("orgs:mine", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return "/organisasjoner/"


def deadline_text(deadline: dt.datetime) -> str:
    return presentation.format_datetime(deadline, get_language()).text


def status_name(status: str) -> str:
    return _pick(Status(status).label, STATUS_EN.get(Status(status), status))


def _uploads(application: Application) -> dict[str, list[formbuilder.Uploaded]]:
    found: dict[str, list[formbuilder.Uploaded]] = {}
    for attachment in application.attachment_files.all():
        found.setdefault(attachment.kind, []).append(
            formbuilder.Uploaded(attachment.pk, attachment.original_name, attachment.size, attachment.content_type)
        )
    return found


@dataclass
class Checked:
    form: formbuilder.Form
    can_submit: bool
    format_errors: bool


def _checked_form(application: Application, document: dict[str, Any], *, extra_rows=None) -> Checked:
    """The form for ``document`` with every finding of the rule engine placed beside its field."""
    definition = application.call_version.parsed()
    form = formbuilder.build_form(definition, document, extra_rows=extra_rows, uploads=_uploads(application))
    outcome = services.check(application)
    if outcome.format_errors:
        problems = formbuilder.format_errors(document, definition) or [
            formbuilder.Message(formbuilder.FORMAT_RULE, "error", text, text, formbuilder.loc_path(path.split(".")))
            for path, text in outcome.format_errors
        ]
        form.place(problems)
    form.place(formbuilder.finding_messages(outcome.findings))
    return Checked(form, outcome.can_submit, bool(outcome.format_errors))


def _with_content(application: Application, document: dict[str, Any]) -> Application:
    """The application with ``document``'s editable parts as content, not saved (for a preview)."""
    application.content = {
        **application.content,
        **{key: document.get(key) for key in services.EDITABLE_KEYS if key in document},
    }
    return application


def signature_state(application: Application) -> dict[str, Any]:
    """The valid signature, or why the last one no longer counts (``why``: ``changed`` or ``authority``)."""
    active = application.active_signature()
    if active is not None:
        if not application.is_editable and application.submitted_hash:
            # Submitted: the signature covers what was sent, whatever the organisation's profile says today.
            current = application.submitted_hash
        else:
            current = services.content_hash(services.exchange_document(application))
            if not permissions.may_still_sign(active, application):
                return {"signature": None, "voided": active, "changed": False, "why": "authority"}
        if active.content_hash != current:
            return {"signature": None, "voided": active, "changed": True, "why": "changed"}
        return {"signature": active, "voided": None, "changed": False, "why": ""}
    last = application.signatures.order_by("-signed_at").first()
    if last is not None and last.voided_reason == services.DELEGATION_REVOKED:
        return {"signature": None, "voided": last, "changed": False, "why": "authority"}
    return {"signature": None, "voided": last, "changed": last is not None, "why": "changed" if last else ""}


def signers(application: Application) -> list[dict[str, Any]]:
    """Who may sign: the organisation's confirmed signatories and the delegates whose authority covers the call."""
    people = []
    for member in Membership.objects.filter(
        organisation=application.organisation, role=Role.SIGNATORY, removed_at__isnull=True, confirmed_at__isnull=False
    ).select_related("user"):
        people.append({"name": member.user.get_full_name(), "title": member.title, "delegate": False})
    today = timezone.localdate()
    for delegation in Delegation.objects.filter(
        organisation=application.organisation, revoked_at__isnull=True, valid_until__gte=today
    ).select_related("delegate", "granted_by"):
        if delegation.covers(application.call_id, today):
            people.append(
                {
                    "name": delegation.delegate.get_full_name(),
                    "title": "",
                    "delegate": True,
                    "granted_by": delegation.granted_by.get_full_name(),
                    "valid_until": presentation.format_date(delegation.valid_until, get_language()).text,
                }
            )
    return people


def next_step(application: Application, now: dt.datetime, *, can_submit: bool | None = None) -> str:
    """What is expected of the applicant next, in plain words."""
    deadline = deadline_text(application.call.deadline)
    if application.status == Status.SUBMITTED:
        return _pick("Sendt inn – venter på behandling", "Submitted – waiting to be processed")
    if application.status == Status.WITHDRAWN:
        return _pick("Trukket – ingen ting mer å gjøre", "Withdrawn – nothing more to do")
    if application.status == Status.IN_ASSESSMENT:
        return _pick(
            "Til vurdering – dere får brev når vedtaket er gjort",
            "In assessment – you get a letter when the decision is made",
        )
    if application.status in (Status.GRANTED, Status.REFUSED, Status.REJECTED):
        return _pick("Vedtak er gjort – les brevet", "A decision is made – read the letter")
    if application.status == Status.REOPENED and application.reopened_until:
        until = deadline_text(application.reopened_until)
        if now > application.reopened_until:
            return _pick(
                f"Fristen for komplettering gikk ut {until}.", f"The deadline for completion passed on {until}."
            )
        return _pick(
            f"Åpnet for komplettering – send inn igjen før {until}",
            f"Reopened for completion – submit again before {until}",
        )
    if now > application.call.deadline:
        return _pick(
            f"Søknadsfristen gikk ut {deadline}. Søknaden kan ikke sendes inn.",
            f"The deadline passed on {deadline}. The application cannot be submitted.",
        )
    state = signature_state(application)
    if state["signature"] is not None:
        return _pick(f"Signert – send inn før {deadline}", f"Signed – submit before {deadline}")
    if can_submit is None:
        can_submit = services.check(application).can_submit
    if can_submit:
        return _pick("Venter på signatur", "Waiting for signature")
    prefix = (
        _pick("Åpnet for komplettering – ", "Reopened for completion – ")
        if application.status == Status.REOPENED
        else ""
    )
    return prefix + _pick(f"Fullfør og send inn før {deadline}", f"Complete and submit before {deadline}")


# --- casework seen by the applicant: completion requests and published decisions ---------------


def completion_notice(application: Application) -> str:
    """«<grantor> ber dere komplettere søknaden innen <dato kl.>: <melding>» while reopened for completion."""
    if application.status != Status.REOPENED or not application.reopened_until:
        return ""
    case = getattr(application, "case", None)
    grantor = (
        case.grantor_name
        if case is not None and case.grantor_name
        else application.call_version.parsed().grantor.name.nb
    )
    until_nb = presentation.format_datetime(application.reopened_until, "nb").text
    until_en = presentation.format_datetime(application.reopened_until, "en").text
    message = application.reopened_message.strip()
    return _pick(
        f"{grantor} ber dere komplettere søknaden innen {until_nb}" + (f": {message}" if message else "."),
        f"{grantor} asks you to complete the application by {until_en}" + (f": {message}" if message else "."),
    )


def published_decision(application: Application) -> dict[str, Any] | None:
    """The published decision (kind, amount, letter link); None before publication: nothing unpublished shows."""
    from tilskudd.grants.models import Decision  # noqa: PLC0415 - grants depends on applications, not the reverse
    from tilskudd.grants.states import DECISION_KIND_EN, DecisionKind, DecisionStatus  # noqa: PLC0415
    from tilskudd.rules.messages import nok  # noqa: PLC0415

    decision = (
        Decision.objects.filter(application=application, status=DecisionStatus.PUBLISHED)
        .select_related("letter")
        .order_by("-published_at")
        .first()
    )
    if decision is None:
        return None
    kind = DecisionKind(decision.kind)
    applied = int(((application.submitted_content or {}).get("budget") or {}).get("amount_applied") or 0)
    return {
        "decision": decision,
        "kind": kind.value,
        "kind_name": _pick(kind.label, DECISION_KIND_EN[kind]),
        "amount": nok(decision.amount) if kind == DecisionKind.GRANT else "",
        "partial": kind == DecisionKind.GRANT and applied and decision.amount < applied,
        "applied": nok(applied),
        "published_at": deadline_text(decision.published_at) if decision.published_at else "",
        "letter_url": reverse("applications:letter", args=[application.pk, decision.letter_id])
        if decision.letter_id
        else "",
    }


def _casework_context(application: Application) -> dict[str, Any]:
    return {"completion_notice": completion_notice(application), "decision_info": published_decision(application)}


# --- start ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request, slug: str):
    """Start an application to a call: choose the organisation, then a draft is made."""
    call = get_object_or_404(Call.objects.select_related("current_version"), slug=slug, current_version__isnull=False)
    now = timezone.now()
    memberships = list(_memberships(request.user))
    context: dict[str, Any] = {
        "call": call,
        "title": presentation.pick(get_language(), call.title_nb, call.title_en or call.title_nb),
        "deadline": deadline_text(call.deadline),
        "memberships": memberships,
        "closed": now > call.deadline,
        "new_organisation_url": "/organisasjoner/ny/",
    }
    if context["closed"] or not memberships:
        return render(request, "applications/start.html", context)
    allowed_types = ((call.current_version.definition.get("eligibility") or {}).get("applicant_types") or {}).get(
        "allowed"
    ) or []
    choices = []
    for member in memberships:
        organisation = member.organisation
        drafts = Application.objects.filter(
            organisation=organisation, call=call, status__in=[Status.DRAFT, Status.REOPENED]
        ).order_by("-updated_at")
        choices.append(
            {
                "organisation": organisation,
                "drafts": list(drafts),
                "eligible_type": not allowed_types or organisation.applicant_type in allowed_types,
                "type_name": presentation.applicant_types_text([organisation.applicant_type], get_language()),
            }
        )
    context["choices"] = choices
    context["allowed_types"] = presentation.applicant_types_text(allowed_types, get_language())
    if request.method == "POST":
        chosen = request.POST.get("organisation") or (
            str(memberships[0].organisation_id) if len(memberships) == 1 else ""
        )
        member = next((m for m in memberships if str(m.organisation_id) == chosen), None)
        if member is None:
            context["choice_error"] = _pick(
                "Velg hvilken organisasjon som søker.", "Choose which organisation applies."
            )
            return render(request, "applications/start.html", context, status=400)
        try:
            application = services.start_draft(request.user, member.organisation, call)
        except services.NotAllowed as refused:
            context["choice_error"] = _pick(refused.permission.reason_nb, refused.permission.reason_en)
            return render(request, "applications/start.html", context, status=403)
        messages.success(
            request,
            _pick(
                "Utkastet er laget. Det lagres hver gang du trykker «Lagre».",
                "The draft is made. It is saved each time you press “Save”.",
            ),
        )
        return redirect("applications:form", pk=application.pk)
    return render(request, "applications/start.html", context)


# --- the form ----------------------------------------------------------------------------------


def _form_context(request, application: Application, document: dict[str, Any], **extra) -> dict[str, Any]:
    checked = _checked_form(application, document, extra_rows=extra.pop("extra_rows", None))
    now = timezone.now()
    edit = permissions.can_edit(request.user, application)
    context = {
        "application": application,
        "call": application.call,
        "definition": application.call_version.parsed(),
        "form": checked.form,
        "can_submit": checked.can_submit,
        "has_format_errors": checked.format_errors,
        "can_edit": edit,
        "editable": bool(edit),
        "revision": extra.pop("revision", application.revision),
        "deadline": deadline_text(application.call.deadline),
        "closed": now > application.call.deadline,
        "organisation_url": organisation_url(application.organisation),
        "status_name": status_name(application.status),
        "state": signature_state(application)
        if not extra.get("stale")
        else {"signature": None, "voided": None, "changed": False},
        "language": get_language(),
        **_casework_context(application),
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
    application = _application(request, pk)
    if not application.is_editable:
        return redirect("applications:review", pk=application.pk)
    if request.method == "GET":
        document = services.exchange_document(application)
        context = _form_context(request, application, document, extra_rows=_extra_rows(request))
        return render(request, "applications/form.html", context)
    return _save(request, application, then="form")


def _save(request, application: Application, *, then: str):
    """Save what was posted; on a conflict show the person's own values again with the warning."""
    definition = application.call_version.parsed()
    document = services.exchange_document(application)
    parsed = formbuilder.apply_post(definition, document, request.POST)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        if parsed.changes:
            application = services.save_draft(request.user, application.pk, parsed.changes, revision)
    except services.StaleRevision:
        stale_app = _with_content(_application(request, application.pk), parsed.document)
        context = _form_context(
            request,
            stale_app,
            parsed.document,
            revision=revision,
            stale=True,
            extra_rows=parsed.extra_rows(),
        )
        return render(request, "applications/form.html", context, status=409)
    except services.NotAllowed as refused:
        messages.error(request, _pick(refused.permission.reason_nb, refused.permission.reason_en))
        return redirect("applications:review", pk=application.pk)
    if then != "form":
        return None
    if request.POST.get("_next") == "review":
        return redirect("applications:review", pk=application.pk)
    url = reverse("applications:form", args=[application.pk])
    query = {}
    if parsed.add:
        query = {"ny": parsed.add, "antall": parsed.extra_rows()[parsed.add]}
    if not parsed.add and not parsed.remove:
        saved_at = timezone.localtime().strftime("%H:%M")
        messages.success(
            request,
            _pick(f"Endringene er lagret kl. {saved_at}.", f"Your changes were saved at {saved_at}.")
            if parsed.changes
            else _pick("Ingen endringer å lagre.", "No changes to save."),
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
    application = _application(request, pk)
    if not permissions.can_edit(request.user, application):
        raise Http404("Not editable.")
    definition = application.call_version.parsed()
    parsed = formbuilder.apply_post(definition, services.exchange_document(application), request.POST)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = application.revision
    preview_app = _with_content(application, parsed.document)
    context = _form_context(request, preview_app, parsed.document, revision=revision, previewing=True)
    return render(request, "applications/_form_body.html", context)


@login_required
@require_POST
def attachments(request, pk: int):
    """Upload or remove an attachment (the form's own values are saved first, so nothing typed is lost)."""
    application = _application(request, pk)
    if not application.is_editable:
        return redirect("applications:review", pk=application.pk)
    from tilskudd.applications import attachments as attachment_service  # noqa: PLC0415 - another helper's module

    response = _save(request, application, then="attachments")
    if response is not None:
        return response
    kind = request.POST.get("_upload", "")
    remove = request.POST.get("_remove_attachment", "")
    anchor = formbuilder.html_id(f"attachments[{kind}]") if kind else ""
    try:
        if remove:
            attachment = get_object_or_404(Attachment, pk=remove, application=application)
            anchor = formbuilder.html_id(f"attachments[{attachment.kind}]")
            attachment_service.remove_attachment(request.user, attachment.pk)
            messages.success(
                request,
                _pick(f"«{attachment.original_name}» er fjernet.", f"“{attachment.original_name}” was removed."),
            )
        elif kind:
            uploaded = request.FILES.get(f"file-{kind}")
            if uploaded is None:
                messages.error(request, _pick("Velg en fil først.", "Choose a file first."))
            else:
                attachment = attachment_service.add_attachment(request.user, application.pk, kind, uploaded)
                messages.success(
                    request,
                    _pick(
                        f"«{attachment.original_name}» er lastet opp.", f"“{attachment.original_name}” was uploaded."
                    ),
                )
    except attachment_service.AttachmentRefused as refused:
        messages.error(request, _pick(refused.reason_nb, refused.reason_en))
    except services.NotAllowed as refused:
        messages.error(request, _pick(refused.permission.reason_nb, refused.permission.reason_en))
    url = reverse("applications:form", args=[application.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
def attachment_file(request, pk: int, attachment_id: int):
    """Download an attached file (only the organisation's own people)."""
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


# --- review, sign, submit ----------------------------------------------------------------------


def _review_context(request, application: Application, **extra) -> dict[str, Any]:
    if application.submitted_content and not application.is_editable:
        document = dict(application.submitted_content)
    else:
        document = services.exchange_document(application)
    definition = application.call_version.parsed()
    form = formbuilder.build_form(definition, document, uploads=_uploads(application))
    if application.is_editable:
        checked = _checked_form(application, document)
        form, can_submit_content = checked.form, checked.can_submit
    else:
        can_submit_content = True
    state = signature_state(application)
    now = timezone.now()
    sign_permission = permissions.can_sign(request.user, application)
    submit_permission = permissions.can_submit(request.user, application)
    context = {
        "application": application,
        "call": application.call,
        "definition": definition,
        "form": form,
        "language": get_language(),
        "can_submit_content": can_submit_content,
        "state": state,
        "signers": signers(application),
        "sign_permission": sign_permission,
        "submit_permission": submit_permission,
        "can_edit": permissions.can_edit(request.user, application),
        "can_withdraw": permissions.can_withdraw(request.user, application),
        "deadline": deadline_text(application.call.deadline),
        "closed": now > application.call.deadline,
        "status_name": status_name(application.status),
        "organisation_url": organisation_url(application.organisation),
        "signing_roles": definition.signing.roles,
        "submitted_at": deadline_text(application.submitted_at) if application.submitted_at else "",
        **_casework_context(application),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """The complete application read-only, who may sign, the signature; POST signs the revision shown."""
    application = _application(request, pk)
    if request.method == "GET":
        return render(request, "applications/review.html", _review_context(request, application))
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        services.sign(request.user, application.pk, revision)
    except services.NotAllowed as refused:
        context = _review_context(
            request, application, refusal=(refused.permission.reason_nb, refused.permission.reason_en)
        )
        return render(request, "applications/review.html", context, status=403)
    except services.StaleRevision:
        context = _review_context(
            request,
            _application(request, pk),
            refusal=(
                "Søknaden er endret siden du åpnet den. Les gjennom den nye versjonen før du signerer.",
                "The application changed after you opened it. Read the new version before you sign.",
            ),
        )
        return render(request, "applications/review.html", context, status=409)
    except services.SubmissionRefused as refused:
        context = _review_context(request, application, refusal=(refused.reason_nb, refused.reason_en))
        return render(request, "applications/review.html", context, status=409)
    messages.success(
        request,
        _pick("Søknaden er signert. Nå kan den sendes inn.", "The application is signed. It can now be submitted."),
    )
    return redirect("applications:review", pk=application.pk)


@login_required
@require_POST
def submit(request, pk: int):
    """Submit (idempotent in the service: a double click gives one submission and one case number)."""
    application = _application(request, pk)
    try:
        result = services.submit(request.user, application.pk)
    except services.NotAllowed as refused:
        context = _review_context(
            request, application, refusal=(refused.permission.reason_nb, refused.permission.reason_en)
        )
        return render(request, "applications/review.html", context, status=403)
    except services.SubmissionRefused as refused:
        findings = formbuilder.finding_messages(refused.findings)
        context = _review_context(
            request, application, refusal=(refused.reason_nb, refused.reason_en), refusal_findings=findings
        )
        return render(request, "applications/review.html", context, status=409)
    return redirect("applications:submitted", pk=result.application.pk)


@login_required
def submitted(request, pk: int):
    """The confirmation: the case number and the receipt."""
    application = _application(request, pk)
    if application.status == Status.DRAFT or not application.case_number:
        return redirect("applications:review", pk=application.pk)
    receipt = receipts.latest_receipt(application)
    context = {
        "application": application,
        "call": application.call,
        "receipt": receipt,
        "submitted_at": deadline_text(application.submitted_at) if application.submitted_at else "",
        "status_name": status_name(application.status),
        "email": request.user.email,
    }
    return render(request, "applications/submitted.html", context)


@login_required
def receipt_pdf(request, pk: int):
    """The receipt PDF (*kvittering*) if it has been made; else a page that says it is being made."""
    application = _application(request, pk)
    receipt = receipts.latest_receipt(application)
    if receipt is None or not receipt.file:
        if not application.case_number:
            raise Http404("No receipt: the application is not submitted.")
        response = render(request, "applications/receipt_pending.html", {"application": application}, status=202)
        response["Retry-After"] = "5"
        return response
    name = f"kvittering-{application.case_number.replace('/', '-')}.pdf"
    return FileResponse(receipt.file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf")


@login_required
def letter_pdf(request, pk: int, document_id: int):
    """A decision letter: only the organisation's members, and only once the decision is published."""
    from tilskudd.grants.models import Decision  # noqa: PLC0415
    from tilskudd.grants.states import DecisionStatus  # noqa: PLC0415

    application = _application(request, pk)
    decision = (
        Decision.objects.filter(application=application, letter_id=document_id, status=DecisionStatus.PUBLISHED)
        .select_related("letter")
        .first()
    )
    if decision is None or not decision.letter.file:
        raise Http404("No such letter.")
    name = decision.letter.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        decision.letter.file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf"
    )


# --- withdraw ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    """Withdraw a submitted application: a confirmation page with a reason, then the service."""
    application = _application(request, pk)
    permission = permissions.can_withdraw(request.user, application)
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "permission": permission,
        "status_name": status_name(application.status),
    }
    if request.method == "POST" and permission:
        reason = (request.POST.get("reason") or "").strip()
        context["reason"] = reason
        if not reason:
            context["reason_error"] = _pick(
                "Skriv hvorfor dere trekker søknaden.", "Write why you are withdrawing the application."
            )
            return render(request, "applications/withdraw.html", context, status=400)
        try:
            services.withdraw(request.user, application.pk, reason)
        except services.NotAllowed as refused:
            messages.error(request, _pick(refused.permission.reason_nb, refused.permission.reason_en))
            return redirect("applications:review", pk=application.pk)
        messages.success(
            request,
            _pick(
                f"Søknaden {application.case_number or ''} er trukket.".replace("  ", " "),
                f"Application {application.case_number or ''} has been withdrawn.".replace("  ", " "),
            ),
        )
        return redirect("applications:my_page")
    status = 200 if permission or request.method == "GET" else 409
    return render(request, "applications/withdraw.html", context, status=status)


# --- history -----------------------------------------------------------------------------------

PART_NAMES = {
    "grantor": ("tilskuddsforvalter", "grantor"),
    "areas": ("prioritert område", "priority area"),
    "joint": ("felles søknad", "joint application"),
    "contacts": ("kontaktpersoner", "contact persons"),
    "answers": ("svar", "answers"),
    "partners": ("samarbeidspartnere", "partners"),
    "budget": ("budsjett og finansiering", "budget and financing"),
}

ACTION_NAMES = {
    AuditAction.APPLICATION_CREATED: ("Utkastet ble laget", "The draft was made"),
    AuditAction.DRAFT_SAVED: ("Utkastet ble lagret", "The draft was saved"),
    AuditAction.APPLICATION_SIGNED: ("Søknaden ble signert", "The application was signed"),
    AuditAction.APPLICATION_SUBMITTED: ("Søknaden ble sendt inn", "The application was submitted"),
    AuditAction.APPLICATION_WITHDRAWN: ("Søknaden ble trukket", "The application was withdrawn"),
    AuditAction.APPLICATION_REOPENED: (
        "Søknaden ble åpnet for komplettering",
        "The application was reopened for completion",
    ),
    AuditAction.APPLICATION_ACCEPTED: ("Søknaden ble tatt til vurdering", "The application was taken into assessment"),
    AuditAction.APPLICATION_GRANTED: ("Vedtak: søknaden ble innvilget", "Decision: the application was granted"),
    AuditAction.APPLICATION_REFUSED: ("Vedtak: søknaden ble avslått", "Decision: the application was refused"),
    AuditAction.APPLICATION_REJECTED: ("Vedtak: søknaden ble avvist", "Decision: the application was rejected"),
    AuditAction.ATTACHMENT_ADDED: ("Et vedlegg ble lastet opp", "An attachment was uploaded"),
    AuditAction.ATTACHMENT_REMOVED: ("Et vedlegg ble fjernet", "An attachment was removed"),
    AuditAction.RECEIPT_CREATED: ("Kvitteringen ble laget", "The receipt was made"),
    AuditAction.RECEIPT_SENT: ("Kvitteringen ble sendt på e-post", "The receipt was sent by e-mail"),
}


def _event_details(event) -> list[str]:
    data = event.data or {}
    english = presentation.is_english(get_language())
    details = []
    if data.get("changed"):
        names = [PART_NAMES.get(key, (key, key))[1 if english else 0] for key in data["changed"]]
        details.append(_pick("Endret: ", "Changed: ") + ", ".join(names))
    if data.get("revision"):
        details.append(_pick(f"Versjon {data['revision']}", f"Revision {data['revision']}"))
    if data.get("capacity"):
        capacity = {
            "signatory": _pick("med signaturrett", "as signatory"),
            "delegate": _pick("med fullmakt", "by delegation"),
        }
        details.append(capacity.get(data["capacity"], data["capacity"]))
    if data.get("case_number"):
        details.append(_pick(f"Saksnummer {data['case_number']}", f"Case number {data['case_number']}"))
    if data.get("filename"):
        details.append(str(data["filename"]))
    if event.action == AuditAction.APPLICATION_GRANTED and data.get("amount") is not None:
        from tilskudd.rules.messages import nok  # noqa: PLC0415

        details.append(_pick("Beløp: ", "Amount: ") + nok(data["amount"]))
    if data.get("hash"):
        details.append(_pick("Sjekksum (SHA-256): ", "Checksum (SHA-256): ") + str(data["hash"]))
    if event.reason:
        details.append(_pick("Begrunnelse: ", "Reason: ") + event.reason)
    return details


@login_required
def history(request, pk: int):
    """Who changed what and when: the application's audit events the applicant may see (not the grantor's casework)."""
    application = _application(request, pk)
    english = presentation.is_english(get_language())
    events = []
    for event in audit_history(application, audience=Audience.APPLICANT).order_by("-at", "-id"):
        name = ACTION_NAMES.get(event.action)
        events.append(
            {
                "at": presentation.format_datetime(event.at, get_language()),
                "who": event.actor.get_full_name() if event.actor else _pick("Systemet", "The system"),
                "what": name[1 if english else 0] if name else event.action,
                "details": _event_details(event),
            }
        )
    context = {
        "application": application,
        "call": application.call,
        "events": events,
        "status_name": status_name(application.status),
    }
    return render(request, "applications/history.html", context)


# --- Min side ----------------------------------------------------------------------------------


@login_required
def my_page(request):
    """For each of the person's organisations: its applications, what is next, documents, open calls."""
    now = timezone.now()
    language = get_language()
    open_calls = list(
        Call.objects.select_related("current_version")
        .filter(current_version__isnull=False, deadline__gt=now)
        .order_by("deadline")
    )
    groups = []
    for member in _memberships(request.user):
        organisation = member.organisation
        rows = []
        applications = (
            Application.objects.filter(organisation=organisation)
            .select_related("call", "call_version", "organisation")
            .prefetch_related("documents")
            .order_by("-updated_at")
        )
        for application in applications:
            documents = [
                {
                    "label": _pick("Kvittering (PDF)", "Receipt (PDF)"),
                    "url": reverse("applications:receipt", args=[application.pk]),
                }
                for document in application.documents.all()
                if document.kind == Document.Kind.RECEIPT
            ]
            decision_info = published_decision(application) if application.status in DECIDED else None
            if decision_info and decision_info["letter_url"]:
                documents.append(
                    {"label": _pick("Vedtaksbrev (PDF)", "Decision letter (PDF)"), "url": decision_info["letter_url"]}
                )
            rows.append(
                {
                    "application": application,
                    "title": application.title or _pick("Uten tittel", "Untitled"),
                    "call_title": presentation.pick(
                        language, application.call.title_nb, application.call.title_en or application.call.title_nb
                    ),
                    "status": status_name(application.status),
                    "status_code": application.status,
                    "deadline": presentation.format_datetime(application.call.deadline, language),
                    "next": next_step(application, now),
                    "documents": documents,
                    "decision": decision_info,
                    "completion_notice": completion_notice(application),
                    "url": reverse(
                        "applications:form" if application.is_editable else "applications:review", args=[application.pk]
                    ),
                }
            )
        can_apply = []
        for call in open_calls:
            allowed = ((call.current_version.definition.get("eligibility") or {}).get("applicant_types") or {}).get(
                "allowed"
            ) or []
            allow_list = (call.current_version.definition.get("eligibility") or {}).get("allow_list") or {}
            if allowed and organisation.applicant_type not in allowed:
                continue
            if allow_list and organisation.org_number not in (allow_list.get("org_numbers") or []):
                continue
            can_apply.append(
                {
                    "call": call,
                    "title": presentation.pick(language, call.title_nb, call.title_en or call.title_nb),
                    "deadline": presentation.format_datetime(call.deadline, language),
                }
            )
        groups.append(
            {
                "organisation": organisation,
                "membership": member,
                "role": _pick(
                    Role(member.role).label,
                    {"member": "Member", "signatory": "Signatory", "administrator": "Administrator"}[member.role],
                ),
                "applications": rows,
                "open_calls": can_apply,
                "organisation_url": organisation_url(organisation, "profile"),
            }
        )
    context = {"groups": groups, "new_organisation_url": "/organisasjoner/ny/", "nav": "my_page"}
    return render(request, "applications/my_page.html", context)


__all__ = [
    "application_form",
    "attachment_file",
    "attachments",
    "history",
    "letter_pdf",
    "my_page",
    "next_step",
    "preview",
    "receipt_pdf",
    "review",
    "start",
    "submit",
    "submitted",
    "withdraw",
]
