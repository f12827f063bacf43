"""The call overview as CSV and XLSX, for the grantor's staff (the same rows, the same scope as the page)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from tilskudd.casework.access import staff_view
from tilskudd.grants.overview import figures as overview
from tilskudd.grants.overview.views import call_and_grantors

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Whole NOK with a thousands separator (shown with spaces in Norwegian Excel).
NOK_FORMAT = '#,##0 "kr"'
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


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
    call, grantors = call_and_grantors(request, slug)
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
    from openpyxl import Workbook  # noqa: PLC0415 - only the export needs it (not a cycle: keeps start-up light)
    from openpyxl.styles import Font  # noqa: PLC0415

    call, grantors = call_and_grantors(request, slug)
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
