"""``/api/v1/applications``: an organisation's own systems create, check, sign and submit applications.

Every endpoint needs the organisation's API token (``Authorization: Bearer tsk_…``,
see :mod:`tilskudd.api.auth`). The token acts as the person who created it, so
what it may do is decided by the same permission functions as the web pages
(:mod:`tilskudd.applications.permissions`), and every change goes through the
same services (:mod:`tilskudd.applications.services`): this module only
translates between HTTP and those functions.

An application of another organisation answers 404, as if it did not exist.
Errors are JSON with the reason in bokmål (``detail``) and English (``detail_en``). A refusal
of the services that is not caught here (``NotAllowed``: 403) is answered by the kernel's handler
(tilskudd.core.api, installed in :mod:`tilskudd.api.api`).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Header, Path, Query, Router, Schema, Status
from pydantic import ConfigDict, Field, StrictInt

from tilskudd.api.auth import ApiTokenAuth
from tilskudd.api.calls import CheckQuery, error
from tilskudd.api.models import ApiToken, IdempotencyKey
from tilskudd.api.schemas import (
    BODY_ERRORS,
    REQUEST_ERRORS,
    CheckOut,
    ErrorOut,
    FindingOut,
    TextOut,
    ValidationErrorOut,
)
from tilskudd.applications import services, told
from tilskudd.applications.models import Application, Signature
from tilskudd.applications.states import STATUS_EN, TransitionNotAllowed
from tilskudd.applications.states import Status as ApplicationStatus
from tilskudd.calls.services import UnknownCallError, current_call
from tilskudd.complaints.services import published_decision_of
from tilskudd.core.api import refusal_body
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DECISION_KIND_EN, DecisionKind
from tilskudd.rules.application import Budget, Contact, JointApplication, Partner, ProjectPeriod
from tilskudd.rules.cli_check import CheckResult, ReferenceTimeError, parse_at
from tilskudd.rules.findings import Finding, Severity
from tilskudd.rules.schema import CALL_ID_PATTERN

router = Router(tags=["applications / søknader"], auth=ApiTokenAuth())

#: The largest id a database row can have (64-bit); larger ids are refused as input, not looked up.
MAX_ID = 2**63 - 1
MAX_REVISION = 2**31 - 1
#: How deeply answers may nest; deeper is refused rather than risk the database or the JSON encoder.
MAX_DEPTH = 32


# --- request bodies --------------------------------------------------------------------


class ApplicationParts(Schema):
    """The parts of the application exchange format (``tilskudd.application/2``) that the applicant writes.

    The applicant (the organisation's data) and the attachments are not sent: they come
    from the organisation and the uploaded files. See docs/application-format.md.
    """

    model_config = ConfigDict(extra="forbid")

    grantor: str | None = Field(
        default=None, description="Org. number of the grantor applied to, where a call has several (C2)"
    )
    areas: list[str] = Field(default_factory=list, description="Priority areas or sub-goals applied under")
    joint: JointApplication | None = Field(default=None, description="A joint application (felles søknad)")
    contacts: list[Contact] = Field(default_factory=list)
    answers: dict[str, Any] = Field(default_factory=dict, description="Answers keyed by the call's field ids")
    partners: list[Partner] = Field(default_factory=list)
    project: ProjectPeriod | None = Field(default=None, description="The project's first and last day")
    budget: Budget = Field(default_factory=Budget)


class ApplicationCreateIn(ApplicationParts):
    """A new draft: the call's id and any parts already known."""

    call: str = Field(
        description="The call's id, e.g. test-minimal (GET /api/v1/calls lists them)",
        max_length=100,
        pattern=CALL_ID_PATTERN,
    )


class ApplicationPatchIn(ApplicationParts):
    """Changes to a draft: the revision they are based on and the parts to replace (others stay)."""

    revision: StrictInt = Field(
        ge=1, le=MAX_REVISION, description="The revision the changes are based on (from the last GET or PATCH)"
    )


class SignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    revision: StrictInt = Field(ge=1, le=MAX_REVISION, description="The revision being signed: exactly that content")


class WithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000, description="Why the application is withdrawn (begrunnelse)")


# --- responses -------------------------------------------------------------------------


class SignatureOut(Schema):
    """The signature in force: who, when, in which capacity, and the hash of exactly the content signed."""

    signed_by: str
    signed_at: dt.datetime
    capacity: str = Field(description="signatory, or delegate (with delegated authority, fullmakt)")
    title: str
    revision: int
    content_hash: str = Field(description="SHA-256 of the signed exchange document (canonical JSON)")


class ApplicationSummaryOut(Schema):
    """An application as listed."""

    id: int
    call: str
    status: str = Field(
        description="draft, submitted, reopened (for completion), withdrawn, in_assessment, granted, refused or rejected"
    )
    status_text: TextOut
    revision: int
    case_number: str | None = Field(description="Saksnummer, given on submission")
    title: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None


class DecisionOut(Schema):
    """The grantor's published decision (*vedtak*); the letter is at ``/applications/{id}/letter``."""

    kind: str = Field(description="grant (tilskudd, full or partial), refusal (avslag) or rejection (avvisning)")
    kind_text: TextOut
    amount: int = Field(description="Granted for the call's year, whole NOK (0 for refusal and rejection)")
    later_years: dict[str, int] = Field(description="Commitments for later years, subject to appropriation")
    published_at: dt.datetime


class CompletionOut(Schema):
    """The grantor has reopened the application for completion (X-R04)."""

    until: dt.datetime = Field(description="Resubmit by then")
    message: str = Field(description="What is missing, in the grantor's words")


class ApplicationOut(ApplicationSummaryOut):
    """An application with its content and what the rule engine finds in it now."""

    completion: CompletionOut | None = Field(description="Set while the application is reopened for completion")
    decision: DecisionOut | None = Field(description="The published decision, once there is one")

    call_version: int
    content: dict[str, Any] = Field(description="The parts the applicant writes (see ApplicationParts)")
    signature: SignatureOut | None = Field(description="The signature in force; any change voids it")
    ok: bool = Field(description="No errors: once signed, it can be submitted (warnings do not stop it)")
    findings: list[FindingOut] = Field(
        description="The rule engine's findings now; for a submitted application, those at submission"
    )


class SubmitOut(ApplicationOut):
    created: bool = Field(description="False when it was already submitted (a retry or a double click)")


class ConflictOut(ErrorOut):
    revision: int = Field(description="The application's current revision")


class RefusedOut(ErrorOut):
    """Signing or submission refused; ``findings`` holds the errors to fix, if that is why."""

    findings: list[FindingOut]


# --- helpers ---------------------------------------------------------------------------


def _token(request: HttpRequest) -> ApiToken:
    return request.auth  # set by ApiTokenAuth


def _not_found(application_id: int) -> Status:
    return error(
        404,
        f"Det finnes ingen søknad med id {application_id} i organisasjonen din.",
        f"There is no application with the id {application_id} in your organisation.",
    )


def _own(request: HttpRequest, application_id: int) -> Application | None:
    """The application if it belongs to the token's organisation (else None: the caller answers 404)."""
    return (
        Application.objects.select_related("call", "call_version", "organisation")
        .filter(pk=application_id, organisation=_token(request).organisation)
        .first()
    )


def _status_text(status: str) -> dict:
    try:
        value = ApplicationStatus(status)
    except ValueError:
        return {"nb": status, "en": status}
    return {"nb": str(value.label), "en": STATUS_EN.get(value, status)}


def _summary(application: Application) -> dict:
    status = told.status_of(application)
    return {
        "id": application.pk,
        "call": application.call.slug,
        "status": status.value,
        "status_text": _status_text(status),
        "revision": application.revision,
        "case_number": application.case_number,
        "title": application.title,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "submitted_at": application.submitted_at,
    }


def _format_findings(format_errors: list[tuple[str, str]]) -> list[Finding]:
    """The content's shape problems (the engine could not run) as error findings, with their paths."""
    return [
        Finding(
            rule_id="format",
            severity=Severity.ERROR,
            message_nb=f"Innholdet følger ikke søknadsformatet: {message}",
            message_en=f"The content does not follow the application format: {message}",
            field=path,
        )
        for path, message in format_errors
    ]


def _check(application: Application, at: dt.datetime) -> CheckResult:
    """The rule engine's verdict on the application now: the same as the web form shows."""
    outcome = services.check(application, at)
    return CheckResult(
        call=application.call.slug,
        version=application.call_version.number,
        at=at,
        findings=list(outcome.findings) + _format_findings(outcome.format_errors),
    )


def _completion(application: Application) -> dict | None:
    if application.status != ApplicationStatus.REOPENED or not application.reopened_until:
        return None
    return {"until": application.reopened_until, "message": application.reopened_message}


def _published_decision(application: Application) -> Decision | None:
    """The latest decision as the applicant knows it: one superseded after a complaint stays it until the new
    decision is published (complaints.services.published_decision_of, as the portal)."""
    return published_decision_of(application)


def _decision(application: Application) -> dict | None:
    decision = _published_decision(application)
    if decision is None:
        return None
    kind = DecisionKind(decision.kind)
    return {
        "kind": decision.kind,
        "kind_text": {"nb": str(kind.label), "en": DECISION_KIND_EN[kind]},
        "amount": decision.amount,
        "later_years": {str(year): amount for year, amount in (decision.later_years or {}).items()},
        "published_at": decision.published_at,
    }


def _detail(application: Application, *, known_signature: Signature | None = None, **extra) -> dict:
    """The application as answered; ``known_signature``: the one in force, when the caller has just read it."""
    data = _summary(application)
    signature = known_signature or application.active_signature()
    if application.is_editable:
        result = _check(application, timezone.now())
        findings, ok = [f.as_dict() for f in result.findings], result.ok
    else:
        findings = list(application.submitted_findings or [])
        ok = not any(f.get("severity") == Severity.ERROR.value for f in findings)
    data.update(
        completion=_completion(application),
        # submitted in this very request (from a draft, or reopened from «submitted»: states.TRANSITIONS),
        # so no decision can exist yet and none is looked for (issue #14, point 3)
        decision=None if extra.get("created") else _decision(application),
        call_version=application.call_version.number,
        content={key: application.content[key] for key in services.EDITABLE_KEYS if key in application.content},
        signature=(
            {
                "signed_by": signature.signed_by.get_full_name(),
                "signed_at": signature.signed_at,
                "capacity": signature.capacity,
                "title": signature.title,
                "revision": signature.revision,
                "content_hash": signature.content_hash,
            }
            if signature
            else None
        ),
        ok=ok,
        findings=findings,
        **extra,
    )
    return data


def _field_problem(field: str, loc: list, nb: str, en: str, kind: str = "value_error") -> Status:
    return Status(
        422,
        {"detail": [{"type": kind, "loc": loc, "msg": en, "field": field, "message_nb": nb, "message_en": en}]},
    )


def _path(parent: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def _unstorable(value: Any, path: str = "", depth: int = 0) -> tuple[str, str, str] | None:
    """The first value no database can store as JSON text: (path, bokmål, English), or None.

    NUL characters (PostgreSQL refuses them), NaN and infinity (not JSON), nesting deeper than MAX_DEPTH.
    """
    if depth > MAX_DEPTH:
        return path, f"er nøstet dypere enn {MAX_DEPTH} nivåer", f"is nested deeper than {MAX_DEPTH} levels"
    if isinstance(value, str):
        if "\x00" in value:
            return path, "inneholder et NUL-tegn (\\u0000)", "contains a NUL character (\\u0000)"
    elif isinstance(value, float):
        if not math.isfinite(value):
            return path, "må være et endelig tall", "must be a finite number"
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = _unstorable(key, path, depth + 1) or _unstorable(item, _path(path, key), depth + 1)
            if problem:
                return problem
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            problem = _unstorable(item, _path(path, index), depth + 1)
            if problem:
                return problem
    return None


def _changes(payload: ApplicationParts) -> dict[str, Any]:
    """The parts the request sends, as JSON (only those given: the others stay as they are)."""
    given = [key for key in services.EDITABLE_KEYS if key in payload.model_fields_set]
    return payload.model_dump(mode="json", include=set(given), exclude_unset=True)


def _unstorable_response(data: Any) -> Status | None:
    problem = _unstorable(data)
    if problem is None:
        return None
    field, nb, en = problem
    return _field_problem(field, ["body", *field.replace("[", ".").replace("]", "").split(".")], nb, en)


def _stale(application_id: int, based_on: int) -> Status:
    current = Application.objects.filter(pk=application_id).values_list("revision", flat=True).first() or 0
    return Status(
        409,
        {
            "detail": (
                f"Søknaden er endret siden revisjon {based_on}; nå er den på revisjon {current}. "
                "Hent søknaden på nytt og send endringene med den nye revisjonen, så ingen endringer går tapt."
            ),
            "detail_en": (
                f"The application has changed since revision {based_on}; it is now at revision {current}. "
                "Fetch it again and send your changes with the new revision, so that no change is lost."
            ),
            "revision": current,
        },
    )


def _refused(exc: services.SubmissionRefused) -> Status:
    """422 with the reason and the rule engine's findings (a refusal the person can fix)."""
    return Status(422, refusal_body(exc, findings=[f.as_dict() for f in exc.findings]))


#: What every operation here may answer: 401 without a working token, 400 for a NUL in the address.
AUTH_ERRORS = {**REQUEST_ERRORS, 401: ErrorOut}


# --- endpoints -------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[ApplicationSummaryOut], **AUTH_ERRORS, 422: ValidationErrorOut},
    summary="Søknadene / the applications",
)
def list_applications(request: HttpRequest, status: ApplicationStatus | None = Query(None)):
    """The token's organisation's applications, the last changed first. ``?status=draft`` picks one status."""
    applications = Application.objects.filter(organisation=_token(request).organisation).select_related("call")
    if status:
        applications = applications.filter(status=status)
    return Status(200, [_summary(application) for application in applications.order_by("-updated_at", "-id")])


@router.post(
    "",
    response={201: ApplicationOut, **AUTH_ERRORS, 403: ErrorOut, **BODY_ERRORS},
    summary="Nytt utkast / a new draft",
)
def create_application(request: HttpRequest, application: ApplicationCreateIn):
    """Start a draft for the token's organisation, with the parts given (the same as starting one in the portal).

    Returns the draft with the rule engine's findings. 422: the body does not follow the
    format (every problem with the path to the field), or there is no call with that id.
    """
    # before the JSON dump: it would turn NaN into null without a word
    problem = _unstorable_response(application.model_dump(exclude_unset=True))
    if problem:
        return problem
    try:
        call = current_call(application.call)
    except UnknownCallError as exc:
        return _field_problem("call", ["body", "call"], exc.message_nb, exc.message_en)
    token = _token(request)
    with transaction.atomic():
        draft = services.start_draft(token.created_by, token.organisation, call)
        draft = services.save_draft(token.created_by, draft.pk, _changes(application), draft.revision)
    return Status(201, _detail(_own(request, draft.pk)))


@router.get(
    "/{application_id}",
    response={200: ApplicationOut, **AUTH_ERRORS, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Én søknad / one application",
)
def application_detail(request: HttpRequest, application_id: int = Path(..., ge=1, le=MAX_ID)):
    """The application with its content, signature and the rule engine's findings now."""
    application = _own(request, application_id)
    if application is None:
        return _not_found(application_id)
    return Status(200, _detail(application))


@router.patch(
    "/{application_id}",
    response={
        200: ApplicationOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        **BODY_ERRORS,
    },
    summary="Endre utkastet / change the draft",
)
def change_application(
    request: HttpRequest, application: ApplicationPatchIn, application_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Replace the parts given (``answers`` as a whole, ``budget`` as a whole …); the others stay.

    ``revision`` must be the application's current revision: 409 if someone changed it
    since (fetch it again). 403 when it cannot be changed (submitted), with the reason.
    Any change voids a signature.
    """
    draft = _own(request, application_id)
    if draft is None:
        return _not_found(application_id)
    problem = _unstorable_response(application.model_dump(exclude_unset=True))
    if problem:
        return problem
    changes = _changes(application)
    user = _token(request).created_by
    try:
        services.save_draft(user, draft.pk, changes, application.revision)
    except services.StaleRevision:
        return _stale(draft.pk, application.revision)
    return Status(200, _detail(_own(request, draft.pk)))


@router.get(
    "/{application_id}/letter",
    response={200: None, **AUTH_ERRORS, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Vedtaksbrevet / the decision letter (PDF)",
)
def application_letter(request: HttpRequest, application_id: int = Path(..., ge=1, le=MAX_ID)):
    """The letter of the published decision as PDF (grant letter, refusal or rejection); 404 before publication."""
    application = _own(request, application_id)
    if application is None:
        return _not_found(application_id)
    decision = _published_decision(application)
    if decision is None or decision.letter is None:
        return error(
            404,
            "Søknaden har ikke noe kunngjort vedtak med brev ennå.",
            "The application has no published decision with a letter yet.",
        )
    letter = decision.letter
    response = FileResponse(
        letter.file.open("rb"), content_type="application/pdf", filename=letter.file.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/{application_id}/check",
    response={200: CheckOut, **AUTH_ERRORS, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Sjekk søknaden / check the application",
)
def check_application(request: HttpRequest, query: Query[CheckQuery], application_id: int = Path(..., ge=1, le=MAX_ID)):
    """Run the rule engine on the application as stored: the same JSON as ``POST /api/v1/calls/{id}/check``
    and ``tilskudd check --json``. ``ok`` is true when there are no errors. Nothing is stored."""
    application = _own(request, application_id)
    if application is None:
        return _not_found(application_id)
    try:
        at = parse_at(query.at, now=timezone.now())
    except ReferenceTimeError as exc:
        return _field_problem("at", ["query", "at"], exc.message_nb, exc.message_en)
    return Status(200, _check(application, at).as_dict())


@router.post(
    "/{application_id}/sign",
    response={
        200: ApplicationOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        **BODY_ERRORS,
        422: RefusedOut | ValidationErrorOut,
    },
    summary="Signer søknaden / sign the application",
)
def sign_application(
    request: HttpRequest, application: SignIn | None = None, application_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Sign exactly the content of ``revision``, as the person the token acts for.

    403 with the reason when that person cannot sign (only a signatory, or a delegate with
    delegated authority, fullmakt). 422 with the findings while the rule engine finds errors.
    409 when the application changed since ``revision``.
    """
    if application is None:  # no body at all: say which field is missing (not "no application")
        return _field_problem(
            "revision", ["body", "revision"], "mangler, men må være med", "is missing but required", "missing"
        )
    draft = _own(request, application_id)
    if draft is None:
        return _not_found(application_id)
    try:
        services.sign(_token(request).created_by, draft.pk, application.revision)
    except services.StaleRevision:
        return _stale(draft.pk, application.revision)
    except services.SubmissionRefused as exc:
        return _refused(exc)
    return Status(200, _detail(_own(request, draft.pk)))


IDEMPOTENCY_KEY_DESCRIPTION = (
    "Optional. A key of your choice (1–255 visible ASCII characters, e.g. a UUID) for this submission. "
    "A retry with the same key for the same application gets the same answer (200, created false); "
    "the key cannot be used for another application."
)


def _bad_key(key: str) -> bool:
    return not (1 <= len(key) <= 255 and all(33 <= ord(c) <= 126 for c in key))


@router.post(
    "/{application_id}/submit",
    response={
        200: SubmitOut,
        201: SubmitOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        404: ErrorOut,
        422: RefusedOut | ValidationErrorOut,
    },
    summary="Send inn søknaden / submit the application",
)
def submit_application(
    request: HttpRequest,
    application_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", description=IDEMPOTENCY_KEY_DESCRIPTION),
):
    """Submit the signed application: it gets a case number and is locked (X-R04).

    201 the first time; 200 with ``created: false`` when it was already submitted (a retry
    or a double click makes one submission). 422 with the reason when it cannot be submitted:
    the deadline has passed (judged by the server clock, Oslo time, X-R01), the rule engine
    finds errors (listed), or it is not signed (or changed after signing). 403 when the
    person the token acts for may not submit (for example not confirmed yet), with the reason.
    """
    organisation = _token(request).organisation
    if idempotency_key is not None and _bad_key(idempotency_key):
        if _own(request, application_id) is None:
            return _not_found(application_id)
        return _field_problem(
            "Idempotency-Key",
            ["header", "Idempotency-Key"],
            "må være 1–255 synlige ASCII-tegn, for eksempel en UUID",
            "must be 1–255 visible ASCII characters, for example a UUID",
        )
    # One transaction: the key's look-up, the submission and the key's record commit together (issue #14).
    with transaction.atomic():
        used = None
        if idempotency_key is not None:
            used = IdempotencyKey.objects.filter(organisation=organisation, key=idempotency_key).first()
        if used is not None:
            draft = _own(request, application_id)
            if draft is None:
                return _not_found(application_id)
            if used.application_id != draft.pk:
                return _field_problem(
                    "Idempotency-Key",
                    ["header", "Idempotency-Key"],
                    f"er allerede brukt for søknad {used.application_id}; bruk en ny nøkkel for hver søknad",
                    f"was already used for application {used.application_id}; use a new key for each application",
                )
            services.ensure_receipt(draft.pk)  # the first answer may have been lost with its receipt
            return Status(200, _detail(draft, created=False))
        try:
            result = services.submit(_token(request).created_by, application_id, organisation_id=organisation.pk)
        except Application.DoesNotExist:
            return _not_found(application_id)
        except services.SubmissionRefused as exc:
            return _refused(exc)
        if idempotency_key is not None:
            # a parallel retry with the same key may have stored it first: then nothing is written
            IdempotencyKey.objects.bulk_create(
                [IdempotencyKey(organisation=organisation, key=idempotency_key, application_id=application_id)],
                ignore_conflicts=True,
            )
        detail = _detail(result.application, known_signature=result.signature, created=result.created)
    return Status(201 if result.created else 200, detail)


@router.post(
    "/{application_id}/withdraw",
    response={200: ApplicationOut, **AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **BODY_ERRORS},
    summary="Trekk søknaden / withdraw the application",
)
def withdraw_application(
    request: HttpRequest, application: WithdrawIn | None = None, application_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Withdraw a submitted application before a decision, with an optional reason (kept in the history).

    403 with the reason when it cannot be withdrawn (only submitted applications can).
    """
    draft = _own(request, application_id)
    if draft is None:
        return _not_found(application_id)
    reason = application.reason.strip() if application else ""
    problem = _unstorable_response({"reason": reason})
    if problem:
        return problem
    try:
        services.withdraw(_token(request).created_by, draft.pk, reason)
    except TransitionNotAllowed as exc:
        return error(
            409,
            f"Søknaden kan ikke trekkes når den har status «{_status_text(exc.current)['nb']}».",
            f"The application cannot be withdrawn while its status is '{_status_text(exc.current)['en']}'.",
        )
    return Status(200, _detail(_own(request, draft.pk)))
