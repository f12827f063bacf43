"""The grant through the API (issue #11, point 2): the terms with their hash, and the answer with the signing rules."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision
from tests.staff_world import C0
from tilskudd.api.auth import issue_token
from tilskudd.grants.awards import acceptance
from tilskudd.grants.models import Acceptance, AllocationLine, Grant
from tilskudd.grants.states import GrantStatus
from tilskudd.orgs.models import Membership

OSLO = dt.timezone(dt.timedelta(hours=2))


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _token_of(user, organisation) -> str:
    """A token created by ``user`` (made an administrator of the organisation for it, keeping the role)."""
    Membership.objects.filter(user=user, organisation=organisation, removed_at__isnull=True).update(administers=True)
    return issue_token(user, organisation, "Sak/arkiv").secret


@pytest.fixture
def offered(casework_world, freeze_now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    freeze_now(dt.datetime(2019, 6, 3, 12, 0, tzinfo=OSLO))
    application = casework_world.applications[C0][0]
    grant = publish_decision(casework_world, application, amount=250_000).grant
    grant.acceptance_due = dt.date(2019, 6, 24)
    grant.save(update_fields=["acceptance_due"])
    return grant


def _url(grant, answer=False) -> str:
    return f"/api/v1/applications/{grant.application_id}/grant" + ("/answer" if answer else "")


def test_the_grant_with_its_terms_and_hash(offered, client):
    secret = _token_of(applicant_of(offered.application), offered.application.organisation)
    response = client.get(_url(offered), secure=True, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "offered" and body["status_text"] == {
        "nb": "Venter på aksept",
        "en": "Awaiting acceptance",
    }
    assert body["content_hash"] == acceptance.terms_hash(offered)
    assert body["terms"]["amount"] == 250_000 and body["terms"]["acceptance_due"] == "2019-06-24"
    assert body["terms"]["payment_plan"] == [{"number": 1, "amount": 250_000, "season": "", "earliest": None}]
    assert body["can_answer"] is True and body["why_not"] is None and body["acceptance"] is None


def test_the_signatorys_token_accepts_once(offered, client):
    secret = _token_of(applicant_of(offered.application), offered.application.organisation)
    shown = client.get(_url(offered), secure=True, **bearer(secret)).json()["content_hash"]
    payload = {"answer": "accept", "content_hash": shown}
    response = client.post(_url(offered, True), payload, content_type="application/json", secure=True, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted" and body["acceptance"]["capacity"] == "signatory"
    assert body["can_answer"] is False
    again = client.post(_url(offered, True), payload, content_type="application/json", secure=True, **bearer(secret))
    assert again.status_code == 200 and Acceptance.objects.count() == 1
    assert Grant.objects.get(pk=offered.pk).terms.get().due_on == dt.date(2019, 6, 3)


def test_a_members_token_cannot_answer(offered, client):
    organisation = offered.application.organisation
    administrator = Membership.objects.get(organisation=organisation, role="administrator").user
    secret = issue_token(administrator, organisation, "Sak/arkiv").secret
    body = client.get(_url(offered), secure=True, **bearer(secret)).json()
    assert body["can_answer"] is False and "signaturrett" in body["why_not"]["nb"]
    response = client.post(
        _url(offered, True),
        {"answer": "accept", "content_hash": body["content_hash"]},
        content_type="application/json",
        secure=True,
        **bearer(secret),
    )
    assert response.status_code == 403 and "signaturrett" in response.json()["detail"]
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED


def test_stale_terms_and_a_late_answer_are_409_and_decline_frees_the_frame(offered, client, freeze_now):
    secret = _token_of(applicant_of(offered.application), offered.application.organisation)
    response = client.post(
        _url(offered, True),
        {"answer": "accept", "content_hash": "0" * 64},
        content_type="application/json",
        secure=True,
        **bearer(secret),
    )
    assert response.status_code == 409 and "endret" in response.json()["detail"]
    freeze_now(dt.datetime(2019, 6, 25, 9, 0, tzinfo=OSLO))
    shown = acceptance.terms_hash(offered)
    late = client.post(
        _url(offered, True),
        {"answer": "decline", "content_hash": shown},
        content_type="application/json",
        secure=True,
        **bearer(secret),
    )
    assert late.status_code == 409 and "24.06.2019" in late.json()["detail"]
    freeze_now(dt.datetime(2019, 6, 20, 9, 0, tzinfo=OSLO))
    declined = client.post(
        _url(offered, True),
        {"answer": "decline", "content_hash": shown, "reason": "Prosjektet er avlyst."},
        content_type="application/json",
        secure=True,
        **bearer(secret),
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert declined.json()["acceptance"]["reason"] == "Prosjektet er avlyst."
    assert AllocationLine.objects.get(application=offered.application, year=offered.year).amount == 0


def test_bad_input_and_other_organisations(offered, casework_world, client):
    secret = _token_of(applicant_of(offered.application), offered.application.organisation)
    bad = client.post(
        _url(offered, True),
        {"answer": "maybe", "content_hash": "x"},
        content_type="application/json",
        secure=True,
        **bearer(secret),
    )
    assert bad.status_code == 422
    other = next(a for a in casework_world.applications[C0] if a.organisation_id != offered.application.organisation_id)
    other_secret = _token_of(applicant_of(other), other.organisation)
    assert client.get(_url(offered), secure=True, **bearer(other_secret)).status_code == 404
    # an application of one's own without a grant
    assert client.get(f"/api/v1/applications/{other.pk}/grant", secure=True, **bearer(other_secret)).status_code == 404
    assert client.get(_url(offered), secure=True).status_code == 401
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED
