"""Drafting: start a draft, save changes to it, and void signatures when the content moves on."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tilskudd.applications import permissions
from tilskudd.applications.models import Application, Signature
from tilskudd.applications.services.content import EDITABLE_KEYS
from tilskudd.applications.states import EDITABLE, Status
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.calls.models import Call
from tilskudd.core.refusals import Refusal, require


class StaleRevision(Refusal):
    """Someone else saved the draft after this person opened it."""

    def __init__(
        self,
        reason_nb: str = "Søknaden er endret siden du åpnet den.",
        reason_en: str = "The application changed after you opened it.",
    ):
        super().__init__(reason_nb, reason_en)


def start_draft(user, organisation, call: Call) -> Application:
    require(permissions.can_create(user, organisation))
    with transaction.atomic():
        application = Application.objects.create(
            organisation=organisation,
            call=call,
            call_version=call.current_version,
            content={"areas": [], "answers": {}, "budget": {}},
            created_by=user,
            updated_by=user,
        )
        record(
            user,
            application,
            AuditAction.APPLICATION_CREATED,
            to_state=Status.DRAFT,
            data={"call": call.slug},
            audience=Audience.APPLICANT,
        )
    return application


def save_draft(user, application_id: int, changes: dict[str, Any], based_on_revision: int) -> Application:
    """Merge ``changes`` (top-level keys of the exchange format) into the draft.

    Refused when the draft changed since ``based_on_revision`` (two people
    editing at once never overwrite each other silently). Any change voids an
    existing signature.
    """
    unknown = set(changes) - set(EDITABLE_KEYS)
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        require(permissions.can_edit(user, application))
        if application.revision != based_on_revision:
            raise StaleRevision()
        changed = sorted(key for key, value in changes.items() if application.content.get(key) != value)
        if not changed:
            return application
        application.content = {**application.content, **changes}
        if "answers" in changes and isinstance(changes["answers"], dict):
            application.title = str(changes["answers"].get("project_title") or application.title)[:300]
        application.revision += 1
        application.updated_by = user
        application.save()
        void_signatures(application, "Søknaden ble endret etter signering.")
        record(
            user,
            application,
            AuditAction.DRAFT_SAVED,
            data={"changed": changed, "revision": application.revision},
            audience=Audience.APPLICANT,
        )
    return application


def void_signatures(application: Application, reason: str) -> None:
    application.signatures.filter(voided_at__isnull=True).update(voided_at=timezone.now(), voided_reason=reason)


#: Why a signature made under a delegation no longer counts (stored with the voided signature).
DELEGATION_REVOKED = "Fullmakten ble trukket tilbake."


def void_signatures_of_delegation(actor, delegation) -> int:
    """Void the signatures made under ``delegation`` on applications not yet submitted (it was revoked).

    Runs inside the transaction that revoked the delegation; each application affected gets an
    event the applicant sees. Returns how many signatures were voided.
    """
    signatures = list(
        Signature.objects.select_for_update()
        .filter(delegation=delegation, voided_at__isnull=True, application__status__in=EDITABLE)
        .select_related("application")
    )
    now = timezone.now()
    for signature in signatures:
        signature.voided_at, signature.voided_reason = now, DELEGATION_REVOKED
        signature.save(update_fields=["voided_at", "voided_reason"])
        record(
            actor,
            signature.application,
            AuditAction.SIGNATURE_VOIDED,
            reason="Fullmakten signaturen ble gitt under, er trukket tilbake.",
            data={"signature": signature.pk, "delegation": delegation.pk},
            audience=Audience.APPLICANT,
        )
    return len(signatures)


def content_changed(application: Application) -> None:
    """Call after an attachment is added or removed: the content moved on, signatures are void."""
    application.revision += 1
    application.save(update_fields=["revision", "updated_at"])
    void_signatures(application, "Vedleggene ble endret etter signering.")
