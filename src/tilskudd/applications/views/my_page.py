"""«Min side»: for each of the person's organisations its applications, what is next, documents, open calls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.applications import next_steps, told
from tilskudd.applications.models import Application, Document
from tilskudd.applications.services import signing_requests
from tilskudd.applications.states import DECIDED, Status
from tilskudd.applications.views.common import memberships_of, organisation_url, status_name
from tilskudd.applications.views.decisions import completion_notice, published_decision
from tilskudd.applications.views.progress import next_step
from tilskudd.calls.models import Call
from tilskudd.core.formatting import format_date
from tilskudd.core.phrases import datetime_moment
from tilskudd.core.text import pick
from tilskudd.orgs.models import Role

# --- Min side ----------------------------------------------------------------------------------


def display_title(application: Application, language: str | None) -> str:
    """The project title, or — where there is none yet (C2's form asks for none) — the call's title with
    «utkast» and the day it was started, or «søknad» and the day it was sent."""
    if application.title:
        return application.title
    call = application.call
    call_title = pick(language, call.title_nb, call.title_en or call.title_nb)
    if application.submitted_at is not None:
        day = format_date(timezone.localtime(application.submitted_at).date(), language)
        return pick(language, f"{call_title} – søknad sendt {day}", f"{call_title} – application sent {day}")
    day = format_date(timezone.localtime(application.created_at).date(), language)
    return pick(language, f"{call_title} – utkast {day}", f"{call_title} – draft {day}")


def url_of(application: Application) -> str:
    """Where the application opens: the form while it can be changed, the grant page once granted (issue #13,
    point 5), else the application as sent."""
    if application.is_editable:
        return reverse("applications:form", args=[application.pk])
    if application.status == Status.GRANTED:
        return reverse("grants:grant", args=[application.pk])
    return reverse("applications:review", args=[application.pk])


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
    for member in memberships_of(request.user):
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
                    "label": pick(get_language(), "Kvittering (PDF)", "Receipt (PDF)"),
                    "url": reverse("applications:receipt", args=[application.pk]),
                }
                for document in application.documents.all()
                if document.kind == Document.Kind.RECEIPT
            ]
            decision_info = published_decision(application) if application.status in DECIDED else None
            if decision_info and decision_info["letter_url"]:
                documents.append(
                    {
                        "label": pick(get_language(), "Vedtaksbrev (PDF)", "Decision letter (PDF)"),
                        "url": decision_info["letter_url"],
                    }
                )
            steps = next_steps.steps_of(application, timezone.localdate())
            due = next_steps.due_of(application, steps)
            status = told.status_of(application)  # as the applicant knows it: read once for the row
            rows.append(
                {
                    "application": application,
                    "title": display_title(application, language),
                    "call_title": pick(
                        language, application.call.title_nb, application.call.title_en or application.call.title_nb
                    ),
                    "status": status_name(status),
                    "status_code": status,
                    "deadline": next_steps.moment(due, language),
                    "next": next_step(application, now, status=status),
                    "steps": [
                        {
                            "text": step.text(language),
                            "due": step.due_moment(language),
                            "url": step.url,
                            "link": step.link(language),
                        }
                        for step in steps
                    ],
                    "documents": documents,
                    "decision": decision_info,
                    "completion_notice": completion_notice(application),
                    "waiting_for": signing_requests.waiting_request(application),
                    "url": url_of(application),
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
                    "title": pick(language, call.title_nb, call.title_en or call.title_nb),
                    "deadline": datetime_moment(call.deadline, language),
                }
            )
        groups.append(
            {
                "organisation": organisation,
                "membership": member,
                "role": pick(
                    get_language(),
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
