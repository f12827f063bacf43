"""A real ``manage.py task_worker`` process for the crash tests, its receipt work made to hang at one point.

    python tests/receipts/crash_worker.py [task_worker options]

Environment: ``DATABASE_URL`` (the test database), ``MEDIA_ROOT``,
``CRASH_MAIL_DIR`` (each e-mail sent becomes a file there), ``CRASH_MARKER``
(a file written when the work reaches the hang point) and ``CRASH_HANG_AT``:
``rendering`` (before the PDF exists), ``after_email`` (after the receipt is
stored, e-mailed and the sending recorded — just before the task would be
marked done) or empty (no hang). The test kills the process with SIGKILL at
the hang point, as a crash, an OOM kill or a pulled plug would.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from tilskudd.applications import receipts  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["CRASH_MAIL_DIR"]
settings.DEFAULT_FROM_EMAIL = "tilskudd <ikke-svar@tilskudd.example>"


def hang() -> None:
    Path(os.environ["CRASH_MARKER"]).write_text(str(os.getpid()))
    time.sleep(120)


HANG_AT = os.environ.get("CRASH_HANG_AT", "")
if HANG_AT == "rendering":

    def receipt_pdf(application):
        hang()
        raise AssertionError("killed before this")

    receipts.receipt_pdf = receipt_pdf
elif HANG_AT == "after_email":
    send_receipt = receipts.send_receipt

    def send_and_hang(document):
        sent = send_receipt(document)
        hang()
        return sent

    receipts.send_receipt = send_and_hang
elif HANG_AT:
    raise SystemExit(f"unknown CRASH_HANG_AT {HANG_AT!r}")

call_command("task_worker", *sys.argv[1:])
