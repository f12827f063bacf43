"""People and roles: requests to join, invitations, changing and removing people."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.core.refusals import require
from tilskudd.core.text import pick
from tilskudd.orgs import forms, permissions, services
from tilskudd.orgs.models import Invitation, Membership, MembershipRequest, Organisation
from tilskudd.orgs.services.invitations import INVITATION_TOKENS
from tilskudd.orgs.views.common import organisation_page, page_context, show_refusal, site_url
from tilskudd.orgs.views.labels import role_label


@login_required
@organisation_page
def people(request, organisation: Organisation, member: Membership | None):
    manage = permissions.can_manage_people(request.user, organisation)
    invite_form = forms.InviteForm(request.POST or None, prefix="invite")
    refusal = None
    if request.method == "POST":
        require(manage)
        if invite_form.is_valid():
            data = invite_form.cleaned_data
            try:
                result = services.invite(
                    request.user,
                    organisation,
                    data["email"],
                    can_sign=data["can_sign"],
                    is_admin=data["is_admin"],
                    title=data["title"],
                    site_url=site_url(request),
                )
            except services.Refused as error:
                refusal = error
            else:
                # Always an invitation: nobody is added before they follow the link (services.invite).
                messages.success(
                    request,
                    pick(
                        get_language(),
                        f"Invitasjonen er sendt til {result.email}. Personen får tilgang når hen åpner lenken i e-posten og logger inn med den adressen.",
                        f"The invitation has been sent to {result.email}. They get access when they open the link in the e-mail and log in with that address.",
                    ),
                )
                return redirect("orgs:people", pk=organisation.pk)
    active = (
        organisation.memberships.filter(removed_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    former = organisation.memberships.filter(removed_at__isnull=False).select_related("user", "removed_by")
    requests = organisation.membership_requests.filter(status=MembershipRequest.Decision.PENDING).select_related("user")
    now = timezone.now()
    invitations = [
        invitation
        for invitation in organisation.invitations.filter(claimed_at__isnull=True, revoked_at__isnull=True)
        if invitation.expires_at > now
    ]
    context = page_context(
        organisation,
        member,
        "people",
        rows=[{"member": m, "role": role_label(m)} for m in active],
        former=former,
        requests=[(r, forms.RolesForm(prefix=f"request-{r.pk}", initial={"title": r.title})) for r in requests],
        invitations=invitations,
        invite_form=invite_form,
        manage=manage,
        refusal=refusal,
    )
    return render(request, "orgs/people.html", context)


@login_required
@organisation_page
def member_detail(request, organisation: Organisation, member: Membership | None, membership_id: int):
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organisation=organisation, removed_at__isnull=True
    )
    allowed = permissions.can_change_member(request.user, target)
    removable = permissions.can_remove_member(request.user, target)
    if not removable:
        require(allowed)
    summary = services.role_summary(target.role, target.administers)
    form = forms.RolesForm(request.POST or None, initial={**summary, "title": target.title})
    refusal = None
    if request.method == "POST":
        require(allowed)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.change_role(
                    request.user,
                    target.pk,
                    can_sign=data["can_sign"],
                    is_admin=data["is_admin"],
                    title=data["title"],
                )
            except services.Refused as error:
                refusal = error
            else:
                messages.success(request, pick(get_language(), "Rollen er endret.", "The role has been changed."))
                return redirect("orgs:people", pk=organisation.pk)
    context = page_context(
        organisation,
        member,
        "people",
        target=target,
        target_role=role_label(target),
        form=form if allowed else None,
        remove_form=forms.ReasonForm(prefix="remove") if removable else None,
        is_self=target.user_id == request.user.pk,
        refusal=refusal,
    )
    return render(request, "orgs/member.html", context)


@login_required
@require_POST
@organisation_page
def remove_member(request, organisation: Organisation, member: Membership | None, membership_id: int):
    target = get_object_or_404(Membership, pk=membership_id, organisation=organisation, removed_at__isnull=True)
    require(permissions.can_remove_member(request.user, target))
    form = forms.ReasonForm(request.POST, prefix="remove")
    form.is_valid()
    try:
        services.remove_member(request.user, target.pk, reason=form.cleaned_data.get("reason", ""))
    except services.Refused as error:
        show_refusal(request, error)
        return redirect("orgs:member", pk=organisation.pk, membership_id=target.pk)
    if target.user_id == request.user.pk:
        messages.success(
            request,
            pick(get_language(), f"Du har gått ut av {organisation.name}.", f"You have left {organisation.name}."),
        )
        return redirect("orgs:mine")
    messages.success(request, pick(get_language(), "Personen er fjernet.", "The person has been removed."))
    return redirect("orgs:people", pk=organisation.pk)


@login_required
@require_POST
@organisation_page
def answer_request(request, organisation: Organisation, member: Membership | None, request_id: int):
    join_request = get_object_or_404(MembershipRequest, pk=request_id, organisation=organisation)
    require(permissions.can_manage_people(request.user, organisation))
    try:
        if request.POST.get("action") == "accept":
            form = forms.RolesForm(request.POST, prefix=f"request-{join_request.pk}")
            form.is_valid()
            data = form.cleaned_data
            services.accept_request(
                request.user,
                join_request.pk,
                can_sign=data.get("can_sign", False),
                is_admin=data.get("is_admin", False),
                title=data.get("title") or join_request.title,
            )
            messages.success(
                request, pick(get_language(), "Personen har fått tilgang.", "The person has been given access.")
            )
        else:
            services.decline_request(request.user, join_request.pk)
            messages.success(
                request, pick(get_language(), "Forespørselen er avslått.", "The request has been declined.")
            )
    except services.Refused as error:
        show_refusal(request, error)
    return redirect("orgs:people", pk=organisation.pk)


@login_required
@require_POST
@organisation_page
def revoke_invitation(request, organisation: Organisation, member: Membership | None, invitation_id: int):
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    require(permissions.can_manage_people(request.user, organisation))
    services.revoke_invitation(request.user, invitation.pk)
    messages.success(
        request, pick(get_language(), "Invitasjonen er trukket tilbake.", "The invitation has been withdrawn.")
    )
    return redirect("orgs:people", pk=organisation.pk)


def invitation(request, token: str):
    """The page the invitation e-mail links to. Access comes when the invited address logs in."""
    found = Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    if found is None:
        raise Http404("No such invitation.")
    user = request.user
    same_address = user.is_authenticated and user.email.lower() == found.email.lower()
    if request.method == "POST":
        if not same_address:
            raise Http404("No such invitation.")
        services.claim_invitations(user, tokens=[found.token])
        return redirect("orgs:profile", pk=found.organisation_id)
    if found.is_open():
        # Remember the link was opened here: signing up or logging in next claims it (signals.py).
        tokens = [token for token in request.session.get(INVITATION_TOKENS, []) if token != found.token]
        request.session[INVITATION_TOKENS] = [*tokens[-9:], found.token]
    here = request.get_full_path()
    context = {
        "invitation": found,
        "is_open": found.is_open(),
        "same_address": same_address,
        "signup_url": f"{services.SIGNUP_PATH}?{urlencode({'next': here})}",
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': here})}",
        "member": permissions.membership(user, found.organisation) if user.is_authenticated else None,
    }
    return render(request, "orgs/invitation.html", context)
