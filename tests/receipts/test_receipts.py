"""The receipt: one PDF per submission with the content, the signature and the hash; stored and e-mailed once."""

import datetime as dt
import hashlib
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.attachments.conftest import minimal_pdf


def pdf_text(data: bytes) -> str:
    """The PDF's text: pdftotext (poppler-utils) when installed, else pypdf. Spaces normalised."""
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode("utf-8")
    else:
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.replace("\u00a0", " ").split())


def submit(user, application, capture):
    """Submit as the services do, running the after-commit hooks (and so the receipt task)."""
    from tilskudd.applications import services

    with capture(execute=True):
        result = services.submit(user, application.pk)
    result.application.refresh_from_db()
    return result.application


def receipts_of(application):
    from tilskudd.applications.models import Document

    return Document.objects.filter(application=application, kind=Document.Kind.RECEIPT)


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


def test_a_submission_produces_exactly_one_receipt_with_case_number_hash_and_signer(
    signed_draft, lead, media_root, django_capture_on_commit_callbacks
):
    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)

    documents = list(receipts_of(application))
    assert len(documents) == 1
    data = stored_bytes(documents[0])
    assert data.startswith(b"%PDF-")
    assert documents[0].sha256 == hashlib.sha256(data).hexdigest()
    assert Path(documents[0].file.path).resolve().is_relative_to(Path(media_root).resolve())

    text = pdf_text(data)
    assert application.case_number and f"Saksnummer {application.case_number}" in text
    assert application.submitted_hash in text
    assert "Signert av Ola Nordmann" in text
    assert "Stilling Kommunedirektør" in text
    assert "Signerte som Signaturberettiget" in text
    assert "Søker Testkommune, org.nr. 964338531" in text
    assert "Utlysning Testutlysning" in text
    assert "Sendt inn av Kari Nordmann" in text


def test_the_receipt_shows_every_answer_under_its_label_and_the_budget_with_totals(
    signed_draft, lead, django_capture_on_commit_callbacks
):
    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    text = pdf_text(stored_bytes(receipts_of(application).get()))

    # Answers under the labels of the call definition (tests/fixtures/minimal_call.yaml).
    assert "Antall deltakere 20" in text
    assert "Trengs unntak? Nei" in text
    assert "Område 3" in text
    # Budget lines with the category's label, totals in NOK.
    assert "Personal Prosjektleder, 50 % 350 000 kr" in text
    assert "Personal Tolk 45 000 kr" in text
    assert "Sum kostnader 395 000 kr" in text
    assert "Egenandel i alt 55 000 kr" in text
    assert "Finansiering: Fylkeskommunen 20 000 kr" in text
    assert "Søknadsbeløp 320 000 kr" in text
    # Partners and contacts.
    assert "Frivilligsentralen i Testkommune" in text
    assert "Kari Nordmann Prosjektleder kari@testkommune.example" in text
    assert "Kontrollen fant ingen merknader." in text


def test_attachments_are_listed_with_their_hashes(call, organisation, lead, chief, django_capture_on_commit_callbacks):
    from tilskudd.applications import services
    from tilskudd.applications.attachments import add_attachment
    from tests.receipts import world

    draft = services.start_draft(lead, organisation, call)
    draft = services.save_draft(lead, draft.pk, world.complete_content(), draft.revision)
    attachment = add_attachment(lead, draft.pk, "other", SimpleUploadedFile("samarbeidsavtale.pdf", minimal_pdf()))
    draft.refresh_from_db()
    services.sign(chief, draft.pk, draft.revision)

    application = submit(lead, draft, django_capture_on_commit_callbacks)
    text = pdf_text(stored_bytes(receipts_of(application).get()))

    assert "Annet vedlegg: samarbeidsavtale.pdf (application/pdf)" in text
    assert f"SHA-256: {attachment.sha256}" in text


def test_times_are_shown_in_oslo_time(signed_draft, lead, django_capture_on_commit_callbacks):
    summer_noon_in_oslo = dt.datetime(2026, 6, 15, 10, 0, 0, tzinfo=dt.timezone.utc)  # UTC+2 in June
    with mock.patch("django.utils.timezone.now", return_value=summer_noon_in_oslo):
        application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    text = pdf_text(stored_bytes(receipts_of(application).get()))
    assert "Sendt inn 15.06.2026 kl. 12:00:00 (norsk tid)" in text


def test_a_delegate_signature_names_the_delegation(call, organisation, lead, chief, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from tilskudd.applications import services
    from tilskudd.orgs.models import Delegation
    from tests.receipts import world

    valid_until = timezone.localdate() + dt.timedelta(days=30)
    Delegation.objects.create(organisation=organisation, granted_by=chief, delegate=lead, valid_until=valid_until)
    draft = services.start_draft(lead, organisation, call)
    draft = services.save_draft(lead, draft.pk, world.complete_content(), draft.revision)
    services.sign(lead, draft.pk, draft.revision)

    application = submit(lead, draft, django_capture_on_commit_callbacks)
    text = pdf_text(stored_bytes(receipts_of(application).get()))

    assert "Signert av Kari Nordmann" in text
    assert "Signerte som Etter fullmakt" in text
    assert (
        f"Fullmakt Fullmakt fra Ola Nordmann, gjelder alle utlysninger, gyldig til og med {valid_until:%d.%m.%Y}"
        in text
    )


def test_warnings_found_at_submission_are_on_the_receipt(signed_draft, lead, django_capture_on_commit_callbacks):
    from tilskudd.applications import receipts

    with mock.patch("tilskudd.applications.tasks.queue_receipt"):
        application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    warning = {
        "rule_id": "X-R99",
        "severity": "warning",
        "message_nb": "Budsjettet mangler en linje for revisjon.",
        "message_en": "The budget has no line for auditing.",
        "field": "budget.lines",
    }
    error_never_shown = {**warning, "severity": "error", "message_nb": "Skal ikke vises."}
    application.submitted_findings = [warning, error_never_shown]

    text = pdf_text(receipts.receipt_pdf(application))
    assert "X-R99: Budsjettet mangler en linje for revisjon." in text
    assert "Skal ikke vises." not in text


def test_the_receipt_is_emailed_once_with_the_pdf_to_the_submitter_and_the_organisation(
    signed_draft, lead, django_capture_on_commit_callbacks
):
    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    document = receipts_of(application).get()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@testkommune.example", "post@testkommune.example"]
    assert application.case_number in message.subject
    assert message.subject.startswith("Kvittering for søknad")
    assert "Receipt for application" in message.subject
    assert f"har fått saksnummer {application.case_number}" in message.body
    assert f"has case number {application.case_number}" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"kvittering-{application.case_number.replace('/', '-')}.pdf"
    assert mimetype == "application/pdf"
    assert content == stored_bytes(document)


def test_running_the_task_again_makes_no_second_document_and_no_second_email(
    signed_draft, lead, django_capture_on_commit_callbacks
):
    from tilskudd.applications.tasks import make_receipt

    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    first = receipts_of(application).get()

    result = make_receipt.enqueue(application.pk)

    assert result.status == "SUCCESSFUL"
    assert receipts_of(application).get() == first
    assert len(mail.outbox) == 1


def test_a_failing_receipt_never_loses_the_submission_and_running_it_again_completes_it(
    signed_draft, lead, django_capture_on_commit_callbacks
):
    from tilskudd.applications.states import Status
    from tilskudd.applications.tasks import make_receipt

    with mock.patch("tilskudd.applications.receipts.receipt_pdf", side_effect=OSError("disk full")):
        application = submit(lead, signed_draft, django_capture_on_commit_callbacks)

    assert application.status == Status.SUBMITTED
    assert application.case_number
    assert not receipts_of(application).exists()
    assert mail.outbox == []

    make_receipt.enqueue(application.pk)

    assert receipts_of(application).count() == 1
    assert len(mail.outbox) == 1


def test_when_only_the_email_failed_the_next_run_sends_it_and_keeps_the_one_document(
    signed_draft, lead, django_capture_on_commit_callbacks
):
    from tilskudd.applications.tasks import make_receipt

    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("smtp down")):
        application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    first = receipts_of(application).get()
    assert mail.outbox == []

    make_receipt.enqueue(application.pk)
    make_receipt.enqueue(application.pk)

    assert receipts_of(application).get() == first
    assert len(mail.outbox) == 1


def test_a_failed_task_queues_itself_again_later_when_the_backend_can_defer(signed_draft, lead, settings):
    from django_tasks import task_backends

    from tilskudd.applications import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with mock.patch("tilskudd.applications.receipts.issue_receipt", side_effect=OSError("disk full")):
        assert tasks.make_receipt.call(signed_draft.pk) is None
    [retry] = task_backends["default"].results
    assert retry.args == [signed_draft.pk, 2]
    assert retry.task.run_after is not None

    with mock.patch("tilskudd.applications.receipts.issue_receipt", side_effect=OSError("disk full")):
        with pytest.raises(OSError):
            tasks.make_receipt.call(signed_draft.pk, tasks.MAX_ATTEMPTS)


def test_queueing_never_raises_into_the_submission(signed_draft, lead, django_capture_on_commit_callbacks):
    from tilskudd.applications import receipts, tasks
    from tilskudd.applications.states import Status

    broken_queue = mock.Mock(**{"enqueue.side_effect": RuntimeError("queue down")})
    with mock.patch("tilskudd.applications.tasks.make_receipt", broken_queue):
        application = submit(lead, signed_draft, django_capture_on_commit_callbacks)

    assert application.status == Status.SUBMITTED
    assert list(receipts.missing_receipts()) == [application]
    assert tasks.queue_missing_receipts() == 1  # the immediate backend makes it now
    assert receipts_of(application).count() == 1
    assert list(receipts.missing_receipts()) == []


# The worker commits and closes stale connections itself, as in production: no wrapping test transaction.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_makes_the_receipt(
    signed_draft, lead, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)

    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "tilskudd.applications.tasks.make_receipt"
    assert not receipts_of(application).exists()

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert receipts_of(application).count() == 1
    assert len(mail.outbox) == 1


def test_a_resubmission_after_completion_gets_its_own_receipt(signed_draft, lead, chief, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from tilskudd.applications import receipts, services
    from tilskudd.applications.models import Application

    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    first = receipts_of(application).get()
    # The caseworker reopens it for completion (X-R04); the applicant changes it, signs and submits again.
    Application.objects.filter(pk=application.pk).update(
        status="reopened", reopened_until=timezone.now() + dt.timedelta(days=7), reopened_message="Legg ved planen."
    )
    application.refresh_from_db()
    answers = {**application.content["answers"], "implementation_plan": "Oppdatert plan med milepæler."}
    application = services.save_draft(lead, application.pk, {"answers": answers}, application.revision)
    services.sign(chief, application.pk, application.revision)
    application = submit(lead, application, django_capture_on_commit_callbacks)

    assert receipts_of(application).count() == 2
    latest = receipts.latest_receipt(application)
    assert latest != first and latest.submission_hash == application.submitted_hash
    assert application.submitted_hash in pdf_text(stored_bytes(latest))
    assert list(receipts.missing_receipts()) == []


def test_the_receipt_uses_the_services_font(signed_draft, lead, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)
    reader = PdfReader(BytesIO(stored_bytes(receipts_of(application).get())))
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Inter" in name for name in fonts), fonts
