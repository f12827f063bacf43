"""Review, sign, submit, the confirmation with the receipt, and withdraw."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tilskudd.applications import formbuilder, permissions, receipts, services
from tilskudd.applications.attachments import AttachmentRefused
from tilskudd.applications.models import Application
from tilskudd.applications.role_proof_upload import upload_role_proof
from tilskudd.applications.services import signing_requests
from tilskudd.applications.states import Status
from tilskudd.applications.views.common import (
    application_for,
    checked_form,
    deadline_text,
    organisation_url,
    told_status_name,
    uploads_of,
)
from tilskudd.applications.views.decisions import casework_context
from tilskudd.applications.views.progress import signature_state, signers
from tilskudd.core.refusals import NotAllowed
from tilskudd.core.text import pick
from tilskudd.core.views import reason_of
from tilskudd.orgs.permissions import membership
from tilskudd.orgs.services import role_proofs, staff_confirmation

# --- review, sign, submit ----------------------------------------------------------------------


def _grantor_name(application: Application) -> str:
    """The grantor that handles the application, and so confirms its organisation's people (C2-R02:
    the municipality the application is addressed to, else the call's grantor)."""
    definition = application.call_version.parsed()
    chosen = (application.content or {}).get("grantor")
    if chosen and definition.local_grantors:
        for grantor in definition.local_grantors.municipalities:
            if grantor.org_number == chosen:
                return grantor.name.nb
    return definition.grantor.name.nb


def _confirmation_context(request, application: Application, signers_found: list) -> dict[str, Any]:
    """Who confirms signing authority and the person's own access, how, how long; the proof they uploaded."""
    member = membership(request.user, application.organisation)
    waiting = member is not None and not member.is_confirmed
    return {
        "membership": member,
        "access_waiting": waiting,
        "show_confirmation_help": application.is_editable and (waiting or not signers_found),
        "confirming_grantor": _grantor_name(application),
        "confirmation_days": staff_confirmation.usual_confirmation_days(),
        "role_proofs": list(member.role_proofs.all()) if member is not None else [],
        "proof_permission": role_proofs.can_upload_role_proof(request.user, member) if waiting else None,
    }


def _review_page(request, application: Application, status: int = 200, **extra):
    """The review page, with ``extra`` (a refusal's reasons, an upload's) in the context, answering ``status``."""
    return render(request, "applications/review.html", _review_context(request, application, **extra), status=status)


def _review_context(request, application: Application, **extra) -> dict[str, Any]:
    if application.submitted_content and not application.is_editable:
        document = dict(application.submitted_content)
    else:
        document = services.exchange_document(application)
    definition = application.call_version.parsed()
    form = formbuilder.build_form(definition, document, uploads=uploads_of(application))
    if application.is_editable:
        checked = checked_form(application, document)
        form, can_submit_content = checked.form, checked.can_submit
    else:
        can_submit_content = True
    state = signature_state(application)
    now = timezone.now()
    sign_permission = permissions.can_sign(request.user, application)
    submit_permission = permissions.can_submit(request.user, application)
    found_signers = signers(application)
    context = {
        "application": application,
        "call": application.call,
        "definition": definition,
        "form": form,
        "language": get_language(),
        "can_submit_content": can_submit_content,
        "state": state,
        "signers": found_signers,
        "signing_request": signing_requests.waiting_request(application),
        "send_permission": signing_requests.can_send_for_signing(request.user, application),
        **_confirmation_context(request, application, found_signers),
        "sign_permission": sign_permission,
        "submit_permission": submit_permission,
        "can_edit": permissions.can_edit(request.user, application),
        "can_withdraw": permissions.can_withdraw(request.user, application),
        "deadline": deadline_text(application.call.deadline),
        "closed": now > application.call.deadline,
        "status_name": told_status_name(application),
        "organisation_url": organisation_url(application.organisation),
        "signing_roles": definition.signing.roles,
        "submitted_at": deadline_text(application.submitted_at) if application.submitted_at else "",
        **casework_context(application),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """The complete application read-only, who may sign, the signature; POST signs the revision shown."""
    application = application_for(request, pk)
    if request.method == "GET":
        if application.status == Status.GRANTED and request.GET.get("vis") != "soknad":
            # A granted application opens on its grant page (issue #13, point 5); «Søknaden» links here with ?vis=soknad.
            return redirect("grants:grant", pk=application.pk)
        return _review_page(request, application)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        services.sign(request.user, application.pk, revision)
    except NotAllowed as refused:
        return _review_page(request, application, 403, refusal=refused.reasons)
    except services.StaleRevision:
        return _review_page(
            request,
            application_for(request, pk),
            409,
            refusal=(
                "Søknaden er endret siden du åpnet den. Les gjennom den nye versjonen før du signerer.",
                "The application changed after you opened it. Read the new version before you sign.",
            ),
        )
    except services.SubmissionRefused as refused:
        return _review_page(request, application, 409, refusal=refused.reasons)
    messages.success(
        request,
        pick(
            get_language(),
            "Søknaden er signert. Nå kan den sendes inn.",
            "The application is signed. It can now be submitted.",
        ),
    )
    return redirect("applications:review", pk=application.pk)


@login_required
@require_POST
def send_for_signing(request, pk: int):
    """«Send til signering»: notify the signatories (once an hour at most) and show whom it waits for."""
    application = application_for(request, pk)
    link = request.build_absolute_uri(reverse("applications:review", args=[application.pk]))
    try:
        outcome = signing_requests.send_for_signing(request.user, application.pk, link=link)
    except NotAllowed as refused:
        return _review_page(request, application, 403, refusal=refused.reasons)
    names = ", ".join(outcome.request.names)
    if outcome.notified:
        messages.success(
            request,
            pick(
                get_language(),
                f"Søknaden er sendt til signering. Vi har sendt e-post til {names}.",
                f"The application has been sent for signing. We have e-mailed {names}.",
            ),
        )
    else:
        when = outcome.request.sent_at
        messages.info(
            request,
            pick(
                get_language(),
                f"Søknaden ble sendt til signering {deadline_text(when)}. Vi sender ikke ny e-post før det har "
                "gått en time.",
                f"The application was sent for signing {deadline_text(when)}. We send no new e-mail until an "
                "hour has passed.",
            ),
        )
    return redirect(reverse("applications:review", args=[application.pk]) + "#signature")


@login_required
@require_POST
def role_proof(request, pk: int):
    """Upload proof of one's role (board minutes, a power of attorney) for the grantor who confirms access."""
    application = application_for(request, pk)
    member = membership(request.user, application.organisation)
    if member is None:
        raise Http404("No such membership.")
    try:
        upload_role_proof(request.user, member.pk, request.FILES.get("proof"))
    except NotAllowed as refused:
        return _review_page(request, application, 403, refusal=refused.reasons)
    except AttachmentRefused as refused:
        return _review_page(request, application, 400, proof_error=refused.reasons)
    messages.success(
        request,
        pick(
            get_language(),
            "Dokumentasjonen er lastet opp. Tilskuddsforvalteren ser den når de bekrefter tilgangen din.",
            "The document has been uploaded. The grantor sees it when they confirm your access.",
        ),
    )
    return redirect(reverse("applications:review", args=[application.pk]) + "#role-proof")


@login_required
@require_POST
def submit(request, pk: int):
    """Submit (idempotent in the service: a double click gives one submission and one case number)."""
    application = application_for(request, pk)
    try:
        result = services.submit(request.user, application.pk)
    except NotAllowed as refused:
        return _review_page(request, application, 403, refusal=refused.reasons)
    except services.SubmissionRefused as refused:
        findings = formbuilder.finding_messages(refused.findings)
        return _review_page(request, application, 409, refusal=refused.reasons, refusal_findings=findings)
    return redirect("applications:submitted", pk=result.application.pk)


@login_required
def submitted(request, pk: int):
    """The confirmation: the case number and the receipt."""
    application = application_for(request, pk)
    if application.status == Status.DRAFT or not application.case_number:
        return redirect("applications:review", pk=application.pk)
    receipt = receipts.latest_receipt(application)
    context = {
        "application": application,
        "call": application.call,
        "receipt": receipt,
        "submitted_at": deadline_text(application.submitted_at) if application.submitted_at else "",
        "status_name": told_status_name(application),
        "email": request.user.email,
    }
    return render(request, "applications/submitted.html", context)


@login_required
def receipt_pdf(request, pk: int):
    """The receipt PDF (*kvittering*) if it has been made; else a page that says it is being made."""
    application = application_for(request, pk)
    receipt = receipts.latest_receipt(application)
    if receipt is None or not receipt.file:
        if not application.case_number:
            raise Http404("No receipt: the application is not submitted.")
        response = render(request, "applications/receipt_pending.html", {"application": application}, status=202)
        response["Retry-After"] = "5"
        return response
    name = f"kvittering-{application.case_number.replace('/', '-')}.pdf"
    return FileResponse(receipt.file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf")


# --- withdraw ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    """Withdraw a submitted application: a confirmation page with a reason, then the service."""
    application = application_for(request, pk)
    permission = permissions.can_withdraw(request.user, application)
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "permission": permission,
        "status_name": told_status_name(application),
    }
    if request.method == "POST" and permission:
        reason = (request.POST.get("reason") or "").strip()
        context["reason"] = reason
        if not reason:
            context["reason_error"] = pick(
                get_language(), "Skriv hvorfor dere trekker søknaden.", "Write why you are withdrawing the application."
            )
            return render(request, "applications/withdraw.html", context, status=400)
        try:
            services.withdraw(request.user, application.pk, reason)
        except NotAllowed as refused:
            messages.error(request, reason_of(refused))
            return redirect("applications:review", pk=application.pk)
        messages.success(
            request,
            pick(
                get_language(),
                f"Søknaden {application.case_number or ''} er trukket.".replace("  ", " "),
                f"Application {application.case_number or ''} has been withdrawn.".replace("  ", " "),
            ),
        )
        return redirect("applications:my_page")
    status = 200 if permission or request.method == "GET" else 409
    return render(request, "applications/withdraw.html", context, status=status)
