"""Proof of a role (*dokumentasjon på rollen*): a person whose access waits for the grantor uploads what
shows they may act for the organisation — board minutes, a power of attorney — and the confirming
grantor's staff read it beside what Enhetsregisteret says.

The file arrives already checked (PDF or image by content, size, virus scan: the application
attachments' checks, applied by the caller one layer up); this module stores it, audits it and says
who may read it.
"""

from __future__ import annotations

from typing import IO

from django.core.files import File
from django.db import transaction

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.files import deleted_on_failure
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import require
from tilskudd.orgs import permissions
from tilskudd.orgs.models import Membership, RoleProof

#: A person uploads at most this many files for one membership (a few pages, not an archive).
MAX_PROOFS = 5


def can_upload_role_proof(user, member: Membership | None) -> Permission:
    """The person themselves, while their access is not yet confirmed."""
    if member is None or member.user_id != getattr(user, "pk", None) or member.removed_at is not None:
        return permissions.NOT_IN_ORGANISATION
    if member.is_confirmed:
        return denied("Tilgangen din er allerede bekreftet.", "Your access is already confirmed.")
    if member.role_proofs.count() >= MAX_PROOFS:
        return denied(
            f"Du har allerede lastet opp {MAX_PROOFS} filer. Det holder; tilskuddsforvalteren tar kontakt om noe mangler.",
            f"You have already uploaded {MAX_PROOFS} files. That is enough; the grantor will contact you if "
            "something is missing.",
        )
    return ALLOWED


def can_read_role_proof(user, proof: RoleProof) -> Permission:
    """The person who uploaded it, and grantor staff who may confirm the organisation's people."""
    if proof.membership.user_id == getattr(user, "pk", None):
        return ALLOWED
    return permissions.can_confirm_membership(user, proof.membership.organisation)


def add_role_proof(
    user, membership_id: int, *, name: str, content_type: str, size: int, sha256: str, stream: IO[bytes]
) -> RoleProof:
    """Store a checked file as proof of the person's role in the organisation, and audit it."""
    with transaction.atomic():
        member = Membership.objects.select_for_update().select_related("organisation").get(pk=membership_id)
        require(can_upload_role_proof(user, member))
        proof = RoleProof(
            membership=member,
            original_name=name,
            content_type=content_type,
            size=size,
            sha256=sha256,
            uploaded_by=user,
        )
        stream.seek(0)
        proof.file.save(name, File(stream, name=name), save=False)
        with deleted_on_failure(proof.file):
            proof.save()
            record(
                user,
                member.organisation,
                AuditAction.ROLE_PROOF_UPLOADED,
                data={
                    "membership": member.pk,
                    "proof": proof.pk,
                    "filename": name,
                    "content_type": content_type,
                    "size": size,
                    "sha256": sha256,
                },
                audience=Audience.APPLICANT,
            )
    return proof
