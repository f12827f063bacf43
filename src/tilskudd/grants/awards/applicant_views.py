"""The grantee's grant page (issue #11, point 2): the terms, the timeline, and — for the one who may — the answer.

Only the organisation's members see it (others get 404, as the application's pages). The page shows exactly
the terms :func:`grants.awards.acceptance.terms_document` hashes; the form carries that hash, so an answer to
terms that changed since is refused by the service. A member without signing authority sees who can answer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from tilskudd.applications.views.common import application_for, told_status_name
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick
from tilskudd.grants.awards import acceptance, bank_account, timeline
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GRANT_STATUS_EN, TERM_STATUS_EN, GrantStatus, TermStatus

SEASONS = {"spring": ("vår", "spring"), "autumn": ("høst", "autumn")}
ANSWERS = ("accept", "decline")
MAX_REASON = 2000


def _grant_for(request, pk: int) -> Grant:
    """The grant of application ``pk`` if the person is in the organisation; 404 otherwise (also: no grant)."""
    application = application_for(request, pk)
    grant = (
        Grant.objects.select_related("application", "application__organisation", "decision", "decision__letter")
        .filter(application=application)
        .first()
    )
    if grant is None:
        raise Http404("No grant for this application.")
    return grant


def _context(request, grant: Grant, **extra) -> dict[str, Any]:
    language = get_language()
    application = grant.application
    document = acceptance.terms_document(grant)
    permission = acceptance.can_answer(request.user, grant)
    is_open = acceptance.offer_open(grant)
    answer = getattr(grant, "acceptance", None)
    terms = []
    for term in grant.terms.order_by("number"):
        season = SEASONS.get(term.season)
        terms.append(
            {
                "number": term.number,
                "amount": term.amount,
                "season": pick(language, *season) if season else "",
                "earliest": term.earliest,
                "due_on": term.due_on,
                "status": pick(language, TermStatus(term.status).label, TERM_STATUS_EN[TermStatus(term.status)]),
                "held_reason": term.held_reason if term.status == TermStatus.HELD else "",
            }
        )
    letter = grant.decision.letter
    return {
        "application": application,
        "call": application.call,
        "status_name": told_status_name(application),
        "grant": grant,
        "grant_status": pick(language, GrantStatus(grant.status).label, GRANT_STATUS_EN[GrantStatus(grant.status)]),
        "document": document,
        "terms_hash": acceptance.terms_hash(grant),
        "terms": terms,
        "conditions": [pick(language, c["text_nb"], c["text_en"] or c["text_nb"]) for c in document["conditions"]],
        "letter_url": reverse("applications:letter", args=[application.pk, letter.pk]) if letter else "",
        "may_answer": bool(permission),
        "permission": permission,
        "offer_open": is_open,
        "closed_reason": is_open.reason(language),
        "permission_reason": permission.reason(language),
        "answer": answer,
        "signatories": acceptance.who_may_answer(grant) if not permission else [],
        "timeline": timeline.entries(grant, for_applicant=True),
        "bank": bank_account.for_grantee(request.user, grant),
        **extra,
    }


@login_required
@require_GET
def grant_page(request, pk: int):
    grant = _grant_for(request, pk)
    return render(request, "grants/awards/grant.html", _context(request, grant))


@login_required
@require_POST
def answer(request, pk: int):
    """Accept (with the box ticked) or decline (with the confirmation ticked) the terms the page showed."""
    grant = _grant_for(request, pk)
    language = get_language()
    choice = request.POST.get("answer", "")
    given_hash = request.POST.get("content_hash", "")
    reason = (request.POST.get("reason") or "").strip()
    errors: list[tuple[str, str]] = []
    if choice not in ANSWERS:
        errors.append(("", pick(language, "Velg om dere aksepterer eller takker nei.", "Choose accept or decline.")))
    elif choice == "accept" and request.POST.get("confirm") != "yes":
        errors.append(
            (
                "confirm",
                pick(
                    language,
                    "Kryss av for at du har lest vilkårene og aksepterer dem.",
                    "Tick the box to say you have read the terms and accept them.",
                ),
            )
        )
    elif choice == "decline" and request.POST.get("confirm_decline") != "yes":
        errors.append(
            (
                "confirm_decline",
                pick(
                    language,
                    "Kryss av for å bekrefte at dere takker nei til tilskuddet.",
                    "Tick the box to confirm that you decline the grant.",
                ),
            )
        )
    if len(reason) > MAX_REASON:
        errors.append(
            (
                "reason",
                pick(
                    language,
                    f"Begrunnelsen kan være på høyst {MAX_REASON} tegn.",
                    f"The reason can be at most {MAX_REASON} characters.",
                ),
            )
        )
    if errors:
        context = _context(request, grant, errors=errors, reason=reason, chosen=choice)
        return render(request, "grants/awards/grant.html", context, status=400)
    try:
        if choice == "accept":
            acceptance.accept(request.user, grant.pk, given_hash)
        else:
            acceptance.decline(request.user, grant.pk, given_hash, reason=reason)
    except Refusal as refused:
        grant.refresh_from_db()
        context = _context(request, grant, errors=[("", refused.reason(language))], reason=reason, chosen=choice)
        return render(request, "grants/awards/grant.html", context, status=refused.status)
    if choice == "accept":
        messages.success(
            request,
            pick(
                language,
                "Tilskuddet og vilkårene er akseptert. Utbetalingen følger betalingsplanen under.",
                "The grant and its terms are accepted. Payment follows the plan below.",
            ),
        )
    else:
        messages.success(
            request,
            pick(
                language,
                "Dere har takket nei til tilskuddet. Beløpet er frigitt.",
                "You have declined the grant. The amount is released.",
            ),
        )
    return redirect("grants:grant", pk=pk)
