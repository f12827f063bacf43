"""The call overview as CSV and XLSX, for the grantor's staff (the same rows, the same scope as the page)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django.http import FileResponse, StreamingHttpResponse
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


class _Echo:
    """A file for csv.writer that hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(call, grantors) -> Iterator[bytes]:
    """The CSV export line by line: a byte order mark first, then the headings and one line per application."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    # UTF-8 with a byte order mark and ";" between fields: what Norwegian Excel opens without asking.
    yield ("\ufeff" + writer.writerow(overview.EXPORT_HEADINGS)).encode("utf-8")
    for row in overview.export_rows(call, grantors):
        yield writer.writerow([_csv_value(value) for value in row.values()]).encode("utf-8")


@staff_view
def overview_csv(request, slug):
    """Streamed: the rows are read from the database in chunks and sent as they are written."""
    call, grantors = call_and_grantors(request, slug)
    response = StreamingHttpResponse(csv_lines(call, grantors), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "csv")}"'
    return response


def write_xlsx(call, grantors, output) -> None:
    """The XLSX export into ``output``, in openpyxl's write-only mode (each row written once, in order)."""
    from openpyxl import Workbook  # noqa: PLC0415 - only the export needs it (not a cycle: keeps start-up light)
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Søknader")
    widths = (12, 36, 18, 22, 30, 36, 22, 16, 16, 16, 14, 18)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def heading(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    formats = {7: NOK_FORMAT, 8: NOK_FORMAT, 9: NOK_FORMAT, 10: "0.000", 11: "yyyy-mm-dd hh:mm"}

    def cell(index, value):
        if index not in formats:
            return safe_cell(value)
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = formats[index]
        return written

    sheet.append([heading(value) for value in overview.EXPORT_HEADINGS])
    for row in overview.export_rows(call, grantors):
        values = list(row.values())
        values[10] = float(row.quality) if row.quality is not None else None
        values[11] = row.submitted_at.replace(tzinfo=None) if row.submitted_at else None  # Oslo time, as shown
        sheet.append([cell(index, value) for index, value in enumerate(values)])
    workbook.save(output)


@staff_view
def overview_xlsx(request, slug):
    """Written in write-only mode to a temporary file, then streamed from it."""
    call, grantors = call_and_grantors(request, slug)
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once it is sent
    write_xlsx(call, grantors, output)
    output.seek(0)
    response = FileResponse(output, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "xlsx")}"'
    return response
