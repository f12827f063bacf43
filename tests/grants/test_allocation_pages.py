"""The allocation page: what a caseworker sees and does, and who may see it."""

from __future__ import annotations

import re

import pytest

from tilskudd.grants.models import AllocationLine, Frame
from tests.accounts.helpers import login_verified
from tests.grants.test_allocation_helpers import in_assessment
from tests.staff_world import C0, C2

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace("\u00a0", " ")


def url(call, tail=""):
    return f"/saksbehandling/utlysninger/{call.slug}/fordeling/{tail}"


@pytest.fixture
def world(casework_world):
    apps = casework_world.applications[C0]
    for app, total in zip(apps, [4.5, 3.5, 5.5, 5.0, 4.8, None], strict=True):
        in_assessment(app, total, locked=total is not None)
    return casework_world


def test_access(client, world):
    call = world.calls[C0]
    assert client.get(url(call)).status_code == 302  # anonymous: to the login page
    assert "/logg-inn" in client.get(url(call))["Location"] or "login" in client.get(url(call))["Location"]
    login_verified(client, world.staff["caseworker"])
    assert client.get(url(call)).status_code == 200
    client.logout()
    login_verified(client, world.staff["assessor1"])
    response = client.get(url(call))
    assert response.status_code == 403
    assert "saksbehandler" in text(response).lower()
    client.logout()
    login_verified(client, world.bergen_staff["caseworker"])  # Bergen does not take part in C0
    assert client.get(url(call)).status_code == 404
    client.logout()
    applicant = world.applications[C0][0].created_by
    client.force_login(applicant)
    assert client.get(url(call)).status_code == 403


def test_the_page_shows_frames_and_applications_and_the_assistant_proposes(client, world):
    call = world.calls[C0]
    login_verified(client, world.staff["caseworker"])
    page = text(client.get(url(call)))
    assert "Rammen for hele utlysningen i 2019" in page
    assert "ramme 52 300 000 kr, foreslått 0 kr, igjen 52 300 000 kr" in page
    assert "Ikke låst" in page
    response = client.post(url(call, "forslag/"))
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Fordelingsassistenten foreslo beløp for 6 søknader" in page
    assert "Kvalitet 3,5 er under kvalitetsterskelen 4,0 for prioritert område 2 (C0-R15)" in page
    assert "Fullt beløp: kvalitet 5,5" in page
    assert AllocationLine.objects.filter(application__call=call, source="assistant").count() == 6


def test_an_override_above_the_frame_is_refused_with_a_clear_message(client, world):
    call = world.calls[C0]
    login_verified(client, world.staff["administrator"])
    response = client.post(f"/saksbehandling/utlysninger/{call.slug}/rammer/", {"grantor": world.imdi.org_number, "area": "", "year": 2019, "amount": 1_000_000})
    assert response.status_code == 302
    assert Frame.objects.get(call=call, area="").amount == 1_000_000
    client.logout()
    login_verified(client, world.staff["caseworker"])
    first, second = world.applications[C0][2], world.applications[C0][3]
    assert client.post(url(call, f"{first.pk}/"), {"amount": 700_000, "year": 2019, "reason": "Godt prosjekt"}).status_code == 302
    response = client.post(url(call, f"{second.pk}/"), {"amount": 400_000, "year": 2019, "reason": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Det er bare 300 000 kr igjen i rammen for hele utlysningen i 2019, og det ble bedt om 400 000 kr." in page
    assert not AllocationLine.objects.filter(application=second).exists()
    response = client.post(url(call, f"{second.pk}/"), {"amount": "mye", "year": 2019})
    assert response.status_code == 400 and "Beløpet må være et helt kronebeløp." in text(response)
    line = AllocationLine.objects.get(application=first)
    assert (line.amount, line.source, line.explanation_nb) == (700_000, "caseworker", "Godt prosjekt")
    # A caseworker may not set frames; an assessor may not set lines.
    assert client.post(f"/saksbehandling/utlysninger/{call.slug}/rammer/", {"grantor": world.imdi.org_number, "year": 2019, "amount": 5}).status_code == 403
    client.logout()
    login_verified(client, world.staff["assessor1"])
    assert client.post(url(call, f"{second.pk}/"), {"amount": 1, "year": 2019}).status_code == 403
    assert client.post(url(call, "forslag/")).status_code == 403


def test_lowering_a_frame_below_what_is_allocated_re_renders_with_the_reason(client, world):
    call = world.calls[C0]
    login_verified(client, world.staff["caseworker"])
    client.post(url(call, f"{world.applications[C0][2].pk}/"), {"amount": 700_000, "year": 2019})
    client.logout()
    login_verified(client, world.staff["approver"])
    response = client.post(f"/saksbehandling/utlysninger/{call.slug}/rammer/", {"grantor": world.imdi.org_number, "area": "", "year": 2019, "amount": 600_000})
    assert response.status_code == 400
    assert "kan ikke bli lavere enn det som allerede er fordelt (700 000 kr)" in text(response)
    assert Frame.objects.get(call=call, area="").amount == 52_300_000


def test_a_municipality_sees_its_own_share_and_a_c2_line_from_another_grantor_is_404(client, casework_world):
    world = casework_world
    call = world.calls[C2]
    imdi_app = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)
    in_assessment(imdi_app, 5)
    login_verified(client, world.bergen_staff["caseworker"])
    page = text(client.get(url(call)))
    assert "Bergen kommune" in page and "Det er ikke satt noen ramme for Bergen kommune i 2020" in page
    assert "kommunene forvalter 60 %" in page
    assert client.post(url(call, f"{imdi_app.pk}/"), {"amount": 10_000, "year": 2020}).status_code == 404


def test_the_page_in_english(client, world):
    call = world.calls[C0]
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    login_verified(client, world.staff["caseworker"])
    client.post(url(call, "forslag/"))
    page = text(client.get(url(call)))
    assert "The frame for the whole call in 2019: frame NOK 52,300,000" in page
    assert "Quality 3.5 is below the quality threshold 4.0 for priority area 2 (C0-R15): no grant." in page
    assert "Not fully assessed (the assessment is not locked)." in page


def test_the_assistants_message_is_whole_sentences():
    from tilskudd.grants.allocation.views import _proposal_message

    assert _proposal_message(1, 0, 85_000) == (
        "Fordelingsassistenten foreslo beløp for 1 søknad, til sammen 85\xa0000 kr.",  # a no-break space in amounts
        "The allocation assistant proposed amounts for 1 application, NOK 85,000 in all.",
    )
    nb, en = _proposal_message(5, 2, 1_000_000)
    assert nb.endswith("2 linjer satt av saksbehandler er beholdt.")
    assert en.endswith("2 lines set by a caseworker were kept.")
