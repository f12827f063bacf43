"""The grantee's signature on what it asks or answers about a grant — one place for the acceptance, the change of
bank account (``bank_account``), the continuation filing (``continuation``) and the amendments (carry-over,
change of use).

Each of them stores the same four things beside what is asked: the SHA-256 of the canonical JSON of the signed
document (``applications.services.content.content_hash``), the capacity the person signed in («signatory» or
«delegate», ``applications.permissions.signing_capacity``), their title in the organisation, and the delegation
when they signed as a delegate; and writes the hash, capacity and delegation into the audit event.

:func:`sign` reads them once, after the caller has checked that the person may answer
(``acceptance.can_answer``): :meth:`Signature.fields` goes into the model's ``create``, :meth:`Signature.audit`
into the audit event's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tilskudd.applications.permissions import signing_capacity
from tilskudd.applications.services.content import content_hash
from tilskudd.grants.models import Grant
from tilskudd.orgs.models import Delegation
from tilskudd.orgs.permissions import membership


@dataclass(frozen=True)
class Signature:
    """Who signed ``content_hash`` for the grantee, and in which capacity."""

    content_hash: str
    capacity: str
    title: str
    delegation: Delegation | None

    def fields(self) -> dict[str, Any]:
        """The signed-request columns the models share (``content_hash``, ``capacity``, ``title``, ``delegation``)."""
        return {
            "content_hash": self.content_hash,
            "capacity": self.capacity,
            "title": self.title,
            "delegation": self.delegation,
        }

    def audit(self) -> dict[str, Any]:
        """What the audit event records of the signature."""
        return {
            "hash": self.content_hash,
            "capacity": self.capacity,
            "delegation": self.delegation.pk if self.delegation else None,
        }


def sign(user, grant: Grant, document: dict[str, Any]) -> Signature:
    """``user``'s signature on ``document`` for ``grant``'s organisation. The caller has already checked that
    ``user`` may sign (``acceptance.can_answer``); without a signing capacity this is a programming error."""
    capacity = signing_capacity(user, grant.application)
    assert capacity is not None  # the caller's can_answer allowed it
    kind, delegation = capacity
    member = membership(user, grant.application.organisation)
    return Signature(
        content_hash=content_hash(document),
        capacity=kind,
        title=member.title if member else "",
        delegation=delegation,
    )
