"""The development e-mail backend (issue #13, point 11): each e-mail to a file in var/mail/, one line on the
console instead of the message and its base64 attachments; it counts as not delivering for check --deploy."""

from __future__ import annotations

import email
import io
import logging
from email import policy
from unittest.mock import patch

import pytest
from django.core.mail import EmailMessage, get_connection
from django.core.management import call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tilskudd.checks import email_backend_delivers

BACKEND = "tilskudd.core.dev_mail.FolderEmailBackend"


def test_each_email_is_a_file_and_one_line(tmp_path):
    console = io.StringIO()
    with override_settings(EMAIL_FILE_PATH=str(tmp_path / "mail")):
        connection = get_connection(BACKEND, stream=console)
        letter = EmailMessage(
            "Vedtak i sak 26/00001 / Decision",
            "Hei, les vedtaket: http://127.0.0.1:8123/soknader/1/",
            "tilskudd <ikke-svar@localhost>",
            ["leder@nabolagsvenner.example"],
        )
        letter.attach("vedtak.pdf", b"%PDF-1.7 " + bytes(range(256)) * 40, "application/pdf")
        other = EmailMessage(
            "Kvittering", "Takk.", "tilskudd <ikke-svar@localhost>", ["styreleder@ressurssenter.example"]
        )
        assert connection.send_messages([letter, other]) == 2
    lines = console.getvalue().splitlines()
    assert len(lines) == 2
    assert "leder@nabolagsvenner.example" in lines[0] and "«Vedtak i sak 26/00001 / Decision»" in lines[0]
    assert all(len(line) < 300 for line in lines), "no message body or base64 on the console"
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2 and str(files[0]) in console.getvalue() + str(files[1])
    stored = next(email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files if "vedtak" in f.name)
    assert stored["To"] == "leder@nabolagsvenner.example"
    assert "http://127.0.0.1:8123/soknader/1/" in stored.get_body(("plain",)).get_content()
    (pdf,) = [part for part in stored.iter_attachments()]
    assert pdf.get_content().startswith(b"%PDF-1.7")


def test_two_emails_with_the_same_subject_in_the_same_second_keep_both(tmp_path):
    with override_settings(EMAIL_FILE_PATH=str(tmp_path)):
        connection = get_connection(BACKEND, stream=io.StringIO())
        same = [EmailMessage("Kvittering", str(n), "a@localhost", ["b@demo.example"]) for n in range(3)]
        assert connection.send_messages(same) == 3
    assert len(list(tmp_path.glob("*.eml"))) == 3


def test_the_folder_backend_does_not_pass_the_deploy_check():
    with override_settings(DEBUG=False, EMAIL_BACKEND=BACKEND):
        assert [e.id for e in email_backend_delivers(None)] == ["tilskudd.E001"]


def test_the_pdf_libraries_log_only_warnings():
    for name in ("fontTools", "fontTools.subset", "weasyprint"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO)


@pytest.mark.django_db
def test_demo_code_prints_the_code_without_the_system_checks(django_user_model):
    """The checks import every view (seconds); the code is read from the device alone."""
    user = django_user_model.objects.create_user(email="saksbehandler@imdi.example", password="x")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    out = io.StringIO()
    with override_settings(DEBUG=True), patch("django.core.management.base.BaseCommand.check") as check:
        call_command("demo_code", "saksbehandler@imdi.example", stdout=out)
    assert not check.called
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    assert out.getvalue().strip() == f"{code:06d}"
