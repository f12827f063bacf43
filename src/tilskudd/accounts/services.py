"""Accounts: sign-up, the two login steps, and two-factor authentication (*tofaktorautentisering*).

The only place that changes people's accounts and devices. Views stay thin over these functions;
each change that matters for security writes an audit event.

Two-factor authentication uses django-otp: a TOTP device (an authenticator app on the phone) and
a static device holding single-use backup codes (*reservekoder*). A person with a confirmed
device logs in in two steps: the password first (:func:`begin_second_step` keeps who it was in
the session, not logged in), then the six-digit code (:func:`complete_login`).
"""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tilskudd.audit.services import Audience, AuditAction, record

#: How many backup codes a person gets at a time.
BACKUP_CODE_COUNT = 10
#: How long the password step is remembered while the person finds the code.
SECOND_STEP_MAX_AGE = dt.timedelta(minutes=10)
PENDING_SESSION_KEY = "accounts_second_step"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def normalise_email(value: str | None) -> str:
    """E-mail addresses are stored and compared in lower case, without surrounding spaces."""
    return (value or "").strip().lower()


@transaction.atomic
def register(*, full_name: str, email: str, password: str):
    """Create a person's account (*registrering*), not yet verified: the caller
    (:func:`tilskudd.accounts.verification.sign_up`) sends the link. The caller has validated the password."""
    user = get_user_model().objects.create_user(
        email=normalise_email(email), password=password, full_name=full_name.strip(), email_verified=False
    )
    record(user, user, AuditAction.ACCOUNT_REGISTERED, audience=Audience.APPLICANT)
    return user


# --- django-axes hooks (settings AXES_USERNAME_CALLABLE, AXES_CLIENT_IP_CALLABLE) -------------


def attempted_email(request, credentials: dict | None = None) -> str | None:
    """The e-mail address a login attempt used, as django-axes counts failures by it.

    Axes sees the credentials in two shapes (``email`` from its backend, ``username`` from
    Django's login-failed signal), or only the form; all give the same lower-case address, so
    ``Kari@Example.no`` and ``kari@example.no`` count as one.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("email")
    return normalise_email(value) or None


def client_ip(request) -> str | None:
    """The client's address: the connection's, or the one the trusted proxies put in front.

    ``TRUSTED_PROXY_COUNT`` (default 0) says how many reverse proxies append to
    ``X-Forwarded-For``; the address that many places from the end is the client's. Without
    proxies the header is ignored, since a client could write anything in it.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_ends(request, credentials: dict | None = None) -> dt.datetime | None:
    """When a locked-out e-mail address may try again from this address (the last failure + cool-off)."""
    from axes.helpers import get_cool_off  # noqa: PLC0415
    from axes.models import AccessAttempt  # noqa: PLC0415
    from django.db.models import Max  # noqa: PLC0415

    cool_off = get_cool_off(request)
    latest = AccessAttempt.objects.filter(
        username=attempted_email(request, credentials), ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(latest=Max("attempt_time"))["latest"]
    if cool_off is None or latest is None:
        return None
    return latest + cool_off


def unlock(email: str) -> int:
    """Forget failed logins for an address, e.g. after its owner has made a new password by e-mail; how many
    records of failed attempts were deleted (the caller's audit event keeps the number)."""
    from axes.utils import reset  # noqa: PLC0415

    return int(reset(username=normalise_email(email)) or 0)


# --- two-factor authentication ----------------------------------------------------------------


def has_two_factor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user_has_device(user, confirmed=True)


#: Further reasons a person must use two-factor authentication, each ``rule(user) -> bool``. Apps above
#: accounts add theirs when they start (casework: anyone holding a role at a grantor), so that accounts
#: need not know them.
TWO_FACTOR_RULES: list[Callable[[Any], bool]] = []


def require_two_factor_when(rule: Callable[[Any], bool]) -> None:
    """Add a rule to :func:`two_factor_required` (called from an app's ``ready()``)."""
    if rule not in TWO_FACTOR_RULES:
        TWO_FACTOR_RULES.append(rule)


def two_factor_required(user) -> bool:
    """Whether ``user`` must use two-factor authentication: the site's operators (``is_staff``,
    ``is_superuser``), and anyone a rule of :data:`TWO_FACTOR_RULES` names (casework: a role at a grantor)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(rule(user) for rule in TWO_FACTOR_RULES)


def totp_device_for_setup(user) -> TOTPDevice:
    """The person's unconfirmed TOTP device (made once, so reloading shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32 as authenticator apps take it, in groups of four for reading."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


@dataclass(frozen=True)
class CodeCheck:
    """The answer to a code: the device that accepted it, or when the person may try again."""

    device: Device | None
    retry_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def _check_device(device: Device, code: str) -> CodeCheck:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(None, (info or {}).get("locked_until"))
    return CodeCheck(device if device.verify_token(code) else None)


def verify_code(user, code: str) -> CodeCheck:
    """Check a six-digit code from the app, or a backup code, against the person's devices.

    django-otp refuses a code already used and slows down guessing (1, 2, 4, 8 … seconds
    between tries after failures); a backup code is deleted when used.
    """
    code = _clean_code(code)
    if not code:
        return CodeCheck(None)
    retry_at = None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, TOTPDevice) and not (code.isdigit() and len(code) == device.digits):
                continue
            if isinstance(device, StaticDevice) and code.isdigit():
                continue
            check = _check_device(device, code)
            if check.ok:
                return check
            retry_at = check.retry_at or retry_at
    return CodeCheck(None, retry_at)


def _new_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_two_factor(request, device: TOTPDevice, code: str) -> list[str] | CodeCheck:
    """Turn on two-factor authentication once the app shows a right code.

    Returns the new backup codes (shown once), or the failed check when the code is wrong or
    came too soon after a wrong one. The session counts as verified with the new device, so the
    person goes on without logging in again.
    """
    user = request.user
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    check = _check_device(device, _clean_code(code))
    if not check.ok:
        return check
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _new_backup_codes(user)
    otp_login(request, device)
    record(user, user, AuditAction.ACCOUNT_TWO_FACTOR_ENABLED, audience=Audience.APPLICANT)
    return codes


@transaction.atomic
def renew_backup_codes(user) -> list[str]:
    """New backup codes; the old ones stop working."""
    codes = _new_backup_codes(user)
    record(user, user, AuditAction.ACCOUNT_BACKUP_CODES_RENEWED, audience=Audience.APPLICANT)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove_two_factor(user) -> None:
    """Turn two-factor authentication off (the caller has checked a current code)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(user, user, AuditAction.ACCOUNT_TWO_FACTOR_REMOVED, audience=Audience.APPLICANT)


# --- the two login steps ----------------------------------------------------------------------


def begin_second_step(request, user, next_url: str) -> None:
    """Remember who gave the right password; they are not logged in until the code is right."""
    request.session[PENDING_SESSION_KEY] = {
        "user": str(user.pk),
        "backend": user.backend,
        "since": timezone.now().isoformat(),
        "next": next_url,
    }


def pending_login(request) -> tuple[object, str] | None:
    """The person half-way through logging in, and where they were going; None if none or expired."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return None
    since = dt.datetime.fromisoformat(pending["since"])
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or timezone.now() - since > SECOND_STEP_MAX_AGE:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user.backend = pending["backend"]
    return user, pending.get("next", "")


def complete_login(request, user, device: Device | None = None) -> None:
    """Log the person in (a new session key), verified with ``device`` when one was used."""
    request.session.pop(PENDING_SESSION_KEY, None)
    auth_login(request, user, backend=getattr(user, "backend", None) or MODEL_BACKEND)
    if device is not None:
        otp_login(request, device)


# --- the admin site (site administrators only) --------------------------------------------------


@transaction.atomic
def save_user_from_admin(actor, user, *, created: bool, changed: list[str]) -> None:
    """Save a person made or changed in the admin, and log which fields (never their values)."""
    user.save()
    action = AuditAction.ACCOUNT_CREATED_IN_ADMIN if created else AuditAction.ACCOUNT_CHANGED_IN_ADMIN
    record(actor, user, action, data={"fields": sorted(changed)}, audience=Audience.INTERNAL)


def password_set_from_admin(actor, user) -> None:
    """Log that a site administrator set or disabled a person's password (inside the admin's transaction)."""
    record(actor, user, AuditAction.ACCOUNT_PASSWORD_SET_IN_ADMIN, audience=Audience.INTERNAL)
