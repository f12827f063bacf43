"""The applicant is told of each step of a complaint by e-mail, once (issue #11, point 5: «the applicant told»)."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.builders import fresh, shared_world
from tests.complaints.helpers import decide, member_of, second_caseworker
from tests.staff_world import C2, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.complaints import reversal, services, tasks
from tilskudd.grants.decisions import services as decisions


def _world():
    return build_world((C2,))


emails_world_built = shared_world(_world, name="emails_world_built")


@pytest.fixture
def world(emails_world_built, db):
    return fresh(emails_world_built)


def test_filing_and_forwarding_each_e_mail_the_applicant_once(world, django_capture_on_commit_callbacks):
    application = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)
    decision = decide(world, application, kind="refusal")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.file_complaint(member_of(application), decision.pk, "Vi mener vurderingen er feil.")
    [received] = mail.outbox
    assert application.case_number in received.subject
    assert "Vi har mottatt klagen." in received.body and "We have received the complaint." in received.body
    assert f"/soknader/{application.pk}/klage/{complaint.pk}/" in received.body
    assert member_of(application).email in received.to

    with django_capture_on_commit_callbacks(execute=True):
        services.forward(second_caseworker(world, world.imdi), complaint.pk, "Vurderingen står ved lag.")
    assert len(mail.outbox) == 2
    assert "sendt klagen til klageinstansen" in mail.outbox[1].body and "departement" in mail.outbox[1].body

    # A task that runs again sends nothing more.
    assert tasks.send_step(complaint.pk, "complaint.forwarded") is False
    assert len(mail.outbox) == 2
    told = AuditEvent.objects.filter(
        subject_type="complaint", subject_id=str(complaint.pk), action="complaint.notified"
    )
    assert sorted(event.data["step"] for event in told) == ["complaint.filed", "complaint.forwarded"]
    assert all(event.audience == "applicant" for event in told)


def test_a_step_the_applicant_is_not_told_of_sends_nothing(world):
    application = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)
    decision = decide(world, application, kind="refusal")
    complaint = services.file_complaint(member_of(application), decision.pk, "Feil.")
    mail.outbox.clear()
    assert tasks.send_step(complaint.pk, "complaint.assigned") is False
    assert mail.outbox == []


def test_a_reversal_is_e_mailed_when_the_new_decision_is_published_and_not_before(
    world, django_capture_on_commit_callbacks
):
    application = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)
    decision = decide(world, application, kind="refusal")
    complaint = services.file_complaint(member_of(application), decision.pk, "Vi mener vurderingen er feil.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reversal.reverse(second_caseworker(world, world.imdi), complaint.pk, 12_000, "Prosjektet treffer likevel.")
    assert mail.outbox == []  # the new decision has not passed four eyes yet

    complaint.refresh_from_db()
    approver = world.staff["approver"]
    with django_capture_on_commit_callbacks(execute=True):
        decisions.approve(approver, complaint.new_decision.pk)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        decisions.publish(approver, application.call, application.case.grantor_org_number)
    told = [m for m in mail.outbox if "Klagen i sak" in m.subject]
    assert len(told) == 1 and "gjort et nytt vedtak" in told[0].body and "medhold" in told[0].body
    assert application.case_number in told[0].subject
