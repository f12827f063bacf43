"""Domain operations on applications. Each runs in one transaction, checks
permission, changes state through the state machine and writes the audit event.

``content`` reads (the exchange document, its hash, the rule engine's check), ``drafting`` changes
a draft, ``submission`` signs, submits and withdraws. Callers use ``services.<name>``: the names
are gathered here. A refused operation raises the kernel's ``NotAllowed`` (a falsy Permission) or
one of the refusals below, all ``tilskudd.core.refusals.Refusal``.
"""

from tilskudd.applications.services.content import EDITABLE_KEYS, CheckOutcome, check, content_hash, exchange_document
from tilskudd.applications.services.drafting import (
    DELEGATION_REVOKED,
    StaleRevision,
    content_changed,
    save_draft,
    start_draft,
    void_signatures,
    void_signatures_of_delegation,
)
from tilskudd.applications.services.submission import (
    SubmissionRefused,
    SubmitResult,
    ensure_receipt,
    sign,
    submission_deadline,
    submit,
    withdraw,
)
from tilskudd.core.refusals import NotAllowed

__all__ = [
    "DELEGATION_REVOKED",
    "EDITABLE_KEYS",
    "CheckOutcome",
    "NotAllowed",
    "StaleRevision",
    "SubmissionRefused",
    "SubmitResult",
    "check",
    "content_changed",
    "content_hash",
    "ensure_receipt",
    "exchange_document",
    "save_draft",
    "sign",
    "start_draft",
    "submission_deadline",
    "submit",
    "void_signatures",
    "void_signatures_of_delegation",
    "withdraw",
]
