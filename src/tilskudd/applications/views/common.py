"""What the applicant's pages share: the application the person may see, names of statuses and
deadlines, and the form with every finding of the rule engine placed beside its field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from tilskudd.applications import formbuilder, permissions, services, told
from tilskudd.applications.models import Application
from tilskudd.applications.states import STATUS_EN, Status
from tilskudd.core.phrases import datetime_moment
from tilskudd.core.text import pick
from tilskudd.orgs.models import Membership, Organisation


def application_for(request, pk: int) -> Application:
    """The application if the person may see it; 404 otherwise (also for other organisations)."""
    application = get_object_or_404(Application.objects.select_related("organisation", "call", "call_version"), pk=pk)
    if not permissions.can_view(request.user, application):
        raise Http404("No such application.")
    return application


def memberships_of(user):
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
    return datetime_moment(deadline, get_language()).text


def status_name(status: str) -> str:
    return pick(get_language(), Status(status).label, STATUS_EN.get(Status(status), status))


def told_status_name(application: Application) -> str:
    """The status's name as the applicant may see it (``applications.told``): for the applicant's pages."""
    return status_name(told.status_of(application))


def uploads_of(application: Application) -> dict[str, list[formbuilder.Uploaded]]:
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


def checked_form(application: Application, document: dict[str, Any], *, extra_rows=None) -> Checked:
    """The form for ``document`` with every finding of the rule engine placed beside its field."""
    definition = application.call_version.parsed()
    form = formbuilder.build_form(definition, document, extra_rows=extra_rows, uploads=uploads_of(application))
    outcome = services.check(application)
    if outcome.format_errors:
        problems = formbuilder.format_errors(document, definition) or [
            formbuilder.Message(formbuilder.FORMAT_RULE, "error", text, text, formbuilder.loc_path(path.split(".")))
            for path, text in outcome.format_errors
        ]
        form.place(problems)
    form.place(formbuilder.finding_messages(outcome.findings))
    return Checked(form, outcome.can_submit, bool(outcome.format_errors))


def with_content(application: Application, document: dict[str, Any]) -> Application:
    """The application with ``document``'s editable parts as content, not saved (for a preview)."""
    application.content = {
        **application.content,
        **{key: document.get(key) for key in services.EDITABLE_KEYS if key in document},
    }
    return application
