"""Complaint pages: the applicant's button or the reason there is none, the form, the complaint's page with each
step; the grantor's queue and complaint page, forwarding with the bundle, IMDi as the appeal body (issue #11, point 5)."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.complaints.helpers import C3, decide, member_of, second_caseworker
from tests.staff_world import C0, C2, build_world
from tests.web.conftest import visible_text
from tilskudd.complaints import services
from tilskudd.complaints.models import Complaint
from tilskudd.complaints.states import ComplaintStatus
from tilskudd.grants.awards import timeline


def _world():
    return build_world((C0, C2, C3))


complaint_pages_world_built = shared_world(_world, name="complaint_pages_world_built")


@pytest.fixture
def world(complaint_pages_world_built, db):
    return fresh(complaint_pages_world_built)


def _at(world, slug, grantor):
    return next(a for a in world.applications[slug] if a.case.grantor_org_number == grantor.org_number)


def test_a_c3_refusal_shows_no_button_and_says_why(world, client):
    application = world.applications[C3][0]
    decide(world, application, kind="refusal")
    client.force_login(member_of(application))
    page = client.get(f"/soknader/{application.pk}/signer/").content.decode()
    text = visible_text(page)
    assert 'id="complain-button"' not in page
    assert "Dere har ikke klagerett på dette vedtaket." in text and "forvaltningsloven" in text
    # The form itself says so too, and a POST changes nothing.
    form = client.get(f"/soknader/{application.pk}/klage/")
    assert form.status_code == 200 and 'id="no-complaint-right"' in form.content.decode()
    posted = client.post(f"/soknader/{application.pk}/klage/", {"reasons": "Vi klager likevel."})
    assert posted.status_code == 400 and not Complaint.objects.exists()


def test_the_refused_c2_applicant_complains_and_sees_each_step(world, client):
    application = _at(world, C2, world.bergen)
    decide(world, application, kind="refusal")
    member = member_of(application)
    client.force_login(member)
    page = client.get(f"/soknader/{application.pk}/signer/").content.decode()
    assert f'href="/soknader/{application.pk}/klage/"' in page and "Klag på vedtaket" in visible_text(page)
    empty = client.post(f"/soknader/{application.pk}/klage/", {"reasons": "  "})
    assert empty.status_code == 400 and "Skriv hva dere mener er feil" in visible_text(empty.content.decode())
    response = client.post(f"/soknader/{application.pk}/klage/", {"reasons": "Bergen har misforstått målgruppen."})
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/soknader/{application.pk}/klage/{complaint.pk}/"
    own = visible_text(client.get(response["Location"]).content.decode())
    assert "Mottatt" in own and "Klage ble sendt" in own and complaint.filed_by == member

    # Bergen's other caseworker forwards it to IMDi through the staff page.
    handler = second_caseworker(world, world.bergen)
    login_verified(client, handler)
    queue = client.get("/saksbehandling/klager/").content.decode()
    assert application.case_number in queue
    forwarded = client.post(
        f"/saksbehandling/klager/{complaint.pk}/", {"action": "forward", "note": "Vurdert etter kriteriene."}
    )
    assert forwarded.status_code == 302
    bundle = client.get(f"/saksbehandling/klager/{complaint.pk}/oversendelse.pdf")
    assert bundle.status_code == 200 and b"".join(bundle.streaming_content).startswith(b"%PDF")

    # IMDi sees it in its own queue as the appeal body and records «upheld».
    login_verified(client, world.staff["caseworker"])
    imdi_queue = visible_text(client.get("/saksbehandling/klager/").content.decode())
    assert application.case_number in imdi_queue and "Som klageinstans" in imdi_queue
    upheld = client.post(
        f"/saksbehandling/klager/{complaint.pk}/",
        {"action": "appeal", "outcome": "upheld", "text": "IMDi opprettholder vedtaket."},
    )
    assert upheld.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.UPHELD

    client.force_login(member)
    seen = visible_text(client.get(f"/soknader/{application.pk}/klage/{complaint.pk}/").content.decode())
    assert "Klagen ble sendt til klageinstansen" in seen and "Vedtaket ble opprettholdt" in seen
    assert "IMDi opprettholder vedtaket." in seen


def test_the_deciding_caseworker_sees_why_they_cannot_handle_it(world, client):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="refusal")
    member = member_of(application)
    complaint = services.file_complaint(member, decision.pk, "Feil.")
    login_verified(client, world.staff["caseworker"])
    page = client.get(f"/saksbehandling/klager/{complaint.pk}/").content.decode()
    assert 'id="decided-yourself"' in page and 'id="forward-form"' not in page
    refused = client.post(f"/saksbehandling/klager/{complaint.pk}/", {"action": "forward", "note": "Står."})
    assert refused.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FILED


def test_bergen_staff_do_not_see_imdis_complaints(world, client):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="refusal")
    complaint = services.file_complaint(member_of(application), decision.pk, "Feil.")
    login_verified(client, world.bergen_staff["caseworker"])
    assert client.get(f"/saksbehandling/klager/{complaint.pk}/").status_code == 404
    assert application.case_number not in client.get("/saksbehandling/klager/").content.decode()


def test_a_granted_applications_timeline_shows_its_complaint(world):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="grant", amount=20_000)
    services.file_complaint(member_of(application), decision.pk, "Vi ba om mer.")
    texts = [e.text_nb for e in timeline.entries(decision.grant, for_applicant=True)]
    assert "Klage sendt" in texts
