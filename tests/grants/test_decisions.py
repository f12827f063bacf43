"""Decision services: prepare, four eyes, return, cancel, publish (issue #4 point 5)."""

from __future__ import annotations

import pytest
from django.core import mail

from tilskudd.applications.models import Document
from tilskudd.applications.states import Status
from tilskudd.audit.models import AuditEvent
from tilskudd.casework.access import RoleMissing
from tilskudd.grants.decisions import services
from tilskudd.grants.models import AllocationLine, Decision
from tilskudd.grants.states import DecisionStatus
from tests.grants.grant_helpers import give_frame
from tests.grants.test_decisions_helpers import amount_applied, install_frames, ready_for_decision
from tests.staff_world import C0, C2


@pytest.fixture
def world(casework_world, monkeypatch):
    casework_world.frames = install_frames(monkeypatch)
    return casework_world


def _grant(world, application, amount=None, **extra):
    ready_for_decision(application, world.staff["caseworker"])
    return services.prepare_decision(
        world.staff["caseworker"], application.pk, "grant", amount=amount or amount_applied(application) // 2, **extra
    )


def test_a_grant_is_prepared_with_the_default_conditions_and_sets_the_allocation(world):
    area4 = next(a for a in world.applications[C0] if a.submitted_content["areas"] == ["4"])
    decision = _grant(world, area4)
    assert decision.status == DecisionStatus.PREPARED
    assert decision.conditions == ["extra_deliverables"]  # C0-R23 for area 4 only
    assert decision.is_partial
    year = area4.call_version.parsed().year
    assert AllocationLine.objects.get(application=area4, year=year).amount == decision.amount
    event = AuditEvent.objects.get(subject_type="decision", subject_id=str(decision.pk), action="decision.prepared")
    assert event.actor == world.staff["caseworker"] and event.to_state == "prepared"


def test_grant_amount_defaults_to_the_allocation_line(world):
    application = world.applications[C0][0]
    ready_for_decision(application, world.staff["caseworker"])
    year = application.call_version.parsed().year
    AllocationLine.objects.create(application=application, year=year, amount=12345, source="assistant", set_by=world.staff["caseworker"])
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, "grant")
    assert decision.amount == 12345


def test_grant_and_refusal_need_a_locked_assessment_in_assessment(world):
    application = world.applications[C0][0]
    with pytest.raises(services.DecisionRefused) as refused:
        services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=1000)
    assert "til vurdering" in refused.value.reason_nb
    application.status = Status.IN_ASSESSMENT
    application.save()
    with pytest.raises(services.DecisionRefused) as refused:
        services.prepare_decision(world.staff["caseworker"], application.pk, "refusal", reasons="Svak kvalitet.")
    assert "låst" in refused.value.reason_nb


def test_amount_must_be_positive_and_at_most_the_amount_applied(world):
    application = ready_for_decision(world.applications[C0][0], world.staff["caseworker"])
    applied = amount_applied(application)
    for wrong in (0, applied + 1):
        with pytest.raises(services.DecisionRefused):
            services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=wrong)
    full = services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=applied)
    assert not full.is_partial


def test_refusal_needs_reasons_and_sets_the_allocation_to_zero(world):
    application = ready_for_decision(world.applications[C0][1], world.staff["caseworker"])
    with pytest.raises(services.DecisionRefused):
        services.prepare_decision(world.staff["caseworker"], application.pk, "refusal")
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, "refusal", reasons="Under kvalitetsterskelen.")
    assert decision.amount == 0
    assert AllocationLine.objects.get(application=application, year=application.call_version.parsed().year).amount == 0


def test_rejection_from_screening_keeps_helper_as_signature(world):
    application = world.applications[C0][2]
    assert application.status == Status.SUBMITTED
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, kind="rejection", reasons="Etter fristen.")
    assert decision.kind == "rejection" and decision.status == DecisionStatus.PREPARED


def test_only_one_active_decision(world):
    application = world.applications[C0][2]
    services.prepare_decision(world.staff["caseworker"], application.pk, kind="rejection", reasons="Mangler vedlegg.")
    with pytest.raises(services.DecisionRefused) as refused:
        services.prepare_decision(world.staff["caseworker"], application.pk, kind="rejection", reasons="Igjen.")
    assert "allerede" in refused.value.reason_nb


def test_only_a_caseworker_of_the_grantor_prepares(world):
    application = world.applications[C0][2]
    for person in (world.staff["approver"], world.staff["assessor1"], world.bergen_staff["caseworker"]):
        with pytest.raises(RoleMissing):
            services.prepare_decision(person, application.pk, kind="rejection", reasons="Nei.")


def test_four_eyes_the_preparer_cannot_approve_even_holding_both_roles(world):
    from tilskudd.casework.models import Role, StaffRole

    caseworker = world.staff["caseworker"]
    StaffRole.objects.create(user=caseworker, grantor=world.imdi, role=Role.APPROVER)
    decision = services.prepare_decision(caseworker, world.applications[C0][2].pk, kind="rejection", reasons="Nei.")
    with pytest.raises(services.DecisionRefused) as refused:
        services.approve(caseworker, decision.pk)
    assert "fire øyne" in refused.value.reason_nb and "four eyes" in refused.value.reason_en
    with pytest.raises(RoleMissing):
        services.approve(world.staff["assessor1"], decision.pk)
    approved = services.approve(world.staff["approver"], decision.pk)
    assert approved.status == DecisionStatus.APPROVED and approved.approved_by == world.staff["approver"]


def test_return_needs_a_reason_and_frees_the_application_for_a_new_decision(world):
    application = world.applications[C0][2]
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, kind="rejection", reasons="Nei.")
    with pytest.raises(services.DecisionRefused):
        services.return_decision(world.staff["approver"], decision.pk, "")
    returned = services.return_decision(world.staff["approver"], decision.pk, "Begrunnelsen er for tynn.")
    assert returned.status == DecisionStatus.RETURNED and returned.returned_reason == "Begrunnelsen er for tynn."
    again = services.prepare_decision(world.staff["caseworker"], application.pk, kind="rejection", reasons="Bedre begrunnet.")
    assert again.status == DecisionStatus.PREPARED


def test_cancel_by_the_caseworker_frees_the_allocation(world):
    application = world.applications[C0][0]
    decision = _grant(world, application)
    with pytest.raises(RoleMissing):
        services.cancel(world.staff["approver"], decision.pk)
    cancelled = services.cancel(world.staff["caseworker"], decision.pk)
    assert cancelled.status == DecisionStatus.CANCELLED
    assert AllocationLine.objects.get(application=application, year=application.call_version.parsed().year).amount == 0


def test_frame_refusal_propagates_and_nothing_is_prepared(world, monkeypatch):
    class Exceeded(world.frames.FrameExceeded):
        def __init__(self):
            Exception.__init__(self, "frame")
            self.reason_nb, self.reason_en = "Rammen for 2019 er overskredet.", "The 2019 frame is exceeded."

    def refuse(*args, **kwargs):
        raise Exceeded()

    monkeypatch.setattr(world.frames, "set_allocation", refuse)
    application = ready_for_decision(world.applications[C0][0], world.staff["caseworker"])
    with pytest.raises(world.frames.FrameExceeded) as refused:
        services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=1000)
    assert refused.value.reasons == ("Rammen for 2019 er overskredet.", "The 2019 frame is exceeded.")
    assert not Decision.objects.filter(application=application).exists()


def test_publish_moves_applications_stores_letters_and_tells_the_applicant(world, django_capture_on_commit_callbacks):
    c0 = world.applications[C0]
    grant = _grant(world, c0[0])
    refusal_app = ready_for_decision(c0[1], world.staff["caseworker"])
    refusal = services.prepare_decision(world.staff["caseworker"], refusal_app.pk, "refusal", reasons="Lav kvalitet.")
    rejection = services.prepare_decision(world.staff["caseworker"], c0[2].pk, "rejection", reasons="Feil søker.")
    unapproved = services.prepare_decision(world.staff["caseworker"], c0[3].pk, "rejection", reasons="Ikke godkjent ennå.")
    for decision in (grant, refusal, rejection):
        services.approve(world.staff["approver"], decision.pk)
    call = world.calls[C0]
    with pytest.raises(RoleMissing):
        services.publish(world.staff["caseworker"], call, world.imdi.org_number)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish(world.staff["approver"], call, world.imdi.org_number)
    assert {d.pk for d in published} == {grant.pk, refusal.pk, rejection.pk}
    expected = {grant: ("granted", "grant_letter"), refusal: ("refused", "refusal_letter"), rejection: ("rejected", "rejection_letter")}
    for decision, (status, letter_kind) in expected.items():
        decision.refresh_from_db()
        decision.application.refresh_from_db()
        assert decision.status == DecisionStatus.PUBLISHED
        assert decision.application.status == status
        assert decision.letter.kind == letter_kind
        assert Document.objects.filter(application=decision.application, kind=letter_kind).count() == 1
        assert decision.letter.file.read()[:5] == b"%PDF-"
    unapproved.refresh_from_db()
    assert unapproved.status == DecisionStatus.PREPARED
    assert len(mail.outbox) == 3
    first = mail.outbox[0]
    assert "Vedtak i sak" in first.subject and f"/soknader/" in first.body and "Hello" in first.body
    # Publishing again publishes nothing new and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish(world.staff["approver"], call, world.imdi.org_number) == []
    assert len(mail.outbox) == 3


def test_a_municipality_publishes_only_its_own(world):
    landaas = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    ready_for_decision(landaas, world.bergen_staff["caseworker"])
    decision = services.prepare_decision(world.bergen_staff["caseworker"], landaas.pk, "grant", amount=20000)
    services.approve(world.bergen_staff["approver"], decision.pk)
    give_frame(world.bergen_staff["approver"], landaas)  # publishing needs a frame (issue #13, point 9)
    assert services.publish(world.staff["approver"], world.calls[C2], world.imdi.org_number) == []
    with pytest.raises(RoleMissing):
        services.publish(world.staff["approver"], world.calls[C2], world.bergen.org_number)
    published = services.publish(world.bergen_staff["approver"], world.calls[C2], world.bergen.org_number)
    assert [d.pk for d in published] == [decision.pk]


def test_a_grant_over_the_real_frame_is_refused_with_the_frames_reason(world):
    frames = world.frames
    if not hasattr(frames, "set_frame"):
        pytest.skip("helper C's frames module is not there yet")
    application = ready_for_decision(world.applications[C0][0], world.staff["caseworker"])
    year = application.call_version.parsed().year
    frames.set_frame(world.staff["administrator"], application.call, world.imdi.org_number, "", year, 5000)
    with pytest.raises(frames.FrameExceeded) as refused:
        services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=6000)
    nb, en = refused.value.reasons
    assert nb and en and nb != en
    assert not Decision.objects.filter(application=application).exists()
    assert services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=5000).amount == 5000
