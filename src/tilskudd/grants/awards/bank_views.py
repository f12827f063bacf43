"""The pages of a change of bank account (issue #11, point 4): the grantee asks on the grant page, signed; a
caseworker of the grantor confirms or refuses it on the staff grant page (services: ``bank_account``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.casework.access import staff_view
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick
from tilskudd.grants.awards import applicant_views, bank_account, staff_views
from tilskudd.grants.models import BankAccountChange

# --- the grantee's request -------------------------------------------------------------------


@login_required
@require_POST
def request_change(request, pk: int):
    """The signed request for a new account; a bad number is refused beside the field and changes nothing."""
    grant = applicant_views._grant_for(request, pk)
    language = get_language()
    new_account = (request.POST.get("new_account") or "").strip()[:40]
    errors: list[tuple[str, str]] = []
    if request.POST.get("confirm_bank") != "yes":
        errors.append(
            (
                "confirm_bank",
                pick(
                    language,
                    "Kryss av for å bekrefte at kontoen tilhører organisasjonen og at du ber om endringen.",
                    "Tick the box to confirm that the account is the organisation's and that you ask for the change.",
                ),
            )
        )
    status = 400
    if not errors:
        try:
            bank_account.request_change(request.user, grant.pk, new_account, request.POST.get("old_account"))
        except Refusal as refused:
            field = getattr(refused, "field", "") or ""
            errors.append((field, refused.reason(language)))
            status = refused.status
    if errors:
        grant.refresh_from_db()
        context = applicant_views._context(
            request,
            grant,
            errors=[(f"bank-{anchor}" if anchor else "", message) for anchor, message in errors],
            bank_errors=dict(errors),
            bank_value=new_account,
        )
        return render(request, "grants/awards/grant.html", context, status=status)
    messages.success(
        request,
        pick(
            language,
            "Endringen av kontonummer er sendt til tilskuddsforvalteren. Den gjelder først når en saksbehandler "
            "har bekreftet den; til da utbetales tilskuddet til kontoen som står på siden.",
            "The change of bank account is sent to the grantor. It applies only when a caseworker has confirmed "
            "it; until then the grant is paid to the account on the page.",
        ),
    )
    return redirect(reverse("grants:grant", args=[pk]) + "#bank-account")


# --- the caseworker's answer -----------------------------------------------------------------


class RefuseForm(forms.Form):
    reason = forms.CharField(max_length=bank_account.MAX_REASON, strip=True)


def _change_of(request, grant_id: int, change_id: int):
    grant = staff_views._caseworker_grant(request, grant_id)  # 404 / RoleMissing before the form
    if not BankAccountChange.objects.filter(pk=change_id, grant=grant).exists():
        raise Http404("no such change")
    return grant


def _refused(request, grant, anchor: str, refused: Refusal):
    errors = [(anchor, refused.reason(get_language()))]
    return staff_views._render(request, grant, errors=errors, status=refused.status)


@require_POST
@staff_view
def confirm(request, grant_id: int, change_id: int):
    """Confirm (with the box ticked that the new account was checked) the grantee's request."""
    grant = _change_of(request, grant_id, change_id)
    language = get_language()
    if request.POST.get("checked") != "yes":
        message = pick(
            language,
            "Kryss av for at du har kontrollert det nye kontonummeret før du bekrefter.",
            "Tick the box to say you have checked the new account number before you confirm.",
        )
        return staff_views._render(request, grant, errors=[("bank-checked", message)], status=400)
    try:
        bank_account.confirm_change(request.user, change_id)
    except Refusal as refused:
        return _refused(request, grant, "bank-checked", refused)
    messages.success(
        request,
        pick(
            language,
            "Kontonummeret er endret. Terminer som ikke er sendt til utbetaling, utbetales til den nye kontoen.",
            "The bank account is changed. Terms not yet ordered for payment are paid to the new account.",
        ),
    )
    return redirect(reverse("grants:staff_grant", args=[grant.pk]) + "#bank-account")


@require_POST
@staff_view
def refuse(request, grant_id: int, change_id: int):
    """Refuse the grantee's request with a reason they read."""
    grant = _change_of(request, grant_id, change_id)
    language = get_language()
    form = RefuseForm(request.POST)
    if not form.is_valid():
        message = pick(
            language,
            f"Skriv hvorfor endringen avvises (høyst {bank_account.MAX_REASON} tegn). Tilskuddsmottakeren ser begrunnelsen.",
            f"Write why the change is refused (at most {bank_account.MAX_REASON} characters). The grantee sees the reason.",
        )
        return staff_views._render(request, grant, errors=[("bank-refuse-reason", message)], status=400)
    try:
        bank_account.refuse_change(request.user, change_id, form.cleaned_data["reason"])
    except Refusal as refused:
        return _refused(request, grant, "bank-refuse-reason", refused)
    messages.success(
        request,
        pick(language, "Endringen av kontonummer er avvist.", "The change of bank account is refused."),
    )
    return redirect(reverse("grants:staff_grant", args=[grant.pk]) + "#bank-account")
