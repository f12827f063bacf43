"""Loading call definitions into the database; each operation one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from django.db import transaction

from tilskudd.calls.models import Call, CallVersion
from tilskudd.rules.loading import CallFileError, Problem, definition_hash, load_call_file
from tilskudd.rules.schema import CallDefinition


class LoadOutcome(str, Enum):
    CREATED = "created"
    UNCHANGED = "unchanged"
    UPDATED = "updated"  # changed in place: no application used the old version
    VERSIONED = "versioned"  # a new version beside one that applications use


@dataclass(frozen=True)
class LoadResult:
    slug: str
    outcome: LoadOutcome
    version: int


class CallInUseError(ValueError):
    """A call whose rules applications already rely on cannot be changed silently."""


def load_call(definition: CallDefinition, source_file: str = "", new_version: bool = False) -> LoadResult:
    """Create or update one call from its definition.

    The same definition loaded twice changes nothing. A changed definition
    updates the current version in place while no application uses it; once
    one does, the change is refused unless ``new_version`` asks for a new
    version (old cases keep the version they were made under).
    """
    with transaction.atomic():
        return _load_call(definition, source_file, new_version)


def _load_call(definition: CallDefinition, source_file: str, new_version: bool) -> LoadResult:
    digest = definition_hash(definition)
    data = definition.model_dump(mode="json", by_alias=True)
    call = Call.objects.select_for_update().filter(slug=definition.id).first()
    if call is None:
        call = Call(slug=definition.id)
        _copy_columns(call, definition)
        call.save()
        version = CallVersion.objects.create(
            call=call, number=1, definition=data, definition_hash=digest, source_file=source_file
        )
        call.current_version = version
        call.save(update_fields=["current_version"])
        return LoadResult(call.slug, LoadOutcome.CREATED, 1)

    current = call.current_version
    assert current is not None
    if current.definition_hash == digest:
        return LoadResult(call.slug, LoadOutcome.UNCHANGED, current.number)
    if current.is_in_use():
        if not new_version:
            raise CallInUseError(
                f"{definition.id}: applications already use version {current.number} of this call, "
                "so its rules cannot be changed in place. Load it as a new version (--new-version); "
                "existing applications keep the version they were made under."
            )
        current = CallVersion.objects.create(
            call=call, number=current.number + 1, definition=data, definition_hash=digest, source_file=source_file
        )
        outcome = LoadOutcome.VERSIONED
    else:
        current.definition = data
        current.definition_hash = digest
        current.source_file = source_file
        current.save()
        outcome = LoadOutcome.UPDATED
    _copy_columns(call, definition)
    call.current_version = current
    call.save()
    return LoadResult(call.slug, outcome, current.number)


def _copy_columns(call: Call, definition: CallDefinition) -> None:
    call.title_nb = definition.title.nb
    call.title_en = definition.title.en
    call.year = definition.year
    call.grantor_name = definition.grantor.name.nb
    call.grantor_org_number = definition.grantor.org_number
    call.deadline = definition.deadline.instant
    call.frame_amount = definition.frame.amount


def read_call_files(paths: list[Path]) -> list[tuple[Path, CallDefinition]]:
    """Read and validate every file; any invalid file refuses them all (errors collected)."""
    read: list[tuple[Path, CallDefinition]] = []
    errors: list[CallFileError] = []
    for path in paths:
        try:
            read.append((path, load_call_file(path)))
        except CallFileError as error:
            errors.append(error)
    ids = [definition.id for _, definition in read]
    for repeated in sorted({i for i in ids if ids.count(i) > 1}):
        files = [str(p) for p, d in read if d.id == repeated]
        errors.append(CallFileError(", ".join(files), [Problem("id", f"the id '{repeated}' is used by several files")]))
    if errors:
        raise CallFilesError(errors)
    return read


class CallFilesError(ValueError):
    def __init__(self, errors: list[CallFileError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def call_files_in(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


def load_call_files(paths: list[Path], new_version: bool = False) -> list[LoadResult]:
    """Load several files all or nothing: one bad file and none is loaded."""
    read = read_call_files(paths)
    with transaction.atomic():
        return [load_call(definition, str(path), new_version) for path, definition in read]


# --- checking an application (the API and the CLI share this) -------------------

import datetime as dt  # noqa: E402

from django.utils import timezone  # noqa: E402

from tilskudd.rules.application import Application  # noqa: E402
from tilskudd.rules.cli_check import CheckResult  # noqa: E402
from tilskudd.rules.engine import evaluate  # noqa: E402


class UnknownCallError(LookupError):
    """No call with this id is loaded."""

    def __init__(self, slug: str):
        self.slug = slug
        self.message_nb = f"Det finnes ingen utlysning med id «{slug}»."
        self.message_en = f"There is no call with the id '{slug}'."
        super().__init__(self.message_en)


class CallMismatchError(ValueError):
    """The application names another call than the one it is checked against."""

    def __init__(self, slug: str, named: str):
        self.slug = slug
        self.named = named
        self.message_nb = f"Søknaden gjelder utlysningen «{named}», ikke «{slug}» (feltet call)."
        self.message_en = f"The application is for the call '{named}', not '{slug}' (the field call)."
        super().__init__(self.message_en)


def current_call(slug: str) -> Call:
    """The call with its current version, or :class:`UnknownCallError`."""
    call = Call.objects.select_related("current_version").filter(slug=slug).first()
    if call is None or call.current_version is None:
        raise UnknownCallError(slug)
    return call


def check_application(call_slug: str, application: Application, at: dt.datetime | None = None) -> CheckResult:
    """Check an application against the current version of a call at ``at`` (aware; default now).

    Reads only; nothing is stored. Returns a
    :class:`tilskudd.rules.cli_check.CheckResult`. The API's check endpoint
    and ``tilskudd check`` both come here, so they always agree.
    """
    call = current_call(call_slug)
    if application.call != call.slug:
        raise CallMismatchError(call.slug, application.call)
    at = at if at is not None else timezone.now()
    version = call.current_version
    findings = evaluate(version.parsed(), application, at)
    return CheckResult(call=call.slug, version=version.number, at=at, findings=findings)
