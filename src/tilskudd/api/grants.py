"""``/api/v1/applications/{id}/grant``: the grant of a granted application, and the answer to the offer (issue #11).

The same as the grantee's grant page: the terms (``grants.awards.acceptance.terms_document``) with their hash,
and ``POST …/grant/answer`` to accept or decline exactly those terms. The token acts as the person who created
it, so the signing rules apply as on the page: only the organisation's signatory, or a delegate within a
delegation covering the call, may answer (403 with the reason otherwise). Terms changed since they were read,
an offer no longer open or past its deadline answer 409 with the reason. A retry of the same answer returns
the answer already given (200); the service is idempotent, so no Idempotency-Key is needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from tilskudd.api.applications import AUTH_ERRORS, MAX_ID, _not_found, _own, _token
from tilskudd.api.auth import ApiTokenAuth
from tilskudd.api.calls import error
from tilskudd.api.schemas import BODY_ERRORS, ErrorOut, ValidationErrorOut
from tilskudd.grants.awards import acceptance
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GRANT_STATUS_EN, GrantStatus

router = Router(tags=["grants / tilskudd"], auth=ApiTokenAuth())


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answer: Literal["accept", "decline"] = Field(description="accept (aksepter) or decline (takk nei)")
    content_hash: str = Field(
        min_length=1, max_length=64, description="The content_hash of the terms read (GET …/grant): exactly those"
    )
    reason: str = Field(default="", max_length=2000, description="Why the grant is declined (optional)")


class AcceptanceOut(Schema):
    answer: str = Field(description="accepted or declined")
    signed_by: str = Field(description="The person who answered")
    signed_at: dt.datetime
    capacity: str = Field(description="signatory, or delegate (with delegated authority, fullmakt)")
    content_hash: str = Field(description="SHA-256 of the terms answered")
    reason: str


class GrantOut(Schema):
    application_id: int
    status: str = Field(description="offered, accepted, declined, lapsed, in_payment, paid_out, … (the grant's state)")
    status_text: dict[str, str] = Field(description="The status in words: nb and en")
    content_hash: str = Field(description="SHA-256 of the canonical JSON of terms: what an answer must carry")
    terms: dict[str, Any] = Field(
        description="Exactly what is accepted: case number, organisation, amount, later years, period, purpose, "
        "conditions, extra conditions, payment plan, bank account, acceptance deadline, the letter's SHA-256"
    )
    can_answer: bool = Field(description="Whether the token's person may answer the offer now")
    why_not: dict[str, str] | None = Field(description="Why not (nb, en) when can_answer is false")
    acceptance: AcceptanceOut | None = Field(description="The answer given, once there is one")


def _grant(request: HttpRequest, application_id: int) -> Grant | None:
    application = _own(request, application_id)
    if application is None:
        return None
    return (
        Grant.objects.select_related("application", "application__organisation", "decision", "decision__letter")
        .filter(application=application)
        .first()
    )


def _no_grant(application_id: int) -> Status:
    return error(
        404,
        f"Søknaden med id {application_id} har ikke fått noe tilskudd.",
        f"The application with the id {application_id} has no grant.",
    )


def _body(request: HttpRequest, grant: Grant) -> dict[str, Any]:
    user = _token(request).created_by
    permission = acceptance.can_answer(user, grant)
    if permission:
        permission = acceptance.offer_open(grant)
    answer = getattr(grant, "acceptance", None)
    return {
        "application_id": grant.application_id,
        "status": grant.status,
        "status_text": {"nb": GrantStatus(grant.status).label, "en": GRANT_STATUS_EN[GrantStatus(grant.status)]},
        "content_hash": acceptance.terms_hash(grant),
        "terms": acceptance.terms_document(grant),
        "can_answer": bool(permission) and answer is None,
        "why_not": None if permission else {"nb": permission.reason_nb, "en": permission.reason_en},
        "acceptance": None
        if answer is None
        else {
            "answer": answer.answer,
            "signed_by": answer.signed_by.get_full_name(),
            "signed_at": answer.signed_at,
            "capacity": answer.capacity,
            "content_hash": answer.content_hash,
            "reason": answer.reason,
        },
    }


@router.get(
    "/{application_id}/grant",
    response={200: GrantOut, **AUTH_ERRORS, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Tilskuddet / the grant",
)
def grant_detail(request: HttpRequest, application_id: int = Path(..., ge=1, le=MAX_ID)):
    """The grant of a granted application: its terms, their hash, its status and the answer, if any.

    404 when the application is not the organisation's or has no grant."""
    if _own(request, application_id) is None:
        return _not_found(application_id)
    grant = _grant(request, application_id)
    if grant is None:
        return _no_grant(application_id)
    return Status(200, _body(request, grant))


@router.post(
    "/{application_id}/grant/answer",
    response={200: GrantOut, **AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **BODY_ERRORS},
    summary="Svar på tilbudet om tilskudd / answer the offer of a grant",
)
def answer_grant(request: HttpRequest, body: AnswerIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    """Accept or decline exactly the terms read (``content_hash`` from ``GET …/grant``), as the token's person.

    403 with the reason when that person may not answer (only a signatory, or a delegate with delegated
    authority for the call). 409 when the terms changed since, the offer is no longer open or its deadline
    (Europe/Oslo) has passed, or it was already answered otherwise. The same answer again: 200, unchanged.
    """
    if _own(request, application_id) is None:
        return _not_found(application_id)
    grant = _grant(request, application_id)
    if grant is None:
        return _no_grant(application_id)
    user = _token(request).created_by
    if body.answer == "accept":
        acceptance.accept(user, grant.pk, body.content_hash)
    else:
        acceptance.decline(user, grant.pk, body.content_hash, reason=body.reason)
    return Status(200, _body(request, _grant(request, application_id)))
