"""The caseworker's grant pages (issue #11, points 1, 2 and 7): the grants of a call, one grant, and its changes.

Thin views over :mod:`tilskudd.grants.awards.changes`. Scope from ``casework.scope``: a grant outside the person's
grantors answers 404 (its existence does not leak); a person there without a reading role answers 403 with the
reason; cancelling and reopening need the caseworker role. A refused change re-renders the page with the reason
(400, or what the refusal says) and changes nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.casework import scope
from tilskudd.casework.access import READING_ROLES, RoleMissing, call_or_404, require_case, staff_view
from tilskudd.casework.models import Role
from tilskudd.casework.views import _pages as page_links
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick
from tilskudd.grants.awards import bank_account, carried, changes, timeline
from tilskudd.grants.models import Acceptance, Grant
from tilskudd.grants.states import GRANT_STATUS_EN, TERM_STATUS_EN, GrantStatus, TermStatus

GRANTS_PER_PAGE = 50


def grant_status(status: str) -> tuple[str, str]:
    """The grant's status in words, (bokmål, English)."""
    return GrantStatus(status).label, GRANT_STATUS_EN[GrantStatus(status)]


def term_status(status: str) -> tuple[str, str]:
    return TermStatus(status).label, TERM_STATUS_EN[TermStatus(status)]


# --- the grants of a call --------------------------------------------------------------------


@staff_view
def staff_grants(request, slug: str):
    """The grants of the person's grantors in the call: lapsed offers first, then by case number."""
    call = call_or_404(request.user, slug)
    grantors = scope.call_grantors(request.user, call) & scope.grantor_numbers(request.user, *READING_ROLES)
    if not grantors:
        raise RoleMissing(*READING_ROLES)
    grants = (
        Grant.objects.filter(application__call=call, application__case__grantor_org_number__in=grantors)
        .select_related("application", "application__organisation")
        .annotate(
            paid=Coalesce(Sum("terms__amount", filter=Q(terms__status=TermStatus.PAID)), Value(0)),
            lapsed_first=Case(When(status=GrantStatus.LAPSED, then=0), default=1, output_field=IntegerField()),
        )
        .order_by("lapsed_first", "application__case_number", "pk")
    )
    page = Paginator(grants, GRANTS_PER_PAGE).get_page(request.GET.get("side"))
    shown: list[Grant] = list(page.object_list)
    rows = [{"grant": grant, "status": grant_status(grant.status)} for grant in shown]
    return render(
        request,
        "grants/awards/staff_grants.html",
        {
            "casework_section": "calls",
            "call": call,
            "rows": rows,
            "pages": page_links(request, page),
            "lapsed": sum(1 for grant in shown if grant.status == GrantStatus.LAPSED),
        },
    )


# --- one grant -------------------------------------------------------------------------------


def _grant_or_404(user, grant_id: int) -> Grant:
    """The grant if ``user`` works for its grantor (else 404); RoleMissing without a reading role there."""
    grant = (
        Grant.objects.select_related(
            "application", "application__organisation", "application__case", "application__call", "decision"
        )
        .filter(pk=grant_id)
        .first()
    )
    require_case(
        user, getattr(grant.application, "case", None) if grant else None, Http404("no such grant"), *READING_ROLES
    )
    assert grant is not None  # require_case refused a missing grant's (absent) case
    return grant


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        strip=True,
        error_messages={"required": "Skriv hvorfor tilskuddet trekkes tilbake. / Give the reason for cancelling."},
    )


class ReopenForm(forms.Form):
    new_due = forms.DateField(
        error_messages={
            "required": "Velg en ny frist for aksept. / Choose a new deadline for acceptance.",
            "invalid": "Fristen må være en dato (åååå-mm-dd). / The deadline must be a date (yyyy-mm-dd).",
        }
    )


def _form_errors(form: forms.Form, anchors: dict[str, str]) -> list[tuple[str, str]]:
    """(anchor, message in the page's language) for the error summary; messages are written «bokmål / English»."""
    language = get_language()
    found = []
    for field, errors in form.errors.items():
        for error in errors:
            nb, _, en = str(error).partition(" / ")
            found.append((anchors.get(field, ""), pick(language, nb, en or nb)))
    return found


def _render(request, grant: Grant, *, errors=(), status=200, cancel_form=None, reopen_form=None):
    user = request.user
    is_caseworker = scope.can_see_case(user, grant.application.case, Role.CASEWORKER)
    terms = list(grant.terms.all())
    acceptance = Acceptance.objects.filter(grant=grant).select_related("signed_by", "delegation").first()
    return render(
        request,
        "grants/awards/staff_grant.html",
        {
            "casework_section": "calls",
            "grant": grant,
            "application": grant.application,
            "case": grant.application.case,
            "status": grant_status(grant.status),
            "lapsed": grant.status == GrantStatus.LAPSED,
            "acceptance": acceptance,
            "terms": [{"term": term, "status": term_status(term.status)} for term in terms],
            "paid": sum(term.amount for term in terms if term.status == TermStatus.PAID),
            # Last year's unused money the grantee keeps for this year, by consent: part of the amount, not paid again.
            "carried": carried.carried_into(grant.application_id, grant.year),
            "timeline": timeline.entries(grant, for_applicant=False),
            "bank": bank_account.for_caseworker(user, grant),
            "can_cancel": is_caseworker and grant.status in changes.CANCELLABLE,
            # Hold or release a term (payments:hold_term / release_term, which come back here): its caseworkers.
            "can_hold": is_caseworker and any(t.status in (TermStatus.PLANNED, TermStatus.HELD) for t in terms),
            "can_reopen": is_caseworker and grant.status == GrantStatus.LAPSED,
            "today": timezone.localdate(),
            "cancel_form": cancel_form,
            "reopen_form": reopen_form,
            "errors": list(errors),
        },
        status=status,
    )


@staff_view
def staff_grant(request, grant_id: int):
    """Everything about the grant: the offer, the acceptance, the payment plan and the timeline."""
    return _render(request, _grant_or_404(request.user, grant_id))


def _caseworker_grant(request, grant_id: int) -> Grant:
    grant = _grant_or_404(request.user, grant_id)
    if not scope.can_see_case(request.user, grant.application.case, Role.CASEWORKER):
        raise RoleMissing(Role.CASEWORKER)  # before the form: no hints to those who may not
    return grant


def _page(grant: Grant) -> str:
    return reverse("grants:staff_grant", args=[grant.pk])


def _change(
    request, grant_id: int, form_class, *, field: str, anchor: str, form_name: str, change, done: tuple[str, str]
):
    """A caseworker's change from a posted form: the form's ``field`` to ``change(grant, value)``; an invalid form or
    a refusal re-renders the grant page (400) with the reason at ``anchor``, else the message ``done`` (bokmål,
    English) and back to the page."""
    grant = _caseworker_grant(request, grant_id)
    form = form_class(request.POST)
    if not form.is_valid():
        errors = _form_errors(form, {field: anchor})
        return _render(request, grant, errors=errors, status=400, **{form_name: form})
    try:
        change(grant, form.cleaned_data[field])
    except Refusal as refused:
        errors = [(anchor, refused.reason(get_language()))]
        return _render(request, grant, errors=errors, status=400, **{form_name: form})
    messages.success(request, pick(get_language(), *done))
    return redirect(_page(grant))


@require_POST
@staff_view
def cancel(request, grant_id: int):
    return _change(
        request,
        grant_id,
        CancelForm,
        field="reason",
        anchor="cancel-reason",
        form_name="cancel_form",
        change=lambda grant, reason: changes.cancel_grant(request.user, grant.pk, reason),
        done=(
            "Tilskuddet er trukket tilbake. Rammen beholder bare det som er utbetalt.",
            "The grant was cancelled. The frame keeps only what was paid.",
        ),
    )


@require_POST
@staff_view
def reopen(request, grant_id: int):
    return _change(
        request,
        grant_id,
        ReopenForm,
        field="new_due",
        anchor="reopen-due",
        form_name="reopen_form",
        change=lambda grant, new_due: changes.reopen_lapsed(request.user, grant.pk, new_due),
        done=(
            "Tilbudet er åpnet igjen med ny frist for aksept, og beløpet holdes i rammen.",
            "The offer is open again with a new deadline for acceptance, and the amount is held in the frame.",
        ),
    )
