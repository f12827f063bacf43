"""Change of use in a C2 grant (C2-R12: written consent before), refusal, a call without carry-over, who may ask
(issue #12, point 6).

The grantee's signatory asks on /soknader/<pk>/tilskudd/endring/ (signed with a content hash); a caseworker of
the grantor consents or refuses on /saksbehandling/endringer/<id>/ with a letter the grantee downloads. Consent
changes the grant: a C1 carry-over is held in next year's allocation line and commitment (within next year's
frame), a C2 change of use is written into the conditions on the grant page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.amendments.helpers import grant_events, pdf_text, request_page, visible_text
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.docs.state_tables import moves, table_after
from tests.grants.grant_helpers import staff_of
from tests.payments.payment_helpers import accepted_grant, imdi_c2
from tests.staff_world import build_world
from tilskudd.amendments import services
from tilskudd.amendments.models import AmendmentRequest
from tilskudd.amendments.states import AMENDMENT_TRANSITIONS, AmendmentStatus
from tilskudd.grants.models import Grant
from tilskudd.orgs.models import Membership


def _world():
    """The casework world and IMDi's accepted C2 grant of NOK 150 000, decided once for the module (issue #9
    point 7)."""
    world = build_world()
    grant = accepted_grant(world, imdi_c2(world), 150_000, dt.date(2020, 3, 1), dt.date(2020, 9, 1))
    return {"world": world, "grant": grant}


change_of_use_world_built = shared_world(_world, name="change_of_use_world_built")


@pytest.fixture
def c2_grant(change_of_use_world_built, db):
    built = fresh(change_of_use_world_built)
    grant = built["grant"]
    grant.staff = staff_of(built["world"], grant.application)
    return grant


def test_c2_change_of_use_consented_shows_on_the_grant_page(c2_grant, client):
    signatory = applicant_of(c2_grant.application)
    client.force_login(signatory)
    change = "Leksehjelpen flyttes fra tirsdag til lørdag, og turen i juni blir en dagstur."
    response = client.post(
        request_page(c2_grant), {"kind": "change_of_use", "change": change, "reason": "Lokalet er opptatt."}
    )
    assert response.status_code == 302
    amendment = AmendmentRequest.objects.get(grant=c2_grant)
    login_verified(client, c2_grant.staff["caseworker"])
    client.post(
        f"/saksbehandling/endringer/{amendment.pk}/svar/", {"answer": "consent", "answer_reason": "Innenfor formålet."}
    )
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.CONSENTED
    client.force_login(signatory)
    text = visible_text(client.get(f"/soknader/{c2_grant.application_id}/tilskudd/").content.decode())
    assert f"Endret bruk med samtykke {timezone.localdate():%d.%m.%Y}: {change}" in text
    pdf = pdf_text(amendment.letter.open("rb").read())
    assert "Samtykke til endret bruk av tilskuddet" in pdf and "Innenfor formålet." in pdf


def test_a_refusal_states_its_reason_and_changes_nothing(c2_grant, client):
    signatory = applicant_of(c2_grant.application)
    amendment = services.request_change_of_use(signatory, c2_grant.pk, "Bruke midlene på utstyr.", "Billigere.")
    before = Grant.objects.get(pk=c2_grant.pk).extra_conditions
    login_verified(client, c2_grant.staff["caseworker"])
    empty = client.post(f"/saksbehandling/endringer/{amendment.pk}/svar/", {"answer": "refuse", "answer_reason": " "})
    assert empty.status_code == 400 and "Skriv begrunnelsen" in visible_text(empty.content.decode())
    client.post(
        f"/saksbehandling/endringer/{amendment.pk}/svar/",
        {"answer": "refuse", "answer_reason": "Utstyr er ikke en del av det innvilgede formålet."},
    )
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REFUSED
    assert Grant.objects.get(pk=c2_grant.pk).extra_conditions == before
    assert grant_events(c2_grant, "grant.amendment_refused").get().reason.startswith("Utstyr er ikke")
    client.force_login(signatory)
    text = visible_text(client.get(request_page(c2_grant)).content.decode())
    assert "Avslått" in text and "Utstyr er ikke en del av det innvilgede formålet." in text
    pdf = pdf_text(amendment.letter.open("rb").read())
    assert "Avslag på søknad om endret bruk av tilskuddet" in pdf and "Vi gir ikke samtykke" in pdf


def test_a_call_without_carry_over_refuses_it_in_its_own_words(c2_grant, client):
    signatory = applicant_of(c2_grant.application)
    client.force_login(signatory)
    words = "Utlysningen nevner ikke flerårige tilskudd eller overføring av ubrukte midler"
    page = client.get(request_page(c2_grant)).content.decode()
    assert words in visible_text(page) and 'id="carry-form"' not in page
    response = client.post(request_page(c2_grant), {"kind": "carry_over", "amount": "20000", "reason": "Ubrukt."})
    assert response.status_code == 403
    assert words in visible_text(response.content.decode())
    assert not AmendmentRequest.objects.filter(grant=c2_grant).exists()


def test_a_member_without_authority_cannot_ask(c2_grant, client, django_user_model):
    member = django_user_model.objects.create_user(email="medlem@example.no", password="x" * 16, full_name="M M")
    Membership.objects.create(
        user=member, organisation=c2_grant.application.organisation, role="member", confirmed_at=timezone.now()
    )
    client.force_login(member)
    page = client.get(request_page(c2_grant)).content.decode()
    assert 'id="use-form"' not in page
    assert "Bare den som har signaturrett" in visible_text(page)
    response = client.post(
        request_page(c2_grant), {"kind": "change_of_use", "change": "Noe annet.", "reason": "Fordi."}
    )
    assert response.status_code == 403
    assert not AmendmentRequest.objects.filter(grant=c2_grant).exists()


def test_withdrawn_and_the_state_table(c2_grant, client):
    signatory = applicant_of(c2_grant.application)
    amendment = services.request_change_of_use(signatory, c2_grant.pk, "Endre.", "Fordi.")
    client.force_login(signatory)
    assert client.post(request_page(c2_grant) + f"{amendment.pk}/trekk/").status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.WITHDRAWN
    login_verified(client, c2_grant.staff["caseworker"])
    response = client.post(
        f"/saksbehandling/endringer/{amendment.pk}/svar/", {"answer": "consent", "answer_reason": "x"}
    )
    assert response.status_code == 409


def test_both_grant_pages_lead_to_the_requests(c2_grant, client):
    signatory = applicant_of(c2_grant.application)
    client.force_login(signatory)
    assert (
        f'href="{request_page(c2_grant)}"'
        in client.get(f"/soknader/{c2_grant.application_id}/tilskudd/").content.decode()
    )
    amendment = services.request_change_of_use(signatory, c2_grant.pk, "Endre.", "Fordi.")
    login_verified(client, c2_grant.staff["caseworker"])
    page = client.get(f"/saksbehandling/tilskudd/{c2_grant.pk}/").content.decode()
    assert f'href="/saksbehandling/endringer/{amendment.pk}/"' in page
    assert "Endret bruk av tilskuddet" in visible_text(page)


def test_the_state_table_is_in_the_doc():
    assert table_after("A change request (`amendments/states.py`") == moves(AMENDMENT_TRANSITIONS)
