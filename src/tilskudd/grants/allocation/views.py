"""The allocation page (*fordeling*): frames, what is applied for, proposed and left; the assistant; overrides.

Thin views over :mod:`tilskudd.grants.allocation.frames`. The grantor shown is the
person's grantor in the call (a select if they work for several). Errors
(a frame exceeded, a bad amount) re-render the page with the reason and
change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.applications.models import Application
from tilskudd.assessment.models import AssessmentLock
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing, call_or_404, staff_view
from tilskudd.casework.facts import applied_for
from tilskudd.casework.models import Role
from tilskudd.core.formatting import format_nok, format_number
from tilskudd.core.text import pick
from tilskudd.grants.allocation import caps, frames
from tilskudd.grants.allocation.assistant import quality_text
from tilskudd.grants.allocation.forms import FrameForm, LineForm, form_errors
from tilskudd.grants.models import AllocationLine

PAGE_ROLES = (Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR)
GRANTOR_PARAM = "tilskuddsforvalter"


def _grantors(user, call) -> list[tuple[str, str]]:
    """(org number, name) of the person's grantors in the call where they may see the allocation; call's own first."""
    numbers = scope.call_grantors(user, call) & scope.grantor_numbers(user, *PAGE_ROLES)
    if not numbers:
        raise RoleMissing(*PAGE_ROLES)
    definition = call.definition
    names = {number: nb for number, (nb, _) in frames._grantor_names(definition).items()}
    own = definition.grantor.org_number
    return sorted(((n, names.get(n, n)) for n in numbers), key=lambda item: (item[0] != own, item[1]))


def _chosen(request, call) -> tuple[str, list[tuple[str, str]]]:
    grantors = _grantors(request.user, call)
    wanted = request.POST.get(GRANTOR_PARAM) or request.GET.get(GRANTOR_PARAM) or ""
    numbers = [number for number, _ in grantors]
    return (wanted if wanted in numbers else numbers[0]), grantors


def _page_url(call, grantor: str) -> str:
    return f"{reverse('grants:allocation', args=[call.slug])}?{GRANTOR_PARAM}={grantor}"


def _score_text(score) -> str:
    """A quality score (or threshold) in the page's language; '' for none."""
    if score is None:
        return ""
    return pick(get_language(), *quality_text(score))


@dataclass
class Row:
    application: Application
    area: str
    locked: bool
    quality: object
    threshold: object
    applied: int
    cap: caps.Cap
    line: AllocationLine | None
    later: dict[int, int]
    in_assessment: bool

    @property
    def quality_text(self) -> str:
        return _score_text(self.quality)

    @property
    def threshold_text(self) -> str:
        return _score_text(self.threshold)

    @property
    def explanation(self) -> tuple[str, str]:
        if self.line is None:
            return ("", "")
        return (self.line.explanation_nb, self.line.explanation_en or self.line.explanation_nb)

    @property
    def capped(self) -> bool:
        return self.cap.amount < self.applied

    @property
    def later_list(self) -> list[tuple[int, int]]:
        return sorted(self.later.items())


ROWS_PER_PAGE = 50
PAGE_PARAM = "side"
AREA_PARAM = "omrade"


def _applications(call, grantor: str, area: str):
    """The grantor's counting applications in ``call`` (under ``area`` first, when given), in case-number order."""
    found = Application.objects.filter(call=call, status__in=frames.COUNTING, case__grantor_org_number=grantor)
    if area:
        found = found.filter(case__areas__position=0, case__areas__area=area)  # one join: the first area row
    return (
        found.select_related("organisation", "case")
        .defer("content")
        .prefetch_related("case__areas")
        .order_by("case_number", "pk")
    )


def _rows(call, applications: list[Application], usage: frames.Usage) -> list[Row]:
    """The rows of one page: the call's definition parsed once for all of them (the call's current version)."""
    definition = call.definition
    version = call.current_version
    for application in applications:
        if application.call_version_id == version.pk:
            application.call_version = version  # one parsed definition for the page, not one per row
    locks = {lock.application_id: lock for lock in AssessmentLock.objects.filter(application__in=applications)}
    lines = {
        line.application_id: line
        for line in AllocationLine.objects.filter(application__in=applications, year=definition.year)
    }
    rows = []
    for application in applications:
        area = frames.area_of(application)
        found = definition.area(area) if area else None
        lock = locks.get(application.pk)
        rows.append(
            Row(
                application=application,
                area=area,
                locked=lock is not None,
                quality=lock.total if lock else None,
                threshold=found.quality_threshold if found else None,
                applied=applied_for(application),
                cap=caps.cap_of(application),
                line=lines.get(application.pk),
                later=usage.commitments.get(application.pk, {}),
                in_assessment=application.status == "in_assessment",
            )
        )
    return rows


def _pages(call, grantor: str, area: str, page) -> dict | None:
    """Forrige/Neste and the page numbers near this one, «Viser 1–50 av 1 234» (None for one page)."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    base = _page_url(call, grantor) + (f"&{AREA_PARAM}={area}" if area else "")

    def url(number: int) -> str:
        return f"{base}&{PAGE_PARAM}={number}#applications-heading"

    language = get_language()
    near = sorted(
        {1, paginator.num_pages, *range(max(1, page.number - 2), min(paginator.num_pages, page.number + 2) + 1)}
    )
    links: list[dict] = []
    for number in near:
        if links and number - links[-1]["number"] > 1:
            links.append({"number": number - 1, "gap": True})
        links.append({"number": number, "url": url(number), "current": number == page.number, "gap": False})
    first, last, total = (format_number(n, language) for n in (page.start_index(), page.end_index(), paginator.count))
    return {
        "showing": pick(language, f"Viser {first}–{last} av {total}", f"Showing {first}–{last} of {total}"),
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "links": links,
    }


def _render(
    request, call, grantor, grantors, errors=(), status=200, line_form_for=None, line_form=None, frame_form=None
):
    definition = call.definition
    frames.ensure_frames(call)
    area = request.GET.get(AREA_PARAM, "")
    if definition.areas is None or definition.area(area) is None:
        area = ""
    paginator = Paginator(_applications(call, grantor, area), ROWS_PER_PAGE)
    sums = frames.case_sums(call)  # the running totals, not a COUNT(*): the count here, «applied» in usage
    paginator.__dict__["count"] = frames.counting_cases(call, grantor, area, sums)
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    applications = list(page.object_list)
    usage = frames.usage(call, grantor, [application.pk for application in applications], sums)
    user = request.user
    can_allocate = scope.has_role(user, grantor, Role.CASEWORKER)
    own = definition.grantor.org_number
    can_set_frame = scope.has_role(user, grantor, *frames.FRAME_ROLES)
    can_set_scheme = definition.local_grantors is not None and scope.has_role(user, own, *frames.FRAME_ROLES)
    later_years = sorted({y for row in usage.rows if row.later for y in [row.year]})
    return render(
        request,
        "grants/allocation.html",
        {
            "casework_section": "calls",
            "call": call,
            "definition": definition,
            "year": definition.year,
            "grantor": grantor,
            "grantors": grantors,
            "grantor_name": dict(grantors)[grantor],
            "grantor_param": GRANTOR_PARAM,
            "usage": usage,
            "rows": _rows(call, applications, usage),
            "pages": _pages(call, grantor, area, page),
            "area_shown": area,
            "later_years": later_years,
            "can_allocate": can_allocate,
            "can_set_frame": can_set_frame,
            "can_set_scheme": can_set_scheme,
            "share_percent": definition.local_grantors.share_percent if definition.local_grantors else None,
            "areas": definition.areas.items if definition.areas else [],
            "area_label": definition.areas.label if definition.areas else None,
            "errors": list(errors),
            "line_form_for": line_form_for,
            "line_form": line_form,
            "frame_form": frame_form,
        },
        status=status,
    )


@staff_view
def allocation_page(request, slug):
    call = call_or_404(request.user, slug)
    grantor, grantors = _chosen(request, call)
    return _render(request, call, grantor, grantors)


def _proposal_message(written: int, kept: int, total: int) -> tuple[str, str]:
    """What the assistant did, in whole sentences (one/several, and the kept lines only when there are any)."""
    nb = (
        f"Fordelingsassistenten foreslo beløp for {written} {'søknad' if written == 1 else 'søknader'}, "
        f"til sammen {format_number(total)} kr."
    )
    en = (
        f"The allocation assistant proposed amounts for {written} {'application' if written == 1 else 'applications'}, "
        f"{format_nok(total, 'en')} in all."
    )
    if kept:
        nb += f" {kept} {'linje' if kept == 1 else 'linjer'} satt av saksbehandler er beholdt."
        en += f" {kept} {'line' if kept == 1 else 'lines'} set by a caseworker {'was' if kept == 1 else 'were'} kept."
    return nb, en


@require_POST
@staff_view
def propose(request, slug):
    call = call_or_404(request.user, slug)
    grantor, grantors = _chosen(request, call)
    if not scope.has_role(request.user, grantor, Role.CASEWORKER):
        raise RoleMissing(Role.CASEWORKER)
    try:
        result = frames.apply_proposal(request.user, call, grantor)
    except frames.AllocationRefused as refused:
        return _render(request, call, grantor, grantors, [refused.reasons], status=400)
    total = sum(p.amount for p in result.proposals)
    messages.success(request, pick(get_language(), *_proposal_message(result.written, result.kept, total)))
    return redirect(_page_url(call, grantor))


@require_POST
@staff_view
def set_line(request, slug, application_id):
    call = call_or_404(request.user, slug)
    application = (
        Application.objects.select_related("case").filter(pk=application_id, call=call, case__isnull=False).first()
    )
    if application is None or not scope.can_see_case(request.user, application.case):
        raise Http404("no such application")
    grantor = application.case.grantor_org_number
    grantors = _grantors(request.user, call)
    if not scope.has_role(request.user, grantor, Role.CASEWORKER):
        raise RoleMissing(Role.CASEWORKER)
    form = LineForm(request.POST)
    if not form.is_valid():
        return _render(request, call, grantor, grantors, form_errors(form), 400, application.pk, form)
    data = form.cleaned_data
    reason = data["reason"]
    try:
        frames.set_allocation(
            request.user,
            application.pk,
            data["year"],
            data["amount"],
            explanation_nb=reason,
            explanation_en=reason,
            source=AllocationLine.Source.CASEWORKER,
        )
    except frames.AllocationRefused as refused:
        return _render(request, call, grantor, grantors, [refused.reasons], 400, application.pk, form)
    messages.success(
        request,
        pick(
            get_language(),
            f"Beløpet for {application.case_number} i {data['year']} er satt til {format_number(data['amount'])} kr.",
            f"The amount for {application.case_number} in {data['year']} is set to {format_nok(data['amount'], 'en')}.",
        ),
    )
    return redirect(_page_url(call, grantor) + f"#application-{application.pk}")


@require_POST
@staff_view
def set_frame(request, slug):
    call = call_or_404(request.user, slug)
    grantor, grantors = _chosen(request, call)
    if not any(scope.has_role(request.user, number, Role.APPROVER, Role.ADMINISTRATOR) for number, _name in grantors):
        raise RoleMissing(Role.APPROVER, Role.ADMINISTRATOR)  # before the form: no hints to those who may not
    form = FrameForm(request.POST)
    if not form.is_valid():
        return _render(request, call, grantor, grantors, form_errors(form), 400, frame_form=form)
    data = form.cleaned_data
    try:
        frame = frames.set_frame(
            request.user, call, data["grantor"] or "", data["area"] or "", data["year"], data["amount"]
        )
    except frames.AllocationRefused as refused:
        return _render(request, call, grantor, grantors, [refused.reasons], 400, frame_form=form)
    messages.success(
        request,
        pick(
            get_language(),
            f"Rammen er satt til {format_number(frame.amount)} kr.",
            f"The frame is set to {format_nok(frame.amount, 'en')}.",
        ),
    )
    return redirect(_page_url(call, grantor))
