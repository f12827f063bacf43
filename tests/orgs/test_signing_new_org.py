"""Signing for a new organisation (issue #13, point 4).

* «Send til signering»: a member who cannot sign sends the application to the signatories, who get
  an e-mail; the review page and Min side say «Venter på signatur fra …»; audited; pressing twice
  within the hour notifies nobody again and says when it was sent.
* Where nobody can sign yet, or the person's own access waits: who confirms (the call's grantor),
  how (Enhetsregisteret and the uploaded proof), how long; the person uploads proof of the role (PDF or
  image, the attachment checks), which the confirming grantor reads and others cannot.
* The confirming grantor sees what Enhetsregisteret says beside the person; a matching name is one
  click to confirm, audited as the confirmation with the registry's roles.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.applications.conftest import (  # noqa: F401 - fixtures
    MINIMAL,
    calls_loaded,
    draft,
    municipality,
    oslo,
)
from tests.orgs.conftest import VOLUNTARY, login_staff, make_grantor_staff, make_user
from tilskudd.audit.models import AuditEvent
from tilskudd.core.phrases import datetime_moment
from tilskudd.orgs.models import Membership, Organisation, RoleProof

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


def _text(response) -> str:
    return response.content.decode()


def _events(subject, action: str):
    return AuditEvent.objects.filter(subject_type=subject._meta.model_name, subject_id=str(subject.pk), action=action)


# --- «Send til signering» --------------------------------------------------------------------------


def test_a_member_sends_to_signing_and_the_signatory_is_emailed(
    client, draft, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(municipality.lead)
    page = _text(client.get(f"/soknader/{draft.pk}/signer/"))
    assert "Send til signering" in page
    assert "Venter på signatur fra" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/soknader/{draft.pk}/send-til-signering/")
    assert response.status_code == 302

    [mail] = mailoutbox
    assert mail.to == ["radmann@example.org"]
    assert "venter på din signatur" in mail.subject
    assert f"/soknader/{draft.pk}/signer/" in mail.body
    assert "Prosjekt Leder" in mail.body

    page = _text(client.get(f"/soknader/{draft.pk}/signer/"))
    assert "Venter på signatur fra Rå D. Mann" in page
    assert "Vi har sendt e-post til Rå D. Mann" in page
    assert "Venter på signatur fra Rå D. Mann" in _text(client.get("/min-side/"))

    [event] = _events(draft, "application.sent_for_signing")
    assert event.actor == municipality.lead
    assert event.audience == "applicant"
    assert event.data["to"] == ["radmann@example.org"]


def test_pressing_twice_notifies_once_an_hour(
    client, draft, municipality, freeze_now, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(municipality.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/soknader/{draft.pk}/send-til-signering/")
        freeze_now(oslo(2019, 2, 20, 10, 59))
        response = client.post(f"/soknader/{draft.pk}/send-til-signering/", follow=True)
    assert len(mailoutbox) == 1
    sent_at = datetime_moment(oslo(2019, 2, 20, 10, 0), "nb").text
    assert f"Søknaden ble sendt til signering {sent_at}." in _text(response)
    assert "Vi sender ikke ny e-post før det har gått en time" in _text(response)
    assert _events(draft, "application.sent_for_signing").count() == 1

    freeze_now(oslo(2019, 2, 20, 11, 1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/soknader/{draft.pk}/send-til-signering/")
    assert len(mailoutbox) == 2
    assert _events(draft, "application.sent_for_signing").count() == 2


def test_the_signatory_signs_and_the_application_waits_no_more(
    client, draft, municipality, django_capture_on_commit_callbacks
):
    client.force_login(municipality.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/soknader/{draft.pk}/send-til-signering/")
    client.force_login(municipality.signatory)
    page = _text(client.get(f"/soknader/{draft.pk}/signer/"))
    assert "Signer søknaden" in page
    assert 'id="send-for-signing"' not in page  # one who may sign signs; no button to send it on
    draft.refresh_from_db()
    client.post(f"/soknader/{draft.pk}/signer/", {"revision": draft.revision})
    page = _text(client.get(f"/soknader/{draft.pk}/signer/"))
    assert 'id="signature-valid"' in page
    assert "Venter på signatur fra" not in page
    client.force_login(municipality.lead)
    assert "Venter på signatur fra" not in _text(client.get("/min-side/"))


def test_a_signatory_cannot_send_it_to_themselves_and_nothing_is_sent(
    client, draft, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(municipality.signatory)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/soknader/{draft.pk}/send-til-signering/")
    assert response.status_code == 403
    assert "Du kan signere søknaden selv." in _text(response)
    assert mailoutbox == []
    assert not _events(draft, "application.sent_for_signing").exists()


def test_outsiders_get_404_and_a_get_is_not_a_send(client, draft, municipality, mailoutbox):
    outsider = make_user("utenfor@example.org", "Ute Forstå")
    client.force_login(outsider)
    assert client.post(f"/soknader/{draft.pk}/send-til-signering/").status_code == 404
    client.force_login(municipality.lead)
    assert client.get(f"/soknader/{draft.pk}/send-til-signering/").status_code == 405
    assert mailoutbox == []


def test_with_nobody_to_sign_the_button_is_not_there_and_a_post_is_refused(client, draft, municipality):
    Membership.objects.filter(user=municipality.signatory).update(confirmed_at=None)
    client.force_login(municipality.lead)
    page = _text(client.get(f"/soknader/{draft.pk}/signer/"))
    assert "Ingen i organisasjonen har bekreftet signaturrett ennå." in page
    assert 'id="send-for-signing"' not in page
    response = client.post(f"/soknader/{draft.pk}/send-til-signering/")
    assert response.status_code == 403
    assert "det er ingen å sende søknaden til" in _text(response)


# --- a new organisation: who confirms, how, how long, and proof of the role ------------------------


@pytest.fixture
def new_org(calls_loaded, freeze_now):
    """Kari registered Prøvelaget (the recorded registry's 410 000 008) and waits for the grantor; a draft."""
    from tilskudd.applications import services
    from tilskudd.calls.models import Call

    freeze_now(oslo(2019, 2, 20, 10, 0))
    organisation = Organisation.objects.create(
        org_number=VOLUNTARY, name="PRØVELAGET FOR INKLUDERING", applicant_type="voluntary_organisation"
    )
    kari = make_user("kari@provelaget.example", "Kari Nordmann")
    member = Membership.objects.create(
        user=kari, organisation=organisation, role="signatory", administers=True, title="styreleder"
    )
    application = services.start_draft(kari, organisation, Call.objects.get(slug=MINIMAL))
    return {"organisation": organisation, "kari": kari, "member": member, "application": application}


def test_the_waiting_person_is_told_who_confirms_how_and_how_long(client, new_org, settings):
    settings.ORGS_CONFIRMATION_WORKING_DAYS = 4
    client.force_login(new_org["kari"])
    page = _text(client.get(f"/soknader/{new_org['application'].pk}/signer/"))
    assert "Ingen i organisasjonen har bekreftet signaturrett ennå." in page
    assert "Tilgangen din til organisasjonen venter på bekreftelse fra <strong>IMDi</strong>" in page
    assert "Enhetsregisteret" in page and "styreprotokoll" in page
    assert "Det tar vanligvis inntil 4 virkedager" in page
    assert 'name="proof"' in page


def test_the_person_uploads_proof_that_the_grantor_reads(client, new_org):
    client.force_login(new_org["kari"])
    url = f"/soknader/{new_org['application'].pk}/bevis-for-rolle/"
    upload = SimpleUploadedFile("Styreprotokoll 2019.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url, {"proof": upload})
    assert response.status_code == 302
    [proof] = RoleProof.objects.filter(membership=new_org["member"])
    assert proof.original_name == "Styreprotokoll_2019.pdf"
    assert proof.content_type == "application/pdf"
    [event] = _events(new_org["organisation"], "membership.role_proof_uploaded")
    assert event.data["sha256"] == proof.sha256

    page = _text(client.get(f"/soknader/{new_org['application'].pk}/signer/"))
    assert "Styreprotokoll_2019.pdf" in page
    assert client.get(f"/organisasjoner/dokumentasjon/{proof.pk}/").status_code == 200

    staff = make_grantor_staff("saksbehandler@imdi.example", "Siri Saksbehandler")
    login_staff(client, staff)
    queue = _text(client.get("/saksbehandling/bekreftelser/"))
    assert f"/organisasjoner/dokumentasjon/{proof.pk}/" in queue
    response = client.get(f"/organisasjoner/dokumentasjon/{proof.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES

    client.force_login(make_user("nysgjerrig@example.org", "Ny Sgjerrig"))
    assert client.get(f"/organisasjoner/dokumentasjon/{proof.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("notat.txt", b"Jeg er styreleder.", "Last opp en PDF eller et bilde"),
        ("protokoll.pdf", b"Jeg er styreleder, helt sant.", "ikke en PDF eller et bilde"),
        ("protokoll.pdf", PNG_BYTES, "men innholdet er PNG-bilde"),
        ("tom.pdf", b"", "Filen er tom."),
    ],
)
def test_a_file_that_fails_the_checks_is_refused_beside_the_field_and_not_stored(client, new_org, name, content, says):
    client.force_login(new_org["kari"])
    upload = SimpleUploadedFile(name, content)
    response = client.post(f"/soknader/{new_org['application'].pk}/bevis-for-rolle/", {"proof": upload})
    assert response.status_code == 400
    page = _text(response)
    assert 'id="proof-error"' in page and says in page
    assert 'aria-invalid="true"' in page
    assert not RoleProof.objects.exists()
    assert not _events(new_org["organisation"], "membership.role_proof_uploaded").exists()


def test_no_file_chosen_is_a_clear_400(client, new_org):
    client.force_login(new_org["kari"])
    response = client.post(f"/soknader/{new_org['application'].pk}/bevis-for-rolle/", {})
    assert response.status_code == 400
    assert "Velg en fil å laste opp." in _text(response)


def test_a_confirmed_person_uploads_no_proof(client, draft, municipality):
    client.force_login(municipality.lead)
    upload = SimpleUploadedFile("protokoll.pdf", PDF_BYTES)
    response = client.post(f"/soknader/{draft.pk}/bevis-for-rolle/", {"proof": upload})
    assert response.status_code == 403
    assert "Tilgangen din er allerede bekreftet." in _text(response)
    assert not RoleProof.objects.exists()


# --- the grantor: what Enhetsregisteret says, one click on a match -----------------------------------


def test_the_grantor_sees_the_registry_and_confirms_a_match_in_one_click(
    client, new_org, registry, django_capture_on_commit_callbacks
):
    staff = make_grantor_staff("saksbehandler@imdi.example", "Siri Saksbehandler")
    login_staff(client, staff)
    member = new_org["member"]
    queue = _text(client.get("/saksbehandling/bekreftelser/"))
    assert "Dette sier Enhetsregisteret" in queue
    assert "Kari Prøve Nordmann" in queue and "Per Prøvesen" in queue
    assert f'id="match-{member.pk}"' in queue
    assert "styreleder, signatur i Enhetsregisteret" in queue
    assert 'value="confirm_match"' in queue

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/saksbehandling/bekreftelser/{member.pk}/", {"decision": "confirm_match"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.confirmed_by == staff
    [event] = _events(new_org["organisation"], "membership.confirmed")
    assert event.data["registry_roles"] == ["LEDE", "SIGN"]
    assert event.actor == staff


def test_no_match_no_one_click_and_a_forged_match_confirms_nobody(client, new_org, registry):
    new_org["kari"].full_name = "Kari Hansen"
    new_org["kari"].save()
    staff = make_grantor_staff("saksbehandler@imdi.example", "Siri Saksbehandler")
    login_staff(client, staff)
    member = new_org["member"]
    queue = _text(client.get("/saksbehandling/bekreftelser/"))
    assert f'id="nomatch-{member.pk}"' in queue
    assert 'value="confirm_match"' not in queue
    response = client.post(f"/saksbehandling/bekreftelser/{member.pk}/", {"decision": "confirm_match"}, follow=True)
    assert "bekrefter ikke lenger navnet Kari Hansen" in _text(response)
    member.refresh_from_db()
    assert member.confirmed_at is None


def test_when_the_registry_does_not_answer_the_queue_still_opens_and_says_so(client, new_org, registry_down):
    staff = make_grantor_staff("saksbehandler@imdi.example", "Siri Saksbehandler")
    login_staff(client, staff)
    response = client.get("/saksbehandling/bekreftelser/")
    assert response.status_code == 200
    assert "Enhetsregisteret svarer ikke akkurat nå" in _text(response)
    assert 'value="confirm_match"' not in _text(response)


def test_another_grantors_staff_neither_see_the_person_nor_read_the_proof(client, new_org):
    from tilskudd.applications.role_proof_upload import upload_role_proof

    proof = upload_role_proof(new_org["kari"], new_org["member"].pk, SimpleUploadedFile("fullmakt.pdf", PDF_BYTES))
    from tilskudd.casework.models import StaffRole

    bergen = Organisation.objects.create(org_number="964338531", name="Bergen kommune", applicant_type="municipality")
    other = make_user("saksbehandler@bergen.example", "Berit Bergen", is_staff=True)
    StaffRole.objects.create(user=other, grantor=bergen, role="caseworker")
    login_staff(client, other)
    assert "PRØVELAGET" not in _text(client.get("/saksbehandling/bekreftelser/"))
    assert client.get(f"/organisasjoner/dokumentasjon/{proof.pk}/").status_code == 404


def test_the_hour_is_counted_from_the_request(draft, municipality, freeze_now):
    from tilskudd.applications.services import signing_requests

    first = signing_requests.send_for_signing(municipality.lead, draft.pk, link="http://x/")
    assert first.notified
    freeze_now(oslo(2019, 2, 20, 10, 0) + signing_requests.RESEND_AFTER - dt.timedelta(seconds=1))
    assert not signing_requests.send_for_signing(municipality.lead, draft.pk, link="http://x/").notified
    freeze_now(oslo(2019, 2, 20, 10, 0) + signing_requests.RESEND_AFTER)
    assert signing_requests.send_for_signing(municipality.lead, draft.pk, link="http://x/").notified


# --- a grantor confirms only its own applicants' organisations (point 4's last sentence) ---------------


def test_a_submitted_application_to_a_municipality_is_that_municipalitys_to_confirm(client, new_org):
    """The scope lives in casework.scope.can_read_organisation (decisions.md, «An applicant organisation
    belongs to the grantors it applies to»); here the case of an application submitted to Bergen."""
    from tilskudd.casework.models import Case, StaffRole

    bergen = Organisation.objects.create(org_number="964338531", name="Bergen kommune", applicant_type="municipality")
    Case.objects.create(
        application=new_org["application"], grantor_org_number=bergen.org_number, grantor_name=bergen.name
    )
    berit = make_user("saksbehandler@bergen.example", "Berit Bergen", is_staff=True)
    StaffRole.objects.create(user=berit, grantor=bergen, role="caseworker")
    siri = make_grantor_staff("saksbehandler@imdi.example", "Siri Saksbehandler")
    member = new_org["member"]

    login_staff(client, siri)
    assert "PRØVELAGET" not in _text(client.get("/saksbehandling/bekreftelser/"))
    assert client.post(f"/saksbehandling/bekreftelser/{member.pk}/", {"decision": "confirm"}).status_code == 404

    login_staff(client, berit)
    assert "PRØVELAGET" in _text(client.get("/saksbehandling/bekreftelser/"))
    assert client.post(f"/saksbehandling/bekreftelser/{member.pk}/", {"decision": "confirm"}).status_code == 302
    member.refresh_from_db()
    assert member.confirmed_by == berit
