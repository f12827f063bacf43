"""Autosave (issue #13, point 1): the form saves as the person types, with the draft's revision; a stale page
is told and nothing of anyone's is lost; bad input gets a clear 4xx; a file chosen goes with «Lagre» too, a
file uploaded twice is noticed, and upload errors stand beside the upload field."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from tests.applications.conftest import form_data, visible_text
from tilskudd.applications import services
from tilskudd.applications.models import Application, Attachment
from tilskudd.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def autosave_url(application) -> str:
    return f"/soknader/{application.pk}/autolagre/"


def small_pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_typing_is_saved_with_the_revision_and_a_quiet_status(client, municipality, draft):
    client.force_login(municipality.lead)
    data = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    data["answers.expected_results"] = ["Deltakerne består B1."]
    response = client.post(autosave_url(draft), data)
    assert response.status_code == 200
    body = response.json()
    draft_after = Application.objects.get(pk=draft.pk)
    assert draft_after.content["answers"]["expected_results"] == "Deltakerne består B1."
    assert (body["saved"], body["revision"], body["status"]) == (True, draft.revision + 1, "Lagret kl. 10:00")
    assert AuditEvent.objects.filter(action="draft.saved").count() >= 2

    # The page sends the new revision next time: typing on is saved again.
    data["revision"] = [str(body["revision"])]
    data["answers.expected_results"] = ["Deltakerne består B1 og B2."]
    again = client.post(autosave_url(draft), data).json()
    assert again["revision"] == draft.revision + 2
    assert Application.objects.get(pk=draft.pk).content["answers"]["expected_results"] == "Deltakerne består B1 og B2."


def test_nothing_changed_saves_nothing(client, municipality, draft):
    client.force_login(municipality.lead)
    data = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    body = client.post(autosave_url(draft), data).json()
    assert (body["saved"], body["revision"], body["status"]) == (False, draft.revision, "Ingen endringer å lagre")
    assert Application.objects.get(pk=draft.pk).revision == draft.revision


def test_a_stale_page_gets_409_and_the_other_save_stands(client, municipality, draft):
    client.force_login(municipality.lead)
    mine = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    theirs = services.save_draft(
        municipality.signatory,
        draft.pk,
        {"answers": {**draft.content["answers"], "participants": 22}},
        draft.revision,
    )
    mine["answers.expected_results"] = ["Mitt eget svar."]
    response = client.post(autosave_url(draft), mine)
    assert response.status_code == 409
    body = response.json()
    assert body["stale"] is True
    assert "Noen andre har lagret endringer" in body["error"] and "Det står fortsatt i skjemaet" in body["error"]
    assert body["reload"] == f"/soknader/{draft.pk}/"
    after = Application.objects.get(pk=draft.pk)
    assert after.revision == theirs.revision
    assert after.content["answers"]["participants"] == 22
    assert after.content["answers"]["expected_results"] != "Mitt eget svar."


def test_a_stale_page_with_no_changes_is_told_too(client, municipality, draft):
    client.force_login(municipality.lead)
    mine = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    services.save_draft(
        municipality.signatory, draft.pk, {"answers": {**draft.content["answers"], "participants": 22}}, draft.revision
    )
    assert client.post(autosave_url(draft), mine).status_code == 409


@pytest.mark.parametrize("revision", ["", "abc", None])
def test_no_readable_revision_is_400_and_changes_nothing(client, municipality, draft, revision):
    client.force_login(municipality.lead)
    data = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    data["answers.expected_results"] = ["Endret"]
    if revision is None:
        del data["revision"]
    else:
        data["revision"] = [revision]
    response = client.post(autosave_url(draft), data)
    assert response.status_code == 400
    assert "versjonsnummer" in response.json()["error"]
    assert Application.objects.get(pk=draft.pk).revision == draft.revision


def test_adding_a_row_is_not_for_autosave(client, municipality, draft):
    client.force_login(municipality.lead)
    data = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    data["_add"] = ["budget.lines"]
    assert client.post(autosave_url(draft), data).status_code == 400
    assert Application.objects.get(pk=draft.pk).revision == draft.revision


def test_get_is_not_allowed_and_others_cannot_save(client, municipality, other_organisation, draft):
    client.force_login(municipality.lead)
    assert client.get(autosave_url(draft)).status_code == 405
    _, stranger = other_organisation
    client.force_login(stranger)
    data = {
        "revision": [str(draft.revision)],
        "_fields": ["answers.expected_results"],
        "answers.expected_results": ["x"],
    }
    assert client.post(autosave_url(draft), data).status_code == 404
    assert Application.objects.get(pk=draft.pk).revision == draft.revision


def test_a_submitted_application_cannot_be_autosaved(client, municipality, draft):
    Application.objects.filter(pk=draft.pk).update(status="submitted")
    client.force_login(municipality.lead)
    data = {
        "revision": [str(draft.revision)],
        "_fields": ["answers.expected_results"],
        "answers.expected_results": ["x"],
    }
    response = client.post(autosave_url(draft), data)
    assert response.status_code == 403
    assert response.json()["error"]
    assert Application.objects.get(pk=draft.pk).content == draft.content


# --- files with «Lagre» -----------------------------------------------------------------------


def _form_with_file(client, draft, name: str, content: bytes, kind: str = "other") -> dict:
    data = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    data["_save"] = ["1"]
    return {**data, f"file-{kind}": SimpleUploadedFile(name, content, content_type="application/pdf")}


def test_save_uploads_a_chosen_file_and_a_second_time_is_noticed(client, municipality, draft):
    client.force_login(municipality.lead)
    pdf = small_pdf("Vedtekter")
    response = client.post(f"/soknader/{draft.pk}/", _form_with_file(client, draft, "vedtekter.pdf", pdf))
    assert response.status_code == 302
    assert list(Attachment.objects.filter(application=draft).values_list("original_name", flat=True)) == [
        "vedtekter.pdf"
    ]
    assert "«vedtekter.pdf» er lastet opp." in visible_text(client.get(f"/soknader/{draft.pk}/").content.decode())

    again = client.post(f"/soknader/{draft.pk}/", _form_with_file(client, draft, "kopi.pdf", pdf))
    assert again.status_code == 302
    assert Attachment.objects.filter(application=draft).count() == 1
    html = client.get(f"/soknader/{draft.pk}/").content.decode()
    said = "«kopi.pdf» er allerede lastet opp her (som «vedtekter.pdf»). Filen er ikke lagt til på nytt."
    assert said in visible_text(html)
    # beside the upload field: inside the attachment's fieldset
    widget = html[html.index('id="' + _last_widget_before(html, 'name="file-other"') + '"') :]
    assert said in visible_text(widget[: widget.index("</fieldset>")])


def _last_widget_before(html: str, marker: str) -> str:
    before = html[: html.index(marker)]
    return re.findall(r'<div class="tilskudd-widget" id="([^"]+)">', before)[-1]


def test_an_upload_error_stands_beside_the_upload_field(client, municipality, draft):
    client.force_login(municipality.lead)
    response = client.post(
        f"/soknader/{draft.pk}/", _form_with_file(client, draft, "notat.pdf", b"just some text, not a PDF")
    )
    assert response.status_code == 302 and response["Location"].endswith("#error-summary")
    assert not Attachment.objects.filter(application=draft).exists()
    html = client.get(f"/soknader/{draft.pk}/").content.decode()
    widget = html[html.index('id="' + _last_widget_before(html, 'name="file-other"') + '"') :]
    beside = visible_text(widget[: widget.index("</fieldset>")])
    assert "«notat.pdf»:" in beside
    summary = html[html.index('id="error-summary"') :]
    assert "«notat.pdf»:" in visible_text(summary[: summary.index("</div>")])
    # said once: the next visit is calm again
    assert "«notat.pdf»:" not in visible_text(client.get(f"/soknader/{draft.pk}/").content.decode())


def test_last_opp_says_a_refused_file_and_a_twin_beside_the_field(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/vedlegg/"
    data = _form_with_file(client, draft, "notat.pdf", b"not a PDF")
    del data["_save"]
    response = client.post(url, {**data, "_upload": "other"})
    assert response.status_code == 302
    assert not Attachment.objects.filter(application=draft).exists()
    html = client.get(f"/soknader/{draft.pk}/").content.decode()
    widget = html[html.index('id="' + _last_widget_before(html, 'name="file-other"') + '"') :]
    assert "«notat.pdf»:" in visible_text(widget[: widget.index("</fieldset>")])

    pdf = small_pdf("Budsjett")
    for name in ("budsjett.pdf", "budsjett-igjen.pdf"):
        data = _form_with_file(client, draft, name, pdf)
        del data["_save"]
        assert client.post(url, {**data, "_upload": "other"}).status_code == 302
    assert Attachment.objects.filter(application=draft).count() == 1
    html = client.get(f"/soknader/{draft.pk}/").content.decode()
    widget = html[html.index('id="' + _last_widget_before(html, 'name="file-other"') + '"') :]
    assert "«budsjett-igjen.pdf» er allerede lastet opp her" in visible_text(widget[: widget.index("</fieldset>")])


def test_last_opp_without_a_file_says_so_beside_the_field(client, municipality, draft):
    client.force_login(municipality.lead)
    data = form_data(client.get(f"/soknader/{draft.pk}/").content.decode())
    assert client.post(f"/soknader/{draft.pk}/vedlegg/", {**data, "_upload": "other"}).status_code == 302
    html = client.get(f"/soknader/{draft.pk}/").content.decode()
    widget = html[html.index('id="' + _last_widget_before(html, 'name="file-other"') + '"') :]
    assert "Velg en fil først." in visible_text(widget[: widget.index("</fieldset>")])
