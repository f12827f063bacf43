"""Upload, remove and download the application's attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.applications import attachments as attachment_service
from tilskudd.applications import formbuilder
from tilskudd.applications.models import Attachment
from tilskudd.applications.views import form_state
from tilskudd.applications.views.common import application_for
from tilskudd.applications.views.drafts import save_posted
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick
from tilskudd.core.views import reason_of


@login_required
@require_POST
def attachments(request, pk: int):
    """Upload or remove an attachment (the form's own values are saved first, so nothing typed is lost)."""
    application = application_for(request, pk)
    if not application.is_editable:
        return redirect("applications:review", pk=application.pk)
    response = save_posted(request, application, then="attachments")
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
                pick(
                    get_language(),
                    f"«{attachment.original_name}» er fjernet.",
                    f"“{attachment.original_name}” was removed.",
                ),
            )
        elif kind:
            # What happened to the file is said beside its upload field (issue #13, point 1); a file
            # already uploaded (same SHA-256) is noticed.
            uploaded = request.FILES.get(f"file-{kind}")
            if uploaded is None:
                note = ("error", "Velg en fil først.", "Choose a file first.")
            elif kind not in attachment_service.kinds_for(application):
                note = ("error", "Ukjent type vedlegg.", "Unknown kind of attachment.")
            else:
                note = form_state.upload(request, application, kind, uploaded)
            if note[0] == "ok":
                messages.success(request, form_state.said(note))
            else:
                form_state.remember(request, application.pk, notes={kind: [note]})
    except Refusal as refused:  # the file (AttachmentRefused) or the person (NotAllowed)
        messages.error(request, reason_of(refused))
    url = reverse("applications:form", args=[application.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
def attachment_file(request, pk: int, attachment_id: int):
    """Download an attached file (only the organisation's own people)."""
    application = application_for(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
