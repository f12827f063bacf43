"""Staff pages for decisions: prepare, approvals, the decision with its letter preview, publish; access per role."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from tilskudd.applications.states import Status
from tilskudd.grants.decisions import services
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DecisionStatus
from tests.accounts.helpers import login_verified
from tests.casework.helpers import applicant_of
from tests.grants.test_decisions_helpers import amount_applied, install_frames, ready_for_decision
from tests.staff_world import C0
from tests.web.conftest import visible_text




@pytest.fixture
def world(casework_world, monkeypatch):
    install_frames(monkeypatch)
    return casework_world


def _as(client, user):
    client.logout()
    login_verified(client, user)
    return client


def test_prepare_page_shows_amounts_and_default_conditions_and_prepares_a_grant(world, client):
    area4 = next(a for a in world.applications[C0] if a.submitted_content["areas"] == ["4"])
    ready_for_decision(area4, world.staff["caseworker"])
    _as(client, world.staff["caseworker"])
    url = f"/saksbehandling/saker/{area4.case.pk}/vedtak/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="condition-extra_deliverables"' in html and 'value="extra_deliverables" id="condition-extra_deliverables" checked' in html
    assert "Søkt om" in visible_text(html)
    response = client.post(
        url, {"kind": "grant", "amount": str(amount_applied(area4) // 2), "conditions": ["extra_deliverables"], "extra_conditions": "Leveranse innen 1. oktober."}
    )
    decision = Decision.objects.get(application=area4)
    assert response.status_code == 302 and response["Location"] == f"/saksbehandling/vedtak/{decision.pk}/"
    assert decision.extra_conditions == "Leveranse innen 1. oktober." and decision.conditions == ["extra_deliverables"]
    again = client.get(url).content.decode()
    assert 'id="active-decision"' in again


def test_prepare_page_shows_a_refusal_without_reasons_in_the_error_summary(world, client):
    application = ready_for_decision(world.applications[C0][0], world.staff["caseworker"])
    _as(client, world.staff["caseworker"])
    response = client.post(f"/saksbehandling/saker/{application.case.pk}/vedtak/", {"kind": "refusal"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode() and "Skriv begrunnelsen" in response.content.decode()
    assert not Decision.objects.filter(application=application).exists()


def test_approval_flow_on_the_pages_four_eyes_and_publish(world, client, django_capture_on_commit_callbacks):
    application = world.applications[C0][2]
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, "rejection", reasons="Søkeren kan ikke søke.")
    # The approvals page lists it; the caseworker (not an approver) gets 403.
    _as(client, world.staff["caseworker"])
    assert client.get("/saksbehandling/godkjenning/").status_code == 403
    page = client.get(f"/saksbehandling/vedtak/{decision.pk}/").content.decode()
    assert 'name="cancel"' in page and 'name="approve"' not in page
    preview = client.get(f"/saksbehandling/vedtak/{decision.pk}/brev.pdf")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf" and preview.content[:5] == b"%PDF-"
    _as(client, world.staff["approver"])
    listing = client.get("/saksbehandling/godkjenning/").content.decode()
    assert application.case_number in listing and "Ja" in visible_text(listing)
    page = client.get(f"/saksbehandling/vedtak/{decision.pk}/").content.decode()
    assert 'name="approve"' in page and 'name="return"' in page and 'name="cancel"' not in page
    assert client.post(f"/saksbehandling/vedtak/{decision.pk}/", {"approve": "1"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    publish_url = f"/saksbehandling/utlysninger/{world.calls[C0].slug}/kunngjor/"
    _as(client, world.staff["caseworker"])
    assert client.get(publish_url).status_code == 403
    _as(client, world.staff["approver"])
    listing = visible_text(client.get(publish_url).content.decode())
    assert "Avvisning 1" in listing and application.case_number in listing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(publish_url, {"grantor": world.imdi.org_number}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert 'id="nothing-to-publish-' in client.get(publish_url).content.decode()


def test_the_preparer_holding_the_approver_role_sees_why_they_cannot_approve(world, client):
    from tilskudd.casework.models import Role, StaffRole

    caseworker = world.staff["caseworker"]
    StaffRole.objects.create(user=caseworker, grantor=world.imdi, role=Role.APPROVER)
    decision = services.prepare_decision(caseworker, world.applications[C0][2].pk, "rejection", reasons="Nei.")
    _as(client, caseworker)
    listing = client.get("/saksbehandling/godkjenning/").content.decode()
    assert "du laget det selv" in listing
    page = client.get(f"/saksbehandling/vedtak/{decision.pk}/").content.decode()
    assert 'id="own-decision"' in page and 'name="approve"' not in page
    response = client.post(f"/saksbehandling/vedtak/{decision.pk}/", {"approve": "1"})
    assert response.status_code == 400 and "fire øyne" in response.content.decode()


def test_return_needs_a_reason_on_the_page(world, client):
    decision = services.prepare_decision(world.staff["caseworker"], world.applications[C0][2].pk, "rejection", reasons="Nei.")
    _as(client, world.staff["approver"])
    response = client.post(f"/saksbehandling/vedtak/{decision.pk}/", {"return": "1", "reason": ""})
    assert response.status_code == 400 and 'href="#id_reason"' in response.content.decode()
    client.post(f"/saksbehandling/vedtak/{decision.pk}/", {"return": "1", "reason": "Mer begrunnelse."})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED and decision.returned_reason == "Mer begrunnelse."


def test_access_per_role(world, client):
    application = world.applications[C0][2]
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, "rejection", reasons="Nei.")
    case_id = application.case.pk
    prepare = f"/saksbehandling/saker/{case_id}/vedtak/"
    show = f"/saksbehandling/vedtak/{decision.pk}/"
    letter = f"/saksbehandling/vedtak/{decision.pk}/brev.pdf"
    publish = f"/saksbehandling/utlysninger/{world.calls[C0].slug}/kunngjor/"
    approvals = "/saksbehandling/godkjenning/"
    # anonymous → login
    for url in (prepare, show, letter, publish, approvals):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)), url
    # an applicant → 403 (not grantor staff)
    client.force_login(applicant_of(application))
    for url in (prepare, show, letter, publish, approvals):
        assert client.get(url).status_code == 403, url
    # another grantor's staff → 404 (case, decision, call outside their grantors)
    _as(client, world.bergen_staff["approver"])
    for url in (prepare, show, letter, publish):
        assert client.get(url).status_code == 404, url
    # wrong role → 403
    _as(client, world.staff["assessor1"])
    for url in (prepare, show, letter, publish, approvals):
        assert client.get(url).status_code == 403, url
    _as(client, world.staff["approver"])
    assert client.get(prepare).status_code == 403
    # right role → 200
    for url in (show, letter, publish, approvals):
        assert client.get(url).status_code == 200, url
    _as(client, world.staff["caseworker"])
    for url in (prepare, show, letter):
        assert client.get(url).status_code == 200, url
