"""What the amendments' tests read: the grantee's request page, the grant's audit events, the page's and the
letter's text (non-breaking spaces as spaces, so amounts read «100 000 kr»)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.web.conftest import visible_text as _visible
from tilskudd.audit.models import AuditEvent


def visible_text(html: str) -> str:
    return _visible(html).replace("\xa0", " ")


def request_page(grant) -> str:
    """The grantee's page for carry-over and change-of-use requests."""
    return f"/soknader/{grant.application_id}/tilskudd/endring/"


def grant_events(grant, action: str):
    return AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk), action=action)


def pdf_text(data: bytes) -> str:
    return (
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        .replace("\n", " ")
        .replace("\xa0", " ")
    )
