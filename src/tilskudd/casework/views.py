"""Intake and screening pages for grantor staff: the overview, a call's queue, the case, staff administration.

Thin views over ``services`` (the only place that changes state) and
``scope`` (the only place that decides what a person may see). A case or call
outside the person's grantors answers 404; a missing role answers 403 with
the reason.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tilskudd.applications import formbuilder
from tilskudd.applications.models import Attachment
from tilskudd.applications.states import AFTER_SUBMISSION, STATUS_EN, Status
from tilskudd.audit.actions import AuditAction
from tilskudd.audit.labels import action_label
from tilskudd.audit.services import history as audit_history
from tilskudd.calls import presentation
from tilskudd.casework import duplicates, scope, search, services, signals
from tilskudd.casework.access import (
    READING_ROLES,
    NotAssignedToYou,
    RoleMissing,
    call_or_404,
    case_or_404,
    readable_case_or_404,
    staff_view,
)
from tilskudd.casework.forms import (
    AcceptForm,
    AssignForm,
    CompletionForm,
    JobTitleForm,
    QueueFilterForm,
    RejectionForm,
    StaffRoleForm,
)
from tilskudd.casework.models import ROLE_EN, Role, ScreeningOutcome, StaffInvitation, StaffProfile, StaffRole
from tilskudd.core.formatting import format_datetime, format_number
from tilskudd.core.text import pick
from tilskudd.core.views import reason_of
from tilskudd.orgs.models import Organisation
from tilskudd.rules.reference import county_name


def status_name(status: str) -> str:
    return pick(get_language(), Status(status).label, STATUS_EN.get(Status(status), status))


def role_name(role: str) -> str:
    return pick(get_language(), Role(role).label, ROLE_EN[Role(role)])


def _moment(value) -> str:
    return str(format_datetime(value, get_language())) if value else ""


# --- the overview ------------------------------------------------------------------------


@staff_view
def dashboard(request):
    """The person's grantors and roles, and per call the number of cases in each status."""
    user = request.user
    grantors: dict[int, dict[str, Any]] = {}
    for staff_role in scope.roles(user).order_by("grantor__name", "role"):
        entry = grantors.setdefault(staff_role.grantor_id, {"grantor": staff_role.grantor, "roles": [], "admin": False})
        entry["roles"].append(role_name(staff_role.role))
        entry["admin"] = entry["admin"] or staff_role.role == Role.ADMINISTRATOR
    calls = []
    for call in scope.calls(user).order_by("-deadline", "slug"):
        counts = services.status_counts(user, call)
        calls.append(
            {
                "call": call,
                "title": pick(get_language(), call.title_nb, call.title_en or call.title_nb),
                "deadline": _moment(call.deadline),
                "counts": [(status_name(s), counts.get(s, 0)) for s in AFTER_SUBMISSION],
                "total": sum(counts.values()),
            }
        )
    return render(
        request,
        "casework/dashboard.html",
        {"grantors": list(grantors.values()), "calls": calls, "casework_section": "calls"},
    )


# --- the queue -----------------------------------------------------------------------------


def _area_choices(definition) -> list[tuple[str, str]]:
    if definition.areas is None:
        return []
    choices = []
    for area in definition.areas.items:
        title = presentation.text_in(area.title, get_language())
        choices.append((area.id, title if title.startswith(f"{area.id} ") else f"{area.id}: {title}"))
    return choices


def _grantor_choices(user, call) -> list[tuple[str, str]]:
    numbers = scope.grantor_numbers(user) & (scope.call_grantors_of(call) | {call.grantor_org_number})
    names = dict(Organisation.objects.filter(org_number__in=numbers).values_list("org_number", "name"))
    return sorted(((n, names.get(n, n)) for n in numbers), key=lambda item: item[1])


QUEUE_PAGE_SIZE = 50
PAGE_PARAM = "side"


def _pages(request, page, *, over: bool = False) -> dict[str, Any] | None:
    """The pagination control: «Viser 1–50 av 12 345», Forrige/Neste and the pages near this one (None for one page).

    ``over``: the count stopped at the search's cap, so «av over 1 000»."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    kept = [(key, value) for key, value in request.GET.items() if key != PAGE_PARAM]

    def url(number: int) -> str:
        return "?" + urlencode([*kept, (PAGE_PARAM, number)])

    language = get_language()
    near = sorted(
        {1, paginator.num_pages, *range(max(1, page.number - 2), min(paginator.num_pages, page.number + 2) + 1)}
    )
    links: list[dict[str, Any]] = []
    for number in near:
        if links and number - links[-1]["number"] > 1:
            links.append({"number": number - 1, "gap": True})
        links.append({"number": number, "url": url(number), "current": number == page.number, "gap": False})
    first, last = page.start_index(), page.end_index()
    total = format_number(paginator.count, language)
    return {
        "showing": pick(
            language,
            f"Viser {format_number(first, language)}–{format_number(last, language)} av {'over ' if over else ''}{total}",
            f"Showing {format_number(first, language)}–{format_number(last, language)} of {'over ' if over else ''}{total}",
        ),
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "links": links,
    }


class CountedPaginator(Paginator):
    """A paginator told its count (the running totals, ``casework.totals``) instead of counting the query's rows."""

    def __init__(self, object_list, per_page, *, counted: int | None = None):
        super().__init__(object_list, per_page)
        if counted is not None:
            self.__dict__["count"] = counted  # the cached_property's value


@staff_view
def queue(request, slug: str):
    """The call's cases of the person's grantors, with filters and a search box (GET, works without JS)."""
    call = call_or_404(request.user, slug)
    grantors = _grantor_choices(request.user, call)
    reading = scope.grantor_numbers(request.user, *READING_ROLES)  # one query, not one per grantor
    if not any(number in reading for number, _name in grantors):
        raise NotAssignedToYou()
    definition = call.definition
    show_flagged = duplicates.has_local_grantors(call)
    form = QueueFilterForm(
        request.GET or None,
        areas=_area_choices(definition),
        grantors=grantors,
        show_flagged=show_flagged,
        offices=services.offices(request.user, call),
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    cases = services.queue_cases(request.user, call, filters)
    counted = services.queue_count(request.user, call, filters)
    over = False
    if counted is None and search.capped(cases):  # a common word: count to the cap, not every match
        counted = cases[: search.CAP + 1].count()
        over = counted > search.CAP
        counted = min(counted, search.CAP)  # the pages of the first CAP; the search narrows the rest
    page = CountedPaginator(cases, QUEUE_PAGE_SIZE, counted=counted).get_page(request.GET.get(PAGE_PARAM))
    rows = services.queue_rows(call, list(page.object_list))
    areas = dict(_area_choices(definition))
    shown = [
        {
            "row": row,
            "status": status_name(row.application.status),
            "areas": [areas.get(a, a) for a in row.areas],
            "county": county_name(row.county) if row.county else "",
            "flagged": bool(row.flag and row.flag.flagged),
        }
        for row in rows
    ]
    context = {
        "call": call,
        "title": pick(get_language(), call.title_nb, call.title_en or call.title_nb),
        "form": form,
        "entries": form.error_entries() if form.is_bound else [],
        "rows": shown,
        "count": page.paginator.count,
        "count_text": format_number(page.paginator.count, get_language()),
        "over": over,
        "pages": _pages(request, page, over=over),
        "filtered": bool(filters),
        "several_grantors": len(grantors) > 1,
        "show_flagged": show_flagged,
        "casework_section": "calls",
    }
    return render(request, "casework/queue.html", context)


# --- the case --------------------------------------------------------------------------------


def _uploads(application) -> dict[str, list[formbuilder.Uploaded]]:
    found: dict[str, list[formbuilder.Uploaded]] = {}
    for attachment in application.attachment_files.all():
        found.setdefault(attachment.kind, []).append(
            formbuilder.Uploaded(attachment.pk, attachment.original_name, attachment.size, attachment.content_type)
        )
    return found


def _findings(application, definition) -> list[dict[str, str]]:
    language = get_language()
    shown = []
    for finding in application.submitted_findings or []:
        field = finding.get("field") or ""
        shown.append(
            {
                "rule_id": finding.get("rule_id", ""),
                "severity": finding.get("severity", ""),
                "is_error": finding.get("severity") == "error",
                "message": pick(
                    get_language(),
                    finding.get("message_nb", ""),
                    finding.get("message_en") or finding.get("message_nb", ""),
                ),
                "field": presentation.path_words(definition, field, language) if field else "",
                "path": field,
            }
        )
    return shown


def _event_details(event) -> list[str]:
    data = event.data or {}
    details = []
    if data.get("reopened_until"):
        moment = parse_datetime(data["reopened_until"])
        details.append(pick(get_language(), "Frist: ", "Deadline: ") + _moment(moment))
    if data.get("case_number"):
        details.append(pick(get_language(), f"Saksnummer {data['case_number']}", f"Case number {data['case_number']}"))
    if event.action == AuditAction.CASE_ASSIGNED:
        details.append(data.get("caseworker") or pick(get_language(), "Ingen saksbehandler", "No caseworker"))
    if event.action == AuditAction.CASE_OPENED:
        where = ", ".join(v for v in (data.get("office"), data.get("contact")) if v)
        if where:
            details.append(where)
    if event.reason:
        details.append(pick(get_language(), "Begrunnelse: ", "Reason: ") + event.reason)
    return details


def _history(case) -> list[dict[str, Any]]:
    events = sorted([*audit_history(case.application), *audit_history(case)], key=lambda e: (e.at, e.pk), reverse=True)
    shown = []
    for event in events:
        shown.append(
            {
                "at": _moment(event.at),
                "iso": event.at.isoformat(),
                "who": event.actor.get_full_name() if event.actor else pick(get_language(), "Systemet", "The system"),
                "what": action_label(event.action, get_language()),
                "details": _event_details(event),
            }
        )
    return shown


def _completed(case) -> bool:
    """The applicant resubmitted after being asked to complete."""
    return (
        case.screening == ScreeningOutcome.COMPLETION_REQUESTED
        and case.application.status == Status.SUBMITTED
        and audit_history(case).filter(action=AuditAction.CASE_COMPLETED).exists()
    )


def _case_context(request, case, **extra) -> dict[str, Any]:
    user = request.user
    application = case.application
    definition = application.call_version.parsed()
    is_caseworker = scope.can_see_case(user, case, Role.CASEWORKER)
    may_assign = scope.can_see_case(user, case, Role.CASEWORKER, Role.ADMINISTRATOR)
    status = application.status
    can_reject = status in (Status.SUBMITTED, Status.REOPENED, Status.IN_ASSESSMENT)
    context = {
        "case": case,
        "application": application,
        "call": application.call,
        "call_title": pick(
            get_language(), application.call.title_nb, application.call.title_en or application.call.title_nb
        ),
        "definition": definition,
        "form": formbuilder.build_form(definition, application.submitted_content or {}, uploads=_uploads(application)),
        "language": get_language(),
        "status_name": status_name(status),
        "screening_name": pick(get_language(), ScreeningOutcome(case.screening).label, _SCREENING_EN[case.screening]),
        "submitted_at": _moment(application.submitted_at),
        "screened_at": _moment(case.screened_at),
        "reopened_until": _moment(application.reopened_until),
        "completed": _completed(case),
        "findings": _findings(application, definition),
        "flag": duplicates.flag_for(case),
        "attachments": list(application.attachment_files.all()),
        "amount_applied": case.amount_applied,
        "county": county_name(case.county) if case.county else "",
        "is_caseworker": is_caseworker,
        "may_accept": is_caseworker and status == Status.SUBMITTED,
        "may_request_completion": is_caseworker and status == Status.SUBMITTED,
        "may_reject": is_caseworker and can_reject and not _has_active_decision(application),
        "may_assign": may_assign,
        "accept_form": AcceptForm(),
        "completion_form": CompletionForm(),
        "rejection_form": RejectionForm(),
        "assign_form": AssignForm(
            initial={"caseworker": case.caseworker_id}, caseworkers=services.caseworkers(case.grantor_org_number)
        )
        if may_assign
        else None,
        "history": _history(case),
        "entries": [],
        "casework_section": "calls",
    }
    context.update(extra)
    return context


def _has_active_decision(application) -> bool:
    return signals.has_active_decision(application)


_SCREENING_EN = {
    ScreeningOutcome.NOT_SCREENED: "Not screened",
    ScreeningOutcome.ACCEPTED: "Accepted for assessment",
    ScreeningOutcome.COMPLETION_REQUESTED: "Asked to complete",
    ScreeningOutcome.REJECTION_PROPOSED: "Proposed for rejection",
}


@staff_view
def case(request, case_id: int):
    """The submitted application read-only, its findings, routing, duplicate flags, screening and history."""
    found = readable_case_or_404(request.user, case_id)
    return render(request, "casework/case.html", _case_context(request, found))


@staff_view
def attachment(request, case_id: int, attachment_id: int):
    """Download an attachment of a case the person may see."""
    found = readable_case_or_404(request.user, case_id)
    attached = get_object_or_404(Attachment, pk=attachment_id, application=found.application)
    response = FileResponse(
        attached.file.open("rb"),
        as_attachment=True,
        filename=attached.original_name,
        content_type=attached.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _refused(request, found, form_name: str, form, entries, status: int):
    context = _case_context(request, found, **{form_name: form, "entries": entries})
    return render(request, "casework/case.html", context, status=status)


def _done(request, found, nb: str, en: str):
    messages.success(request, pick(get_language(), nb, en))
    return redirect("casework:case", case_id=found.pk)


def _case_action(request, case_id: int, roles, form_name: str, make_form, act, done: tuple[str, str]):
    """One screening action on a case: the role, the form, the service; errors re-render the case page.

    A form error answers 400 and a refusal by the service 409; neither changes anything.
    """
    found = case_or_404(request.user, case_id, *roles)
    form = make_form(found)
    if not form.is_valid():
        return _refused(request, found, form_name, form, form.error_entries(), 400)
    try:
        act(found, form)
    except services.CaseworkRefused as refused:
        return _refused(request, found, form_name, form, [("", reason_of(refused))], 409)
    return _done(request, found, *done)


@staff_view
@require_POST
def accept(request, case_id: int):
    return _case_action(
        request,
        case_id,
        (Role.CASEWORKER,),
        "accept_form",
        lambda found: AcceptForm(request.POST),
        lambda found, form: services.accept(request.user, found.pk, form.cleaned_data["note"]),
        ("Søknaden er godtatt til vurdering.", "The application was accepted for assessment."),
    )


@staff_view
@require_POST
def request_completion(request, case_id: int):
    return _case_action(
        request,
        case_id,
        (Role.CASEWORKER,),
        "completion_form",
        lambda found: CompletionForm(request.POST),
        lambda found, form: services.request_completion(
            request.user, found.pk, form.cleaned_data["message"], form.deadline_moment
        ),
        (
            "Søknaden er åpnet for komplettering, og søkeren har fått e-post.",
            "The application was reopened for completion, and the applicant was e-mailed.",
        ),
    )


@staff_view
@require_POST
def propose_rejection(request, case_id: int):
    return _case_action(
        request,
        case_id,
        (Role.CASEWORKER,),
        "rejection_form",
        lambda found: RejectionForm(request.POST),
        lambda found, form: services.propose_rejection(request.user, found.pk, form.cleaned_data["reasons"]),
        (
            "Avvisning er foreslått. Et vedtak om avvisning venter på godkjenning.",
            "Rejection was proposed. A rejection decision awaits approval.",
        ),
    )


@staff_view
@require_POST
def assign(request, case_id: int):
    return _case_action(
        request,
        case_id,
        (Role.CASEWORKER, Role.ADMINISTRATOR),
        "assign_form",
        lambda found: AssignForm(request.POST, caseworkers=services.caseworkers(found.grantor_org_number)),
        lambda found, form: services.assign_caseworker(request.user, found.pk, form.cleaned_data["caseworker"]),
        ("Saksbehandler er lagret.", "The caseworker was saved."),
    )


# --- staff administration ----------------------------------------------------------------------


def _grantor_or_404(user, org_id: int) -> Organisation:
    grantor = Organisation.objects.filter(pk=org_id).first()
    if grantor is None or not scope.has_role(user, grantor.org_number):
        raise Http404("no such grantor")
    if not scope.has_role(user, grantor.org_number, Role.ADMINISTRATOR):
        raise RoleMissing(Role.ADMINISTRATOR)
    return grantor


def _title_prefix(user_id: int) -> str:
    return f"title-{user_id}"


def _staff_context(grantor, form, title_form=None, **extra) -> dict[str, Any]:
    people = [
        {"role": staff_role, "role_name": role_name(staff_role.role), "since": _moment(staff_role.created_at)}
        for staff_role in StaffRole.objects.filter(grantor=grantor, removed_at__isnull=True)
        .select_related("user", "added_by")
        .order_by("user__full_name", "role")
    ]
    # One job title per person (not per role): a form each, the bound one when it came back with an error.
    titles = dict(StaffProfile.objects.filter(grantor=grantor).values_list("user_id", "job_title"))
    persons: dict[int, dict[str, Any]] = {}
    for p in people:
        user = p["role"].user
        entry = persons.setdefault(user.pk, {"user": user, "roles": []})
        entry["roles"].append(p["role_name"])
    for user_id, entry in persons.items():
        entry["roles"] = ", ".join(entry["roles"])
        if title_form is not None and title_form.prefix == _title_prefix(user_id):
            entry["form"] = title_form
        else:
            entry["form"] = JobTitleForm(prefix=_title_prefix(user_id), initial={"job_title": titles.get(user_id, "")})
    invitations = [
        {"invitation": invitation, "role_name": role_name(invitation.role), "until": _moment(invitation.expires_at)}
        for invitation in StaffInvitation.objects.filter(
            grantor=grantor, claimed_at__isnull=True, revoked_at__isnull=True
        ).order_by("email", "role")
        if invitation.is_open()
    ]
    return {
        "grantor": grantor,
        "people": people,
        "titles": list(persons.values()),
        "invitations": invitations,
        "form": form,
        "entries": [],
        **extra,
    }


@staff_view
@require_http_methods(["GET", "POST"])
def staff(request, org_id: int):
    """The grantor's staff and their roles; the administrator adds roles here."""
    grantor = _grantor_or_404(request.user, org_id)
    if request.method == "GET":
        return render(request, "casework/staff.html", _staff_context(grantor, StaffRoleForm()))
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        return render(
            request, "casework/staff.html", _staff_context(grantor, form, entries=form.error_entries()), status=400
        )
    try:
        sent = services.invite_staff(
            request.user,
            grantor,
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except services.CaseworkRefused as refused:
        entries = [("id_email", reason_of(refused))]
        return render(request, "casework/staff.html", _staff_context(grantor, form, entries=entries), status=409)
    messages.success(
        request,
        pick(
            get_language(),
            f"Invitasjonen til rollen {Role(sent.role).label.lower()} er sendt til {sent.email}. "
            "Personen får rollen når hen åpner lenken og logger inn med den adressen.",
            f"The invitation to the role {ROLE_EN[Role(sent.role)].lower()} has been sent to {sent.email}. "
            "They get the role when they open the link and log in with that address.",
        ),
    )
    return redirect("casework:staff", org_id=grantor.pk)


@staff_view
@require_POST
def revoke_staff_invitation(request, org_id: int, invitation_id: int):
    grantor = _grantor_or_404(request.user, org_id)
    invitation = get_object_or_404(StaffInvitation, pk=invitation_id, grantor=grantor)
    services.revoke_staff_invitation(request.user, invitation.pk)
    messages.success(
        request, pick(get_language(), "Invitasjonen er trukket tilbake.", "The invitation has been withdrawn.")
    )
    return redirect("casework:staff", org_id=grantor.pk)


@require_http_methods(["GET", "POST"])
def staff_invitation(request, token: str):
    """The page the e-mail offering a role links to: the role is taken here, by the invited address.

    Not a staff page: the person has no role yet. Unknown links are 404.
    """
    invitation = StaffInvitation.objects.select_related("grantor", "invited_by").filter(token=token).first()
    if invitation is None:
        raise Http404("no such invitation")
    user = request.user
    same_address = user.is_authenticated and (user.email or "").lower() == invitation.email.lower()
    refusal = None
    if request.method == "POST":
        if not same_address:
            raise Http404("no such invitation")
        try:
            services.claim_staff_invitation(user, token)
        except services.CaseworkRefused as refused:
            refusal = reason_of(refused)
        else:
            return redirect("casework:dashboard")
    here = request.get_full_path()
    context = {
        "invitation": invitation,
        "role_name": role_name(invitation.role),
        "is_open": invitation.is_open(),
        "same_address": same_address,
        "refusal": refusal,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': here})}",
        "signup_url": f"{reverse('accounts:signup')}?{urlencode({'next': here})}",
    }
    return render(request, "casework/staff_invitation.html", context, status=409 if refusal else 200)


@staff_view
@require_POST
def remove_staff(request, org_id: int, role_id: int):
    grantor = _grantor_or_404(request.user, org_id)
    staff_role = get_object_or_404(StaffRole, pk=role_id, grantor=grantor)
    try:
        services.remove_staff_role(request.user, staff_role.pk)
    except services.CaseworkRefused as refused:
        entries = [("", reason_of(refused))]
        return render(
            request, "casework/staff.html", _staff_context(grantor, StaffRoleForm(), entries=entries), status=409
        )
    messages.success(
        request,
        pick(
            get_language(),
            f"{staff_role.user.get_full_name()} har ikke lenger rollen {Role(staff_role.role).label.lower()}.",
            f"{staff_role.user.get_full_name()} no longer has the role {ROLE_EN[Role(staff_role.role)].lower()}.",
        ),
    )
    return redirect("casework:staff", org_id=grantor.pk)


@staff_view
@require_POST
def staff_title(request, org_id: int, user_id: int):
    """The administrator sets one person's job title at the grantor (the letters sign with it)."""
    grantor = _grantor_or_404(request.user, org_id)
    staff_role = get_object_or_404(
        StaffRole.objects.select_related("user"), user_id=user_id, grantor=grantor, removed_at__isnull=True
    )
    person = staff_role.user
    form = JobTitleForm(request.POST, prefix=_title_prefix(person.pk))
    if not form.is_valid():
        return render(
            request,
            "casework/staff.html",
            _staff_context(grantor, StaffRoleForm(), title_form=form, entries=form.error_entries()),
            status=400,
        )
    try:
        profile = services.set_job_title(request.user, grantor, person, form.cleaned_data["job_title"])
    except services.CaseworkRefused as refused:
        entries = [(form["job_title"].auto_id, reason_of(refused))]
        return render(
            request,
            "casework/staff.html",
            _staff_context(grantor, StaffRoleForm(), title_form=form, entries=entries),
            status=409,
        )
    name = person.get_full_name()
    messages.success(
        request,
        pick(
            get_language(),
            f"Stillingstittelen til {name} er nå «{profile.job_title}»."
            if profile.job_title
            else f"{name} har ikke lenger en stillingstittel.",
            f"{name}'s job title is now “{profile.job_title}”."
            if profile.job_title
            else f"{name} no longer has a job title.",
        ),
    )
    return redirect("casework:staff", org_id=grantor.pk)
