"""Pages for organisations, people, delegations and grantor staff's confirmations.

Thin views over :mod:`tilskudd.orgs.services`. A person outside an
organisation gets 404 for its pages (its existence does not leak); a member
who may not do something gets 403 with the reason in plain words.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tilskudd.audit.services import Audience, AuditAction, history
from tilskudd.calls.presentation import pick
from tilskudd.orgs import brreg, forms, permissions, services
from tilskudd.orgs.brreg import ORG_FORM_NAMES
from tilskudd.orgs.models import Delegation, Invitation, Membership, MembershipRequest, Organisation, Role
from tilskudd.orgs.signals import INVITATION_TOKENS
from tilskudd.rules.messages import APPLICANT_TYPE_NAMES
from tilskudd.rules.reference import county_name
from tilskudd.rules.validators import format_bank_account, format_org_number

SESSION_KEY = "orgs.registration"


def t(nb: str, en: str) -> str:
    return pick(get_language(), nb, en)


def _not_allowed(request, permission, organisation=None, member=None):
    context = {"permission": permission, "organisation": organisation, "member": member}
    if organisation is not None:
        context["org_number_formatted"] = format_org_number(organisation.org_number)
    return render(request, "orgs/not_allowed.html", context, status=403)


def _organisation(request, pk: int) -> tuple[Organisation, Membership | None]:
    """The organisation, if the person may see it; else 404."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_view_organisation(request.user, organisation):
        raise Http404("No such organisation.")
    return organisation, permissions.membership(request.user, organisation)


def _context(organisation: Organisation, member: Membership | None, section: str, **extra) -> dict:
    return {
        "organisation": organisation,
        "member": member,
        "section": section,
        "org_number_formatted": format_org_number(organisation.org_number),
        **extra,
    }


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        allowed = permissions.can_confirm_memberships(request.user)
        if not allowed:
            return _not_allowed(request, allowed)
        return view(request, *args, **kwargs)

    return wrapper


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _refused(request, error: services.Refused) -> None:
    messages.error(request, t(error.reason_nb, error.reason_en))


# --- plain words for what is stored ---------------------------------------------------


def applicant_type_label(value: str) -> str:
    nb, en = APPLICANT_TYPE_NAMES.get(value, (value, value))
    return t(nb, en).capitalize() if value else ""


def org_form_label(code: str) -> str:
    if not code:
        return ""
    nb, en = ORG_FORM_NAMES.get(code, (code, code))
    return f"{t(nb, en)} ({code})" if code in ORG_FORM_NAMES else code


def role_label(member) -> str:
    """«Signaturberettiget og administrator», «Administrator», «Medlem»."""
    parts = []
    if member.role == Role.SIGNATORY:
        parts.append(t("Signaturberettiget", "Signatory"))
    if member.role == Role.ADMINISTRATOR or (member.role == Role.SIGNATORY and member.administers):
        parts.append(t("administrator", "administrator") if parts else t("Administrator", "Administrator"))
    if not parts:
        parts.append(t("Medlem", "Member"))
    return t(" og ", " and ").join(parts)


def _yes_no(value: bool) -> str:
    return t("Ja", "Yes") if value else t("Nei", "No")


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _counties(codes) -> str:
    return ", ".join(county_name(code) for code in codes) if codes else t("Ingen", "None")


def _facts(organisation: Organisation) -> list[tuple[tuple[str, ...], str, str]]:
    """(the fields behind it, label, value) for each row of the profile."""
    rows = [
        (("name",), t("Navn", "Name"), organisation.name),
        (("org_number",), t("Organisasjonsnummer", "Organisation number"), format_org_number(organisation.org_number)),
        (("applicant_type",), t("Type søker", "Type of applicant"), applicant_type_label(organisation.applicant_type)),
        (("org_form",), t("Organisasjonsform", "Organisation form"), org_form_label(organisation.org_form)),
        (
            ("address", "postal_code", "city"),
            t("Adresse", "Address"),
            ", ".join(
                part
                for part in (organisation.address, f"{organisation.postal_code} {organisation.city}".strip())
                if part
            ),
        ),
        (("municipality_number",), t("Kommunenummer", "Municipality number"), organisation.municipality_number),
        (("county",), t("Fylke", "County"), county_name(organisation.county) if organisation.county else ""),
        (("founded_on",), t("Stiftelsesdato", "Date founded"), _date(organisation.founded_on)),
        (
            ("voluntary_registered", "voluntary_registered_on"),
            t("Registrert i Frivillighetsregisteret", "Registered in Frivillighetsregisteret"),
            _yes_no(organisation.voluntary_registered)
            + (
                t(
                    f", fra {_date(organisation.voluntary_registered_on)}",
                    f", since {_date(organisation.voluntary_registered_on)}",
                )
                if organisation.voluntary_registered_on
                else ""
            ),
        ),
        (("bank_account",), t("Kontonummer", "Bank account number"), format_bank_account(organisation.bank_account)),
        (("phone",), t("Telefon", "Phone"), organisation.phone),
        (("email",), t("E-post", "E-mail"), organisation.email),
        (
            ("counties_activity",),
            t("Fylker med hovedaktivitet", "Counties with main activity"),
            _counties(organisation.counties_activity),
        ),
        (
            ("counties_members",),
            t("Fylker med medlemmer", "Counties with members"),
            _counties(organisation.counties_members),
        ),
        (
            ("counties_branches",),
            t("Fylker med regionale eller lokale ledd", "Counties with branches"),
            _counties(organisation.counties_branches),
        ),
    ]
    if organisation.applicant_type in forms.OrganisationDetailsForm.PUBLIC_BODIES:
        voluntary = set(forms.OrganisationDetailsForm.VOLUNTARY_FIELDS)
        rows = [row for row in rows if not voluntary.intersection(row[0])]
    return [(names, label, value or t("Ikke oppgitt", "Not given")) for names, label, value in rows]


def organisation_facts(organisation: Organisation) -> list[tuple[str, str]]:
    """(label, value) for the profile page, in plain words."""
    return [(label, value) for _, label, value in _facts(organisation)]


def registry_facts(entity: brreg.RegistryEntity) -> list[tuple[str, str]]:
    address = entity.address
    facts = [
        (t("Navn", "Name"), entity.name),
        (t("Organisasjonsform", "Organisation form"), org_form_label(entity.org_form) or entity.org_form_description),
        (
            t("Type søker", "Type of applicant"),
            applicant_type_label(entity.applicant_type.value) if entity.applicant_type else "",
        ),
        (
            t("Adresse", "Address"),
            ", ".join(p for p in (address.street, f"{address.postal_code} {address.city}".strip()) if p),
        ),
        (t("Kommunenummer", "Municipality number"), address.municipality_number),
        (t("Fylke", "County"), county_name(entity.county) if entity.county else ""),
        (t("Stiftelsesdato", "Date founded"), _date(entity.founded_on)),
        (
            t("Registrert i Frivillighetsregisteret", "Registered in Frivillighetsregisteret"),
            t("Ja", "Yes") if entity.voluntary_registered else "",
        ),
    ]
    return [(label, value) for label, value in facts if value]


EVENT_LABELS = {
    AuditAction.ORGANISATION_REGISTERED: ("Organisasjonen ble registrert", "The organisation was registered"),
    AuditAction.ORGANISATION_RECLAIMED: (
        "Organisasjonen ble registrert på nytt",
        "The organisation was registered again",
    ),
    AuditAction.ORGANISATION_UPDATED: ("Opplysningene ble endret", "The details were changed"),
    AuditAction.ORGANISATION_REGISTRY_REFRESHED: ("Oppdatert fra Enhetsregisteret", "Updated from Enhetsregisteret"),
    AuditAction.ORGANISATION_REGISTRY_NOT_FOUND: ("Ikke funnet i Enhetsregisteret", "Not found in Enhetsregisteret"),
    AuditAction.ORGANISATION_REGISTRY_DELETED: ("Slettet i Enhetsregisteret", "Deleted in Enhetsregisteret"),
    AuditAction.MEMBERSHIP_CREATED: ("Første person registrert", "First person registered"),
    AuditAction.MEMBERSHIP_REQUESTED: ("Forespørsel om tilgang", "Request to join"),
    AuditAction.MEMBERSHIP_REQUEST_ACCEPTED: ("Forespørsel godtatt", "Request accepted"),
    AuditAction.MEMBERSHIP_REQUEST_DECLINED: ("Forespørsel avslått", "Request declined"),
    AuditAction.MEMBERSHIP_ADDED: ("Person lagt til", "Person added"),
    AuditAction.MEMBERSHIP_ROLE_CHANGED: ("Rolle endret", "Role changed"),
    AuditAction.MEMBERSHIP_REMOVED: ("Person fjernet", "Person removed"),
    AuditAction.MEMBERSHIP_LEFT: ("Person gikk ut", "Person left"),
    AuditAction.MEMBERSHIP_CONFIRMED: ("Tilgang bekreftet av tilskuddsforvalteren", "Access confirmed by the grantor"),
    AuditAction.MEMBERSHIP_REJECTED: ("Tilgang avvist av tilskuddsforvalteren", "Access rejected by the grantor"),
    AuditAction.INVITATION_SENT: ("Invitasjon sendt", "Invitation sent"),
    AuditAction.INVITATION_CLAIMED: ("Invitasjon tatt imot", "Invitation accepted"),
    AuditAction.INVITATION_REVOKED: ("Invitasjon trukket tilbake", "Invitation withdrawn"),
    AuditAction.DELEGATION_GRANTED: ("Fullmakt gitt", "Delegation granted"),
    AuditAction.DELEGATION_REVOKED: ("Fullmakt trukket tilbake", "Delegation revoked"),
}


def _event_rows(organisation: Organisation, limit: int = 30):
    rows = []
    for event in history(organisation, audience=Audience.APPLICANT).order_by("-at", "-id")[:limit]:
        label = EVENT_LABELS.get(event.action)
        data = event.data or {}
        who = data.get("user") or data.get("email") or data.get("delegate") or ""
        rows.append(
            {
                "at": timezone.localtime(event.at),
                "what": t(*label) if label else event.action,
                "about": who,
                "actor": event.actor.get_full_name() if event.actor else t("Systemet", "The system"),
                "reason": event.reason,
            }
        )
    return rows


# --- my organisations ------------------------------------------------------------------


@login_required
def my_organisations(request):
    memberships = (
        Membership.objects.filter(user=request.user, removed_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    pending = MembershipRequest.objects.filter(
        user=request.user, status=MembershipRequest.Decision.PENDING
    ).select_related("organisation")
    rows = [{"member": member, "role": role_label(member)} for member in memberships]
    return render(request, "orgs/my_organisations.html", {"rows": rows, "pending": pending})


# --- registering --------------------------------------------------------------------------


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
                    request, t("Du er allerede med i organisasjonen.", "You are already in the organisation.")
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
                t(
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
                t(
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


# --- the organisation's profile ----------------------------------------------------------


@login_required
def profile(request, pk: int):
    organisation, member = _organisation(request, pk)
    entity = None
    if organisation.registry_data:
        try:
            entity = brreg.parse_entity(organisation.registry_data)
        except ValueError:
            entity = None
    context = _context(
        organisation,
        member,
        "profile",
        facts=organisation_facts(organisation),
        registry_entity=entity,
        can_edit=permissions.can_edit_organisation(request.user, organisation),
        events=_event_rows(organisation) if member is not None or request.user.is_staff else [],
        role=role_label(member) if member else "",
    )
    return render(request, "orgs/profile.html", context)


@login_required
def edit(request, pk: int):
    organisation, member = _organisation(request, pk)
    allowed = permissions.can_edit_organisation(request.user, organisation)
    if not allowed:
        return _not_allowed(request, allowed, organisation, member)
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
            messages.success(request, t("Opplysningene er lagret.", "The details have been saved."))
            return redirect("orgs:profile", pk=organisation.pk)
    locked_facts = [(label, value) for names, label, value in _facts(organisation) if locked.intersection(names)]
    return render(
        request,
        "orgs/edit.html",
        _context(organisation, member, "profile", form=form, locked_facts=locked_facts, refusal=refusal),
    )


@login_required
@require_POST
def refresh(request, pk: int):
    organisation, member = _organisation(request, pk)
    allowed = permissions.can_edit_organisation(request.user, organisation)
    if not allowed:
        return _not_allowed(request, allowed, organisation, member)
    try:
        outcome = services.refresh_from_registry(request.user, organisation.pk)
    except brreg.RegistryUnavailable:
        messages.error(
            request,
            t(
                "Vi fikk ikke kontakt med Enhetsregisteret akkurat nå. Prøv igjen senere.",
                "We could not reach Enhetsregisteret just now. Try again later.",
            ),
        )
    else:
        if outcome.deleted:
            messages.warning(
                request,
                t(
                    "Enhetsregisteret sier at organisasjonen er slettet. Opplysningene er ikke bekreftet.",
                    "Enhetsregisteret says the organisation has been deleted. The details are not confirmed.",
                ),
            )
        elif not outcome.found:
            messages.warning(
                request,
                t(
                    "Enhetsregisteret kjenner ikke organisasjonsnummeret. Opplysningene er ikke bekreftet.",
                    "Enhetsregisteret does not know the organisation number. The details are not confirmed.",
                ),
            )
        elif outcome.changed:
            messages.success(
                request,
                t(
                    "Opplysningene er oppdatert fra Enhetsregisteret.",
                    "The details were updated from Enhetsregisteret.",
                ),
            )
        else:
            messages.success(
                request,
                t(
                    "Opplysningene stemmer med Enhetsregisteret.",
                    "The details match Enhetsregisteret.",
                ),
            )
    return redirect("orgs:profile", pk=organisation.pk)


# --- people and roles -----------------------------------------------------------------


@login_required
def people(request, pk: int):
    organisation, member = _organisation(request, pk)
    manage = permissions.can_manage_people(request.user, organisation)
    invite_form = forms.InviteForm(request.POST or None, prefix="invite")
    refusal = None
    if request.method == "POST":
        if not manage:
            return _not_allowed(request, manage, organisation, member)
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
                    site_url=_site_url(request),
                )
            except services.Refused as error:
                refusal = error
            else:
                # Always an invitation: nobody is added before they follow the link (services.invite).
                messages.success(
                    request,
                    t(
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
    context = _context(
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
def member_detail(request, pk: int, membership_id: int):
    organisation, member = _organisation(request, pk)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, organisation=organisation, removed_at__isnull=True
    )
    allowed = permissions.can_change_member(request.user, target)
    removable = permissions.can_remove_member(request.user, target)
    if not allowed and not removable:
        return _not_allowed(request, allowed, organisation, member)
    summary = services.role_summary(target.role, target.administers)
    form = forms.RolesForm(request.POST or None, initial={**summary, "title": target.title})
    refusal = None
    if request.method == "POST":
        if not allowed:
            return _not_allowed(request, allowed, organisation, member)
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
                messages.success(request, t("Rollen er endret.", "The role has been changed."))
                return redirect("orgs:people", pk=organisation.pk)
    context = _context(
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
def remove_member(request, pk: int, membership_id: int):
    organisation, member = _organisation(request, pk)
    target = get_object_or_404(Membership, pk=membership_id, organisation=organisation, removed_at__isnull=True)
    allowed = permissions.can_remove_member(request.user, target)
    if not allowed:
        return _not_allowed(request, allowed, organisation, member)
    form = forms.ReasonForm(request.POST, prefix="remove")
    form.is_valid()
    try:
        services.remove_member(request.user, target.pk, reason=form.cleaned_data.get("reason", ""))
    except services.Refused as error:
        _refused(request, error)
        return redirect("orgs:member", pk=organisation.pk, membership_id=target.pk)
    if target.user_id == request.user.pk:
        messages.success(request, t(f"Du har gått ut av {organisation.name}.", f"You have left {organisation.name}."))
        return redirect("orgs:mine")
    messages.success(request, t("Personen er fjernet.", "The person has been removed."))
    return redirect("orgs:people", pk=organisation.pk)


@login_required
@require_POST
def answer_request(request, pk: int, request_id: int):
    organisation, member = _organisation(request, pk)
    join_request = get_object_or_404(MembershipRequest, pk=request_id, organisation=organisation)
    allowed = permissions.can_manage_people(request.user, organisation)
    if not allowed:
        return _not_allowed(request, allowed, organisation, member)
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
            messages.success(request, t("Personen har fått tilgang.", "The person has been given access."))
        else:
            services.decline_request(request.user, join_request.pk)
            messages.success(request, t("Forespørselen er avslått.", "The request has been declined."))
    except services.Refused as error:
        _refused(request, error)
    return redirect("orgs:people", pk=organisation.pk)


@login_required
@require_POST
def revoke_invitation(request, pk: int, invitation_id: int):
    organisation, member = _organisation(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    allowed = permissions.can_manage_people(request.user, organisation)
    if not allowed:
        return _not_allowed(request, allowed, organisation, member)
    services.revoke_invitation(request.user, invitation.pk)
    messages.success(request, t("Invitasjonen er trukket tilbake.", "The invitation has been withdrawn."))
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


# --- delegation (fullmakt) -------------------------------------------------------------


@login_required
def delegations(request, pk: int):
    organisation, member = _organisation(request, pk)
    allowed = permissions.can_delegate(request.user, organisation)
    form = forms.DelegationForm(request.POST or None, organisation=organisation, granted_by=request.user)
    refusal = None
    if request.method == "POST":
        if not allowed:
            return _not_allowed(request, allowed, organisation, member)
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
                messages.success(request, t("Fullmakten er gitt.", "The delegation has been granted."))
                return redirect("orgs:delegations", pk=organisation.pk)
    today = timezone.localdate()
    rows = {"active": [], "expired": [], "revoked": []}
    for delegation in organisation.delegations.select_related("granted_by", "delegate", "call", "revoked_by"):
        rows[delegation.status(today)].append(
            {
                "delegation": delegation,
                "call": t(delegation.call.title_nb, delegation.call.title_en or delegation.call.title_nb)
                if delegation.call
                else t("Alle utlysninger", "All calls"),
                "can_revoke": permissions.can_revoke_delegation(request.user, delegation)
                if delegation.revoked_at is None and member is not None
                else None,
            }
        )
    context = _context(
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
def revoke_delegation(request, pk: int, delegation_id: int):
    organisation, member = _organisation(request, pk)
    delegation = get_object_or_404(Delegation, pk=delegation_id, organisation=organisation)
    allowed = permissions.can_revoke_delegation(request.user, delegation)
    if not allowed:
        return _not_allowed(request, allowed, organisation, member)
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    services.revoke_delegation(request.user, delegation.pk, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, t("Fullmakten er trukket tilbake.", "The delegation has been revoked."))
    return redirect("orgs:delegations", pk=organisation.pk)


# --- grantor staff ----------------------------------------------------------------------


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
        messages.error(request, t("Velg bekreft eller avvis.", "Choose confirm or reject."))
        return HttpResponseRedirect(reverse("orgs:staff_confirmations"))
    try:
        if form.cleaned_data["decision"] == "confirm":
            services.confirm_membership(request.user, target.pk)
            messages.success(
                request,
                t(
                    f"Tilgangen til {target.user.get_full_name()} i {target.organisation.name} er bekreftet.",
                    f"The access of {target.user.get_full_name()} to {target.organisation.name} is confirmed.",
                ),
            )
        else:
            services.reject_membership(request.user, target.pk, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                t(
                    f"Tilgangen til {target.user.get_full_name()} i {target.organisation.name} er avvist.",
                    f"The access of {target.user.get_full_name()} to {target.organisation.name} is rejected.",
                ),
            )
    except services.Refused as error:
        _refused(request, error)
    return HttpResponseRedirect(reverse("orgs:staff_confirmations"))
