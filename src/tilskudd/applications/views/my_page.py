"""«Min side»: for each of the person's organisations its applications, what is next, documents, open calls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.applications.models import Application, Document
from tilskudd.applications.services import signing_requests
from tilskudd.applications.states import DECIDED
from tilskudd.applications.views.common import memberships_of, organisation_url, status_name
from tilskudd.applications.views.decisions import completion_notice, published_decision
from tilskudd.applications.views.progress import next_step
from tilskudd.calls.models import Call
from tilskudd.core.phrases import datetime_moment
from tilskudd.core.text import pick
from tilskudd.orgs.models import Role

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
            rows.append(
                {
                    "application": application,
                    "title": application.title or pick(get_language(), "Uten tittel", "Untitled"),
                    "call_title": pick(
                        language, application.call.title_nb, application.call.title_en or application.call.title_nb
                    ),
                    "status": status_name(application.status),
                    "status_code": application.status,
                    "deadline": datetime_moment(application.call.deadline, language),
                    "next": next_step(application, now),
                    "documents": documents,
                    "decision": decision_info,
                    "completion_notice": completion_notice(application),
                    "waiting_for": signing_requests.waiting_request(application),
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
