"""The form page: saving, conflicts, conditional questions with and without JavaScript, attachments, access."""

from __future__ import annotations

import pytest

from tests.applications.conftest import C0, MINIMAL, form_data, oslo, visible_text
from tilskudd.applications.models import Application

pytestmark = pytest.mark.django_db


def test_a_stale_revision_keeps_what_the_person_typed(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    mine = form_data(client.get(url).content.decode())  # the lead opens the form …

    # … the signatory saves a change in the meantime …
    from tilskudd.applications import services

    services.save_draft(municipality.signatory, draft.pk, {"areas": ["3"], "answers": {**draft.content["answers"], "participants": 22}}, draft.revision)

    # … and the lead saves the old revision: refused, with their own text still in the form.
    mine["answers.expected_results"] = ["Alle deltakerne består norskprøven på nivå B1."]
    response = client.post(url, mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre har lagret endringer i søknaden etter at du åpnet den." in visible_text(html)
    assert "Last siden på nytt" in visible_text(html)
    assert "Alle deltakerne består norskprøven på nivå B1." in html
    draft.refresh_from_db()
    assert draft.content["answers"]["participants"] == 22
    assert draft.content["answers"]["expected_results"] != "Alle deltakerne består norskprøven på nivå B1."


def test_shown_when_without_javascript_follows_the_saved_answer(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    html = client.get(url).content.decode()
    assert "Dato for det tidligere tilskuddet fra IMDi" not in html
    data = form_data(html)
    data["answers.earlier_imdi_grant"] = ["true"]
    client.post(url, data)
    page = visible_text(client.get(url).content.decode())
    assert "Dato for det tidligere tilskuddet fra IMDi" in page
    assert "«Dato for det tidligere tilskuddet fra IMDi» må fylles ut." in page


def test_htmx_re_renders_the_form_after_a_choice_without_saving(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    html = client.get(url).content.decode()
    # htmx is loaded on the form page only, and the choice that shows questions triggers it.
    assert "vendor/htmx/htmx.min.js" in html
    assert "vendor/htmx/htmx.min.js" not in client.get("/min-side/").content.decode()
    assert f'hx-post="/soknader/{draft.pk}/forhandsvis/"' in html
    assert 'id="f-areas-0" name="areas" value="1" data-live' in html
    data = form_data(html)
    data["areas"] = ["1"]
    before = Application.objects.get(pk=draft.pk).revision
    response = client.post(f"/soknader/{draft.pk}/forhandsvis/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    partial = response.content.decode()
    assert partial.lstrip().startswith('<div id="form-body"')
    assert "Har alle deltakerne fullført tredje år i introduksjonsprogrammet?" in partial
    assert "Tema for utprøvingen" not in partial
    assert "Husk å lagre" in visible_text(partial)
    # Area 1's questions are now on the page, so a save will take their answers.
    assert 'name="_fields" value="answers.participants_completed_year_3"' in partial
    assert Application.objects.get(pk=draft.pk).revision == before


def test_the_budget_has_lines_that_can_be_added_and_removed(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    assert data["budget.lines[0].category"] == ["staff"]
    # Remove the second line.
    data["_remove"] = ["budget.lines[1]"]
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#f-budget-lines")
    draft.refresh_from_db()
    assert [line["category"] for line in draft.content["budget"]["lines"]] == ["staff", "purchased_services", "dissemination"]
    # Add a line: one more empty line is shown.
    data = form_data(client.get(url).content.decode())
    data["_add"] = ["budget.lines"]
    response = client.post(url, data)
    assert "ny=budget.lines" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert 'name="budget.lines[4].category"' in html


def test_a_budget_line_without_an_amount_is_shown_at_the_amount(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    data["budget.lines[0].amount"] = [""]
    client.post(url, data)
    html = client.get(url).content.decode()
    assert 'id="f-budget-lines-0-amount-messages"' in html
    messages = html[html.find('id="f-budget-lines-0-amount-messages"'):][:600]
    assert "Må fylles ut." in visible_text(messages)
    # The budget field's rule (C0-R09) is named; the summary says which line.
    assert "C0-R09" in visible_text(messages)
    assert 'href="#f-budget-lines-0-amount"' in html
    assert "Budsjett, linje 1: Beløp (kr): Må fylles ut." in visible_text(html)
    assert "Når det er rettet, sjekker vi søknaden mot resten av reglene" in visible_text(html)


def test_money_is_read_as_whole_kroner(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    data["budget.amount_applied"] = ["750 000 kr"]
    data["budget.lines[0].amount"] = ["700.000"]
    client.post(url, data)
    draft.refresh_from_db()
    assert draft.content["budget"]["amount_applied"] == 750000
    assert draft.content["budget"]["lines"][0]["amount"] == 700000
    # Øre are not guessed away: the value stays as typed and the form says what is wrong.
    data = form_data(client.get(url).content.decode())
    data["budget.amount_applied"] = ["750 000,50"]
    client.post(url, data)
    html = client.get(url).content.decode()
    assert 'value="750 000,50"' in html
    assert "Må være et helt tall" in visible_text(html)


def test_profile_fields_are_read_only_with_a_link_to_the_organisation(client, municipality, draft):
    client.force_login(municipality.lead)
    html = client.get(f"/soknader/{draft.pk}/").content.decode()
    text = visible_text(html)
    assert "Kontonummer for utbetaling av tilskuddet" in text and "52010547326" in text
    assert 'name="applicant.bank_account"' not in html
    assert "Endre opplysningene om Bergen kommune" in text


def test_findings_are_in_english_when_english_is_chosen(client, municipality, draft):
    client.force_login(municipality.lead)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    data["answers.participants"] = ["12"]
    client.post(url, data)
    text = visible_text(client.get(url).content.decode())
    assert "'Number of participants' must be at least 15. The application has 12." in text
    assert "These must be fixed before the application can be submitted" in text or "This must be fixed" in text


def test_a_joint_application_names_the_member_municipalities(client, municipality, draft):
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    assert data["joint.enabled"] == ["false"]
    data["joint.enabled"] = ["true"]
    client.post(url, data)
    data = form_data(client.get(url).content.decode())
    # Oslo kommune, from C0's examples (examples/kommunale-integreringstiltak-2019/examples.yaml).
    data["joint.members[0].org_number"] = ["958 935 420"]
    data["joint.members[0].name"] = ["Oslo kommune"]
    client.post(url, data)
    draft.refresh_from_db()
    assert draft.content["joint"] == {
        "lead_org_number": "964338531",
        "members": [{"org_number": "958935420", "name": "Oslo kommune"}],
    }


def test_attachments_are_uploaded_and_removed_from_the_form(client, municipality, draft, tmp_path, settings):
    pytest.importorskip("tilskudd.applications.attachments")
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    data["answers.needs_exemption"] = ["true"]
    client.post(url, data)
    html = client.get(url).content.decode()
    assert "Unntak fra departementet, eller søknaden om unntak" in html
    # Required now (C0-R14), and missing until a file is uploaded.
    assert 'href="#f-attachments-exemption-file"' in html
    data = form_data(html)
    data["_upload"] = ["exemption"]
    data["file-exemption"] = SimpleUploadedFile("vedtak om unntak.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = client.post(f"/soknader/{draft.pk}/vedlegg/", data)
    assert response.status_code == 302
    assert response["Location"].endswith("#f-attachments-exemption")
    html = client.get(url).content.decode()
    assert draft.attachment_files.count() == 1
    attachment = draft.attachment_files.get()
    assert attachment.original_name in visible_text(html)
    assert f"/soknader/{draft.pk}/vedlegg/{attachment.pk}/" in html
    data = form_data(html)
    data["_remove_attachment"] = [str(attachment.pk)]
    client.post(f"/soknader/{draft.pk}/vedlegg/", data)
    assert draft.attachment_files.count() == 0


def test_a_refused_attachment_shows_the_reason(client, municipality, draft, tmp_path, settings):
    pytest.importorskip("tilskudd.applications.attachments")
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(municipality.lead)
    url = f"/soknader/{draft.pk}/"
    data = form_data(client.get(url).content.decode())
    data["answers.needs_exemption"] = ["true"]
    client.post(url, data)
    data = form_data(client.get(url).content.decode())
    data["_upload"] = ["exemption"]
    data["file-exemption"] = SimpleUploadedFile("program.exe", b"MZ\x90\x00not a document", content_type="application/pdf")
    response = client.post(f"/soknader/{draft.pk}/vedlegg/", data, follow=True)
    assert draft.attachment_files.count() == 0
    # The reason is the attachments module's own, shown as it is.
    assert "Filtypen er ikke tillatt." in visible_text(response.content.decode())


# --- starting -----------------------------------------------------------------------------


def test_starting_after_the_deadline_is_refused_clearly(client, municipality, freeze_now):
    freeze_now(oslo(2019, 3, 1, 9, 0))
    client.force_login(municipality.lead)
    response = client.get(f"/soknader/ny/{C0}/")
    text = visible_text(response.content.decode())
    assert "Fristen for denne utlysningen gikk ut 28.02.2019 kl. 12:00. Du kan ikke starte en ny søknad." in text
    client.post(f"/soknader/ny/{C0}/", {})
    assert not Application.objects.exists()


def test_starting_without_an_organisation_links_to_registering_one(client, calls_loaded, freeze_now):
    from tilskudd.accounts.models import User

    freeze_now(oslo(2019, 2, 20, 10, 0))
    client.force_login(User.objects.create_user(email="ny@example.org", full_name="Ny Person"))
    html = client.get(f"/soknader/ny/{C0}/").content.decode()
    assert "Du er ikke med i noen organisasjon ennå." in visible_text(html)
    assert 'href="/organisasjoner/ny/"' in html


def test_a_person_in_several_organisations_chooses_one(client, municipality, other_organisation, freeze_now):
    from tilskudd.orgs.models import Membership

    freeze_now(oslo(2019, 2, 20, 10, 0))
    organisation, _ = other_organisation
    Membership.objects.create(user=municipality.lead, organisation=organisation, role="member")
    client.force_login(municipality.lead)
    text = visible_text(client.get(f"/soknader/ny/{C0}/").content.decode())
    assert "Hvilken organisasjon søker?" in text
    assert "Bergen kommune" in text and organisation.name in text
    response = client.post(f"/soknader/ny/{C0}/", {"organisation": organisation.pk})
    assert response.status_code == 302
    assert Application.objects.get().organisation == organisation


def test_the_form_needs_a_login(client, draft):
    response = client.get(f"/soknader/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/")


# --- access: another organisation gets 404 everywhere ------------------------------------------

ROUTES = [
    ("get", "/soknader/{pk}/"),
    ("post", "/soknader/{pk}/"),
    ("post", "/soknader/{pk}/forhandsvis/"),
    ("post", "/soknader/{pk}/vedlegg/"),
    ("get", "/soknader/{pk}/vedlegg/{attachment}/"),
    ("get", "/soknader/{pk}/signer/"),
    ("post", "/soknader/{pk}/signer/"),
    ("post", "/soknader/{pk}/send-inn/"),
    ("get", "/soknader/{pk}/sendt/"),
    ("get", "/soknader/{pk}/kvittering.pdf"),
    ("get", "/soknader/{pk}/trekk/"),
    ("post", "/soknader/{pk}/trekk/"),
    ("get", "/soknader/{pk}/historikk/"),
]


@pytest.mark.parametrize("method,route", ROUTES)
def test_another_organisation_gets_404(client, draft, other_organisation, method, route, tmp_path, settings):
    from django.core.files.base import ContentFile

    from tilskudd.applications.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    attachment = Attachment(
        application=draft, kind="exemption", original_name="a.pdf", content_type="application/pdf",
        size=4, sha256="a" * 64, uploaded_by=draft.created_by,
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF"), save=True)
    _, outsider = other_organisation
    client.force_login(outsider)
    before = Application.objects.get(pk=draft.pk)
    response = getattr(client, method)(route.format(pk=draft.pk, attachment=attachment.pk), {"revision": draft.revision, "reason": "x", "areas": "1", "_fields": "areas"})
    assert response.status_code == 404
    after = Application.objects.get(pk=draft.pk)
    assert (after.revision, after.status, after.content) == (before.revision, before.status, before.content)
    assert not after.signatures.exists()


def test_min_side_shows_only_the_persons_own_organisations(client, draft, other_organisation):
    _, outsider = other_organisation
    client.force_login(outsider)
    text = visible_text(client.get("/min-side/").content.decode())
    assert "Morsmålet som ressurs" not in text
    assert "Bergen kommune" not in text


def test_the_minimal_fixture_call_gets_a_form(client, municipality, freeze_now):
    freeze_now(oslo(2030, 1, 10, 10, 0))
    client.force_login(municipality.lead)
    response = client.post(f"/soknader/ny/{MINIMAL}/", {})
    url = response["Location"]
    data = form_data(client.get(url).content.decode())
    data["areas"] = ["3"]
    data["answers.participants"] = ["12"]
    data["answers.needs_exemption"] = ["false"]
    client.post(url, data)
    text = visible_text(client.get(url).content.decode())
    assert "«Antall deltakere» må være minst 15. Søknaden har 12." in text
