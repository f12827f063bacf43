"""Grantor staff confirm (or turn down) the first person of a new organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.core.text import pick
from tilskudd.orgs import forms, permissions, services
from tilskudd.orgs.models import Membership
from tilskudd.orgs.views.common import show_refusal, staff_required
from tilskudd.orgs.views.labels import applicant_type_label, organisation_facts, role_label
from tilskudd.rules.validators import format_org_number


@staff_required
def staff_confirmations(request):
    rows = []
    for member in services.unconfirmed_memberships(request.user):
        organisation = member.organisation
        rows.append(
            {
                "member": member,
                "organisation": organisation,
                "org_number": format_org_number(organisation.org_number),
                "role": role_label(member),
                "applicant_type": applicant_type_label(organisation.applicant_type),
                "facts": organisation_facts(organisation),
                "first": member.registered_organisation,
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
        if form.cleaned_data["decision"] == "confirm":
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
