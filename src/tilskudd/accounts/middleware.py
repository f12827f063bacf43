"""Two-factor authentication where it is required, and for everyone who has turned it on.

Runs after django-otp's OTPMiddleware (which knows whether this session is verified by a
device). A logged-in person whose session is not verified is sent

* to the code page, if they have a device (they logged in some other way, or in another
  browser before turning two-factor on), and
* to the setup page, if they are grantor staff (``is_staff``) without a device: staff must use
  two-factor authentication before they see any other page.

Only what is needed to get through is let past: the account pages that verify, set up or log
out, static files and the language switch.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from tilskudd.accounts import services


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._always_open(request.path_info):
            if not user.is_verified():
                if services.has_two_factor(user):
                    return self._redirect("accounts:verify", request)
                if user.is_staff:
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
