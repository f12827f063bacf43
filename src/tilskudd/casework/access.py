"""View helpers shared by the casework, assessment and grants pages.

* :func:`staff_view` — the person must be logged in (two-factor verified: the
  middleware sees to that for ``is_staff``) and hold a role at some grantor;
  others get a 403 page that says why, as does any refusal the view lets through
  (``tilskudd.core.views.refusals_as_pages``).
* :func:`case_or_404` — a case outside the person's grantors answers 404 (its
  existence does not leak); inside, a missing role answers 403 with the reason.
* :data:`CASE_READERS` — who else may read a case (assessment adds the assessors assigned to it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404

from tilskudd.calls.models import Call
from tilskudd.casework import scope
from tilskudd.casework.models import ROLE_EN, Case, Role
from tilskudd.core.permissions import ALLOWED, denied
from tilskudd.core.refusals import Refusal, require
from tilskudd.core.views import refusals_as_pages


class RoleMissing(Refusal):
    """The person may see the case but lacks the role the action needs (a 403)."""

    status = 403

    def __init__(self, *roles: str):
        self.roles = roles
        nb = " eller ".join(Role(r).label.lower() for r in roles)
        en = " or ".join(ROLE_EN[Role(r)].lower() for r in roles)
        super().__init__(
            f"Dette krever rollen {nb} hos tilskuddsforvalteren.", f"This needs the role {en} at the grantor."
        )


STAFF_ONLY = denied(
    "Denne siden er for saksbehandlere hos en tilskuddsforvalter.", "This page is for caseworkers at a grantor."
)


def staff_view(view):
    """Only grantor staff; a refusal the view lets through (RoleMissing …) becomes its page (core.views)."""

    @wraps(view)
    @login_required
    @refusals_as_pages
    def wrapper(request, *args, **kwargs):
        require(STAFF_ONLY if not scope.is_grantor_staff(request.user) else ALLOWED)
        return view(request, *args, **kwargs)

    return wrapper


def require_case(user, case: Case | None, not_found: Exception, *roles: str) -> Case:
    """``case`` if ``user`` works for its grantor, else ``not_found`` raised (a 404 in the caller's words: whoever
    may not see a case learns nothing of it); RoleMissing if they lack all of ``roles`` there."""
    if case is None or not scope.can_see_case(user, case):
        raise not_found
    if roles and not scope.can_see_case(user, case, *roles):
        raise RoleMissing(*roles)
    return case


def case_or_404(user, case_id: int, *roles: str) -> Case:
    """The case, if ``user`` works for its grantor (else 404); RoleMissing if they lack all of ``roles``."""
    case = (
        Case.objects.select_related("application", "application__organisation", "application__call")
        .filter(pk=case_id)
        .first()
    )
    return require_case(user, case, Http404("no such case"), *roles)


#: Roles that read every case of their grantor; an assessor reads only the cases assigned to them.
READING_ROLES = (Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR)


class NotAssignedToYou(RoleMissing):
    def __init__(self):
        super().__init__(*READING_ROLES)
        self.reason_nb = "Som fagvurderer ser du bare søknadene du er satt til å vurdere. Se «Mine vurderinger»."
        self.reason_en = (
            "As an assessor you see only the applications you are assigned to assess. See «My assessments»."
        )
        self.args = (self.reason_en,)


#: Who else may read a case although they hold none of :data:`READING_ROLES`: each ``reader(user, case)``
#: says yes or no. Apps above casework add theirs when they start (assessment: the assessors assigned to
#: the case who have not declared themselves disqualified), so that casework need not import them.
CASE_READERS: list[Callable[[Any, Case], bool]] = []


def add_case_reader(reader: Callable[[Any, Case], bool]) -> None:
    """Add a rule to :func:`readable_case_or_404` (called from an app's ``ready()``)."""
    if reader not in CASE_READERS:
        CASE_READERS.append(reader)


def readable_case_or_404(user, case_id: int) -> Case:
    """The case for reading: its grantor's caseworkers, approvers and administrators, and those a rule of
    :data:`CASE_READERS` lets in, such as the assessors assigned to it (least privilege)."""
    case = case_or_404(user, case_id)
    if scope.can_see_case(user, case, *READING_ROLES):
        return case
    if any(reader(user, case) for reader in CASE_READERS):
        return case
    raise NotAssignedToYou()


def call_or_404(user, slug: str):
    """A call the person's grantors take part in (else 404)."""
    call = Call.objects.select_related("current_version").filter(slug=slug).first()
    if call is None or not scope.takes_part(user, call):
        raise Http404("no such call")
    return call
