"""Attachments: typed by content, size limited, names cleaned, virus-scanned, and audited."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.attachments.conftest import (
    docx_bytes,
    exe_bytes,
    html_bytes,
    jpeg_bytes,
    minimal_pdf,
    ods_bytes,
    odt_bytes,
    plain_zip_bytes,
    png_bytes,
    xlsx_bytes,
)
from tests.receipts import world


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


ALLOWED = [
    ("budsjett.pdf", minimal_pdf, "application/pdf"),
    ("bilde.png", png_bytes, "image/png"),
    ("foto.jpg", jpeg_bytes, "image/jpeg"),
    ("foto.jpeg", jpeg_bytes, "image/jpeg"),
    ("avtale.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("regnskap.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("vedtekter.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
    ("budsjett.ods", ods_bytes, "application/vnd.oasis.opendocument.spreadsheet"),
]


@pytest.mark.parametrize(("name", "make", "mime"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_each_allowed_type_is_recognised_by_its_content_and_stored_with_its_hash(draft, lead, name, make, mime):
    from tilskudd.applications.attachments import add_attachment

    content = make()
    attachment = add_attachment(lead, draft.pk, "exemption", upload(name, content))

    assert attachment.content_type == mime
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.scan_result == "not_scanned"
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("program.pdf", exe_bytes),
        ("side.pdf", html_bytes),
        ("arkiv.pdf", plain_zip_bytes),
        ("arkiv.docx", plain_zip_bytes),
        ("tekst.pdf", lambda: "Bare litt tekst, ikke en PDF.".encode()),
    ],
    ids=["exe-as-pdf", "html-as-pdf", "zip-as-pdf", "zip-as-docx", "text-as-pdf"],
)
def test_content_of_a_type_not_allowed_is_refused_whatever_the_name(draft, lead, media_root, name, make):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment
    from tilskudd.applications.models import Attachment

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload(name, make()))

    assert "ikke en tillatt filtype" in refused.value.reason_nb
    assert "not an allowed file type" in refused.value.reason_en
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("name", ["program.exe", "side.html", "arkiv.zip", "uten-endelse"])
def test_a_name_with_an_extension_not_allowed_is_refused(draft, lead, name):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload(name, minimal_pdf()))
    assert "Filtypen er ikke tillatt" in refused.value.reason_nb
    assert "PDF, Word (DOCX)" in refused.value.reason_nb


def test_an_extension_that_disagrees_with_the_content_is_refused_and_the_right_one_named(draft, lead):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload("avtale.pdf", docx_bytes()))

    assert refused.value.reason_nb == (
        "Filnavnet slutter på .pdf, men innholdet er Word-dokument (DOCX). "
        "Gi filen riktig endelse (.docx) og last den opp på nytt."
    )
    assert "content is a Word document (DOCX)" in refused.value.reason_en


def test_a_png_named_jpg_is_refused(draft, lead):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload("bilde.jpg", png_bytes()))
    assert "PNG-bilde" in refused.value.reason_nb


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(draft, lead, settings, media_root):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment
    from tilskudd.applications.models import Attachment

    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024  # 1 MB
    too_big = minimal_pdf() + b"%" + b"x" * (1024 * 1024)

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload("stor.pdf", too_big))

    assert refused.value.reason_nb == "Filen er for stor. Største tillatte størrelse er 1 MB."
    assert refused.value.reason_en == "The file is too large. The largest size allowed is 1 MB."
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_file_exactly_at_the_limit_is_accepted(draft, lead, settings):
    from tilskudd.applications.attachments import add_attachment

    content = minimal_pdf()
    settings.ATTACHMENT_MAX_BYTES = len(content)
    assert add_attachment(lead, draft.pk, "exemption", upload("akkurat.pdf", content)).size == len(content)


class EndlessUpload:
    """An upload that never ends and does not say its size: reading must stop at the limit."""

    name = "uendelig.pdf"
    size = None

    def __init__(self):
        self.chunks_read = 0

    def chunks(self, chunk_size=64 * 1024):
        yield minimal_pdf()
        while True:
            self.chunks_read += 1
            yield b"0" * chunk_size


def test_the_size_is_checked_while_reading_so_an_endless_upload_stops_at_the_limit(draft, lead, settings):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment

    settings.ATTACHMENT_MAX_BYTES = 256 * 1024
    endless = EndlessUpload()
    with pytest.raises(AttachmentRefused):
        add_attachment(lead, draft.pk, "exemption", endless)
    assert endless.chunks_read <= 5  # 256 KB in 64 KB chunks, then it stopped


def test_an_empty_file_is_refused(draft, lead):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload("tom.pdf", b""))
    assert refused.value.reason_nb == "Filen er tom."


def test_a_kind_the_call_does_not_ask_for_is_refused(draft, lead):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "auditor_statement", upload("a.pdf", minimal_pdf()))
    assert refused.value.reason_nb == "Utlysningen ber ikke om denne typen vedlegg."


def test_the_kinds_are_those_the_call_names_plus_other(draft):
    from tilskudd.applications.attachments import kinds_for

    assert kinds_for(draft) == {"exemption": ("Unntak", "Unntak"), "other": ("Annet vedlegg", "Other attachment")}


# --- names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\rapport.pdf", "rapport.pdf"),
        ("/var/www/../../søknad.pdf", "søknad.pdf"),
        ("Søknad om støtte – Ærø Å.PDF", "Søknad_om_støtte__Ærø_Å.pdf"),
        (".skjult.pdf", "skjult.pdf"),
        ("budsjett\u0000\u202e.pdf", "budsjett.pdf"),
        ("<b>alert(1)</b>.pdf", "b.pdf"),  # the slash splits it like a folder
        ("<i>alert(1).pdf", "ialert1.pdf"),
        ("", "vedlegg"),
        ("..", "vedlegg"),
    ],
)
def test_names_are_cleaned_of_folders_and_odd_characters_but_keep_norwegian_letters(given, expected):
    from tilskudd.applications.attachments import clean_filename

    assert clean_filename(given) == expected


def test_a_long_name_is_shortened_and_keeps_its_extension():
    from tilskudd.applications.attachments import MAX_NAME_LENGTH, clean_filename

    cleaned = clean_filename("æ" * 500 + ".docx")
    assert len(cleaned) == MAX_NAME_LENGTH
    assert cleaned.endswith("æ.docx")


def test_an_upload_named_with_a_path_is_stored_under_the_application_not_the_path(draft, lead, media_root):
    from tilskudd.applications.attachments import add_attachment

    attachment = add_attachment(lead, draft.pk, "exemption", upload("../../etc/vedtak.pdf", minimal_pdf()))

    assert attachment.original_name == "vedtak.pdf"
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to((media_root / "applications" / str(draft.pk)).resolve())
    assert stored_files(media_root) == [stored]


# --- virus scan --------------------------------------------------------------------


def test_with_clamd_a_clean_file_is_streamed_to_it_and_stored_as_clean(draft, lead, clamd):
    from tilskudd.applications.attachments import add_attachment

    content = minimal_pdf()
    attachment = add_attachment(lead, draft.pk, "exemption", upload("ren.pdf", content))

    assert attachment.scan_result == "clean"
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.received == [content]


def test_with_clamd_an_infected_file_is_refused_and_never_stored(draft, lead, clamd, media_root):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment
    from tilskudd.applications.models import Attachment
    from tilskudd.audit.models import AuditEvent

    infected = minimal_pdf() + b"%" + clamd.EICAR_MARK + b"\n"
    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload("smittet.pdf", infected))

    assert refused.value.reason_nb == "Filen inneholder virus eller skadelig kode og ble ikke lagret."
    assert refused.value.reason_en == "The file contains a virus or malicious code and was not stored."
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []
    assert not AuditEvent.objects.filter(action="attachment.added").exists()


def test_when_clamd_is_configured_but_unreachable_the_file_is_refused_try_again_later(
    draft, lead, unreachable_clamd, media_root
):
    from tilskudd.applications.attachments import AttachmentRefused, add_attachment
    from tilskudd.applications.models import Attachment

    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(lead, draft.pk, "exemption", upload("ren.pdf", minimal_pdf()))

    assert "Prøv igjen senere" in refused.value.reason_nb
    assert "try again later" in refused.value.reason_en
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_the_clamd_client_sends_large_files_in_length_prefixed_chunks(clamd):
    import io

    from tilskudd.applications import virus_scan

    content = b"a" * (virus_scan.CHUNK_SIZE * 2 + 10)
    result = virus_scan.scan_stream(io.BytesIO(content))
    assert result.status == virus_scan.CLEAN
    assert clamd.received == [content]


@pytest.mark.parametrize(
    ("reply", "status", "signature"),
    [
        ("stream: OK", "clean", ""),
        ("stream: Eicar-Test-Signature FOUND", "infected", "Eicar-Test-Signature"),
    ],
)
def test_clamd_replies_are_read(reply, status, signature):
    from tilskudd.applications.virus_scan import parse_reply

    result = parse_reply(reply)
    assert (result.status, result.signature) == (status, signature)


def test_a_clamd_error_reply_counts_as_unavailable():
    from tilskudd.applications.virus_scan import ScannerUnavailable, parse_reply

    with pytest.raises(ScannerUnavailable):
        parse_reply("INSTREAM size limit exceeded. ERROR")


# --- the application's content and who may change it -----------------------------------


def test_a_new_attachment_voids_the_signature_and_is_in_the_audit_trail(draft, lead, chief):
    from tilskudd.applications import services
    from tilskudd.applications.attachments import add_attachment
    from tilskudd.audit.services import history

    signature = services.sign(chief, draft.pk, draft.revision)
    draft.refresh_from_db()
    assert draft.active_signature() == signature

    attachment = add_attachment(lead, draft.pk, "other", upload("tillegg.pdf", minimal_pdf()))

    draft.refresh_from_db()
    signature.refresh_from_db()
    assert draft.active_signature() is None
    assert signature.voided_at is not None
    assert signature.voided_reason == "Vedleggene ble endret etter signering."
    event = history(draft).get(action="attachment.added")
    assert event.actor == lead
    assert event.data["sha256"] == attachment.sha256
    assert event.data["filename"] == "tillegg.pdf"
    # The attachment is part of the content that a new signature covers.
    document = services.exchange_document(draft)
    assert document["attachments"] == [
        {"kind": "other", "filename": "tillegg.pdf", "content_type": "application/pdf", "sha256": attachment.sha256}
    ]


def test_removing_an_attachment_voids_the_signature_deletes_the_file_and_is_audited(
    draft, lead, chief, media_root, django_capture_on_commit_callbacks
):
    from tilskudd.applications import services
    from tilskudd.applications.attachments import add_attachment, remove_attachment
    from tilskudd.applications.models import Attachment
    from tilskudd.audit.services import history

    attachment = add_attachment(lead, draft.pk, "exemption", upload("unntak.pdf", minimal_pdf()))
    draft.refresh_from_db()
    signature = services.sign(chief, draft.pk, draft.revision)

    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(lead, attachment.pk)

    draft.refresh_from_db()
    signature.refresh_from_db()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert signature.voided_at is not None
    assert stored_files(media_root) == []
    assert history(draft).filter(action="attachment.removed", data__sha256=attachment.sha256).count() == 1


def test_someone_from_another_organisation_cannot_add_or_remove(draft, lead, media_root):
    from tilskudd.applications.attachments import add_attachment, remove_attachment
    from tilskudd.applications.models import Attachment
    from tilskudd.applications.services import NotAllowed

    other = world.make_organisation(name="Annen kommune", org_number="942110464", email="post@annen.example")
    outsider = world.make_person(other, "per@annen.example", "Per Hansen", role="signatory")

    with pytest.raises(NotAllowed) as refused:
        add_attachment(outsider, draft.pk, "exemption", upload("inntrenger.pdf", minimal_pdf()))
    assert refused.value.permission.reason_nb == "Du er ikke med i organisasjonen som eier søknaden."
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []

    attachment = add_attachment(lead, draft.pk, "exemption", upload("unntak.pdf", minimal_pdf()))
    with pytest.raises(NotAllowed):
        remove_attachment(outsider, attachment.pk)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_submitted_application_takes_no_new_attachments(draft, lead, chief, django_capture_on_commit_callbacks):
    from tilskudd.applications import services
    from tilskudd.applications.attachments import add_attachment
    from tilskudd.applications.services import NotAllowed

    services.sign(chief, draft.pk, draft.revision)
    with django_capture_on_commit_callbacks(execute=False):
        services.submit(lead, draft.pk)

    with pytest.raises(NotAllowed) as refused:
        add_attachment(lead, draft.pk, "exemption", upload("for-sent.pdf", minimal_pdf()))
    assert refused.value.permission.reason_nb == "Søknaden er sendt inn og kan ikke endres."
