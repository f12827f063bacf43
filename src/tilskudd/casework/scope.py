"""Who among the grantor's staff may see and do what (least privilege).

A person sees only the cases of the grantors they hold a role at: IMDi's staff
IMDi's cases (every call IMDi runs, and C2 applications addressed to IMDi), a
municipality's staff only the C2 applications addressed to that municipality.
Every casework view and service asks here; nothing else decides scope.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tilskudd.applications.models import Application
from tilskudd.calls.models import Call
from tilskudd.casework.models import Case, Role, StaffRole
from tilskudd.core.remembered import Remembered


def roles(user) -> QuerySet[StaffRole]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return StaffRole.objects.none()
    return StaffRole.objects.filter(user=user, removed_at__isnull=True).select_related("grantor")


#: Each person's current (role, grantor's organisation number) pairs, read once inside a block (every request is one:
#: core.remembered); a role written or removed is forgotten at once (:func:`remember_roles_per_request`), so a check
#: after the change reads the change.
_HELD: Remembered[frozenset[tuple[str, str]]] = Remembered("staff_roles_remembered")


def remember_roles_per_request() -> None:
    """A person's roles read once a request, and again after a role is written (called from apps.py)."""
    _HELD.per_request(StaffRole)


def _held(user) -> frozenset[tuple[str, str]]:
    """(role, grantor's organisation number) of every role ``user`` holds now; none for an inactive account."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return _HELD.get(user.pk, lambda: frozenset(roles(user).values_list("role", "grantor__org_number")))


def grantor_numbers(user, *wanted: str) -> set[str]:
    """Organisation numbers of the grantors where ``user`` holds any of ``wanted`` roles (any role if none given)."""
    return {number for role, number in _held(user) if not wanted or role in wanted}


def is_grantor_staff(user) -> bool:
    return bool(_held(user))


def has_role(user, grantor_org_number: str, *wanted: str) -> bool:
    return grantor_org_number in grantor_numbers(user, *wanted)


def cases(user, *wanted: str) -> QuerySet[Case]:
    """The cases ``user`` may see (in any of ``wanted`` roles, any role if none given)."""
    return Case.objects.filter(grantor_org_number__in=grantor_numbers(user, *wanted)).select_related(
        "application", "application__organisation", "application__call"
    )


def can_see_case(user, case: Case, *wanted: str) -> bool:
    return has_role(user, case.grantor_org_number, *wanted)


def calls(user):
    """The calls ``user``'s grantors run: as the call's grantor, or as one of its local grantors (C2)."""
    numbers = grantor_numbers(user)
    if not numbers:
        return Call.objects.none()
    local = [
        call.pk for call in Call.objects.exclude(grantor_org_number__in=numbers) if call_grantors_of(call) & numbers
    ]
    by_case = Q(pk__in=Case.objects.filter(grantor_org_number__in=numbers).values("application__call"))
    return Call.objects.filter(Q(grantor_org_number__in=numbers) | Q(pk__in=local) | by_case).distinct()


def takes_part(user, call) -> bool:
    """Whether ``call`` is among :func:`calls` of ``user``, asked of that one call: its own definition read, not
    every other call's (each casework page asks it; issue #14, point 4)."""
    numbers = grantor_numbers(user)
    if not numbers:
        return False
    if call.grantor_org_number in numbers or call_grantors_of(call) & numbers:
        return True
    return Case.objects.filter(grantor_org_number__in=numbers, application__call=call).exists()


def call_grantors_of(call) -> set[str]:
    """Every grantor that takes part in ``call``: its own and its local grantors (C2-R02)."""
    return call.definition.grantor_org_numbers() if call.current_version_id else {call.grantor_org_number}


def call_grantors(user, call) -> set[str]:
    """The grantors ``user`` works for that take part in ``call``."""
    return grantor_numbers(user) & call_grantors_of(call)


ALL_ROLES = tuple(Role.values)

#: The roles that work cases and may therefore read and confirm applicant organisations.
ORGANISATION_ROLES = (Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR)


def local_grantor_numbers() -> set[str]:
    """Grantors that take part in some call only as a local grantor (C2's municipalities)."""
    numbers: set[str] = set()
    for call in Call.objects.filter(current_version__isnull=False):
        numbers |= call_grantors_of(call) - {call.grantor_org_number}
    own = set(Call.objects.values_list("grantor_org_number", flat=True))
    return numbers - own


def grantor_of(application: Application) -> tuple[str, str]:
    """(org number, name) of the grantor that handles ``application``: the one chosen (C2-R02) or the call's."""
    definition = application.call_version.parsed()
    chosen = (application.submitted_content or {}).get("grantor") or (application.content or {}).get("grantor")
    if chosen and definition.local_grantors:
        for grantor in definition.local_grantors.municipalities:
            if grantor.org_number == chosen:
                return grantor.org_number, grantor.name.nb
    return definition.grantor.org_number, definition.grantor.name.nb


def organisation_grantors(organisation) -> set[str] | None:
    """The grantors an applicant organisation applies to; ``None``: none yet, so the national grantors.

    A case's grantor counts once submitted; a draft counts with the grantor it is addressed to
    (C2-R02: the municipality chosen, else the call's grantor).
    """
    numbers = set(
        Case.objects.filter(application__organisation=organisation).values_list("grantor_org_number", flat=True)
    )
    drafts = Application.objects.filter(organisation=organisation, case__isnull=True).select_related("call_version")
    for application in drafts:
        numbers.add(grantor_of(application)[0])
    return numbers or None


def can_read_organisation(user, organisation) -> bool:
    """Grantor staff who work cases read (and confirm people of) the organisations that apply to their grantor.

    An organisation that has applied to nobody yet belongs to the national grantors (IMDi): every
    grantor that is not only a municipality's local grantor. A municipality's staff see only the
    organisations that apply to that municipality (least privilege).
    """
    mine = grantor_numbers(user, *ORGANISATION_ROLES)
    if not mine:
        return False
    theirs = organisation_grantors(organisation)
    if theirs is None:
        return bool(mine - local_grantor_numbers())
    return bool(mine & theirs)
