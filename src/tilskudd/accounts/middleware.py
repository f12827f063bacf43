"""Two-factor authentication where it is required, and for everyone who has turned it on.

Runs after django-otp's OTPMiddleware (which knows whether this session is verified by a
device). A logged-in person whose session is not verified is sent

* to the code page, if they have a device (they logged in some other way, or in another
  browser before turning two-factor on), and
* to the setup page, if they hold any role at a grantor (or operate the site) without a device
  (:func:`tilskudd.accounts.services.two_factor_required`): staff must use two-factor
  authentication before they see any other page.

Only what is needed to get through is let past: the account pages that verify, set up or log
out, static files and the language switch.
"""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from tilskudd.accounts import services, signals


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._always_open(request.path_info):
            if not user.is_verified():
                if services.has_two_factor(user):
                    return self._redirect("accounts:verify", request)
                if services.two_factor_required(user):
                    return self._redirect("accounts:two_factor_setup", request)
        return self.get_response(request)

    @staticmethod
    def _always_open(path: str) -> bool:
        open_paths = (
            reverse("accounts:verify"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
            "/favicon.ico",
        )
        return path.startswith(open_paths)

    @staticmethod
    def _redirect(name: str, request):
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


def _open(path: str, *names: str) -> bool:
    open_paths = (
        *(reverse(name) for name in names),
        reverse("accounts:logout"),
        reverse("set_language"),
        settings.STATIC_URL,
        "/favicon.ico",
    )
    return path.startswith(open_paths)


class EmailVerificationRequiredMiddleware:
    """An account whose address is not verified can only ask for the link again, or log out.

    Runs before the two-factor middleware. Everything else sends the person to «Bekreft
    e-postadressen» (accounts:email_unverified); the links from the e-mails stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.email_verified
            and not _open(request.path_info, "accounts:email_unverified")
            and not request.path_info.startswith(_email_link_prefixes())
        ):
            return TwoFactorRequiredMiddleware._redirect("accounts:email_unverified", request)
        return self.get_response(request)


def _email_link_prefixes() -> tuple[str, ...]:
    # The links sent by e-mail: /konto/e-post/bekreft/<token>/ and /konto/e-post/bytt/<token>/.
    return (
        reverse("accounts:confirm_email", kwargs={"token": "x"})[:-2],
        reverse("accounts:confirm_email_change", kwargs={"token": "x"})[:-2],
    )


class SessionLifetimeMiddleware:
    """A logged-in session ends after a working day without use, and at most 12 hours after login.

    ``SESSION_IDLE_TIMEOUT`` (default 8 hours) and ``SESSION_ABSOLUTE_TIMEOUT`` (default 12
    hours). The session is saved again at most once a minute, so the cookie and the stored
    session (``SESSION_COOKIE_AGE``, the idle time) slide along while the person works.
    """

    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            session = request.session
            logged_in_at = session.get(signals.LOGGED_IN_AT) or now
            last_seen_at = session.get(signals.LAST_SEEN_AT) or now
            idle = getattr(settings, "SESSION_IDLE_TIMEOUT", dt.timedelta(hours=8)).total_seconds()
            absolute = getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", dt.timedelta(hours=12)).total_seconds()
            if now - last_seen_at > idle or now - logged_in_at > absolute:
                logout(request)
                target = reverse("accounts:login")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path(), "utlopt": "1"})
                return redirect(target)
            if signals.LOGGED_IN_AT not in session:
                session[signals.LOGGED_IN_AT] = logged_in_at
            if now - session.get(signals.LAST_SEEN_AT, 0) >= self.TOUCH_EVERY:
                session[signals.LAST_SEEN_AT] = now
        return self.get_response(request)
