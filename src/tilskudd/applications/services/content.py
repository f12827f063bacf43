"""The application as the exchange format, its hash, and the rule engine's check of it (reading only)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from pydantic import ValidationError

from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.rules.application import FORMAT_VERSION
from tilskudd.rules.application import Application as ExchangeApplication
from tilskudd.rules.findings import Finding, has_errors

#: The parts of the exchange format that the applicant edits (the rest comes from the organisation).
EDITABLE_KEYS = ("grantor", "areas", "joint", "contacts", "answers", "partners", "project", "budget")


def exchange_document(application: Application) -> dict[str, Any]:
    """The application in the exchange format, with the organisation's current data."""
    document: dict[str, Any] = {"format": FORMAT_VERSION, "call": application.call.slug}
    for key in EDITABLE_KEYS:
        if key in application.content:
            document[key] = application.content[key]
    document["applicant"] = application.organisation.as_applicant()
    document["attachments"] = [
        {"kind": a.kind, "filename": a.original_name, "content_type": a.content_type, "sha256": a.sha256}
        for a in application.attachment_files.all()
    ]
    return document


def content_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CheckOutcome:
    findings: list[Finding]
    #: Field-precise problems with the content's shape (path, message) — the engine could not run.
    format_errors: list[tuple[str, str]]

    @property
    def can_submit(self) -> bool:
        return not self.format_errors and not has_errors(self.findings)


def check(
    application: Application, at: dt.datetime | None = None, *, document: dict[str, Any] | None = None
) -> CheckOutcome:
    """Run the rule engine on the application as it is now (the same engine as API, CLI and screening).

    ``document``: its exchange document when the caller has just made it (submission hashes the same one).
    """
    if document is None:
        document = exchange_document(application)
    try:
        parsed = ExchangeApplication.model_validate(document)
    except ValidationError as error:
        problems = [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in error.errors()]
        return CheckOutcome([], problems)
    definition = application.call_version.parsed()
    moment = at or timezone.now()
    if application.status == Status.REOPENED and application.submitted_at:
        # Completion after the call's deadline is judged as of the first submission;
        # submit() checks the completion deadline itself.
        moment = application.submitted_at
    # The engine (and the call format's models) load at the first check, not with the app (issue #13, point 11).
    from tilskudd.rules.engine import evaluate  # noqa: PLC0415

    return CheckOutcome(evaluate(definition, parsed, moment), [])
