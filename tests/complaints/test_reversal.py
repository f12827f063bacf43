"""A complaint allowed with a new decision (issue #11, points 5 and 6): the refusal reversed into a grant made on
publication, a partial grant raised within the frame, a frame without room shown and nothing changed, the
deciding caseworker kept out, and the appeal body's reversal carried out by the grantor."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.complaints.helpers import decide, member_of, second_caseworker
from tests.staff_world import C2, build_world
from tests.web.conftest import visible_text
from tilskudd.api.auth import issue_token
from tilskudd.applications.models import Application
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import Audience, history
from tilskudd.complaints import reversal, services
from tilskudd.complaints.models import Complaint
from tilskudd.complaints.states import ComplaintStatus
from tilskudd.core.refusals import Refusal
from tilskudd.grants.allocation import frames
from tilskudd.grants.decisions import services as decisions
from tilskudd.grants.models import AllocationLine, Decision, Grant, PaymentTerm
from tilskudd.grants.states import DecisionStatus, GrantStatus
from tilskudd.orgs.models import Membership


def _world():
    return build_world((C2,))


reversal_world_built = shared_world(_world, name="reversal_world_built")


@pytest.fixture
def world(reversal_world_built, db):
    return fresh(reversal_world_built)


def _imdi_application(world):
    return next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)


def _complained(world, kind: str = "refusal", amount: int | None = None):
    application = _imdi_application(world)
    decision = decide(world, application, kind=kind, amount=amount)
    complaint = services.file_complaint(member_of(application), decision.pk, "Vi mener vurderingen er feil.")
    return application, decision, complaint


def _publish(world, decision: Decision) -> Decision:
    decisions.approve(world.staff["approver"], decision.pk)
    application = decision.application
    decisions.publish(world.staff["approver"], application.call, application.case.grantor_org_number)
    decision.refresh_from_db()
    return decision


def _held(application) -> int:
    line = AllocationLine.objects.filter(application=application, year=application.call.definition.year).first()
    return line.amount if line else 0


def _applicant_reads(subject) -> list[str]:
    return [e.action for e in history(subject, audience=Audience.APPLICANT)]


def test_a_refusal_reversed_by_the_grantor_becomes_a_grant_when_the_new_decision_is_published(world):
    application, refusal, complaint = _complained(world, "refusal")
    handler = second_caseworker(world, world.imdi)

    reversal.reverse(handler, complaint.pk, "12 000", "Prosjektet treffer målgruppen likevel.")

    complaint.refresh_from_db()
    refusal.refresh_from_db()
    application.refresh_from_db()
    assert complaint.status == ComplaintStatus.REVERSED and complaint.handled_by == handler
    assert refusal.status == DecisionStatus.SUPERSEDED
    assert application.status == "in_assessment"
    new = complaint.new_decision
    assert new.status == DecisionStatus.PREPARED and new.kind == "grant" and new.amount == 12_000
    assert new.prepared_by == handler and _held(application) == 12_000
    assert not Grant.objects.filter(application=application).exists()  # nothing granted before publication
    # Nothing of it is the applicant's before the new decision has passed four eyes and is published: no step in
    # any history they read, the complaint reads as received and the refusal as the decision they know.
    untold = {"complaint.reversed", "decision.superseded", "application.reopened_after_complaint"}
    for subject in (complaint, application, refusal):
        assert not untold & set(_applicant_reads(subject)), subject
    assert services.status_for_applicant(complaint) == ComplaintStatus.FILED
    assert services.published_decision_of(application) == refusal
    assert services.under_way(refusal) == complaint

    # The ordinary four eyes: the handler cannot approve, another approver does; the letter is its own.
    with pytest.raises(Refusal):
        decisions.approve(handler, new.pk)
    published = _publish(world, new)
    application.refresh_from_db()
    assert published.status == DecisionStatus.PUBLISHED and application.status == "granted"
    assert published.letter is not None and published.letter != refusal.letter
    grant = Grant.objects.get(application=application)
    assert grant.decision == published and grant.amount == 12_000 and grant.status == GrantStatus.OFFERED
    assert sum(t.amount for t in grant.terms.all()) == 12_000
    # Published: the applicant reads the outcome on the complaint, the application and the old decision.
    told = "complaint.new_decision_published"
    assert told in _applicant_reads(complaint) and told in _applicant_reads(refusal)
    steps = _applicant_reads(application)
    assert told in steps and "application.granted" in steps
    complaint.refresh_from_db()
    assert services.status_for_applicant(complaint) == ComplaintStatus.REVERSED
    assert services.published_decision_of(application) == published and services.under_way(refusal) is None


def test_a_partial_grant_is_raised_within_the_frame_and_the_grant_keeps_its_place(world):
    application, partial, complaint = _complained(world, "grant", amount=10_000)
    grant = partial.grant
    handler = second_caseworker(world, world.imdi)

    with pytest.raises(Refusal) as lower:
        reversal.reverse(handler, complaint.pk, 9_000, "Lavere.")
    assert "høyere enn tilskuddet" in lower.value.reason_nb

    reversal.reverse(handler, complaint.pk, 15_000, "Budsjettet var lest feil; tilskuddet økes.")
    complaint.refresh_from_db()
    partial.refresh_from_db()
    application.refresh_from_db()
    assert partial.status == DecisionStatus.SUPERSEDED and application.status == "granted"
    assert _held(application) == 15_000  # the raise holds its room in the frame from now on
    grant.refresh_from_db()
    assert grant.amount == 10_000  # unchanged until the new decision is published

    published = _publish(world, complaint.new_decision)
    grant.refresh_from_db()
    assert Grant.objects.filter(application=application).count() == 1
    assert grant.decision == published and grant.amount == 15_000
    assert sum(t.amount for t in PaymentTerm.objects.filter(grant=grant, status="planned")) == 15_000
    application.refresh_from_db()
    assert application.status == "granted" and _held(application) == 15_000
    changed = AuditEvent.objects.get(subject_type="grant", subject_id=str(grant.pk), action="grant.amount_changed")
    assert changed.data["amount_before"] == 10_000 and changed.audience == "applicant"


def test_cancelling_the_raise_gives_the_frame_back_to_the_grants_amount(world):
    application, partial, complaint = _complained(world, "grant", amount=10_000)
    handler = second_caseworker(world, world.imdi)
    reversal.reverse(handler, complaint.pk, 15_000, "Tilskuddet økes.")
    complaint.refresh_from_db()
    decisions.cancel(handler, complaint.new_decision.pk, "Feil beløp.")
    assert _held(application) == 10_000
    complaint.refresh_from_db()
    assert reversal.may_reverse(handler, complaint)  # another new decision may be prepared
    reversal.reverse(handler, complaint.pk, 14_000, "Tilskuddet økes, riktig beløp.")
    complaint.refresh_from_db()
    assert complaint.new_decision.amount == 14_000 and _held(application) == 14_000


def test_a_frame_without_room_is_shown_and_the_reversal_changes_nothing(world, client):
    application, refusal, complaint = _complained(world, "refusal")
    handler = second_caseworker(world, world.imdi)
    call, year = application.call, application.call.definition.year
    # IMDi's own frame for the year down to exactly what others already hold: no room is left.
    own = next(r for r in reversal.frame_room(application) if "IMDi" in r.label_nb or "hele" in r.label_nb)
    frames.set_frame(world.staff["approver"], call, world.imdi.org_number, "", year, own.frame - own.left)
    events = AuditEvent.objects.count()

    login_verified(client, handler)
    page = client.get(f"/saksbehandling/klager/{complaint.pk}/")
    text = visible_text(page.content.decode())
    assert page.status_code == 200 and 'id="frame-room"' in page.content.decode()
    assert "Rammen før du omgjør" in text and "Mest søknaden kan få" in text
    assert any(row.room == 0 for row in page.context["frame_room"])

    response = client.post(
        f"/saksbehandling/klager/{complaint.pk}/",
        {"action": "reverse", "amount": "12000", "reasons": "Prosjektet treffer målgruppen."},
    )
    assert response.status_code == 400
    assert "Det er bare 0 kr igjen i" in visible_text(response.content.decode())
    assert "Ingenting er endret" in visible_text(response.content.decode())
    complaint.refresh_from_db()
    refusal.refresh_from_db()
    assert complaint.status == ComplaintStatus.FILED and complaint.new_decision is None
    assert refusal.status == DecisionStatus.PUBLISHED
    assert Application.objects.get(pk=application.pk).status == "refused"
    assert Decision.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.count() == events


def test_the_deciding_caseworker_cannot_reverse(world, client):
    application, refusal, complaint = _complained(world, "refusal")
    decider = world.staff["caseworker"]
    assert refusal.prepared_by == decider
    with pytest.raises(Refusal) as refused:
        reversal.reverse(decider, complaint.pk, 12_000, "Jeg ombestemte meg.")
    assert "var med på vedtaket" in refused.value.reason_nb
    login_verified(client, decider)
    page = client.get(f"/saksbehandling/klager/{complaint.pk}/").content.decode()
    assert 'id="reverse-form"' not in page
    posted = client.post(
        f"/saksbehandling/klager/{complaint.pk}/", {"action": "reverse", "amount": "12000", "reasons": "Likevel."}
    )
    assert posted.status_code == 400
    complaint.refresh_from_db()
    refusal.refresh_from_db()
    assert complaint.status == ComplaintStatus.FILED and refusal.status == DecisionStatus.PUBLISHED
    assert Application.objects.get(pk=application.pk).status == "refused"


def test_bad_input_is_refused_and_changes_nothing(world, client):
    application, refusal, complaint = _complained(world, "refusal")
    handler = second_caseworker(world, world.imdi)
    login_verified(client, handler)
    for data in ({"amount": "tolv", "reasons": "x"}, {"amount": "-5", "reasons": "x"}, {"amount": "12000"}):
        response = client.post(f"/saksbehandling/klager/{complaint.pk}/", {"action": "reverse", **data})
        assert response.status_code == 400, data
    refusal.refresh_from_db()
    assert refusal.status == DecisionStatus.PUBLISHED and Complaint.objects.get().status == ComplaintStatus.FILED


def test_the_appeal_bodys_reversal_is_carried_out_by_the_grantor_from_the_complaint_page(world, client):
    application, refusal, complaint = _complained(world, "refusal")
    handler = second_caseworker(world, world.imdi)
    services.forward(handler, complaint.pk, "Vi mener avslaget er riktig.")
    with pytest.raises(Refusal):  # forwarded: the grantor no longer reverses on its own
        reversal.reverse(handler, complaint.pk, 12_000, "Likevel.")
    services.record_appeal_outcome(handler, complaint.pk, "reversed", "Departementet gir klageren medhold.")

    login_verified(client, handler)
    page = client.get(f"/saksbehandling/klager/{complaint.pk}/").content.decode()
    assert 'id="reverse-form"' in page and "Ta klagen til følge: gi tilskudd" in visible_text(page)
    response = client.post(
        f"/saksbehandling/klager/{complaint.pk}/",
        {"action": "reverse", "amount": "12000", "reasons": "Etter klageinstansens avgjørelse."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REVERSED_BY_APPEAL_BODY
    assert complaint.new_decision.amount == 12_000
    page = client.get(f"/saksbehandling/klager/{complaint.pk}/").content.decode()
    assert 'id="new-decision"' in page and 'id="reverse-form"' not in page
    _publish(world, complaint.new_decision)
    assert Grant.objects.get(application=application).amount == 12_000


def test_the_applicants_pages_show_the_reversal_only_once_the_new_decision_is_published(world, client):
    application, refusal, complaint = _complained(world, "refusal")
    member = complaint.filed_by
    reversal.reverse(second_caseworker(world, world.imdi), complaint.pk, 12_000, "Prosjektet treffer likevel.")
    complaint.refresh_from_db()

    client.force_login(member)
    own = f"/soknader/{application.pk}/klage/{complaint.pk}/"
    before = visible_text(client.get(own).content.decode())
    assert "Mottatt" in before and "Tatt til følge" not in before and "omgjort" not in before
    decision_page = visible_text(client.get(f"/soknader/{application.pk}/signer/").content.decode())
    assert "Tatt til følge" not in decision_page and "Klagen deres" in decision_page  # the refusal, as sent
    mine = visible_text(client.get("/min-side/").content.decode())
    assert "Klagen deres er under behandling" in mine
    # The application was moved back to assessment for the new decision: to the applicant it is still refused.
    assert Application.objects.get(pk=application.pk).status == "in_assessment"
    for text in (before, decision_page, mine):
        assert "Avslått" in text and "Til vurdering" not in text
    Membership.objects.filter(user=member, organisation=application.organisation).update(administers=True)
    secret = issue_token(member, application.organisation, "Sak/arkiv").secret
    api = f"/api/v1/applications/{application.pk}"
    body = client.get(api, secure=True, HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert body["status"] == "refused" and body["status_text"]["nb"] == "Avslått"
    assert body["decision"]["kind"] == "refusal"  # the decision they were sent

    _publish(world, complaint.new_decision)
    body = client.get(api, secure=True, HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert body["status"] == "granted" and body["decision"]["kind"] == "grant"
    assert "Innvilget" in visible_text(client.get("/min-side/").content.decode())
    after = visible_text(client.get(own).content.decode())
    assert "Tatt til følge av forvaltningen" in after
    assert "Klagen ble tatt til følge, og det nye vedtaket er sendt" in after
