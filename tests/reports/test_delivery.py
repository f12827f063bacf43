"""Delivering a report (issue #12, point 2): the signatory signs it with its content hash and gets a PDF receipt;
a member cannot; the answers come from the call's form, the accounts from the application's budget, and the
auditor's statement is required where C2-R11 says so. Delivering again is no second report."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.complaints.helpers import C3
from tests.reports.helpers import DECIDED, accepted_grant, frozen_clock
from tests.staff_world import C0, C2, build_world
from tilskudd.applications.attachments import AttachmentRefused
from tilskudd.applications.services.content import content_hash
from tilskudd.audit.models import AuditEvent
from tilskudd.core.refusals import NotAllowed
from tilskudd.orgs.models import Membership
from tilskudd.reports import services
from tilskudd.reports.models import Report, ReportingDuty
from tilskudd.reports.services import Delivery, ReportInvalid
from tilskudd.reports.states import DutyStatus

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPORT = {
    "work_done": "Vi holdt 12 kurs i norsk og arbeidsliv.",
    "goal_achievement": "Deltakerne kom i arbeid eller utdanning.",
    "participants": 45,
}


def _world():
    """C0, C2 and C3, and the C2 grant most tests deliver for, decided and accepted once for the module (issue #9
    point 7)."""
    world = build_world((C0, C2, C3))
    with frozen_clock() as freeze:
        c2 = accepted_grant(world, freeze, C2, 150_000, report_due=dt.date(2021, 3, 1))
    return {"world": world, "c2": c2}


delivery_world_built = shared_world(_world, name="delivery_world_built")


@pytest.fixture
def built(delivery_world_built, db):
    return fresh(delivery_world_built)


@pytest.fixture
def world(built):
    return built["world"]


@pytest.fixture
def c2(built, freeze_now):
    """A C2 grant of NOK 150 000, accepted (the clock stands at its acceptance), with the report due 1 March 2021."""
    freeze_now(DECIDED[C2])
    return built["c2"]


def _duty(grant, kind) -> ReportingDuty:
    return ReportingDuty.objects.get(grant=grant, kind=kind)


def _member(django_user_model, grant):
    user = django_user_model.objects.create_user(
        email="medlem@forening.example", password="x" * 16, full_name="Med Lem"
    )
    Membership.objects.create(
        user=user, organisation=grant.application.organisation, role="member", confirmed_at=timezone.now()
    )
    return user


def test_a_member_cannot_deliver_and_nothing_changes(c2, django_user_model):
    member = _member(django_user_model, c2)
    duty = _duty(c2, "annual_report")
    with pytest.raises(NotAllowed) as refused:
        services.deliver_report(member, duty.pk, Delivery(answers=REPORT))
    assert "signaturrett" in refused.value.reason_nb and "signatory" in refused.value.reason_en
    assert _duty(c2, "annual_report").status == DutyStatus.OPEN and not Report.objects.exists()


def test_the_signatory_delivers_the_annual_report_signed_by_its_hash_with_a_pdf_receipt(c2):
    signatory = applicant_of(c2.application)
    duty = _duty(c2, "annual_report")
    report = services.deliver_report(signatory, duty.pk, Delivery(answers={**REPORT, "activities": 12}))
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DELIVERED
    assert (report.version, report.capacity, report.submitted_by) == (1, "signatory", signatory)
    assert report.answers == {**REPORT, "activities": 12}
    assert report.content_hash == content_hash(services.report_document(duty, report.answers, {}))
    event = AuditEvent.objects.get(subject_type="reportingduty", subject_id=str(duty.pk), action="report.submitted")
    assert (event.from_state, event.to_state, event.audience) == ("open", "delivered", "applicant")
    assert event.data["hash"] == report.content_hash
    data = report.receipt.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == report.receipt_sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Kvittering for levert rapport" in text and c2.application.case_number in text
    assert report.content_hash in text.replace("\n", "")
    assert "Vi holdt 12 kurs" in text


def test_delivering_again_makes_one_report_and_other_content_is_refused(c2):
    signatory = applicant_of(c2.application)
    duty = _duty(c2, "annual_report")
    first = services.deliver_report(signatory, duty.pk, Delivery(answers=REPORT))
    again = services.deliver_report(signatory, duty.pk, Delivery(answers=REPORT))
    assert again.pk == first.pk and Report.objects.filter(duty=duty).count() == 1
    with pytest.raises(NotAllowed) as refused:
        services.deliver_report(signatory, duty.pk, Delivery(answers={**REPORT, "participants": 46}))
    assert "allerede levert" in refused.value.reason_nb
    assert AuditEvent.objects.filter(subject_id=str(duty.pk), action="report.submitted").count() == 1


def test_missing_and_malformed_answers_are_named_field_by_field_and_nothing_is_delivered(c2):
    duty = _duty(c2, "annual_report")
    with pytest.raises(ReportInvalid) as invalid:
        services.deliver_report(
            applicant_of(c2.application), duty.pk, Delivery(answers={"work_done": "  ", "participants": -3})
        )
    errors = invalid.value.errors
    assert set(errors) == {"work_done", "goal_achievement", "participants"}
    assert errors["work_done"][0] == "«Beskrivelse av arbeidet organisasjonen har gjort» må fylles ut."
    assert errors["participants"][0] == "Tallet kan ikke være under 0."
    assert invalid.value.status == 400
    assert _duty(c2, "annual_report").status == DutyStatus.OPEN and not Report.objects.exists()


def _actuals(duty) -> dict[int, int]:
    return {line.index: line.budget for line in services.budget_of(duty)}


def test_c2_accounts_at_150_000_need_the_auditors_statement(c2, django_user_model):
    signatory = applicant_of(c2.application)
    duty = _duty(c2, "accounts")
    budget = services.budget_of(duty)
    assert budget, "the application's budget gives the lines"
    delivery = Delivery(
        answers={"accounts_notes": "Færre kurs enn planlagt."},
        actual={line.index: line.budget for line in budget},
        other_income=0,
        own_contribution=0,
    )
    with pytest.raises(ReportInvalid) as invalid:
        services.deliver_report(signatory, duty.pk, delivery)
    assert set(invalid.value.errors) == {"auditor_statement"}
    assert "revisor" in invalid.value.errors["auditor_statement"][0]
    # Any member may upload the statement; the signatory delivers.
    member = _member(django_user_model, c2)
    services.add_attachment(member, duty.pk, "auditor_statement", SimpleUploadedFile("revisorberetning.pdf", PDF))
    report = services.deliver_report(signatory, duty.pk, delivery)
    total = sum(line.budget for line in budget)
    assert report.accounts["total_budget"] == report.accounts["total_actual"] == total
    assert report.accounts["granted"] == 150_000
    assert report.accounts["unused"] == max(0, min(150_000, 150_000 - total))
    document = services.report_document(duty, report.answers, report.accounts)
    assert [a["filename"] for a in document["attachments"]] == ["revisorberetning.pdf"]
    assert report.content_hash == content_hash(document)


def test_c2_accounts_of_a_grant_of_50_000_need_no_auditor_and_the_unused_amount_is_computed(world, freeze_now):
    grant = accepted_grant(world, freeze_now, C2, 50_000, report_due=dt.date(2021, 3, 1))
    duty = _duty(grant, "accounts")
    budget = services.budget_of(duty)
    spent = 30_000 + sum(line.budget for line in budget[1:])
    actual = {line.index: (30_000 if line.index == 0 else line.budget) for line in budget}
    report = services.deliver_report(
        applicant_of(grant.application), duty.pk, Delivery(actual=actual, other_income=5_000, own_contribution=2_000)
    )
    assert report.accounts["net_costs"] == spent - 7_000
    assert report.accounts["unused"] == max(0, min(50_000, 50_000 - (spent - 7_000)))


def test_accounts_without_every_line_are_refused_line_by_line(c2):
    duty = _duty(c2, "accounts")
    with pytest.raises(ReportInvalid) as invalid:
        services.deliver_report(applicant_of(c2.application), duty.pk, Delivery(actual={}))
    assert {key for key in invalid.value.errors if key.startswith("actual_")} == {
        f"actual_{line.index}" for line in services.budget_of(duty)
    }


def test_an_attachment_must_be_a_pdf_or_an_image_by_its_content(c2):
    duty = _duty(c2, "accounts")
    signatory = applicant_of(c2.application)
    with pytest.raises(AttachmentRefused):
        services.add_attachment(signatory, duty.pk, "auditor_statement", SimpleUploadedFile("notat.txt", b"hei"))
    with pytest.raises(AttachmentRefused) as refused:
        services.add_attachment(signatory, duty.pk, "auditor_statement", SimpleUploadedFile("falsk.pdf", b"hei hei"))
    assert "ikke en PDF" in refused.value.reason_nb
    assert not duty.attachments.exists()


def test_c3_accounts_need_the_signed_approval_of_the_named_people(world, freeze_now):
    grant = accepted_grant(world, freeze_now, C3, 200_000, report_due=dt.date(2025, 2, 15))
    duty = _duty(grant, "accounts")
    delivery = Delivery(actual=_actuals(duty))
    signatory = applicant_of(grant.application)
    with pytest.raises(ReportInvalid) as invalid:
        services.deliver_report(signatory, duty.pk, delivery)
    assert set(invalid.value.errors) == {"signed_approval"}
    services.add_attachment(signatory, duty.pk, "signed_approval", SimpleUploadedFile("godkjenning.pdf", PDF))
    assert services.deliver_report(signatory, duty.pk, delivery).version == 1
