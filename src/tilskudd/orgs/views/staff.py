"""Grantor staff confirm (or turn down) the first person of a new organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.core.text import pick
from tilskudd.orgs import forms, permissions, services
from tilskudd.orgs.models import Membership, RoleProof
from tilskudd.orgs.services import role_proofs, staff_confirmation
from tilskudd.orgs.views.common import show_refusal, staff_required
from tilskudd.orgs.views.labels import applicant_type_label, organisation_facts, role_label
from tilskudd.rules.validators import format_org_number


def _registry_views(members) -> dict[int, staff_confirmation.RegistryView]:
    """What Enhetsregisteret says about each organisation, asked once per organisation; once the registry
    fails to answer, the rest are not asked (each would wait for the same timeout)."""
    views: dict[int, staff_confirmation.RegistryView] = {}
    for member in members:
        organisation = member.organisation
        if organisation.pk in views:
            continue
        if any(view.status == "unavailable" for view in views.values()):
            views[organisation.pk] = staff_confirmation.RegistryView("unavailable")
        else:
            views[organisation.pk] = staff_confirmation.registry_view(organisation)
    return views


@staff_required
def staff_confirmations(request):
    rows = []
    members = services.unconfirmed_memberships(request.user)
    registry = _registry_views(members)
    proofs: dict[int, list[RoleProof]] = {}
    for proof in RoleProof.objects.filter(membership__in=[member.pk for member in members]):
        proofs.setdefault(proof.membership_id, []).append(proof)
    for member in members:
        organisation = member.organisation
        view = registry[organisation.pk]
        rows.append(
            {
                "member": member,
                "organisation": organisation,
                "org_number": format_org_number(organisation.org_number),
                "role": role_label(member),
                "applicant_type": applicant_type_label(organisation.applicant_type),
                "facts": organisation_facts(organisation),
                "first": member.registered_organisation,
                "registry": view,
                "registry_roles": [
                    {"label": pick(get_language(), *role.label), "name": role.name} for role in view.roles.roles
                ]
                if view.roles is not None
                else [],
                "matches": [
                    pick(get_language(), *role.label).lower() for role in view.matches(member.user.get_full_name())
                ],
                "proofs": proofs.get(member.pk, []),
            }
        )
    return render(request, "orgs/staff_confirmations.html", {"rows": rows})


@staff_required
@require_POST
def staff_decision(request, membership_id: int):
    target = get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=membership_id)
    if not permissions.can_confirm_membership(request.user, target.organisation):
        raise Http404("No such membership.")
    form = forms.StaffDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, pick(get_language(), "Velg bekreft eller avvis.", "Choose confirm or reject."))
        return HttpResponseRedirect(reverse("orgs:staff_confirmations"))
    try:
        if form.cleaned_data["decision"] == "confirm_match":
            # The match is read again from the registry here, not taken from the form.
            found = staff_confirmation.registry_view(target.organisation).matches(target.user.get_full_name())
            if not found:
                messages.error(
                    request,
                    pick(
                        get_language(),
                        f"Enhetsregisteret bekrefter ikke lenger navnet {target.user.get_full_name()}. "
                        "Sammenlign med dokumentasjonen og bekreft eller avvis.",
                        f"Enhetsregisteret no longer confirms the name {target.user.get_full_name()}. "
                        "Compare with the documents and confirm or reject.",
                    ),
                )
                return HttpResponseRedirect(reverse("orgs:staff_confirmations"))
            kinds = tuple(dict.fromkeys(role.kind for role in found))
            services.confirm_membership(request.user, target.pk, registry_roles=kinds)
            messages.success(
                request,
                pick(
                    get_language(),
                    f"Tilgangen til {target.user.get_full_name()} i {target.organisation.name} er bekreftet "
                    "etter Enhetsregisteret.",
                    f"The access of {target.user.get_full_name()} to {target.organisation.name} is confirmed "
                    "from Enhetsregisteret.",
                ),
            )
        elif form.cleaned_data["decision"] == "confirm":
            services.confirm_membership(request.user, target.pk)
            messages.success(
                request,
                pick(
                    get_language(),
                    f"Tilgangen til {target.user.get_full_name()} i {target.organisation.name} er bekreftet.",
                    f"The access of {target.user.get_full_name()} to {target.organisation.name} is confirmed.",
                ),
            )
        else:
            services.reject_membership(request.user, target.pk, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                pick(
                    get_language(),
                    f"Tilgangen til {target.user.get_full_name()} i {target.organisation.name} er avvist.",
                    f"The access of {target.user.get_full_name()} to {target.organisation.name} is rejected.",
                ),
            )
    except services.Refused as error:
        show_refusal(request, error)
    return HttpResponseRedirect(reverse("orgs:staff_confirmations"))


@login_required
def role_proof(request, proof_id: int):
    """A proof of a role: for the person who uploaded it and the grantor staff who confirm; 404 for others."""
    proof = get_object_or_404(RoleProof.objects.select_related("membership__organisation"), pk=proof_id)
    if not role_proofs.can_read_role_proof(request.user, proof):
        raise Http404("No such document.")
    return FileResponse(
        proof.file.open("rb"), as_attachment=False, filename=proof.original_name, content_type=proof.content_type
    )
