"""The applicant's own systems see the completion request, the published decision and its letter."""

import datetime as dt

import pytest
from django.utils import timezone

from tilskudd.api.auth import issue_token
from tilskudd.assessment.models import AssessmentLock
from tilskudd.casework import services as casework
from tilskudd.grants.decisions import services as grants
from tilskudd.orgs.models import Membership
from tests.staff_world import C0


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def decided(casework_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = casework_world
    application = world.applications[C0][0]  # Bergen kommune, area 1
    administrator = Membership.objects.get(organisation=application.organisation, role="administrator").user
    secret = issue_token(administrator, application.organisation, "Sak/arkiv").secret
    return world, application, secret


def test_a_completion_request_is_in_the_application(decided, client):
    world, application, secret = decided
    until = timezone.now() + dt.timedelta(days=7)
    casework.request_completion(world.staff["caseworker"], application.case.pk, "Legg ved budsjettet per år.", until)
    body = client.get(f"/api/v1/applications/{application.pk}", secure=True, **bearer(secret)).json()
    assert body["status"] == "reopened"
    assert body["completion"]["message"] == "Legg ved budsjettet per år."
    assert body["decision"] is None


def test_the_published_decision_and_its_letter(decided, client):
    world, application, secret = decided
    caseworker, approver = world.staff["caseworker"], world.staff["approver"]
    casework.accept(caseworker, application.case.pk)
    AssessmentLock.objects.create(application=application, locked_by=caseworker, locked_at=timezone.now(), total=5)
    decision = grants.prepare_decision(caseworker, application.pk, kind="grant", amount=900_000)
    grants.approve(approver, decision.pk)
    before = client.get(f"/api/v1/applications/{application.pk}/letter", secure=True, **bearer(secret))
    assert before.status_code == 404  # approved, not yet published: the applicant sees nothing
    assert client.get(f"/api/v1/applications/{application.pk}", secure=True, **bearer(secret)).json()["decision"] is None

    grants.publish(approver, world.calls[C0], world.imdi.org_number)
    body = client.get(f"/api/v1/applications/{application.pk}", secure=True, **bearer(secret)).json()
    assert body["status"] == "granted"
    assert body["decision"]["kind"] == "grant" and body["decision"]["amount"] == 900_000
    assert body["decision"]["kind_text"] == {"nb": "Tilskudd", "en": "Grant"}
    letter = client.get(f"/api/v1/applications/{application.pk}/letter", secure=True, **bearer(secret))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")


def test_another_organisations_letter_is_not_found(decided, client):
    world, application, _secret = decided
    other = world.applications[C0][1]
    administrator = Membership.objects.filter(organisation=other.organisation).first().user
    Membership.objects.filter(user=administrator, organisation=other.organisation).update(role="administrator")
    secret = issue_token(administrator, other.organisation, "Annet system").secret
    response = client.get(f"/api/v1/applications/{application.pk}/letter", secure=True, **bearer(secret))
    assert response.status_code == 404
