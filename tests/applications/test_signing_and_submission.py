"""Signing, submission, withdrawal and history through the pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.applications.conftest import C0, form_data, oslo, visible_text
from tilskudd.applications.models import Application

pytestmark = pytest.mark.django_db


def review_text(client, application) -> str:
    response = client.get(f"/soknader/{application.pk}/signer/")
    assert response.status_code == 200
    return visible_text(response.content.decode())


def sign(client, application):
    application.refresh_from_db()
    return client.post(f"/soknader/{application.pk}/signer/", {"revision": application.revision})


def test_a_member_cannot_sign_and_is_told_why(client, municipality, draft):
    client.force_login(municipality.lead)
    text = review_text(client, draft)
    assert "Bare den som har signaturrett, eller fullmakt fra denne, kan signere søknaden." in text
    assert "Signer søknaden" not in text
    # Posting anyway is refused with the same reason, and nothing is signed.
    response = sign(client, draft)
    assert response.status_code == 403
    assert "Bare den som har signaturrett" in visible_text(response.content.decode())
    assert not draft.signatures.exists()


def test_the_review_shows_the_whole_application_read_only(client, municipality, draft):
    client.force_login(municipality.lead)
    html = client.get(f"/soknader/{draft.pk}/signer/").content.decode()
    text = visible_text(html)
    assert "Innholdet i søknaden" in text
    assert "Prosjektets navn Morsmålet som ressurs i norskopplæringen" in text
    assert "Antall deltakere 18" in text
    assert "Utprøving og utvikling av metodikk i norskopplæringen" in text
    assert "Faglig veileder · Høgskolen i Eksempelby" in text
    assert "Lønn og sosiale kostnader" in text or "Lærere og prosjektleder" in text
    assert "Kontonummer for utbetaling av tilskuddet 52010547326" in text
    assert "{{" not in html and 'name="answers.' not in html


def test_the_page_names_who_may_sign(client, municipality, draft):
    client.force_login(municipality.lead)
    text = review_text(client, draft)
    assert "Rå D. Mann (kommunedirektør)" in text
    assert "Utlysningen krever at søknaden signeres av rådmannen i kommunen, bydelsdirektøren (bydeler i Oslo)" in text


def test_a_delegate_can_sign(client, municipality, draft):
    from tilskudd.orgs.models import Delegation

    Delegation.objects.create(
        organisation=municipality.organisation,
        granted_by=municipality.signatory,
        delegate=municipality.delegate,
        valid_until=dt.date(2019, 3, 31),
    )
    client.force_login(municipality.delegate)
    assert "Signer søknaden" in review_text(client, draft)
    assert sign(client, draft).status_code == 302
    text = review_text(client, draft)
    assert "Signert av Full Mektig, med fullmakt, 20.02.2019 kl. 10:00." in text
    signature = draft.signatures.get()
    assert signature.capacity == "delegate"
    assert signature.content_hash in text


def test_an_edit_after_signing_voids_the_signature(client, municipality, draft):
    client.force_login(municipality.signatory)
    assert sign(client, draft).status_code == 302
    assert "Send inn søknaden" in review_text(client, draft)

    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    data["answers.participants"] = ["20"]
    assert client.post(url, data).status_code == 302

    assert "Signaturen er ugyldig fordi søknaden er endret" in visible_text(client.get(url).content.decode())
    text = review_text(client, draft)
    assert "Signaturen er ugyldig fordi søknaden er endret" in text
    assert "Send inn søknaden" not in text
    # Submitting anyway is refused: it must be signed again.
    response = client.post(f"/soknader/{draft.pk}/send-inn/")
    assert response.status_code == 409
    assert "må signeres av en med signaturrett" in visible_text(response.content.decode())


def test_submission_after_the_deadline_is_refused_with_a_clear_message(client, municipality, draft, freeze_now):
    client.force_login(municipality.signatory)
    assert sign(client, draft).status_code == 302
    freeze_now(oslo(2019, 2, 28, 12, 0, 1))
    client.force_login(municipality.signatory)  # eight days later: the session has ended (8 hours idle)
    text = review_text(client, draft)
    assert "Søknadsfristen gikk ut 28.02.2019 kl. 12:00" in text
    assert "Send inn søknaden" not in text
    response = client.post(f"/soknader/{draft.pk}/send-inn/")
    assert response.status_code == 409
    assert "Søknadsfristen gikk ut 28.02.2019 kl. 12:00. Søknaden kan ikke sendes inn." in visible_text(
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.case_number is None


def test_a_double_submit_gives_one_case_number(client, municipality, draft):
    client.force_login(municipality.signatory)
    assert sign(client, draft).status_code == 302
    first = client.post(f"/soknader/{draft.pk}/send-inn/")
    second = client.post(f"/soknader/{draft.pk}/send-inn/")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/soknader/{draft.pk}/sendt/"
    assert Application.objects.exclude(case_number=None).count() == 1
    draft.refresh_from_db()
    text = visible_text(client.get(f"/soknader/{draft.pk}/sendt/").content.decode())
    assert f"Saksnummeret er {draft.case_number}" in text
    # No receipt yet: the page says so, and the PDF link says it is being made.
    assert "Kvitteringen lages nå – last siden på nytt om litt." in text
    pending = client.get(f"/soknader/{draft.pk}/kvittering.pdf")
    assert pending.status_code == 202
    assert "Kvitteringen lages nå" in visible_text(pending.content.decode())
    # The submit button disables itself on the first click (progressive enhancement).
    client.force_login(municipality.signatory)


def test_the_submit_form_disables_its_button(client, municipality, draft):
    client.force_login(municipality.signatory)
    sign(client, draft)
    html = client.get(f"/soknader/{draft.pk}/signer/").content.decode()
    assert 'action="/soknader/%d/send-inn/" data-submit-once' % draft.pk in html
    assert '<script src="/static/js/submit-once.js" defer></script>' in html  # a file: the CSP allows no inline script
    from django.contrib.staticfiles import finders

    assert "button.disabled = true" in Path(finders.find("js/submit-once.js")).read_text(encoding="utf-8")


def test_the_receipt_is_served_when_it_has_been_made(client, municipality, draft, tmp_path, settings):
    from django.core.files.base import ContentFile

    from tilskudd.applications.models import Document

    settings.MEDIA_ROOT = tmp_path
    client.force_login(municipality.signatory)
    sign(client, draft)
    client.post(f"/soknader/{draft.pk}/send-inn/")
    document = Document(application=draft, kind=Document.Kind.RECEIPT, sha256="0" * 64)
    document.file.save("kvittering.pdf", ContentFile(b"%PDF-1.4 test receipt"), save=True)
    response = client.get(f"/soknader/{draft.pk}/kvittering.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "Last ned kvitteringen (PDF)" in visible_text(client.get(f"/soknader/{draft.pk}/sendt/").content.decode())


def test_a_submitted_application_can_be_withdrawn_after_confirming(client, municipality, draft):
    client.force_login(municipality.signatory)
    sign(client, draft)
    client.post(f"/soknader/{draft.pk}/send-inn/")
    client.force_login(municipality.lead)
    assert "Trekk søknaden" in review_text(client, draft)
    confirm = client.get(f"/soknader/{draft.pk}/trekk/")
    assert "Ja, trekk søknaden" in visible_text(confirm.content.decode())
    # A reason is asked for.
    missing = client.post(f"/soknader/{draft.pk}/trekk/", {"reason": ""})
    assert missing.status_code == 400
    assert "Skriv hvorfor dere trekker søknaden." in visible_text(missing.content.decode())
    draft.refresh_from_db()
    assert draft.status == "submitted"
    done = client.post(f"/soknader/{draft.pk}/trekk/", {"reason": "Prosjektet er utsatt til neste år."})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "withdrawn"
    mine = visible_text(client.get("/min-side/").content.decode())
    assert "Trukket" in mine
    history = visible_text(client.get(f"/soknader/{draft.pk}/historikk/").content.decode())
    assert "Søknaden ble trukket" in history
    assert "Begrunnelse: Prosjektet er utsatt til neste år." in history


def test_a_draft_cannot_be_withdrawn(client, municipality, draft):
    client.force_login(municipality.lead)
    response = client.post(f"/soknader/{draft.pk}/trekk/", {"reason": "x"})
    assert response.status_code == 409
    assert "Bare innsendte søknader som ikke er avgjort, kan trekkes." in visible_text(response.content.decode())


def test_history_lists_who_saved_what(client, municipality, draft):
    client.force_login(municipality.signatory)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    data["answers.participants"] = ["19"]
    client.post(url, data)
    sign(client, draft)
    client.post(f"/soknader/{draft.pk}/send-inn/")
    client.force_login(municipality.lead)
    rows = visible_text(client.get(f"/soknader/{draft.pk}/historikk/").content.decode())
    assert "Utkastet ble laget" in rows
    assert "Prosjekt Leder" in rows and "Rå D. Mann" in rows
    assert "Utkastet ble lagret" in rows
    assert "Endret: svar" in rows
    assert "Søknaden ble signert" in rows and "med signaturrett" in rows
    assert "Søknaden ble sendt inn" in rows
    draft.refresh_from_db()
    assert f"Saksnummer {draft.case_number}" in rows


def test_min_side_says_what_is_next(client, municipality, draft):
    client.force_login(municipality.lead)
    mine = visible_text(client.get("/min-side/").content.decode())
    assert "Bergen kommune" in mine
    assert "Morsmålet som ressurs i norskopplæringen" in mine
    assert "Utkast" in mine
    assert "28.02.2019 kl. 12:00" in mine
    assert "Venter på signatur" in mine
    # Open calls the municipality could apply to on that day (C0, for municipalities, open until 28.02.2019).
    assert "Start en søknad" in mine


def test_min_side_asks_to_complete_an_incomplete_draft(client, municipality, freeze_now):
    from tilskudd.applications import services
    from tilskudd.calls.models import Call

    freeze_now(oslo(2019, 2, 20, 10, 0))
    services.start_draft(municipality.lead, municipality.organisation, Call.objects.get(slug=C0))
    client.force_login(municipality.lead)
    mine = visible_text(client.get("/min-side/").content.decode())
    assert "Fullfør og send inn før 28.02.2019 kl. 12:00" in mine


def test_saving_without_changes_keeps_the_signature(client, municipality, draft):
    client.force_login(municipality.signatory)
    assert sign(client, draft).status_code == 302
    url = f"/soknader/{draft.pk}/"
    response = client.post(url, form_data(client.get(url).content.decode()))
    assert response.status_code == 302
    assert "Ingen endringer å lagre." in visible_text(client.get(url).content.decode())
    assert draft.signatures.filter(voided_at=None).exists()
    assert "Send inn søknaden" in review_text(client, draft)


def test_a_submitted_application_keeps_its_signature_when_the_organisation_changes(client, municipality, draft):
    client.force_login(municipality.signatory)
    sign(client, draft)
    client.post(f"/soknader/{draft.pk}/send-inn/")
    municipality.organisation.phone = "400 99 999"
    municipality.organisation.save()
    text = review_text(client, draft)
    assert "Signert av Rå D. Mann" in text
    assert "Signaturen er ugyldig" not in text
    # The review shows what was sent, not today's profile.
    assert "400 00 101" in text
