"""The development e-mail backend (``make run``): each e-mail is written to ``var/mail/`` as an ``.eml`` file
and the console gets one line for it — who, what, where — instead of the whole message with its
base64-encoded attachments (issue #13, point 11).

Settings: ``EMAIL_BACKEND=folder`` (the default with ``DEBUG``), ``EMAIL_FILE_PATH`` the folder (default
``var/mail`` under the project). Like the console backend it delivers nothing, so ``check --deploy``
refuses it with DEBUG off (``tilskudd/checks.py``).
"""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_lock = threading.Lock()


def mail_folder() -> Path:
    configured = getattr(settings, "EMAIL_FILE_PATH", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "mail"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "e-post"


class FolderEmailBackend(BaseEmailBackend):
    """Write each message to its own file in :func:`mail_folder` and print one line per message."""

    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self.folder = mail_folder()

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        sent = 0
        with _lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                if not message.recipients():
                    continue
                path = self._free_path(message.subject)
                path.write_bytes(message.message().as_bytes(linesep="\n"))
                self.stream.write(
                    f"E-post / e-mail til {', '.join(message.recipients())}: «{message.subject}» → {path}\n"
                )
                sent += 1
            self.stream.flush()
        return sent

    def _free_path(self, subject: str) -> Path:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        base = f"{stamp}-{_slug(subject)}"
        path = self.folder / f"{base}.eml"
        number = 1
        while path.exists():
            number += 1
            path = self.folder / f"{base}-{number}.eml"
        return path
