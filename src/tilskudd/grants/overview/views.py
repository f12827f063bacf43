"""The call overview page for the grantor's staff and the public list of grants (X-R07).

Thin views over :mod:`tilskudd.grants.overview.figures`. The staff page shows only the
numbers of the grantors the person works for in the call (as caseworker,
approver or administrator); the public list shows published grants only and
never personal data. The CSV and XLSX exports are in :mod:`.exports`.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from tilskudd.calls.models import Call
from tilskudd.casework.access import RoleMissing, call_or_404, staff_view
from tilskudd.core.formatting import format_nok, format_percent
from tilskudd.grants.overview import figures as overview


def call_and_grantors(request, slug):
    call = call_or_404(request.user, slug)
    grantors = overview.overview_grantors(request.user, call)
    if not grantors:
        raise RoleMissing(*overview.OVERVIEW_ROLES)
    return call, grantors


@staff_view
def overview_page(request, slug):
    call, grantors = call_and_grantors(request, slug)
    facts = overview.load(call, grantors)
    areas, areas_total = overview.by_area(call, grantors, facts)
    counties, counties_total = overview.by_county(call, grantors, facts)
    frames = overview.frame_use(call, grantors, facts)
    statuses = overview.status_counts(call, grantors, facts)
    definition = call.definition if call.current_version_id else None
    area_label = definition.areas.label if definition and definition.areas else None
    return render(
        request,
        "grants/overview.html",
        {
            "casework_section": "calls",
            "call": call,
            "statuses": statuses,
            "status_total": sum(s.count for s in statuses),
            "areas": areas,
            "areas_total": areas_total,
            "area_label": area_label,
            "counties": counties,
            "counties_total": counties_total,
            "frames": [{"use": use, "percent": _percent(use), "left": _left(use)} for use in frames],
            "chart": overview.frame_chart(frames, get_language()),
            "later_years": overview.later_years(call, grantors, facts),
            "grantor_names": facts.grantor_names,
        },
    )


def _percent(use) -> str:
    if use.percent_used is None:
        return "–"
    return format_percent(float(use.percent_used), get_language())


def _left(use) -> str:
    text = format_nok(abs(use.left), get_language())
    return f"\u2212{text}" if use.left < 0 else text


def public_grants(request, slug):
    """X-R07: who got how much in a call, once the decisions are published. No login."""
    call = get_object_or_404(Call.objects.select_related("current_version"), slug=slug)
    if call.current_version_id is None:
        raise Http404("This call has no definition loaded.")
    grants = overview.published_grants(call)
    return render(
        request,
        "grants/public_grants.html",
        {"call": call, "grants": grants, "total": sum(g.amount for g in grants)},
    )
