"""Open invitations become memberships when their e-mail address logs in (also right after sign-up)."""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="tilskudd.orgs.claim_invitations")
def claim_invitations_on_login(sender, request, user, **kwargs) -> None:
    from tilskudd.orgs.services import claim_invitations

    made = claim_invitations(user)
    if made and request is not None and hasattr(request, "_messages"):
        from django.contrib import messages
        from django.utils.translation import get_language

        from tilskudd.calls.presentation import pick

        names = ", ".join(member.organisation.name for member in made)
        messages.success(
            request, pick(get_language(), f"Du har fått tilgang til {names}.", f"You have been given access to {names}.")
        )
    if made:
        logger.info("claimed %d invitation(s) for user %s", len(made), user.pk)
