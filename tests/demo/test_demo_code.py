"""`manage.py demo_code`: the current two-factor code of a demo person, in the demo only."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import code, make_user

pytestmark = pytest.mark.django_db


def run(email: str) -> str:
    out = io.StringIO()
    call_command("demo_code", email, stdout=out)
    return out.getvalue().strip()


def test_prints_the_code_the_persons_app_would_show(settings):
    settings.DEBUG = True
    user = make_user("saksbehandler@imdi.example")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)  # the setup page made it
    assert run("saksbehandler@imdi.example") == code(device)


def test_refused_outside_the_demo_and_for_real_addresses(settings):
    make_user("kari@imdi.no")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Only in the demo"):
        run("saksbehandler@imdi.example")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Only for demo people"):
        run("kari@imdi.no")
