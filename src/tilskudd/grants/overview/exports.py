"""The call overview as CSV and XLSX, for the grantor's staff (the same rows, the same scope as the page)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse
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


# --- XLSX, written as it is sent ------------------------------------------------------------------------------
#
# The workbook is a zip of six small SpreadsheetML parts and the worksheet. The standard library's zipfile writes
# to a sink it cannot seek in with a data descriptor after each entry (sizes and CRC follow the data), so the
# worksheet's XML is compressed row by row and each compressed piece is sent as soon as zlib hands it over.
# No ZIP64 (Excel refuses ZIP64 records where they are not needed): one entry may hold up to 2 GiB of XML,
# some millions of rows. Strings inline (t="inlineStr"): no shared-strings table to build first.

SHEET_NAME = "Søknader"
COLUMN_WIDTHS = (12, 36, 18, 22, 30, 36, 22, 16, 16, 16, 14, 18)
#: The style (cellXfs index, see _STYLES) of each column that is not text: NOK, the quality, the submission time.
_NOK, _QUALITY, _TIME, _BOLD = 2, 3, 4, 1
_COLUMN_STYLE = {7: _NOK, 8: _NOK, 9: _NOK, 10: _QUALITY, 11: _TIME}
_EXCEL_EPOCH = dt.datetime(1900, 1, 1) - dt.timedelta(days=2)  # 1899-12-30: serial 1 is 1900-01-01 (after Feb)
#: What XML 1.0 does not allow in a document (control characters but tab, line feed, carriage return; NUL;
#: lone surrogates; U+FFFE, U+FFFF): dropped from the text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ROWS_PER_WRITE = 200

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _DECLARATION + f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    _DECLARATION + f'<workbook xmlns="{_NS}" xmlns:r="{_REL}">'
    f'<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    _DECLARATION + f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_NOK_FORMAT_ATTRIBUTE = NOK_FORMAT.replace('"', "&quot;")
#: cellXfs: 0 plain, 1 bold (the headings), 2 NOK, 3 the quality, 4 the submission time.
_STYLES = (
    _DECLARATION + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="3">'
    f'<numFmt numFmtId="164" formatCode="{_NOK_FORMAT_ATTRIBUTE}"/>'
    '<numFmt numFmtId="165" formatCode="0.000"/>'
    '<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm"/>'
    "</numFmts>"
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_COLUMNS = "".join(
    f'<col min="{number}" max="{number}" width="{width}" customWidth="1"/>'
    for number, width in enumerate(COLUMN_WIDTHS, start=1)
)
_SHEET_START = (
    _DECLARATION + f'<worksheet xmlns="{_NS}" xmlns:r="{_REL}">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews>"
    '<sheetFormatPr defaultRowHeight="15"/>'
    f"<cols>{_COLUMNS}</cols><sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"
_LETTERS = tuple(chr(ord("A") + index) for index in range(len(COLUMN_WIDTHS)))


def _xml_text(value: str) -> str:
    """Text for an XML element: characters XML 1.0 forbids dropped, then ``& < >`` escaped."""
    if _NOT_XML.search(value):
        value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _text_cell(reference: str, value: str, style: int = 0) -> str:
    text = _xml_text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _serial(moment: dt.datetime) -> str:
    """Excel's date serial number of a wall-clock time (days since 1899-12-30, the time as a fraction)."""
    delta = moment.replace(tzinfo=None) - _EXCEL_EPOCH
    return repr(delta.days + (delta.seconds + delta.microseconds / 1_000_000) / 86_400)


def _cell(reference: str, index: int, value) -> str:
    if value is None:
        return ""
    style = _COLUMN_STYLE.get(index)
    if style is None or isinstance(value, str):
        return _text_cell(reference, safe_cell(value if isinstance(value, str) else str(value)))
    if isinstance(value, dt.datetime):  # the submission time, Europe/Oslo as on the page
        return f'<c r="{reference}" s="{style}"><v>{_serial(value)}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{reference}" s="{style}"><v>{format(value, "f")}</v></c>'
    return f'<c r="{reference}" s="{style}"><v>{value!r}</v></c>'


def _sheet_row(number: int, values) -> str:
    cells = "".join(
        _cell(f"{letter}{number}", index, value)
        for index, (letter, value) in enumerate(zip(_LETTERS, values, strict=True))
    )
    return f'<row r="{number}">{cells}</row>'


class _Pending:
    """A sink for zipfile that only collects what it is given (no seek, no tell): the zip is written with data
    descriptors, and what has been written is taken away to be sent."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def xlsx_chunks(call, grantors) -> Iterator[bytes]:
    """The XLSX export as it is written: the fixed parts and the worksheet's start before any row is read, then
    the compressed rows as zlib gives them, then the zip's central directory."""
    pending = _Pending()
    now = timezone.localtime().timetuple()[:6]  # the entries' time, Oslo wall time as zip tools show it

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=now)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(pending, "w") as archive:
        archive.writestr(entry("[Content_Types].xml"), _CONTENT_TYPES)
        archive.writestr(entry("_rels/.rels"), _ROOT_RELS)
        archive.writestr(entry("xl/workbook.xml"), _WORKBOOK)
        archive.writestr(entry("xl/_rels/workbook.xml.rels"), _WORKBOOK_RELS)
        archive.writestr(entry("xl/styles.xml"), _STYLES)
        with archive.open(entry("xl/worksheets/sheet1.xml"), "w") as sheet:
            headings = "".join(
                _text_cell(f"{letter}1", heading, _BOLD)
                for letter, heading in zip(_LETTERS, overview.EXPORT_HEADINGS, strict=True)
            )
            sheet.write(f'{_SHEET_START}<row r="1">{headings}</row>'.encode())
            yield pending.take()  # the first bytes, before the first row is read
            lines: list[str] = []
            for number, row in enumerate(overview.export_rows(call, grantors), start=2):
                lines.append(_sheet_row(number, row.values()))
                if len(lines) == _ROWS_PER_WRITE:
                    sheet.write("".join(lines).encode())
                    lines = []
                    if pending.parts:
                        yield pending.take()
            sheet.write(("".join(lines) + _SHEET_END).encode())
    yield pending.take()


def write_xlsx(call, grantors, output) -> None:
    """The XLSX export into ``output`` (a file, for the benches): the same bytes as the streamed response."""
    for chunk in xlsx_chunks(call, grantors):
        output.write(chunk)


@staff_view
def overview_xlsx(request, slug):
    """Streamed: written as the rows are read from the database in chunks (see xlsx_chunks)."""
    call, grantors = call_and_grantors(request, slug)
    response = StreamingHttpResponse(xlsx_chunks(call, grantors), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "xlsx")}"'
    return response
