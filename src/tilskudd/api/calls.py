"""``/api/v1/calls``: the loaded calls, and checking an application against one.

Thin endpoints over :mod:`tilskudd.calls.services`: the check endpoint calls
:func:`tilskudd.calls.services.check_application`, the same function as
``tilskudd check``, so both give the same findings. Nothing here writes.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from tilskudd.api.schemas import (
    BODY_ERRORS,
    REQUEST_ERRORS,
    CallDetailOut,
    CallSummaryOut,
    CheckOut,
    ErrorOut,
    ValidationErrorOut,
)
from tilskudd.calls.models import Call
from tilskudd.calls.services import CallMismatchError, UnknownCallError, check_application, current_call
from tilskudd.rules.application import Application
from tilskudd.rules.cli_check import ReferenceTimeError, parse_at, rule_ids
from tilskudd.rules.schema import CALL_ID_PATTERN, OSLO, CallDefinition

router = Router(tags=["calls / utlysninger"])

#: A call's id in the path: one no call can have (a capital, a NUL character …) is a 422 naming ``call_id``.
CallId = Path(..., pattern=CALL_ID_PATTERN, max_length=100, description="The call's id, e.g. test-minimal")


def error(status: int, nb: str, en: str) -> Status:
    return Status(status, {"detail": nb, "detail_en": en})


def summary(call: Call, definition: CallDefinition, now) -> dict:
    deadline = definition.deadline.instant
    return {
        "id": call.slug,
        "title": {"nb": definition.title.nb, "en": definition.title.en},
        "year": definition.year,
        "grantor": {
            "name": {"nb": definition.grantor.name.nb, "en": definition.grantor.name.en},
            "org_number": definition.grantor.org_number,
        },
        "deadline": deadline.astimezone(OSLO),
        "deadline_time_given": definition.deadline.time_given,
        "frame": {"amount": definition.frame.amount, "up_to": definition.frame.up_to},
        "applicant_types": [t.value for t in definition.eligibility.applicant_types.allowed],
        "open": now <= deadline,
        "version": call.current_version.number,
    }


@router.get(
    "", response={200: list[CallSummaryOut], **REQUEST_ERRORS}, summary="Utlysningene / the calls for applications"
)
def list_calls(request: HttpRequest):
    """Every loaded call, latest deadline first. ``open`` says whether its deadline has not passed."""
    now = timezone.now()
    calls = Call.objects.select_related("current_version").exclude(current_version=None).order_by("-deadline", "slug")
    return [summary(call, call.definition, now) for call in calls]


@router.get(
    "/{call_id}",
    response={200: CallDetailOut, **REQUEST_ERRORS, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Én utlysning / one call",
)
def call_detail(request: HttpRequest, call_id: str = CallId):
    """A call's key facts, the rule ids it names, and its full definition (the call format as JSON)."""
    try:
        call = current_call(call_id)
    except UnknownCallError as exc:
        return error(404, exc.message_nb, exc.message_en)
    definition = call.definition
    data = summary(call, definition, timezone.now())
    data["areas"] = [
        {"id": area.id, "title": {"nb": area.title.nb, "en": area.title.en}}
        for area in (definition.areas.items if definition.areas else [])
    ]
    data["rules"] = rule_ids(call.current_version.definition)
    data["definition"] = call.current_version.definition
    return Status(200, data)


class CheckQuery(Schema):
    at: str | None = Field(
        default=None,
        description="Judge at this instant (ISO 8601, e.g. 2030-02-28T12:00; without offset Oslo time). Default now.",
    )


@router.post(
    "/{call_id}/check",
    response={200: CheckOut, 404: ErrorOut, **BODY_ERRORS},
    summary="Sjekk en søknad / check an application",
)
def check(request: HttpRequest, application: Application, query: Query[CheckQuery], call_id: str = CallId):
    """Check an application (the exchange format, ``tilskudd.application/2``) against the call's current version.

    Returns the findings: the same JSON as ``tilskudd check --json``. ``ok`` is true when
    there are no errors. Nothing is stored. 404: no such call; 400: the body's ``call``
    names another call, or the body is not JSON; 413: the body is larger than 2.5 MB; 422: the
    body does not follow the format, or the call's id cannot be one (every problem with the path
    to the field).
    """
    try:
        at = parse_at(query.at)
    except ReferenceTimeError as exc:
        problem = {
            "type": "value_error",
            "loc": ["query", "at"],
            "msg": exc.message_en,
            "field": "at",
            "message_nb": exc.message_nb,
            "message_en": exc.message_en,
        }
        return Status(422, {"detail": [problem]})
    try:
        result = check_application(call_id, application, at)
    except UnknownCallError as exc:
        return error(404, exc.message_nb, exc.message_en)
    except CallMismatchError as exc:
        return error(400, exc.message_nb, exc.message_en)
    return Status(200, result.as_dict())
