"""Attachments (*vedlegg*): upload, check and remove the documents a call asks for.

An uploaded file is

* read once, in chunks, into a temporary file while its size is counted (refused
  as soon as it passes ``ATTACHMENT_MAX_BYTES``, default 25 MB) and its SHA-256
  computed — never read whole into memory;
* typed by its content, not its name: PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG.
  The ``filetype`` package reads the first bytes; the ZIP-based office formats
  are confirmed by the container's entries (``[Content_Types].xml`` with
  ``word/`` or ``xl/``; the ``mimetype`` entry of OpenDocument). The name's
  extension must agree with the content;
* scanned for viruses by clamd when one is configured (``virus_scan``): an
  infected file is never stored, and a configured scanner that does not answer
  means "try again later" (fail closed);
* stored through Django's storage API (``Attachment.file``: local disk by
  default, an S3-compatible object store by configuration) under a sanitised name.

Adding or removing an attachment changes the application's content: it writes an
audit event and voids any signature (``services.content_changed``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.db import transaction
from django.utils.text import get_valid_filename

from tilskudd.applications import permissions, services, virus_scan
from tilskudd.applications.models import Application, Attachment
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.refusals import Refusal, require
from tilskudd.rules.schema import AttachmentCheck

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
MAX_NAME_LENGTH = 120  # well below Attachment.original_name's 200
#: Bytes read for sniffing; enough for every signature ``filetype`` knows.
SNIFF_BYTES = 8192
CHUNK_SIZE = 64 * 1024
#: A general kind for documents the call does not name (*annet vedlegg*).
OTHER_KIND = "other"
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass(frozen=True)
class FileType:
    key: str
    mime: str
    extensions: tuple[str, ...]
    name_nb: str
    name_en: str


PDF = FileType("pdf", "application/pdf", ("pdf",), "PDF", "PDF")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
    "Word-dokument (DOCX)",
    "Word document (DOCX)",
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
    "Excel-regneark (XLSX)",
    "Excel spreadsheet (XLSX)",
)
ODT = FileType(
    "odt", "application/vnd.oasis.opendocument.text", ("odt",), "OpenDocument-tekst (ODT)", "OpenDocument text (ODT)"
)
ODS = FileType(
    "ods",
    "application/vnd.oasis.opendocument.spreadsheet",
    ("ods",),
    "OpenDocument-regneark (ODS)",
    "OpenDocument spreadsheet (ODS)",
)
PNG = FileType("png", "image/png", ("png",), "PNG-bilde", "PNG image")
JPEG = FileType("jpeg", "image/jpeg", ("jpg", "jpeg"), "JPEG-bilde", "JPEG image")

ALLOWED: tuple[FileType, ...] = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)
ALLOWED_EXTENSIONS = frozenset(ext for kind in ALLOWED for ext in kind.extensions)
ALLOWED_NAMES_NB = "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG og JPEG"
ALLOWED_NAMES_EN = "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG and JPEG"


@dataclass(frozen=True)
class Accepts:
    """The file types an upload may be, and what the person is told (bokmål, English) when it is not:
    ``not_allowed`` for the name's extension, ``not_content`` for what the content turns out to be."""

    types: tuple[FileType, ...]
    not_allowed: tuple[str, str]
    not_content: tuple[str, str]

    @property
    def extensions(self) -> frozenset[str]:
        return frozenset(ext for kind in self.types for ext in kind.extensions)


#: An application's attachments: any of the allowed types.
ANY_ALLOWED = Accepts(
    ALLOWED,
    (
        f"Filtypen er ikke tillatt. Last opp {ALLOWED_NAMES_NB}.",
        f"This file type is not allowed. Upload {ALLOWED_NAMES_EN}.",
    ),
    (
        f"Innholdet i filen er ikke en tillatt filtype. Last opp {ALLOWED_NAMES_NB}.",
        f"The file's content is not an allowed file type. Upload {ALLOWED_NAMES_EN}.",
    ),
)
#: A report's attachments and the proof of a role: a PDF or an image.
PDF_OR_IMAGE = Accepts(
    (PDF, PNG, JPEG),
    (
        "Filtypen er ikke tillatt. Last opp en PDF eller et bilde (PNG, JPEG).",
        "This file type is not allowed. Upload a PDF or an image (PNG, JPEG).",
    ),
    (
        "Innholdet i filen er ikke en PDF eller et bilde (PNG, JPEG).",
        "The file's content is not a PDF or an image (PNG, JPEG).",
    ),
)

#: What ``filetype`` reports (by its extension) for the types accepted without a container check.
_PLAIN = {"pdf": PDF, "png": PNG, "apng": PNG, "jpg": JPEG}
#: ZIP containers: ``filetype`` may say zip, docx, xlsx, odt, ods …; the entries decide.
_ZIP_KINDS = {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "jar"}
_OPENDOCUMENT = {ODT.mime: ODT, ODS.mime: ODS}


class AttachmentRefused(Refusal):
    """The file cannot be attached; the reasons are shown to the person as they are."""


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}".replace(".", ",")


# --- names -------------------------------------------------------------------------


def clean_filename(name: str) -> str:
    """A safe file name to show and store: no folders, no odd characters, Norwegian letters kept.

    ``../../etc/passwd`` → ``passwd``; ``C:\\Users\\Kari\\Søknad om støtte.pdf`` →
    ``Søknad_om_støtte.pdf``. An empty result becomes ``vedlegg``.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".")
    try:
        name = get_valid_filename(name)
    except SuspiciousFileOperation:
        name = ""
    name = name.lstrip(".-") or "vedlegg"
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension.lower()[:10]
    room = MAX_NAME_LENGTH - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip("._-") or "vedlegg"
    return f"{stem}.{extension}" if extension else stem


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


# --- sniffing ----------------------------------------------------------------------


def sniff(stream: IO[bytes]) -> FileType | None:
    """The allowed type that the content of ``stream`` (seekable) is, or None."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head:
        return None
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.extension in _PLAIN:
        return _PLAIN[guess.extension]
    if guess.extension in _ZIP_KINDS:
        return _office_type(stream)
    return None


def _office_type(stream: IO[bytes]) -> FileType | None:
    """DOCX, XLSX, ODT or ODS by the ZIP container's entries; None for any other ZIP.

    Only the central directory and the tiny ``mimetype`` entry are read, so a
    ZIP bomb is never unpacked.
    """
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    with archive.open(info) as entry:
                        mime = entry.read(100).decode("ascii", "replace").strip()
                    found = _OPENDOCUMENT.get(mime)
                    if found is not None:
                        return found
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    finally:
        stream.seek(0)
    return None


# --- reading the upload ------------------------------------------------------------


@dataclass
class _Received:
    file: IO[bytes]
    size: int
    sha256: str


def _receive(uploaded_file, limit: int) -> _Received:
    """Copy the upload into a temporary file chunk by chunk, counting and hashing; stop past ``limit``."""
    declared = getattr(uploaded_file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large(limit)
    target = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - closed by the caller
    digest = hashlib.sha256()
    size = 0
    try:
        chunks = uploaded_file.chunks(CHUNK_SIZE) if hasattr(uploaded_file, "chunks") else _read_chunks(uploaded_file)
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            digest.update(chunk)
            target.write(chunk)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return _Received(target, size, digest.hexdigest())


def _read_chunks(stream) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            return
        yield chunk


def _too_large(limit: int) -> AttachmentRefused:
    return AttachmentRefused(
        f"Filen er for stor. Største tillatte størrelse er {_megabytes(limit)} MB.",
        f"The file is too large. The largest size allowed is {_megabytes(limit)} MB.",
    )


@dataclass(frozen=True)
class Checked:
    """An upload that passed every check: its clean name, its type by content, the temporary copy
    (open while the ``checked_upload`` block runs), its size, SHA-256 and the virus scan's result."""

    name: str
    type: FileType
    file: IO[bytes]
    size: int
    sha256: str
    scan: virus_scan.ScanResult

    def described(self) -> dict[str, Any]:
        """The stored row's description of the file: its name, type, size and SHA-256."""
        return {"original_name": self.name, "content_type": self.type.mime, "size": self.size, "sha256": self.sha256}

    def save_to(self, field_file) -> str:
        """Save the file into ``field_file`` (the file field of a row not yet saved); the name it is stored under."""
        self.file.seek(0)
        field_file.save(self.name, File(self.file, name=self.name), save=False)
        return field_file.name or ""


@contextmanager
def checked_upload(uploaded_file, accepts: Accepts) -> Iterator[Checked]:
    """Check ``uploaded_file`` as every upload is checked — a type ``accepts`` by the name's extension,
    read in chunks within ``max_bytes()``, not empty, typed by its content with the extension agreeing,
    virus-scanned — and give it to the block; the temporary copy is closed when the block ends.
    Raises :class:`AttachmentRefused` (the reason in bokmål and English) at the first check that fails."""
    name = clean_filename(getattr(uploaded_file, "name", "") or "")
    extension = _extension(name)
    if extension not in accepts.extensions:
        raise AttachmentRefused(*accepts.not_allowed)
    received = _receive(uploaded_file, max_bytes())
    try:
        if received.size == 0:
            raise AttachmentRefused("Filen er tom.", "The file is empty.")
        found = sniff(received.file)
        if found is None or found not in accepts.types:
            raise AttachmentRefused(*accepts.not_content)
        if extension not in found.extensions:
            raise AttachmentRefused(
                f"Filnavnet slutter på .{extension}, men innholdet er {found.name_nb}. "
                f"Gi filen riktig endelse (.{found.extensions[0]}) og last den opp på nytt.",
                f"The file name ends in .{extension}, but the content is a {found.name_en}. "
                f"Give the file the right extension (.{found.extensions[0]}) and upload it again.",
            )
        scan = _scan(received.file)
        yield Checked(name, found, received.file, received.size, received.sha256, scan)
    finally:
        received.file.close()


# --- kinds the call asks for -------------------------------------------------------


def kinds_for(application: Application) -> dict[str, tuple[str, str]]:
    """Attachment kinds the application's call asks for → (bokmål label, English label), plus «other»."""
    definition = application.call_version.parsed()
    kinds: dict[str, tuple[str, str]] = {}
    for field in definition.fields:
        if field.type.value == "attachment":
            kind = field.attachment_kind or field.id
            kinds.setdefault(kind, (field.label.nb, field.label.en or field.label.nb))
    for check in definition.checks:
        if isinstance(check, AttachmentCheck):
            kinds.setdefault(check.attachment_kind, (check.label.nb, check.label.en or check.label.nb))
    kinds.setdefault(OTHER_KIND, ("Annet vedlegg", "Other attachment"))
    return kinds


# --- the services ------------------------------------------------------------------


def _load(application_id: int, *, lock: bool = False) -> Application:
    queryset = Application.objects.select_related("organisation", "call_version")
    if lock:
        queryset = queryset.select_for_update()
    return queryset.get(pk=application_id)


def add_attachment(user, application_id: int, kind: str, uploaded_file) -> Attachment:
    """Check, scan and store ``uploaded_file`` as an attachment of ``kind`` to the application.

    Raises ``NotAllowed`` from tilskudd.core (the person may not change the application),
    ``Application.DoesNotExist`` or ``AttachmentRefused`` (with the reason in
    bokmål and English). Nothing is stored unless every check passes.
    """
    application = _load(application_id)
    require(permissions.can_edit(user, application))
    kinds = kinds_for(application)
    if not _KIND.match(kind or "") or kind not in kinds:
        raise AttachmentRefused(
            "Utlysningen ber ikke om denne typen vedlegg.", "The call does not ask for this kind of attachment."
        )
    stored_name = ""
    with checked_upload(uploaded_file, ANY_ALLOWED) as upload:
        try:
            attachment = Attachment(
                application=application,
                kind=kind,
                uploaded_by=user,
                scan_result=upload.scan.status,
                **upload.described(),
            )
            stored_name = upload.save_to(attachment.file)
            with transaction.atomic():
                application = _load(application_id, lock=True)
                require(permissions.can_edit(user, application))
                attachment.application = application
                attachment.save()
                record(
                    user,
                    application,
                    AuditAction.ATTACHMENT_ADDED,
                    data={
                        "attachment": attachment.pk,
                        "kind": kind,
                        "filename": upload.name,
                        "content_type": upload.type.mime,
                        "size": upload.size,
                        "sha256": upload.sha256,
                        "scan": upload.scan.status,
                    },
                    audience=Audience.APPLICANT,
                )
                services.content_changed(application)
        except BaseException:
            if stored_name:
                _delete_file(stored_name)
            raise
    return attachment


def _scan(stream: IO[bytes]) -> virus_scan.ScanResult:
    stream.seek(0)
    try:
        result = virus_scan.scan_stream(stream)
    except virus_scan.ScannerUnavailable:
        logger.exception("Virus scanner unavailable; upload refused")
        raise AttachmentRefused(
            "Vi kan ikke sjekke filen for virus akkurat nå, så den ble ikke lagret. Prøv igjen senere.",
            "We cannot check the file for viruses right now, so it was not stored. Please try again later.",
        ) from None
    finally:
        stream.seek(0)
    if result.infected:
        logger.warning("Infected upload refused: %s", result.signature)
        raise AttachmentRefused(
            "Filen inneholder virus eller skadelig kode og ble ikke lagret.",
            "The file contains a virus or malicious code and was not stored.",
        )
    return result


def _delete_file(name: str) -> None:
    try:
        Attachment._meta.get_field("file").storage.delete(name)
    except Exception:  # a left-over file is harmless; log it and go on
        logger.exception("Could not delete stored file %s", name)


def remove_attachment(user, attachment_id: int) -> None:
    """Remove an attachment from an application that can still be edited.

    The stored file is deleted too, unless the application has been submitted
    before (then the submitted content refers to it by its hash, and it stays).
    """
    with transaction.atomic():
        attachment = Attachment.objects.select_related("application").get(pk=attachment_id)
        application = _load(attachment.application_id, lock=True)
        require(permissions.can_edit(user, application))
        name = attachment.file.name
        record(
            user,
            application,
            AuditAction.ATTACHMENT_REMOVED,
            data={
                "attachment": attachment.pk,
                "kind": attachment.kind,
                "filename": attachment.original_name,
                "sha256": attachment.sha256,
            },
            audience=Audience.APPLICANT,
        )
        attachment.delete()
        services.content_changed(application)
        if application.submitted_at is None and name:
            transaction.on_commit(lambda: _delete_file(name))


def open_attachment(user, attachment_id: int) -> Attachment:
    """The attachment if ``user`` may see its application (the kernel's ``NotAllowed`` otherwise)."""
    attachment = Attachment.objects.select_related("application__organisation").get(pk=attachment_id)
    require(permissions.can_view(user, attachment.application))
    return attachment


__all__ = [
    "ALLOWED",
    "ANY_ALLOWED",
    "PDF_OR_IMAGE",
    "Accepts",
    "AttachmentRefused",
    "Checked",
    "FileType",
    "add_attachment",
    "checked_upload",
    "clean_filename",
    "kinds_for",
    "open_attachment",
    "remove_attachment",
    "sniff",
]
