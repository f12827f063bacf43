"""The caseworker's grant pages (issue #11, points 1, 2 and 7): the call's grants with lapsed offers first, one
grant with its plan and timeline, and cancelling or reopening it from the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.grants.grant_helpers import publish_decision
from tests.grants.test_grant_changes import FRAME, imdi_c2, lapse, left
from tests.staff_world import C2, build_world
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import changes
from tilskudd.grants.states import GrantStatus, TermStatus


def _two_grants_world():
    """The casework world, IMDi's C2 frame of NOK 200 000; grants of 150 000 (lapsed) and 30 000 (offered); built
    once for the module (issue #9 point 7)."""
    world = build_world()
    call = world.calls[C2]
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", call.definition.year, FRAME)
    first, second = imdi_c2(world)[:2]
    lapsed = publish_decision(world, first, amount=150_000).grant
    offered = publish_decision(world, second, amount=30_000).grant
    lapse(lapsed)
    return world, lapsed, offered


two_grants_world_built = shared_world(_two_grants_world, name="two_grants_world_built")


@pytest.fixture
def two_grants(two_grants_world_built, db):
    """IMDi's C2 frame of NOK 200 000; grants of 150 000 (lapsed) and 30 000 (offered): the test's own copy of the
    world and the grants, read again from the database."""
    return fresh(two_grants_world_built)


def text(response) -> str:
    return response.content.decode()


def test_the_list_shows_the_grantors_grants_with_lapsed_offers_first(two_grants, client):
    world, lapsed, offered = two_grants
    login_verified(client, world.staff["approver"])
    response = client.get(f"/saksbehandling/utlysninger/{world.calls[C2].slug}/tilskudd/", secure=True)
    assert response.status_code == 200
    body = text(response)
    assert body.index(f'id="grant-{lapsed.pk}"') < body.index(f'id="grant-{offered.pk}"')
    assert "Ikke akseptert innen fristen" in body and "Venter på aksept" in body
    assert lapsed.application.case_number in body and "150\xa0000\xa0kr" in body


def test_the_municipality_sees_none_of_imdis_grants(two_grants, client):
    world, lapsed, _offered = two_grants
    login_verified(client, world.bergen_staff["caseworker"])
    response = client.get(f"/saksbehandling/utlysninger/{world.calls[C2].slug}/tilskudd/", secure=True)
    assert response.status_code == 200 and lapsed.application.case_number not in text(response)
    assert client.get(f"/saksbehandling/tilskudd/{lapsed.pk}/", secure=True).status_code == 404


def test_the_grant_page_shows_the_plan_the_timeline_and_the_caseworkers_forms(two_grants, client):
    world, _lapsed, offered = two_grants
    login_verified(client, world.staff["caseworker"])
    body = text(client.get(f"/saksbehandling/tilskudd/{offered.pk}/", secure=True))
    assert 'id="term-1"' in body and "30\xa0000\xa0kr" in body and "Planlagt" in body
    assert "Tidslinje" in body and "Tilskuddet ble tilbudt" in body
    assert "Tilskuddsmottakeren har ikke svart på tilbudet." in body
    assert 'id="cancel-reason"' in body and 'id="reopen-due"' not in body  # open offers are not reopened
    login_verified(client, world.staff["approver"])
    body = text(client.get(f"/saksbehandling/tilskudd/{offered.pk}/", secure=True))
    assert 'id="cancel-reason"' not in body  # the approver reads, the caseworker changes


def test_cancelling_from_the_page_needs_a_reason_and_then_frees_the_frame(two_grants, client):
    world, _lapsed, offered = two_grants
    login_verified(client, world.staff["caseworker"])
    url = f"/saksbehandling/tilskudd/{offered.pk}/trekk-tilbake/"
    response = client.post(url, {"reason": " "}, secure=True)
    assert response.status_code == 400 and "Skriv hvorfor tilskuddet trekkes tilbake." in text(response)
    offered.refresh_from_db()
    assert offered.status == GrantStatus.OFFERED
    response = client.post(url, {"reason": "Prosjektet er avlyst."}, secure=True)
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == GrantStatus.CANCELLED and left(world) == FRAME
    assert list(offered.terms.values_list("status", flat=True)) == [TermStatus.CANCELLED]
    body = text(client.get(response.headers["Location"], secure=True))
    assert "Trukket tilbake" in body and "Tilskuddet ble trukket tilbake" in body


def test_reopening_shows_when_the_frame_no_longer_has_room(two_grants, client):
    world, lapsed, offered = two_grants
    caseworker = world.staff["caseworker"]
    changes.change_amount(caseworker, offered.pk, 60_000, "Klagen tatt til følge.")  # 140 000 left: too little
    login_verified(client, caseworker)
    url = f"/saksbehandling/tilskudd/{lapsed.pk}/ny-frist/"
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = client.post(url, {"new_due": due}, secure=True)
    assert response.status_code == 400
    assert "Det er bare 140\u00a0000 kr igjen" in text(response) and "Ingenting er endret." in text(response)
    lapsed.refresh_from_db()
    assert lapsed.status == GrantStatus.LAPSED and left(world) == 140_000
    assert client.post(url, {"new_due": "i morgen"}, secure=True).status_code == 400
    changes.change_amount(caseworker, offered.pk, 30_000, "Omgjort.")
    response = client.post(url, {"new_due": due}, secure=True)
    assert response.status_code == 302
    lapsed.refresh_from_db()
    assert lapsed.status == GrantStatus.OFFERED and lapsed.acceptance_due.isoformat() == due
    assert left(world) == FRAME - 180_000
