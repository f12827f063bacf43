"""Registering an organisation (looked up in Enhetsregisteret) and asking to join one already registered."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.core.text import pick
from tilskudd.orgs import brreg, forms, permissions, services
from tilskudd.orgs.models import MembershipRequest, Organisation
from tilskudd.orgs.views.common import SESSION_KEY
from tilskudd.orgs.views.labels import registry_facts
from tilskudd.rules.validators import format_org_number


def _registry_state(request, org_number: str) -> dict:
    """Ask Enhetsregisteret once per registration and keep the answer in the session (not in the form)."""
    state = request.session.get(SESSION_KEY)
    if state and state.get("org_number") == org_number:
        return state
    checked_at = timezone.now()
    try:
        entity = brreg.lookup(org_number)
    except brreg.RegistryUnavailable:
        status, data = "unavailable", None
    else:
        if entity is None:
            status, data = "not_found", None
        else:
            status, data = ("deleted" if entity.deleted_on else "found"), entity.raw
    state = {"org_number": org_number, "status": status, "data": data, "checked_at": checked_at.isoformat()}
    request.session[SESSION_KEY] = state
    return state


@login_required
def register_start(request):
    form = forms.OrgNumberForm(request.POST or None, initial={"org_number": request.GET.get("org_number", "")})
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["org_number"]
        existing = Organisation.objects.filter(org_number=number).first()
        if existing is not None:
            if permissions.membership(request.user, existing) is not None:
                messages.info(
                    request,
                    pick(
                        get_language(), "Du er allerede med i organisasjonen.", "You are already in the organisation."
                    ),
                )
                return redirect("orgs:profile", pk=existing.pk)
            if existing.memberships.filter(removed_at__isnull=True).exists():
                return redirect("orgs:join", org_number=number)
        request.session.pop(SESSION_KEY, None)
        _registry_state(request, number)
        return redirect("orgs:register_details", org_number=number)
    return render(request, "orgs/register_start.html", {"form": form})


@login_required
def register_details(request, org_number: str):
    start = forms.OrgNumberForm({"org_number": org_number})
    if not start.is_valid():
        raise Http404("Not a valid organisation number.")
    number = start.cleaned_data["org_number"]
    existing = Organisation.objects.filter(org_number=number).first()
    if existing is not None and existing.memberships.filter(removed_at__isnull=True).exists():
        if permissions.membership(request.user, existing) is not None:
            return redirect("orgs:profile", pk=existing.pk)
        return redirect("orgs:join", org_number=number)
    state = _registry_state(request, number)
    entity = brreg.parse_entity(state["data"]) if state.get("data") else None
    found = state["status"] == "found" and entity is not None
    locked = set(entity.organisation_fields()) if found else set()
    applicant_type = entity.applicant_type.value if found and entity.applicant_type else None
    form = forms.RegistrationForm(
        request.POST or None,
        locked=locked,
        applicant_type=applicant_type,
        initial={"county": entity.county} if entity is not None and entity.county else None,
    )
    refusal = None
    if request.method == "POST" and state["status"] != "deleted" and form.is_valid():
        try:
            member = services.register_organisation(
                request.user,
                number,
                form.details(),
                title=form.title,
                registry=entity if found else None,
                # «Checked» only when the registry answered (found or not); not when it could not be reached.
                registry_checked_at=dt.datetime.fromisoformat(state["checked_at"])
                if state["status"] != "unavailable"
                else None,
            )
        except services.AlreadyRegistered:
            request.session.pop(SESSION_KEY, None)
            return redirect("orgs:join", org_number=number)
        except services.Refused as error:
            refusal = error
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                pick(
                    get_language(),
                    "Organisasjonen er registrert. Du kan begynne på søknader nå. Før du kan sende inn, "
                    "må tilskuddsforvalteren bekrefte tilgangen din.",
                    "The organisation is registered. You can start on applications now. Before you can submit, "
                    "the grantor must confirm your access.",
                ),
            )
            return redirect("orgs:profile", pk=member.organisation_id)
    context = {
        "form": form,
        "org_number": number,
        "org_number_formatted": format_org_number(number),
        "status": state["status"],
        "entity": entity,
        "registry_facts": registry_facts(entity) if entity is not None else [],
        "refusal": refusal,
    }
    return render(request, "orgs/register_details.html", context)


@login_required
def join(request, org_number: str):
    organisation = get_object_or_404(Organisation, org_number=org_number)
    if permissions.membership(request.user, organisation) is not None:
        return redirect("orgs:profile", pk=organisation.pk)
    if not organisation.memberships.filter(removed_at__isnull=True).exists():
        # Nobody left to answer a request (grantor staff turned the first person down): register it afresh.
        return redirect("orgs:register_details", org_number=organisation.org_number)
    form = forms.JoinRequestForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.request_membership(
                request.user, organisation, title=form.cleaned_data["title"], message=form.cleaned_data["message"]
            )
        except services.Refused as error:
            refusal = error
        else:
            messages.success(
                request,
                pick(
                    get_language(),
                    f"Forespørselen er sendt til administratorene i {organisation.name}.",
                    f"The request has been sent to the administrators of {organisation.name}.",
                ),
            )
            return redirect("orgs:mine")
    pending = MembershipRequest.objects.filter(
        user=request.user, organisation=organisation, status=MembershipRequest.Decision.PENDING
    ).exists()
    context = {
        "organisation": organisation,
        "org_number_formatted": format_org_number(organisation.org_number),
        "form": form,
        "pending": pending,
        "refusal": refusal,
    }
    return render(request, "orgs/join.html", context)
