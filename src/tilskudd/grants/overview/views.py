"""The call overview for the grantor's staff, its CSV and XLSX exports, and the public list of grants (X-R07).

Thin views over :mod:`tilskudd.grants.overview`. The staff pages show only the
numbers of the grantors the person works for in the call (as caseworker,
approver or administrator); the public list shows published grants only and
never personal data.
"""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.calls.models import Call
from tilskudd.calls.presentation import format_nok, format_percent
from tilskudd.casework.access import RoleMissing, call_or_404, staff_view
from tilskudd.grants import overview

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Whole NOK with a thousands separator (shown with spaces in Norwegian Excel).
NOK_FORMAT = '#,##0 "kr"'
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def _scope(request, slug):
    call = call_or_404(request.user, slug)
    grantors = overview.overview_grantors(request.user, call)
    if not grantors:
        raise RoleMissing(*overview.OVERVIEW_ROLES)
    return call, grantors


@staff_view
def overview_page(request, slug):
    call, grantors = _scope(request, slug)
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
            "grantor_names": sorted({row.grantor_name for row in facts.applications}),
        },
    )


def _percent(use) -> str:
    if use.percent_used is None:
        return "–"
    return format_percent(float(use.percent_used), get_language())


def _left(use) -> str:
    text = format_nok(abs(use.left), get_language())
    return f"\u2212{text}" if use.left < 0 else text


def safe_cell(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def _filename(call, extension: str) -> str:
    return f"{call.slug}-oversikt-{timezone.localdate().isoformat()}.{extension}"


def _csv_value(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):  # the quality total, a Decimal: decimal comma as Norwegian Excel reads it
        return format(value, "f").replace(".", ",")
    return safe_cell(value)


@staff_view
def overview_csv(request, slug):
    call, grantors = _scope(request, slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(overview.EXPORT_HEADINGS)
    for row in overview.export_rows(call, grantors):
        writer.writerow([_csv_value(value) for value in row.values()])
    # UTF-8 with a byte order mark and ";" between fields: what Norwegian Excel opens without asking.
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "csv")}"'
    return response


@staff_view
def overview_xlsx(request, slug):
    from openpyxl import Workbook  # noqa: PLC0415 - only the export needs it
    from openpyxl.styles import Font  # noqa: PLC0415

    call, grantors = _scope(request, slug)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Søknader"
    sheet.append(list(overview.EXPORT_HEADINGS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in overview.export_rows(call, grantors):
        values = list(row.values())
        values[10] = float(row.quality) if row.quality is not None else None
        values[11] = row.submitted_at.replace(tzinfo=None) if row.submitted_at else None  # Oslo time, as shown
        sheet.append([safe_cell(value) for value in values])
        number = sheet.max_row
        for column in ("H", "I", "J"):
            sheet[f"{column}{number}"].number_format = NOK_FORMAT
        sheet[f"K{number}"].number_format = "0.000"
        sheet[f"L{number}"].number_format = "yyyy-mm-dd hh:mm"
    widths = (12, 36, 18, 22, 30, 36, 22, 16, 16, 16, 14, 18)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "xlsx")}"'
    return response


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
