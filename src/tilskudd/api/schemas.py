"""Response shapes of the JSON API, version 1 (documented in /api/v1/openapi.json)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class TextOut(Schema):
    """A text in Norwegian bokmål (``nb``) and English (``en``, may be empty)."""

    nb: str
    en: str = ""


class GrantorOut(Schema):
    """The body that grants (*tilskuddsforvalter*)."""

    name: TextOut
    org_number: str


class FrameOut(Schema):
    """The call's frame (*ramme*) in whole NOK; ``amount`` is null where the call names only a share."""

    amount: int | None
    up_to: bool = Field(description="The call says 'up to' (inntil)")


class CallSummaryOut(Schema):
    """A call for applications (*utlysning*) as listed."""

    id: str
    title: TextOut
    year: int
    grantor: GrantorOut
    deadline: dt.datetime = Field(description="The deadline instant, in Oslo time with its offset")
    deadline_time_given: bool = Field(description="False where the call gives a date only (23:59:59 is used)")
    frame: FrameOut
    applicant_types: list[str]
    open: bool = Field(description="Whether the deadline has not passed now")
    version: int


class AreaOut(Schema):
    id: str
    title: TextOut


class CallDetailOut(CallSummaryOut):
    """A call with its areas, the rule ids it names and its full definition (the call format as JSON)."""

    areas: list[AreaOut]
    rules: list[str] = Field(description="Every rule id the definition names")
    definition: dict[str, Any]


class FindingOut(Schema):
    """One rule the application breaks. ``field`` is a path into the application, empty for the whole."""

    rule_id: str
    severity: str = Field(description="error (stops submission) or warning")
    message_nb: str
    message_en: str
    field: str


class CheckOut(Schema):
    """The result of a check: the same JSON as ``tilskudd check --json``."""

    call: str
    version: int
    at: dt.datetime
    ok: bool = Field(description="True when there are no errors (warnings do not stop submission)")
    errors: int
    warnings: int
    findings: list[FindingOut]


class ErrorOut(Schema):
    """An error with its reason in bokmål (``detail``) and English (``detail_en``)."""

    detail: str
    detail_en: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str
    field: str = Field(description="Path into the application, e.g. budget.lines[0].amount")
    message_nb: str
    message_en: str


class ValidationErrorOut(Schema):
    """A malformed request: every problem, with the path to the field."""

    detail: list[FieldErrorOut]


#: What any operation may answer: 400 when the address, a query parameter or a cookie has a NUL
#: character (tilskudd.middleware.RefuseNulMiddleware answers before the API sees the request).
REQUEST_ERRORS = {400: ErrorOut}
#: What any operation that reads a JSON body may answer besides its own: 400 the body is not JSON (or
#: as REQUEST_ERRORS), 413 it is larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 422 it does not
#: follow the schema.
BODY_ERRORS = {**REQUEST_ERRORS, 413: ErrorOut, 422: ValidationErrorOut}
