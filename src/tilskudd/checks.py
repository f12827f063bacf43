"""System checks of tilskudd's own settings, run by ``manage.py check`` (``--deploy`` for production).

Registered from ``tilskudd.accounts.apps.AccountsConfig.ready``: the e-mail that must not leak is the
accounts' (password-reset links) and the applications' (receipts).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# Backends that do not deliver: they print, write to disk, keep in memory or drop the message.
NON_DELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "tilskudd.core.dev_mail.FolderEmailBackend",
}


@register(Tags.security, deploy=True)
def email_backend_delivers(app_configs, **kwargs) -> list[Error]:
    """With DEBUG off, e-mail must go out through a real backend (SMTP), never to the console or a log."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in NON_DELIVERING_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND} with DEBUG off: password-reset links and receipts "
            "would be written to a log or lost instead of being sent.",
            hint="Set EMAIL_BACKEND=smtp (the default without DEBUG) and EMAIL_HOST … (docs/deployment.md).",
            id="tilskudd.E001",
        )
    ]
