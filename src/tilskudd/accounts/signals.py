"""When a session was logged in, for its absolute lifetime (accounts.middleware.SessionLifetimeMiddleware)."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

#: Session keys: when the person logged in, and when the session was last used (seconds since the epoch).
LOGGED_IN_AT = "accounts_logged_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"


@receiver(user_logged_in, dispatch_uid="tilskudd.accounts.session_started")
def session_started(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[LOGGED_IN_AT] = now
        session[LAST_SEEN_AT] = now
