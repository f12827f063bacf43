"""Proof of a role uploaded from the review page, with the same checks as an application's attachments.

A person whose access waits for the grantor meets «Ingen i organisasjonen har bekreftet signaturrett
ennå» on the review page; there they upload what proves their role (board minutes, a power of
attorney). The file goes through :mod:`tilskudd.applications.attachments`' checks — read in chunks with
a size limit, typed by its content with the name's extension agreeing, virus-scanned — restricted to
PDF and images, and is then stored by :func:`tilskudd.orgs.services.role_proofs.add_role_proof`.
"""

from __future__ import annotations

from tilskudd.applications import attachments
from tilskudd.applications.attachments import JPEG, PDF, PNG, AttachmentRefused
from tilskudd.core.refusals import require
from tilskudd.orgs.models import Membership, RoleProof
from tilskudd.orgs.services import role_proofs

PROOF_TYPES = (PDF, PNG, JPEG)
PROOF_EXTENSIONS = frozenset(ext for kind in PROOF_TYPES for ext in kind.extensions)


def upload_role_proof(user, membership_id: int, uploaded_file) -> RoleProof:
    """Check ``uploaded_file`` and store it as proof of the person's role. Raises ``NotAllowed``,
    :class:`AttachmentRefused` (the reason in bokmål and English) or ``Membership.DoesNotExist``;
    nothing is stored unless every check passes."""
    member = Membership.objects.select_related("organisation").get(pk=membership_id)
    require(role_proofs.can_upload_role_proof(user, member))
    if uploaded_file is None:
        raise AttachmentRefused("Velg en fil å laste opp.", "Choose a file to upload.")
    name = attachments.clean_filename(getattr(uploaded_file, "name", "") or "")
    extension = attachments._extension(name)
    if extension not in PROOF_EXTENSIONS:
        raise AttachmentRefused(
            "Filtypen er ikke tillatt. Last opp en PDF eller et bilde (PNG, JPEG).",
            "This file type is not allowed. Upload a PDF or an image (PNG, JPEG).",
        )
    received = attachments._receive(uploaded_file, attachments.max_bytes())
    try:
        if received.size == 0:
            raise AttachmentRefused("Filen er tom.", "The file is empty.")
        found = attachments.sniff(received.file)
        if found not in PROOF_TYPES:
            raise AttachmentRefused(
                "Innholdet i filen er ikke en PDF eller et bilde (PNG, JPEG).",
                "The file's content is not a PDF or an image (PNG, JPEG).",
            )
        if extension not in found.extensions:
            raise AttachmentRefused(
                f"Filnavnet slutter på .{extension}, men innholdet er {found.name_nb}. "
                f"Gi filen riktig endelse (.{found.extensions[0]}) og last den opp på nytt.",
                f"The file name ends in .{extension}, but the content is a {found.name_en}. "
                f"Give the file the right extension (.{found.extensions[0]}) and upload it again.",
            )
        attachments._scan(received.file)
        return role_proofs.add_role_proof(
            user,
            membership_id,
            name=name,
            content_type=found.mime,
            size=received.size,
            sha256=received.sha256,
            stream=received.file,
        )
    finally:
        received.file.close()
