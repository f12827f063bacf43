"""The organisation's profile: its data, changing it, refreshing it from Enhetsregisteret."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.core.refusals import require
from tilskudd.core.text import pick
from tilskudd.orgs import brreg, forms, permissions, services
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.orgs.views.common import organisation_page, page_context
from tilskudd.orgs.views.labels import event_rows, facts, organisation_facts, role_label


@login_required
@organisation_page
def profile(request, organisation: Organisation, member: Membership | None):
    entity = None
    if organisation.registry_data:
        try:
            entity = brreg.parse_entity(organisation.registry_data)
        except ValueError:
            entity = None
    context = page_context(
        organisation,
        member,
        "profile",
        facts=organisation_facts(organisation),
        registry_entity=entity,
        can_edit=permissions.can_edit_organisation(request.user, organisation),
        events=event_rows(organisation) if member is not None or request.user.is_staff else [],
        role=role_label(member) if member else "",
    )
    return render(request, "orgs/profile.html", context)


@login_required
@organisation_page
def edit(request, organisation: Organisation, member: Membership | None):
    require(permissions.can_edit_organisation(request.user, organisation))
    locked = services.registry_locked_fields(organisation)
    initial = {name: getattr(organisation, name) for name in services.DETAIL_FIELDS}
    form = forms.OrganisationDetailsForm(
        request.POST or None, locked=locked, initial=initial, applicant_type=organisation.applicant_type
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(request.user, organisation.pk, form.details())
        except services.Refused as error:
            refusal = error
        else:
            messages.success(request, pick(get_language(), "Opplysningene er lagret.", "The details have been saved."))
            return redirect("orgs:profile", pk=organisation.pk)
    locked_facts = [(label, value) for names, label, value in facts(organisation) if locked.intersection(names)]
    return render(
        request,
        "orgs/edit.html",
        page_context(organisation, member, "profile", form=form, locked_facts=locked_facts, refusal=refusal),
    )


@login_required
@require_POST
@organisation_page
def refresh(request, organisation: Organisation, member: Membership | None):
    require(permissions.can_edit_organisation(request.user, organisation))
    try:
        outcome = services.refresh_from_registry(request.user, organisation.pk)
    except brreg.RegistryUnavailable:
        messages.error(
            request,
            pick(
                get_language(),
                "Vi fikk ikke kontakt med Enhetsregisteret akkurat nå. Prøv igjen senere.",
                "We could not reach Enhetsregisteret just now. Try again later.",
            ),
        )
    else:
        if outcome.deleted:
            messages.warning(
                request,
                pick(
                    get_language(),
                    "Enhetsregisteret sier at organisasjonen er slettet. Opplysningene er ikke bekreftet.",
                    "Enhetsregisteret says the organisation has been deleted. The details are not confirmed.",
                ),
            )
        elif not outcome.found:
            messages.warning(
                request,
                pick(
                    get_language(),
                    "Enhetsregisteret kjenner ikke organisasjonsnummeret. Opplysningene er ikke bekreftet.",
                    "Enhetsregisteret does not know the organisation number. The details are not confirmed.",
                ),
            )
        elif outcome.changed:
            messages.success(
                request,
                pick(
                    get_language(),
                    "Opplysningene er oppdatert fra Enhetsregisteret.",
                    "The details were updated from Enhetsregisteret.",
                ),
            )
        else:
            messages.success(
                request,
                pick(
                    get_language(),
                    "Opplysningene stemmer med Enhetsregisteret.",
                    "The details match Enhetsregisteret.",
                ),
            )
    return redirect("orgs:profile", pk=organisation.pk)
