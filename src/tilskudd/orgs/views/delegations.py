"""Signing authority (*fullmakt*): giving and revoking it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.core.refusals import require
from tilskudd.core.text import pick
from tilskudd.orgs import forms, permissions, services
from tilskudd.orgs.models import Delegation, Membership, Organisation
from tilskudd.orgs.views.common import organisation_page, page_context


@login_required
@organisation_page
def delegations(request, organisation: Organisation, member: Membership | None):
    allowed = permissions.can_delegate(request.user, organisation)
    form = forms.DelegationForm(request.POST or None, organisation=organisation, granted_by=request.user)
    refusal = None
    if request.method == "POST":
        require(allowed)
        if form.is_valid():
            try:
                services.grant_delegation(
                    request.user,
                    organisation,
                    delegate_membership_id=form.cleaned_data["delegate"],
                    valid_until=form.cleaned_data["valid_until"],
                    call_id=form.call_id,
                )
            except services.Refused as error:
                refusal = error
            else:
                messages.success(
                    request, pick(get_language(), "Fullmakten er gitt.", "The delegation has been granted.")
                )
                return redirect("orgs:delegations", pk=organisation.pk)
    today = timezone.localdate()
    rows = {"active": [], "expired": [], "revoked": []}
    for delegation in organisation.delegations.select_related("granted_by", "delegate", "call", "revoked_by"):
        rows[delegation.status(today)].append(
            {
                "delegation": delegation,
                "call": pick(
                    get_language(), delegation.call.title_nb, delegation.call.title_en or delegation.call.title_nb
                )
                if delegation.call
                else pick(get_language(), "Alle utlysninger", "All calls"),
                "can_revoke": permissions.can_revoke_delegation(request.user, delegation)
                if delegation.revoked_at is None and member is not None
                else None,
            }
        )
    context = page_context(
        organisation,
        member,
        "delegations",
        form=form if allowed else None,
        allowed=allowed,
        active=rows["active"],
        expired=rows["expired"],
        revoked=rows["revoked"],
        refusal=refusal,
    )
    return render(request, "orgs/delegations.html", context)


@login_required
@require_POST
@organisation_page
def revoke_delegation(request, organisation: Organisation, member: Membership | None, delegation_id: int):
    delegation = get_object_or_404(Delegation, pk=delegation_id, organisation=organisation)
    require(permissions.can_revoke_delegation(request.user, delegation))
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    services.revoke_delegation(request.user, delegation.pk, reason=form.cleaned_data.get("reason", ""))
    messages.success(
        request, pick(get_language(), "Fullmakten er trukket tilbake.", "The delegation has been revoked.")
    )
    return redirect("orgs:delegations", pk=organisation.pk)
