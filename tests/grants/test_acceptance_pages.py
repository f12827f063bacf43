"""The grantee's grant page (issue #11, point 2): the terms, who may answer, accepting and declining."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision
from tests.staff_world import C2, build_world
from tests.web.conftest import visible_text
from tilskudd.grants.awards import acceptance
from tilskudd.grants.models import Acceptance, AllocationLine, Grant
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.orgs.models import Membership

OSLO = dt.timezone(dt.timedelta(hours=2))
OFFERED_AT = dt.datetime(2020, 5, 4, 10, 0, tzinfo=OSLO)


def _offered_world():
    """The casework world and a C2 grant of NOK 150 000 from IMDi (two terms, spring and autumn), offered on 4 May
    2020, due 25 May; built once for the module (issue #9 point 7)."""
    world = build_world()
    with mock.patch("django.utils.timezone.now", lambda: OFFERED_AT):
        application = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)
        grant = publish_decision(world, application, amount=150_000).grant
        grant.acceptance_due = dt.date(2020, 5, 25)
        grant.save(update_fields=["acceptance_due"])
    return world, grant


offered_pages_world_built = shared_world(_offered_world, name="offered_pages_world_built")


@pytest.fixture
def offered_world(offered_pages_world_built, db):
    """The test's own copy of the world and its offered grant, read again from the database."""
    return fresh(offered_pages_world_built)


@pytest.fixture
def casework_world(offered_world):
    """The casework world (tests/staff_world.py) the offered grant is in; this module's, not the conftest's."""
    return offered_world[0]


@pytest.fixture
def offered(offered_world, freeze_now):
    """A C2 grant of NOK 150 000 from IMDi (two terms, spring and autumn), offered on 4 May 2020, due 25 May; the
    clock stands at its offer."""
    freeze_now(OFFERED_AT)
    return offered_world[1]


def _url(grant, answer=False) -> str:
    return f"/soknader/{grant.application_id}/tilskudd/" + ("svar/" if answer else "")


def _hash_on(page: str) -> str:
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page).group(1)


def test_the_signatory_sees_the_terms_and_the_acceptance_form(offered, client):
    client.force_login(applicant_of(offered.application))
    response = client.get(_url(offered))
    assert response.status_code == 200
    page = response.content.decode()
    text = visible_text(page)
    assert "Venter på aksept" in text and "150\u00a0000\u00a0kr" in text and "75\u00a0000\u00a0kr" in text
    assert "25.05.2020" in text  # the deadline
    assert "vår" in text and "høst" in text and "Etter aksept, tidligst 01.09.2020" in text
    assert offered.purpose in text
    assert f"/soknader/{offered.application_id}/brev/{offered.decision.letter_id}.pdf" in page
    assert "Aksepter tilskuddet og vilkårene" in text and "Takk nei" in text
    assert f"Jeg har lest vilkårene og aksepterer dem på vegne av {offered.application.organisation.name}" in text
    assert _hash_on(page) == acceptance.terms_hash(offered)
    assert "Tidslinje" in text and "Frist for aksept" in text


def test_a_member_without_authority_sees_who_can_answer_and_no_form(offered, client, django_user_model):
    organisation = offered.application.organisation
    member = django_user_model.objects.create_user(
        email="medlem@example.no", password="x" * 16, full_name="Mina Medlem"
    )
    Membership.objects.create(user=member, organisation=organisation, role="member", confirmed_at=timezone.now())
    client.force_login(member)
    page = client.get(_url(offered)).content.decode()
    text = visible_text(page)
    assert "Bare den som har signaturrett" in text
    assert applicant_of(offered.application).get_full_name() in text
    assert 'name="content_hash"' not in page
    # and posting anyway is refused, changing nothing
    response = client.post(
        _url(offered, answer=True),
        {"answer": "accept", "confirm": "yes", "content_hash": acceptance.terms_hash(offered)},
    )
    assert response.status_code == 403
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED


def test_another_organisation_gets_404(offered, casework_world, client):
    other = next(a for a in casework_world.applications[C2] if a.organisation_id != offered.application.organisation_id)
    client.force_login(applicant_of(other))
    assert client.get(_url(offered)).status_code == 404
    response = client.post(
        _url(offered, answer=True),
        {"answer": "accept", "confirm": "yes", "content_hash": acceptance.terms_hash(offered)},
    )
    assert response.status_code == 404
    assert not Acceptance.objects.exists()


def test_accepting_on_the_page(offered, client, freeze_now):
    freeze_now(dt.datetime(2020, 5, 11, 14, 0, tzinfo=OSLO))
    client.force_login(applicant_of(offered.application))
    shown = _hash_on(client.get(_url(offered)).content.decode())
    # without the box ticked: told so, nothing changes
    response = client.post(_url(offered, answer=True), {"answer": "accept", "content_hash": shown})
    assert response.status_code == 400
    assert "Kryss av for at du har lest vilkårene" in visible_text(response.content.decode())
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED
    response = client.post(_url(offered, answer=True), {"answer": "accept", "confirm": "yes", "content_hash": shown})
    assert response.status_code == 302 and response["Location"] == _url(offered)
    grant = Grant.objects.get(pk=offered.pk)
    assert grant.status == GrantStatus.ACCEPTED
    assert [t.due_on for t in grant.terms.order_by("number")] == [dt.date(2020, 5, 11), dt.date(2020, 9, 1)]
    text = visible_text(client.get(_url(offered)).content.decode())
    assert "Tilskuddet og vilkårene er akseptert" in text and "Akseptert" in text
    assert "11.05.2020" in text and "01.09.2020" in text
    assert "Aksepter tilskuddet og vilkårene" not in text
    # a second click does nothing more
    again = client.post(_url(offered, answer=True), {"answer": "accept", "confirm": "yes", "content_hash": shown})
    assert again.status_code == 302 and Acceptance.objects.count() == 1


def test_terms_changed_since_the_page_was_shown_are_refused_on_the_page(offered, client):
    client.force_login(applicant_of(offered.application))
    shown = _hash_on(client.get(_url(offered)).content.decode())
    offered.extra_conditions = "Nytt vilkår."
    offered.save(update_fields=["extra_conditions"])
    response = client.post(_url(offered, answer=True), {"answer": "accept", "confirm": "yes", "content_hash": shown})
    assert response.status_code == 409
    text = visible_text(response.content.decode())
    assert "Vilkårene for tilskuddet er endret" in text and "Nytt vilkår." in text
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED


def test_declining_on_the_page_frees_the_frame(offered, client):
    application = offered.application
    client.force_login(applicant_of(application))
    shown = _hash_on(client.get(_url(offered)).content.decode())
    response = client.post(
        _url(offered, answer=True), {"answer": "decline", "content_hash": shown, "reason": "For sent."}
    )
    assert response.status_code == 400  # the confirmation is not ticked
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED
    response = client.post(
        _url(offered, answer=True),
        {"answer": "decline", "confirm_decline": "yes", "content_hash": shown, "reason": "For sent."},
    )
    assert response.status_code == 302
    grant = Grant.objects.get(pk=offered.pk)
    assert grant.status == GrantStatus.DECLINED
    assert {t.status for t in grant.terms.all()} == {TermStatus.CANCELLED}
    assert AllocationLine.objects.get(application=application, year=grant.year).amount == 0
    text = visible_text(client.get(_url(offered)).content.decode())
    assert "Takket nei" in text and "For sent." in text


def test_a_bad_answer_is_a_400(offered, client):
    client.force_login(applicant_of(offered.application))
    response = client.post(_url(offered, answer=True), {"answer": "maybe", "content_hash": "x"})
    assert response.status_code == 400
    assert client.get(_url(offered, answer=True)).status_code == 405


def test_the_decision_box_links_to_the_grant_page(offered, client):
    client.force_login(applicant_of(offered.application))
    response = client.get(f"/soknader/{offered.application_id}/signer/?vis=soknad")  # the application itself
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert f'href="{_url(offered)}"' in page


def test_the_page_in_english(offered, client):
    client.force_login(applicant_of(offered.application))
    client.cookies["django_language"] = "en"
    text = visible_text(client.get(_url(offered)).content.decode())
    assert "Awaiting acceptance" in text and "Deadline for acceptance" in text and "Payment plan" in text
    assert "spring" in text and "autumn" in text and "Accept the grant and its terms" in text
    assert "Venter på aksept" not in text
