"""Open invitations become memberships when the invited person logs in, or verifies the address
while logged in, with an account whose address is verified (accounts.verification).

Only invitations whose link the person opened in this browser session are claimed: signing up
does not prove that the person owns the e-mail address, the link sent to it does. The invitation
page keeps the token in the session (:data:`~tilskudd.orgs.services.invitations.INVITATION_TOKENS`);
logging in keeps the session's data.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import get_language

from tilskudd.accounts.verification import email_verified
from tilskudd.core.text import pick
from tilskudd.orgs.services.invitations import INVITATION_TOKENS, claim_invitations

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="tilskudd.orgs.claim_invitations")
def claim_invitations_on_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    tokens = list(session.get(INVITATION_TOKENS, [])) if session is not None else []
    if not tokens:
        return
    made = claim_invitations(user, tokens=tokens)
    if made and hasattr(request, "_messages"):
        names = ", ".join(member.organisation.name for member in made)
        messages.success(
            request,
            pick(get_language(), f"Du har fått tilgang til {names}.", f"You have been given access to {names}."),
        )
    if made:
        logger.info("claimed %d invitation(s) for user %s", len(made), user.pk)


@receiver(email_verified, dispatch_uid="tilskudd.orgs.claim_on_verification")
def claim_opened_invitations(sender, user, request=None, **kwargs) -> None:
    """The address is verified now: the invitation links opened in this browser are claimed, if
    the person verifying is the one logged in here (accounts.verification.email_verified)."""
    if request is None or getattr(request, "user", None) is None or request.user.pk != user.pk:
        return
    claim_invitations_on_login(sender, request, user)
