"""Domain operations on organisations, the people in them and delegations, one module per seam.

Each operation runs in one transaction, checks permission, changes state and
writes an audit event on the organisation (``tilskudd.audit.services.record``;
the event's data names the membership, invitation or delegation). E-mails are
sent after the transaction commits. Views, the API and commands call these;
nothing else changes the models. A refusal is a ``tilskudd.core.refusals.Refusal``:
:class:`Refused` and its kinds, or ``NotAllowed`` when a permission says no.

* :mod:`.registration` — registering an organisation; :mod:`.organisation_data` — changing its data.
* :mod:`.joining`, :mod:`.invitations` — people asking to join, and being invited.
* :mod:`.members` — changing roles and removing people; :mod:`.roles`, :mod:`.titles` — roles and signing titles.
* :mod:`.delegations` — signing authority (*fullmakt*).
* :mod:`.staff_confirmation` — grantor staff confirm the first person.
"""

from tilskudd.orgs.services.delegations import delegate_candidates, grant_delegation, revoke_delegation
from tilskudd.orgs.services.invitations import (
    DEFAULT_INVITATION_DAYS,
    SIGNUP_PATH,
    claim_invitations,
    invitation_path,
    invite,
    revoke_invitation,
)
from tilskudd.orgs.services.joining import accept_request, decline_request, request_membership
from tilskudd.orgs.services.members import change_role, remove_member
from tilskudd.orgs.services.organisation_data import RefreshOutcome, refresh_from_registry, update_organisation
from tilskudd.orgs.services.refusals import AlreadyRegistered, LastAdministrator, Refused
from tilskudd.orgs.services.registration import DETAIL_FIELDS, register_organisation, registry_locked_fields
from tilskudd.orgs.services.roles import role_summary
from tilskudd.orgs.services.staff_confirmation import confirm_membership, reject_membership, unconfirmed_memberships
from tilskudd.orgs.services.titles import (
    OTHER_TITLE,
    SIGNATORY_TITLES,
    TITLE_LABELS,
    is_signatory_title,
    signatory_titles,
)

__all__ = [
    "DEFAULT_INVITATION_DAYS",
    "DETAIL_FIELDS",
    "OTHER_TITLE",
    "SIGNATORY_TITLES",
    "SIGNUP_PATH",
    "TITLE_LABELS",
    "AlreadyRegistered",
    "LastAdministrator",
    "RefreshOutcome",
    "Refused",
    "accept_request",
    "change_role",
    "claim_invitations",
    "confirm_membership",
    "decline_request",
    "delegate_candidates",
    "grant_delegation",
    "invitation_path",
    "invite",
    "is_signatory_title",
    "refresh_from_registry",
    "register_organisation",
    "registry_locked_fields",
    "reject_membership",
    "remove_member",
    "request_membership",
    "revoke_delegation",
    "revoke_invitation",
    "role_summary",
    "signatory_titles",
    "unconfirmed_memberships",
    "update_organisation",
]
