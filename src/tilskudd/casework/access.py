"""View helpers shared by the casework, assessment and grants pages.

* :func:`staff_view` — the person must be logged in (two-factor verified: the
  middleware sees to that for ``is_staff``) and hold a role at some grantor;
  others get a 403 page that says why.
* :func:`case_or_404` — a case outside the person's grantors answers 404 (its
  existence does not leak); inside, a missing role answers 403 with the reason.
* :func:`not_allowed` — the 403 page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from tilskudd.calls.presentation import pick as _pick_language
from tilskudd.casework import scope
from tilskudd.casework.models import ROLE_EN, Case, Role


class RoleMissing(Exception):
    """The person may see the case but lacks the role the action needs."""

    def __init__(self, *roles: str):
        self.roles = roles
        nb = " eller ".join(Role(r).label.lower() for r in roles)
        en = " or ".join(ROLE_EN[Role(r)].lower() for r in roles)
        self.reason_nb = f"Dette krever rollen {nb} hos tilskuddsforvalteren."
        self.reason_en = f"This needs the role {en} at the grantor."
        super().__init__(self.reason_en)


def pick(nb: str, en: str) -> str:
    """The bokmål text, or the English one when the page is in English."""
    return _pick_language(get_language(), nb, en)


def not_allowed(request, reason_nb: str, reason_en: str, status: int = 403):
    return render(
        request,
        "casework/not_allowed.html",
        {"reason_nb": reason_nb, "reason_en": reason_en},
        status=status,
    )


def staff_view(view):
    """Only grantor staff; a RoleMissing raised by the view becomes a 403 page with its reason."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not scope.is_grantor_staff(request.user):
            return not_allowed(
                request,
                "Denne siden er for saksbehandlere hos en tilskuddsforvalter.",
                "This page is for caseworkers at a grantor.",
            )
        try:
            return view(request, *args, **kwargs)
        except RoleMissing as missing:
            return not_allowed(request, missing.reason_nb, missing.reason_en)

    return wrapper


def case_or_404(user, case_id: int, *roles: str) -> Case:
    """The case, if ``user`` works for its grantor (else 404); RoleMissing if they lack all of ``roles``."""
    case = (
        Case.objects.select_related("application", "application__organisation", "application__call")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not scope.can_see_case(user, case):
        raise Http404("no such case")
    if roles and not scope.can_see_case(user, case, *roles):
        raise RoleMissing(*roles)
    return case


#: Roles that read every case of their grantor; an assessor reads only the cases assigned to them.
READING_ROLES = (Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR)


class NotAssignedToYou(RoleMissing):
    def __init__(self):
        super().__init__(*READING_ROLES)
        self.reason_nb = "Som fagvurderer ser du bare søknadene du er satt til å vurdere. Se «Mine vurderinger»."
        self.reason_en = (
            "As an assessor you see only the applications you are assigned to assess. See «My assessments»."
        )


def readable_case_or_404(user, case_id: int) -> Case:
    """The case for reading: its grantor's caseworkers, approvers and administrators, and assessors assigned to it
    who have not declared themselves disqualified (least privilege)."""
    from tilskudd.assessment.models import Assignment  # noqa: PLC0415 - assessment builds on casework

    case = case_or_404(user, case_id)
    if scope.can_see_case(user, case, *READING_ROLES):
        return case
    assigned = Assignment.objects.filter(application=case.application, assessor=user).exclude(disqualified=True)
    if assigned.exists():
        return case
    raise NotAssignedToYou()


def call_or_404(user, slug: str):
    """A call the person's grantors take part in (else 404)."""
    call = scope.calls(user).select_related("current_version").filter(slug=slug).first()
    if call is None:
        raise Http404("no such call")
    return call
