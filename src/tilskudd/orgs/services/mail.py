"""E-mail to the people of an organisation, sent once the transaction has committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def notify(to: str, subject: str, body: str) -> None:
    """Send an e-mail once the transaction has committed."""

    def send() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)

    transaction.on_commit(send)


def user_label(user) -> str:
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)
