"""Open invitations become memberships when the invited person logs in, or verifies the address
while logged in, with an account whose address is verified (accounts.verification).

Only invitations whose link the person opened in this browser session are claimed: signing up
does not prove that the person owns the e-mail address, the link sent to it does. The invitation
page keeps the token in the session (:data:`INVITATION_TOKENS`); logging in keeps the session's data.
"""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

logger = logging.getLogger(__name__)

#: Session key: the tokens of the invitation links opened in this session.
INVITATION_TOKENS = "orgs.invitation_tokens"


@receiver(user_logged_in, dispatch_uid="tilskudd.orgs.claim_invitations")
def claim_invitations_on_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    tokens = list(session.get(INVITATION_TOKENS, [])) if session is not None else []
    if not tokens:
        return
    from tilskudd.orgs.services import claim_invitations  # noqa: PLC0415

    made = claim_invitations(user, tokens=tokens)
    if made and hasattr(request, "_messages"):
        from django.contrib import messages  # noqa: PLC0415
        from django.utils.translation import get_language  # noqa: PLC0415

        from tilskudd.calls.presentation import pick  # noqa: PLC0415

        names = ", ".join(member.organisation.name for member in made)
        messages.success(
            request,
            pick(get_language(), f"Du har fått tilgang til {names}.", f"You have been given access to {names}."),
        )
    if made:
        logger.info("claimed %d invitation(s) for user %s", len(made), user.pk)


#: Sent with ``delegation`` and ``actor`` inside the transaction that revoked a delegation (*fullmakt*),
#: so that apps above orgs (applications) void what was signed under it.
delegation_revoked = Signal()


def _claim_opened_invitations(sender, user, request=None, **kwargs) -> None:
    """The address is verified now: the invitation links opened in this browser are claimed, if
    the person verifying is the one logged in here (accounts.verification.email_verified)."""
    if request is None or getattr(request, "user", None) is None or request.user.pk != user.pk:
        return
    claim_invitations_on_login(sender, request, user)


def _connect_to_verification() -> None:
    from tilskudd.accounts.verification import email_verified  # noqa: PLC0415

    email_verified.connect(_claim_opened_invitations, dispatch_uid="tilskudd.orgs.claim_on_verification")


_connect_to_verification()
