"""What every organisation page uses: the organisation or 404, the 403 page with the reason, the page context."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from tilskudd.core.refusals import NotAllowed
from tilskudd.core.text import pick
from tilskudd.core.views import refused_page
from tilskudd.orgs import permissions, services
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.rules.validators import format_org_number

SESSION_KEY = "orgs.registration"


def not_allowed(request, permission, organisation=None, member=None):
    """The 403 page with the reason; on an organisation's pages, with the organisation's navigation."""
    context = {"organisation": organisation, "member": member}
    if organisation is not None:
        context["org_number_formatted"] = format_org_number(organisation.org_number)
    return refused_page(
        request, permission.reason_nb, permission.reason_en, template="orgs/not_allowed.html", **context
    )


def organisation_or_404(request, pk: int) -> tuple[Organisation, Membership | None]:
    """The organisation, if the person may see it; else 404."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_view_organisation(request.user, organisation):
        raise Http404("No such organisation.")
    return organisation, permissions.membership(request.user, organisation)


def organisation_page(view):
    """A view of one organisation's pages, called with the organisation (404 unless the person may see it)
    and the person's membership there; a permission the view ``require``s and is denied becomes the 403
    page with the organisation's navigation."""

    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        organisation, member = organisation_or_404(request, pk)
        try:
            return view(request, organisation, member, *args, **kwargs)
        except NotAllowed as refusal:
            return not_allowed(request, refusal.permission, organisation, member)

    return wrapper


def page_context(organisation: Organisation, member: Membership | None, section: str, **extra) -> dict:
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
            return not_allowed(request, allowed)
        return view(request, *args, **kwargs)

    return wrapper


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def show_refusal(request, error: services.Refused) -> None:
    messages.error(request, pick(get_language(), error.reason_nb, error.reason_en))
