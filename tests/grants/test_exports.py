"""The overview's exports: CSV for Norwegian Excel (BOM, ';'), XLSX with numeric NOK cells, injection guard,
one row per application with organisation data only, scoped to the person's grantors."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.accounts.helpers import login_verified
from tests.grants.test_overview_helpers import c0_state, c2_state
from tests.staff_world import C0
from tilskudd.applications.models import Application
from tilskudd.assessment.models import AssessmentLock
from tilskudd.grants.overview import figures
from tilskudd.grants.overview.exports import NOK_FORMAT, XLSX_CONTENT_TYPE, safe_cell, write_xlsx, xlsx_chunks
from tilskudd.grants.overview.figures import ExportRow

pytestmark = pytest.mark.django_db


def _evil_name(application, name):
    content = application.submitted_content
    content["applicant"]["name"] = name
    Application.objects.filter(pk=application.pk).update(submitted_content=content)


class Downloaded:
    """A streamed export as the person's browser receives it: the headers and the whole body."""

    def __init__(self, response):
        assert response.status_code == 200
        assert response.streaming  # streamed, so 100 000 rows are never held in memory (issue #14)
        self.response = response
        self.content = b"".join(response.streaming_content)

    def __getitem__(self, header):
        return self.response[header]


def _csv(client, call):
    return Downloaded(client.get(f"/saksbehandling/utlysninger/{call.slug}/oversikt.csv", secure=True))


def _xlsx(client, call):
    response = Downloaded(client.get(f"/saksbehandling/utlysninger/{call.slug}/oversikt.xlsx", secure=True))
    return response, load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def c0(casework_world, client):
    call, apps = c0_state(casework_world)
    _evil_name(apps[1], '=HYPERLINK("http://evil.example","klikk")')
    _evil_name(apps[3], "@SUM(A1)")
    AssessmentLock.objects.create(
        application=apps[0],
        locked_by=casework_world.staff["caseworker"],
        locked_at=timezone.now(),
        total=Decimal("4.250"),
    )
    login_verified(client, casework_world.staff["caseworker"])
    return call, apps


def test_csv_has_a_bom_semicolons_and_one_row_per_application_with_whole_nok(c0, client):
    call, apps = c0
    response = _csv(client, call)
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-oversikt-{today}.csv"'
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Saksnummer", "Organisasjon", "Organisasjonsnummer"] and len(rows[0]) == 12
    assert len(rows) == 1 + 6
    first = rows[1]
    assert first[0] == apps[0].case_number
    assert first[1:4] == ["Bergen kommune", "964338531", "Vestland (46)"]
    assert first[4].startswith("1 Lengre kvalifiseringsløp")
    assert first[5] == "Integrerings- og mangfoldsdirektoratet (IMDi)"
    assert first[6:11] == ["Innvilget", "1800000", "1500000", "1500000", "4,250"]
    local = timezone.localtime(apps[0].submitted_at)
    assert first[11] == local.strftime("%Y-%m-%d %H:%M")
    assert [row[6] for row in rows[1:]] == ["Innvilget", "Avslått", "Til vurdering", "Avvist", "Trukket", "Sendt inn"]


def test_csv_guards_against_formula_injection(c0, client):
    call, _ = c0
    rows = list(csv.reader(io.StringIO(_csv(client, call).content.decode("utf-8-sig")), delimiter=";"))
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","klikk")'
    assert rows[4][1] == "'@SUM(A1)"
    assert [safe_cell(v) for v in ("+1", "-1", "=1", "@x", "ok", 5)] == ["'+1", "'-1", "'=1", "'@x", "ok", 5]


def test_xlsx_has_numeric_nok_cells_with_a_nok_format_and_no_formulas(c0, client):
    call, apps = c0
    response, sheet = _xlsx(client, call)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-oversikt-{today}.xlsx"'
    assert sheet["A1"].value == "Saksnummer" and sheet["H1"].value == "Søkt beløp (NOK)"
    assert sheet.max_row == 7
    assert sheet["A2"].value == apps[0].case_number and sheet["B2"].value == "Bergen kommune"
    for column, amount in (("H", 1_800_000), ("I", 1_500_000), ("J", 1_500_000)):
        cell = sheet[f"{column}2"]
        assert cell.value == amount and isinstance(cell.value, int) and cell.data_type == "n"
        assert "#,##0" in cell.number_format and "kr" in cell.number_format
    assert sheet["K2"].value == pytest.approx(4.25) and sheet["K3"].value is None
    submitted = sheet["L2"].value
    assert isinstance(submitted, dt.datetime)
    oslo = timezone.localtime(apps[0].submitted_at).replace(tzinfo=None)  # Europe/Oslo wall time, as on the page
    assert abs(submitted - oslo) < dt.timedelta(seconds=1)
    assert sheet["B3"].value.startswith("'=HYPERLINK") and sheet["B3"].data_type == "s"
    assert sheet["B5"].value == "'@SUM(A1)"
    assert sheet["G6"].value == "Trukket"


def test_exports_hold_no_personal_data_about_people(c0, client):
    call, apps = c0
    text = _csv(client, call).content.decode("utf-8-sig")
    for application in apps:
        for contact in application.submitted_content.get("contacts") or []:
            assert contact["name"] not in text
            if contact.get("email"):
                assert contact["email"] not in text
        assert application.created_by.email not in text


def test_exports_are_scoped_to_the_persons_grantor(casework_world, client):
    call, _ = c2_state(casework_world)
    login_verified(client, casework_world.bergen_staff["caseworker"])
    rows = list(csv.reader(io.StringIO(_csv(client, call).content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Landås Nabolagsforening"]
    assert rows[1][3] == "" and rows[1][5] == "Bergen kommune" and rows[1][7:10] == ["85000", "80000", "80000"]
    login_verified(client, casework_world.staff["approver"])
    _, sheet = _xlsx(client, call)
    names = [sheet[f"B{row}"].value for row in range(2, sheet.max_row + 1)]
    assert names == ["Norskstua Frivilligsentral", "Foreningen Trygg Oppvekst"]
    assert sheet["E3"].value.startswith("A ") and ", C " in sheet["E3"].value


def test_drafts_are_not_exported(casework_world, client):
    a0 = casework_world.applications[C0][0]
    Application.objects.create(
        organisation=a0.organisation,
        call=a0.call,
        call_version=a0.call_version,
        created_by=a0.created_by,
        updated_by=a0.created_by,
        title="Et utkast",
    )
    login_verified(client, casework_world.staff["caseworker"])
    text = _csv(client, a0.call).content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 6


# --- the XLSX export streamed (issue #14, point 4) ---------------------------------------------------------------


def _rows(count, **changes):
    """``count`` rows like export_rows', each a little different (zlib must have something to compress)."""
    submitted = timezone.localtime(dt.datetime(2026, 3, 1, 11, 5, 30, tzinfo=dt.UTC))
    for number in range(count):
        values = {
            "case_number": f"2026-{number:06d}",
            "organisation": f"Organisasjon {number * 7919 % 100_003}",
            "org_number": f"{900_000_000 + number * 37 % 99_999_999}",
            "county": "Vestland (46)",
            "areas": "1 Lengre kvalifiseringsløp",
            "grantor": "Integrerings- og mangfoldsdirektoratet (IMDi)",
            "status": "Innvilget",
            "applied": 1_000 * number,
            "proposed": 900 * number,
            "granted": 800 * number,
            "quality": Decimal("4.250") if number % 2 == 0 else None,
            "submitted_at": submitted + dt.timedelta(minutes=number) if number % 3 else None,
        }
        yield ExportRow(**(values | (changes if number == 0 else {})))


class Counted:
    """export_rows replaced by ``rows``, counting how many of them the export has taken so far."""

    def __init__(self, rows):
        self.rows, self.taken = list(rows), 0

    def __call__(self, *_args, **_kwargs):
        for row in self.rows:
            self.taken += 1
            yield row


def _workbook(content):
    return load_workbook(io.BytesIO(content))


def test_xlsx_sends_its_first_bytes_before_the_rows_are_read(c0, client, monkeypatch):
    call, _ = c0
    counted = Counted(figures.export_rows(call, {call.grantor_org_number}))
    monkeypatch.setattr(figures, "export_rows", counted)
    response = client.get(f"/saksbehandling/utlysninger/{call.slug}/oversikt.xlsx", secure=True)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04") and counted.taken == 0  # sent before the first row was read
    rest = b"".join(chunks)
    assert counted.taken == len(counted.rows) == 6
    assert _workbook(first + rest).active.max_row == 1 + 6


def test_xlsx_is_written_while_the_rows_are_read_in_bounded_pieces(monkeypatch):
    counted = Counted(_rows(20_000))
    monkeypatch.setattr(figures, "export_rows", counted)
    taken_at_each_chunk, largest = [], 0
    content = bytearray()
    for chunk in xlsx_chunks(None, set()):
        taken_at_each_chunk.append(counted.taken)
        largest = max(largest, len(chunk))
        content += chunk
    assert taken_at_each_chunk[0] == 0
    # Sent on as the rows are read: many pieces while reading, none of them the whole workbook.
    assert len([taken for taken in taken_at_each_chunk if 0 < taken < 20_000]) > 10
    assert largest < len(content) / 10
    sheet = load_workbook(io.BytesIO(bytes(content)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 1 + 20_000


def test_xlsx_drops_what_xml_forbids_and_escapes_markup(monkeypatch):
    rows = [
        *_rows(1, organisation="a\x01b", county="\x00", areas='<&> "«»"'),
        *_rows(1, organisation=" mellomrom ", grantor="linje\r\nto", case_number="=1+1"),
    ]
    monkeypatch.setattr(figures, "export_rows", lambda *_args: iter(rows))
    output = io.BytesIO()
    write_xlsx(None, set(), output)
    sheet = _workbook(output.getvalue()).active
    assert sheet["B2"].value == "ab" and sheet["D2"].value in ("", None)
    assert sheet["E2"].value == '<&> "«»"'
    assert sheet["B3"].value == " mellomrom " and sheet["F3"].value == "linje\r\nto"
    assert sheet["A3"].value == "'=1+1" and sheet["A3"].data_type == "s"


def test_xlsx_cells_are_typed_and_formatted_as_in_openpyxls_workbook(monkeypatch):
    rows = list(_rows(3))
    monkeypatch.setattr(figures, "export_rows", lambda *_args: iter(rows))
    workbook = _workbook(b"".join(xlsx_chunks(None, set())))
    assert workbook.sheetnames == ["Søknader"]
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == list(figures.EXPORT_HEADINGS)
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKL"]
    assert widths == [12, 36, 18, 22, 30, 36, 22, 16, 16, 16, 14, 18]
    for number, row in enumerate(rows, start=2):
        cells = sheet[number]
        for cell, value in zip(cells[:7], row.values()[:7], strict=True):
            assert cell.value == value and cell.data_type == "s"
        for cell, value in zip(cells[7:10], row.values()[7:10], strict=True):
            assert cell.value == value and isinstance(cell.value, int) and cell.number_format == NOK_FORMAT
        quality, submitted = cells[10], cells[11]
        if row.quality is None:
            assert quality.value is None
        else:
            assert quality.value == pytest.approx(4.25) and quality.number_format == "0.000"
        if row.submitted_at is None:
            assert submitted.value is None
        else:
            assert submitted.is_date and submitted.number_format == "yyyy-mm-dd hh:mm"
            assert abs(submitted.value - row.submitted_at.replace(tzinfo=None)) < dt.timedelta(milliseconds=1)
    assert sheet.max_row == 4
