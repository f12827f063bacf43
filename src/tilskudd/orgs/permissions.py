"""Who may do what with an organisation: plain functions returning a ``Permission`` (allowed, reason).

Like :mod:`tilskudd.applications.permissions`, the reason is shown to the
person when a button is missing, and tests assert it. Pages answer 404 (not
403) to a person outside the organisation, so that its existence does not
leak; :func:`can_view_organisation` decides that.

Which grantor staff may read an organisation and confirm its people is casework's to say (it knows
the grantors' roles and cases); casework tells this module in its ``ready()`` through
:func:`register_grantor_staff`, so that orgs, below casework, need not import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.remembered import Remembered
from tilskudd.orgs.models import Delegation, Membership, Organisation

__all__ = [
    "ALLOWED",
    "Permission",
    "membership",
    "memberships_remembered",
    "register_grantor_staff",
    "can_view_organisation",
    "can_edit_organisation",
    "can_manage_people",
    "can_change_member",
    "can_remove_member",
    "can_delegate",
    "can_revoke_delegation",
    "can_confirm_memberships",
    "can_confirm_membership",
]


#: Each person's membership of each organisation, read once inside a block (core.remembered).
_MEMBERSHIPS: Remembered[Membership | None] = Remembered("memberships_remembered")

#: Inside the block, each person's membership of an organisation is read once. For one operation that asks several
#: permission functions in turn (submitting asks whether the person may see, edit and submit, and whether the
#: signatory may still sign: issue #14, point 2), and for every request; a membership written or deleted is
#: forgotten at once (:func:`remember_memberships_per_request`).
memberships_remembered = _MEMBERSHIPS.block


def remember_memberships_per_request() -> None:
    """A person's memberships read once a request, and again after one is written (called from apps.py)."""
    _MEMBERSHIPS.per_request(Membership)


def membership(user, organisation) -> Membership | None:
    """The person's current membership of the organisation, or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _MEMBERSHIPS.get(
        (user.pk, getattr(organisation, "pk", organisation)),
        lambda: (
            Membership.objects.filter(user=user, organisation=organisation, removed_at__isnull=True)
            .select_related("organisation")
            .first()
        ),
    )


@dataclass
class GrantorStaff:
    """What casework says about grantor staff; until it does, nobody is grantor staff here."""

    #: Whether the person works cases at some grantor (caseworker, approver or administrator).
    works_cases: Callable[[Any], bool] = lambda user: False
    #: Whether the person works cases at a grantor the organisation applies to.
    reads_organisation: Callable[[Any, Organisation], bool] = lambda user, organisation: False


GRANTOR_STAFF = GrantorStaff()


def register_grantor_staff(
    works_cases: Callable[[Any], bool], reads_organisation: Callable[[Any, Organisation], bool]
) -> None:
    """Called by casework when it starts (``CaseworkConfig.ready``)."""
    GRANTOR_STAFF.works_cases = works_cases
    GRANTOR_STAFF.reads_organisation = reads_organisation


NOT_IN_ORGANISATION = denied("Du er ikke med i denne organisasjonen.", "You are not in this organisation.")
NOT_ADMINISTRATOR = denied(
    "Bare administratorer i organisasjonen kan gjøre dette.",
    "Only the organisation's administrators can do this.",
)


def _is_staff(user) -> bool:
    """Grantor staff who handle cases: a caseworker, approver or administrator role at some grantor.

    ``is_staff`` alone (an operator of the site, or an assessor) is not enough: who may act for an
    organisation, and its people, are for those who work the cases (least privilege).
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False)):
        return False
    return GRANTOR_STAFF.works_cases(user)


def _staff_for(user, organisation: Organisation) -> bool:
    """Staff of a grantor the organisation applies to (IMDi for one that has applied to nobody yet)."""
    if not _is_staff(user):
        return False
    return GRANTOR_STAFF.reads_organisation(user, organisation)


def is_member(user, organisation: Organisation) -> Permission:
    """A member of the organisation, in any role."""
    if membership(user, organisation) is None:
        return NOT_IN_ORGANISATION
    return ALLOWED


def can_view_organisation(user, organisation: Organisation) -> Permission:
    """Members see their organisation; grantor staff the organisations that apply to their grantor."""
    if membership(user, organisation) is None and not _staff_for(user, organisation):
        return NOT_IN_ORGANISATION
    return ALLOWED


def _administrator(user, organisation: Organisation) -> tuple[Permission, Membership | None]:
    member = membership(user, organisation)
    if member is None:
        return NOT_IN_ORGANISATION, None
    if not member.is_administrator:
        return NOT_ADMINISTRATOR, member
    return ALLOWED, member


def can_edit_organisation(user, organisation: Organisation) -> Permission:
    """Administrators edit the organisation's data."""
    return _administrator(user, organisation)[0]


def can_manage_people(user, organisation: Organisation) -> Permission:
    """Administrators invite people, answer requests to join, change roles and remove people."""
    return _administrator(user, organisation)[0]


def can_change_member(user, target: Membership) -> Permission:
    allowed = can_manage_people(user, target.organisation)
    if not allowed:
        return allowed
    if target.removed_at is not None:
        return Permission(
            False, "Personen er ikke lenger med i organisasjonen.", "The person has left the organisation."
        )
    return ALLOWED


def can_remove_member(user, target: Membership) -> Permission:
    """Administrators remove people; anyone may leave. The last administrator stays."""
    if target.user_id == getattr(user, "pk", None) and target.removed_at is None:
        return ALLOWED
    return can_change_member(user, target)


def can_delegate(user, organisation: Organisation) -> Permission:
    """Only a confirmed signatory gives signing authority (*fullmakt*)."""
    member = membership(user, organisation)
    if member is None:
        return NOT_IN_ORGANISATION
    if not member.is_signatory:
        return denied(
            "Bare den som har signaturrett, kan gi fullmakt til å signere.",
            "Only a signatory can delegate signing authority.",
        )
    if not member.is_confirmed:
        return denied(
            "Tilgangen din er ikke bekreftet ennå. Du kan gi fullmakt når tilskuddsforvalteren har bekreftet den.",
            "Your access is not confirmed yet. You can delegate once the grantor has confirmed it.",
        )
    return ALLOWED


def can_revoke_delegation(user, delegation: Delegation) -> Permission:
    """The signatory who gave it, another confirmed signatory, or an administrator."""
    member = membership(user, delegation.organisation)
    if member is None:
        return NOT_IN_ORGANISATION
    if delegation.revoked_at is not None:
        return denied("Fullmakten er allerede trukket tilbake.", "The delegation is already revoked.")
    if delegation.granted_by_id == user.pk or member.is_administrator or (member.is_signatory and member.is_confirmed):
        return ALLOWED
    return denied(
        "Bare den som ga fullmakten, en annen med signaturrett eller en administrator kan trekke den tilbake.",
        "Only the signatory who gave it, another signatory or an administrator can revoke the delegation.",
    )


def can_confirm_memberships(user) -> Permission:
    """Grantor staff confirm the first person of a new organisation."""
    if not _is_staff(user):
        return denied(
            "Bare ansatte hos tilskuddsforvalteren kan bekrefte tilganger.",
            "Only the grantor's staff can confirm access.",
        )
    return ALLOWED


def can_confirm_membership(user, organisation: Organisation) -> Permission:
    """Staff confirm the people of the organisations that apply to their own grantor, no others."""
    allowed = can_confirm_memberships(user)
    if not allowed:
        return allowed
    if not _staff_for(user, organisation):
        return denied(
            "Organisasjonen søker ikke hos din tilskuddsforvalter. Den som behandler søknadene, bekrefter tilgangen.",
            "The organisation does not apply to your grantor. The grantor handling its applications confirms access.",
        )
    return ALLOWED
