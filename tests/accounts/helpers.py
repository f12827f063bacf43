"""Helpers for tests that need people, two-factor devices and codes.

Other areas' tests may use :func:`login_verified` for grantor staff: staff must have a verified
two-factor device, or every page sends them to the setup page first.
"""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "grønn-hest-batteri-stift"


def make_user(email: str = "kari.nordmann@example.no", password: str = PASSWORD, **extra):
    from tilskudd.accounts.models import User

    extra.setdefault("full_name", "Kari Nordmann")
    return User.objects.create_user(email=email, password=password, **extra)


def add_totp(user) -> TOTPDevice:
    """A confirmed authenticator-app device for ``user``."""
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` time steps of 30 s later).

    django-otp accepts a code only once, so a second login in the same test uses the next step
    (within the device's tolerance of one step).
    """
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def login_verified(client, user) -> TOTPDevice:
    """Log ``user`` in with a verified two-factor device (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
