"""What the form remembers for a person between pages (in the session): which fields they have
touched, whether they asked for a check, and what happened to the files they chose — and the
upload of files chosen when «Lagre» is pressed (issue #13, points 1 and 2)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from tilskudd.applications import attachments as attachment_service
from tilskudd.applications import formbuilder
from tilskudd.applications.models import Application, Attachment
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick

SESSION_KEY = "application_forms"
#: Bounds on what a post may add to the session (a path is short; a form has a few hundred inputs at most).
MAX_TOUCHED = 500
MAX_PATH = 200


@dataclass
class FormState:
    touched: set[str] = field(default_factory=set)
    checked: bool = False
    #: attachment kind → [(severity, nb, en)]: what happened to a chosen file, shown beside its field once.
    notes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def _all(request) -> dict[str, Any]:
    stored = request.session.get(SESSION_KEY)
    return stored if isinstance(stored, dict) else {}


def state_of(request, pk: int) -> FormState:
    raw = _all(request).get(str(pk)) or {}
    notes = {str(k): [tuple(n) for n in v] for k, v in (raw.get("notes") or {}).items()}
    return FormState(set(raw.get("touched") or []), bool(raw.get("checked")), notes)  # type: ignore[arg-type]


def remember(
    request,
    pk: int,
    *,
    touched: Iterable[str] = (),
    checked: bool | None = None,
    notes: dict[str, list[tuple[str, str, str]]] | None = None,
) -> FormState:
    state = state_of(request, pk)
    state.touched |= {p for p in touched if isinstance(p, str) and 0 < len(p) <= MAX_PATH}
    if len(state.touched) > MAX_TOUCHED:
        state.touched = set(sorted(state.touched)[:MAX_TOUCHED])
    if checked is not None:
        state.checked = checked
    if notes is not None:
        state.notes = notes
    forms = _all(request)
    forms[str(pk)] = {"touched": sorted(state.touched), "checked": state.checked, "notes": state.notes}
    request.session[SESSION_KEY] = forms
    return state


def take_notes(request, pk: int) -> dict[str, list[tuple[str, str, str]]]:
    """The notes about chosen files, shown once."""
    notes = state_of(request, pk).notes
    if notes:
        remember(request, pk, notes={})
    return notes


def posted_touched(request) -> list[str]:
    return request.POST.getlist("_touched")[:MAX_TOUCHED]


def note_messages(notes: dict[str, list[tuple[str, str, str]]]) -> list[formbuilder.Message]:
    return [
        formbuilder.Message("", severity, nb, en, path=f"attachments[{kind}]")
        for kind, items in notes.items()
        for severity, nb, en in items
    ]


# --- files chosen in the form ----------------------------------------------------------------


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def upload(request, application: Application, kind: str, uploaded) -> tuple[str, str, str]:
    """Attach one chosen file; says what happened as (severity, nb, en) — "ok", "warning" or "error".

    The same file (by SHA-256) already attached under the same kind is not stored again; under
    another kind it is stored, and the person is told it is there twice.
    """
    kinds = attachment_service.kinds_for(application)
    name = attachment_service.clean_filename(uploaded.name)
    digest = sha256_of(uploaded)
    twin = Attachment.objects.filter(application=application, sha256=digest).order_by("pk").first()
    if twin is not None and twin.kind == kind:
        return (
            "warning",
            f"«{name}» er allerede lastet opp her (som «{twin.original_name}»). Filen er ikke lagt til på nytt.",
            f"“{name}” is already uploaded here (as “{twin.original_name}”). It was not added again.",
        )
    try:
        attachment = attachment_service.add_attachment(request.user, application.pk, kind, uploaded)
    except Refusal as refused:  # the file (AttachmentRefused) or the person (NotAllowed)
        return ("error", f"«{name}»: {refused.reason_nb}", f"“{name}”: {refused.reason_en}")
    if twin is not None:
        label_nb, label_en = kinds.get(twin.kind, (twin.kind, twin.kind))
        return (
            "warning",
            f"«{attachment.original_name}» er lastet opp. Den samme filen er også lastet opp under «{label_nb}».",
            f"“{attachment.original_name}” was uploaded. The same file is also uploaded under “{label_en}”.",
        )
    return ("ok", f"«{attachment.original_name}» er lastet opp.", f"“{attachment.original_name}” was uploaded.")


def upload_chosen(request, application: Application) -> dict[str, list[tuple[str, str, str]]]:
    """Upload every file chosen in the form (``file-<kind>``) — «Lagre» uploads them as «Last opp» does."""
    notes: dict[str, list[tuple[str, str, str]]] = {}
    kinds = attachment_service.kinds_for(application)
    for key in request.FILES:
        if not key.startswith("file-"):
            continue
        kind = key.removeprefix("file-")
        for uploaded in request.FILES.getlist(key):
            if kind not in kinds:
                note = ("error", "Ukjent type vedlegg.", "Unknown kind of attachment.")
            else:
                note = upload(request, application, kind, uploaded)
            notes.setdefault(kind, []).append(note)
    return notes


def said(note: tuple[str, str, str]) -> str:
    return pick(get_language(), note[1], note[2])
