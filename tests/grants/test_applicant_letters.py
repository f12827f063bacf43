"""The applicant's view of casework: status in plain words, the completion banner, the published decision and its letter."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tilskudd.applications.states import Status
from tilskudd.grants.decisions import services
from tests.casework.helpers import applicant_of
from tests.grants.test_decisions_helpers import install_frames, ready_for_decision
from tests.staff_world import C0, C2
from tests.web.conftest import visible_text




@pytest.fixture
def world(casework_world, monkeypatch):
    install_frames(monkeypatch)
    return casework_world


def _grant_and_publish(world, application, amount, publish=True):
    ready_for_decision(application, world.staff["caseworker"])
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=amount)
    services.approve(world.staff["approver"], decision.pk)
    if publish:
        services.publish(world.staff["approver"], application.call, world.imdi.org_number)
    decision.refresh_from_db()
    return decision


def test_the_applicant_sees_the_letter_after_publication_and_not_before(world, client):
    application = world.applications[C0][0]
    applied = application.submitted_content["budget"]["amount_applied"]
    decision = _grant_and_publish(world, application, applied - 10000, publish=False)
    client.force_login(applicant_of(application))
    page = client.get(f"/soknader/{application.pk}/signer/").content.decode()
    assert 'id="decision"' not in page and "/brev/" not in page
    assert "Til vurdering" in visible_text(page)
    services.publish(world.staff["approver"], application.call, world.imdi.org_number)
    decision.refresh_from_db()
    # A granted application opens on its grant page; the application itself is «Søknaden» (?vis=soknad).
    page = client.get(f"/soknader/{application.pk}/signer/?vis=soknad").content.decode()
    text = visible_text(page)
    assert "Innvilget" in text and "Vedtak: Tilskudd" in text and "delvis" in text
    letter_url = f"/soknader/{application.pk}/brev/{decision.letter_id}.pdf"
    assert letter_url in page
    response = client.get(letter_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    text = " ".join((PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or "").split())
    assert "Tilskuddsbrev" in text and application.case_number in text
    mine = client.get("/min-side/").content.decode()
    assert letter_url in mine and "Vedtaksbrev (PDF)" in mine


def test_a_letter_of_an_unpublished_decision_is_never_shown(world, client):
    application = world.applications[C0][1]
    decision = _grant_and_publish(world, application, 10000, publish=False)
    # Even if a document were stored for it, the route answers only for published decisions.
    from tilskudd.grants.decisions import letters

    document = letters.store_letter(decision)
    client.force_login(applicant_of(application))
    assert client.get(f"/soknader/{application.pk}/brev/{document.pk}.pdf").status_code == 404


def test_another_organisation_gets_404_for_the_letter(world, client):
    application = world.applications[C0][0]
    decision = _grant_and_publish(world, application, 10000)
    other = next(a for a in world.applications[C0] if a.organisation_id != application.organisation_id)
    client.force_login(applicant_of(other))
    assert client.get(f"/soknader/{application.pk}/brev/{decision.letter_id}.pdf").status_code == 404
    # and the receipt's id under the other application's own number does not work either
    assert client.get(f"/soknader/{other.pk}/brev/{decision.letter_id}.pdf").status_code == 404
    client.logout()
    assert client.get(f"/soknader/{application.pk}/brev/{decision.letter_id}.pdf").status_code == 302


def test_rejection_is_shown_in_plain_words(world, client):
    application = world.applications[C0][2]
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, kind="rejection", reasons="Feil søkertype.")
    services.approve(world.staff["approver"], decision.pk)
    services.publish(world.staff["approver"], application.call, world.imdi.org_number)
    client.force_login(applicant_of(application))
    text = visible_text(client.get(f"/soknader/{application.pk}/signer/").content.decode())
    assert "Avvist" in text and "Søknaden er avvist." in text
    mine = visible_text(client.get("/min-side/").content.decode())
    assert "Vedtak er gjort – les brevet" in mine


def test_the_completion_banner_names_the_grantor_deadline_and_message(world, client):
    application = world.applications[C2][0]
    application.status = Status.REOPENED
    application.reopened_until = dt.datetime(2030, 3, 1, 11, 0, tzinfo=dt.timezone.utc)
    application.reopened_message = "Legg ved budsjettet for høsten."
    application.save()
    client.force_login(applicant_of(application))
    page = client.get(f"/soknader/{application.pk}/").content.decode()
    banner = visible_text(page.split('id="completion-notice"', 1)[1].split("</div>", 1)[0])
    grantor = application.case.grantor_name
    assert f"{grantor} ber dere komplettere søknaden innen 01.03.2030 kl. 12:00: Legg ved budsjettet for høsten." in banner
    mine = visible_text(client.get("/min-side/").content.decode())
    assert "send inn igjen før 01.03.2030 kl. 12:00" in mine and "Legg ved budsjettet for høsten." in mine
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = visible_text(client.get(f"/soknader/{application.pk}/").content.decode())
    assert "asks you to complete the application by" in english
