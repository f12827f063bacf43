"""Password rules with messages in bokmål (English when the page is in English).

Django's own bokmål catalogue lacks the current wording of the minimum-length message, so it
would show in English on a bokmål page. The other validators' messages are translated by Django.
"""

from __future__ import annotations

from django.contrib.auth import password_validation

from tilskudd.accounts.texts import now_text


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least ``min_length`` characters (12 in our settings)."""

    def get_error_message(self) -> str:
        return now_text(
            f"Passordet er for kort. Det må ha minst {self.min_length} tegn.",
            f"The password is too short. It must have at least {self.min_length} characters.",
        )

    def get_help_text(self) -> str:
        return now_text(
            f"Passordet må ha minst {self.min_length} tegn.",
            f"The password must have at least {self.min_length} characters.",
        )
