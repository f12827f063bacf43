"""Complaints (*klage*) as services: the right from the call, filing in time or late, who handles, forwarding
with the PDF bundle, and the appeal body's outcome (issue #11, point 5)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from tests.builders import fresh, shared_world
from tests.complaints.helpers import C1, C3, decide, member_of, second_caseworker
from tests.staff_world import C0, C2, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.complaints import services
from tilskudd.complaints.models import Complaint
from tilskudd.complaints.states import ComplaintStatus
from tilskudd.core.refusals import Refusal

OSLO = dt.timezone(dt.timedelta(hours=1))


def _world():
    return build_world((C0, C1, C2, C3))


complaints_world_built = shared_world(_world, name="complaints_world_built")


@pytest.fixture
def world(complaints_world_built, db):
    return fresh(complaints_world_built)


def _at(world, slug, grantor):
    return next(a for a in world.applications[slug] if a.case.grantor_org_number == grantor.org_number)


def test_c1_allows_a_complaint_on_a_rejection_only(world):
    refused, rejected = world.applications[C1][:2]
    refusal = decide(world, refused, kind="refusal")
    right = services.complaint_right(refusal)
    assert not right.allowed and right.rule == "C1-R09"
    with pytest.raises(Refusal) as refused_complaint:
        services.file_complaint(member_of(refused), refusal.pk, "Vi er uenige.")
    assert "ikke klagerett" in refused_complaint.value.reason_nb
    assert not Complaint.objects.exists()

    rejection = decide(world, rejected, kind="rejection")
    right = services.complaint_right(rejection)
    assert right.allowed and right.deadline_weeks == 3
    complaint = services.file_complaint(member_of(rejected), rejection.pk, "Søknaden kom inn i tide.")
    received = timezone.localdate(rejection.published_at)
    assert complaint.letter_received_on == received
    assert complaint.deadline == received + dt.timedelta(weeks=3)
    assert not complaint.late and complaint.status == ComplaintStatus.FILED


def test_c2_allows_a_complaint_on_every_decision(world):
    imdi_apps = [a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number]
    for application, kind in zip(imdi_apps, ("grant", "refusal", "rejection"), strict=False):
        decision = decide(world, application, kind=kind)
        right = services.complaint_right(decision)
        assert right.allowed and right.rule == "C2-R13", kind


def test_c3_refusal_allows_no_complaint_and_says_why(world):
    decision = decide(world, world.applications[C3][0], kind="refusal")
    right = services.complaint_right(decision)
    assert not right.allowed and right.rule == "C3-R10"
    assert "forvaltningsloven" in right.legal_reference


def test_a_late_complaint_is_registered_and_marked_late(world, freeze_now):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="refusal")
    received = timezone.localdate(decision.published_at)
    # The last day of the deadline, late evening in Oslo: in time.
    last_day = dt.datetime.combine(received + dt.timedelta(weeks=3), dt.time(23, 30), tzinfo=OSLO)
    freeze_now(last_day.astimezone(dt.UTC))
    in_time = services.file_complaint(member_of(application), decision.pk, "Vi mener vurderingen er feil.")
    assert not in_time.late
    services.withdraw(member_of(application), in_time.pk)
    # Just after midnight the day after: late, still registered (fvl § 31).
    freeze_now((last_day + dt.timedelta(hours=1)).astimezone(dt.UTC))
    late = services.file_complaint(member_of(application), decision.pk, "Vi mener vurderingen er feil.")
    assert late.late and late.status == ComplaintStatus.FILED
    event = AuditEvent.objects.get(subject_type="complaint", subject_id=str(late.pk), action="complaint.filed")
    assert event.audience == "applicant" and event.data["late"] is True


def test_one_open_complaint_per_decision_and_only_members(world, django_user_model):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="refusal")
    services.file_complaint(member_of(application), decision.pk, "Feil vurdering.")
    with pytest.raises(Refusal):
        services.file_complaint(member_of(application), decision.pk, "En gang til.")
    stranger = django_user_model.objects.create_user(email="fremmed@example.org", password="x" * 20)
    with pytest.raises(Refusal):
        services.file_complaint(stranger, decision.pk, "Jeg klager.")
    assert Complaint.objects.count() == 1


def test_an_attachment_is_checked_and_kept_with_its_hash(world):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="refusal")
    pdf = SimpleUploadedFile(
        "dokumentasjon.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    # A program named .pdf, beside a good file: refused with the upload's own words, and nothing is filed.
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(Refusal) as refused:
        services.file_complaint(member_of(application), decision.pk, "Se vedlegget.", [pdf, fake])
    assert "virus.pdf" in refused.value.reason_nb or "innholdet" in refused.value.reason_nb.lower()
    assert not Complaint.objects.filter(decision=decision).exists()
    pdf.seek(0)
    complaint = services.file_complaint(member_of(application), decision.pk, "Se vedlegget.", [pdf])
    [attachment] = complaint.attachments.all()
    assert attachment.original_name == "dokumentasjon.pdf" and attachment.content_type == "application/pdf"
    assert len(attachment.sha256) == 64 and attachment.size > 0
    with attachment.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-1.4")


def test_the_caseworker_who_decided_cannot_handle_the_complaint(world):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="refusal")
    complaint = services.file_complaint(member_of(application), decision.pk, "Feil vurdering.")
    for person in (world.staff["caseworker"], world.staff["approver"]):
        with pytest.raises(Refusal) as refused:
            services.forward(person, complaint.pk, "Vedtaket står.")
        assert "var med på vedtaket" in refused.value.reason_nb
    other = second_caseworker(world, world.imdi)
    services.take(other, complaint.pk)
    complaint.refresh_from_db()
    assert complaint.handled_by == other and complaint.status == ComplaintStatus.FILED


def test_forward_makes_one_pdf_bundle_with_the_case_number(world):
    application = _at(world, C2, world.imdi)
    decision = decide(world, application, kind="refusal")
    complaint = services.file_complaint(member_of(application), decision.pk, "Feil vurdering av målgruppen.")
    other = second_caseworker(world, world.imdi)
    complaint = services.forward(other, complaint.pk, "Vurderingen står ved lag.")
    assert complaint.status == ComplaintStatus.FORWARDED and complaint.forwarded_at is not None
    # IMDi decided: the ministry is the appeal body, outside the system.
    assert "departement" in complaint.appeal_body.lower() and complaint.appeal_body_org_number == ""
    data = complaint.bundle.open("rb").read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert application.case_number in text
    assert "Feil vurdering av målgruppen." in text
    # The cover, then the receipt and the letter.
    assert len(reader.pages) >= 3
    event = AuditEvent.objects.get(subject_type="complaint", subject_id=str(complaint.pk), action="complaint.forwarded")
    assert event.audience == "applicant"


def test_bergen_forwards_a_refused_c2_complaint_to_imdi_who_upholds_it(world):
    application = _at(world, C2, world.bergen)
    decision = decide(world, application, kind="refusal")
    complaint = services.file_complaint(member_of(application), decision.pk, "Bergen har misforstått søknaden.")
    handler = second_caseworker(world, world.bergen)
    complaint = services.forward(handler, complaint.pk, "Søknaden ble vurdert etter kriteriene.")
    assert complaint.appeal_body == "IMDi" or "Integrerings" in complaint.appeal_body
    assert complaint.appeal_body_org_number == world.imdi.org_number
    # Bergen cannot record the appeal body's outcome; IMDi's caseworker can.
    with pytest.raises(Refusal):
        services.record_appeal_outcome(handler, complaint.pk, "upheld", "Vedtaket står.")
    assert services.may_see(world.staff["caseworker"], complaint)
    complaint = services.record_appeal_outcome(
        world.staff["caseworker"], complaint.pk, "upheld", "IMDi finner ikke grunn til å endre vedtaket."
    )
    assert complaint.status == ComplaintStatus.UPHELD and complaint.appeal_recorded_by == world.staff["caseworker"]
    seen = list(
        AuditEvent.objects.filter(subject_type="application", subject_id=str(application.pk), audience="applicant")
        .filter(action__startswith="complaint.")
        .values_list("action", flat=True)
    )
    assert seen == ["complaint.filed", "complaint.forwarded", "complaint.upheld"]
