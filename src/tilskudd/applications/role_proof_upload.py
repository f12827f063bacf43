"""Proof of a role uploaded from the review page, with the same checks as an application's attachments.

A person whose access waits for the grantor meets «Ingen i organisasjonen har bekreftet signaturrett
ennå» on the review page; there they upload what proves their role (board minutes, a power of
attorney). The file goes through :mod:`tilskudd.applications.attachments`' checks — read in chunks with
a size limit, typed by its content with the name's extension agreeing, virus-scanned — restricted to
PDF and images, and is then stored by :func:`tilskudd.orgs.services.role_proofs.add_role_proof`.
"""

from __future__ import annotations

from tilskudd.applications import attachments
from tilskudd.applications.attachments import AttachmentRefused
from tilskudd.core.refusals import require
from tilskudd.orgs.models import Membership, RoleProof
from tilskudd.orgs.services import role_proofs


def upload_role_proof(user, membership_id: int, uploaded_file) -> RoleProof:
    """Check ``uploaded_file`` and store it as proof of the person's role. Raises ``NotAllowed``,
    :class:`AttachmentRefused` (the reason in bokmål and English) or ``Membership.DoesNotExist``;
    nothing is stored unless every check passes."""
    member = Membership.objects.select_related("organisation").get(pk=membership_id)
    require(role_proofs.can_upload_role_proof(user, member))
    if uploaded_file is None:
        raise AttachmentRefused("Velg en fil å laste opp.", "Choose a file to upload.")
    with attachments.checked_upload(uploaded_file, attachments.PDF_OR_IMAGE) as upload:
        return role_proofs.add_role_proof(
            user,
            membership_id,
            name=upload.name,
            content_type=upload.type.mime,
            size=upload.size,
            sha256=upload.sha256,
            stream=upload.file,
        )
