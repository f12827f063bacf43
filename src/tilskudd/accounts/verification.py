"""E-mail addresses proved by a link sent to them (*bekreft e-postadressen*).

Sign-up does not prove that the person owns the address they typed. Until the owner follows the
link sent to it, the account can do nothing but ask for the link again (the middleware sees to
that), and no invitation or role sent to the address is claimed by it. Changing the address works
the same way: the new address gets a link, the change happens when it is followed, and the old
address is told.

The link carries a signed, timestamped token (Django's signing, valid
:data:`LINK_MAX_AGE`) with the account and the address it was sent to: once the account's
address is another, the link is void.

Sign-up never says whether an address is taken: the page is the same, and the address gets an
e-mail either way — a link to verify, or word that someone tried to register it, with a link to
make a new password. E-mails to one address are limited per hour (:mod:`.ratelimit`).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tilskudd.accounts import ratelimit
from tilskudd.accounts.services import normalise_email, register
from tilskudd.audit.services import Audience, AuditAction, record

logger = logging.getLogger(__name__)

#: How long a link works.
LINK_MAX_AGE = dt.timedelta(days=3)
_SALT = "tilskudd.accounts.email-link"
VERIFY = "verify"
CHANGE = "change"

#: Sent when an address has been proved (``user``, ``request`` or None): apps that wait for it,
#: such as invitations opened in the same browser, act on it.
email_verified = Signal()


class InvalidLink(Exception):
    """The link is altered, expired, already used, or for an address the account no longer has."""


class EmailInUse(Exception):
    """The new address belongs to another account (said only to the person changing theirs)."""


# --- tokens ---------------------------------------------------------------------------------


def make_token(user, kind: str = VERIFY, new_email: str = "") -> str:
    payload = {"u": user.pk, "e": user.email, "k": kind}
    if new_email:
        payload["n"] = new_email
    return signing.dumps(payload, salt=_SALT, compress=True)


def read_token(token: str, kind: str) -> tuple[object, dict]:
    """The account a link is for and what it carries; :class:`InvalidLink` if it is not good."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise InvalidLink from error
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise InvalidLink
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or normalise_email(user.email) != normalise_email(payload.get("e")):
        raise InvalidLink
    return user, payload


def _url(site_url: str, name: str, token: str) -> str:
    return f"{site_url.rstrip('/')}{reverse(name, kwargs={'token': token})}"


def _send(to: str, subject: str, body: str) -> None:
    """Send once the transaction has committed; nothing if the address has had its share this hour."""
    if not ratelimit.may_email(to):
        logger.info("e-mail to an address withheld: hourly limit reached")
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False))


def _days() -> int:
    return LINK_MAX_AGE.days


# --- sign-up and the verification link ----------------------------------------------------------


def send_verification(user, site_url: str) -> None:
    """E-mail the link that verifies ``user``'s address (at sign-up, and when they ask again)."""
    link = _url(site_url, "accounts:confirm_email", make_token(user, VERIFY))
    _send(
        user.email,
        "Bekreft e-postadressen din i tilskudd / Confirm your e-mail address",
        f"Hei {user.get_full_name()},\n\n"
        f"noen (forhåpentligvis du) har laget en konto i tilskudd med adressen {user.email}.\n"
        f"Åpne lenken for å bekrefte at adressen er din. Lenken virker i {_days()} dager.\n\n"
        f"{link}\n\n"
        "Har du ikke laget en konto, kan du se bort fra e-posten. Kontoen kan ikke brukes før adressen er bekreftet.\n\n"
        "---\n\n"
        f"Hello {user.get_full_name()},\n\n"
        f"someone (hopefully you) has created an account in tilskudd with the address {user.email}.\n"
        f"Open the link above to confirm that the address is yours. It works for {_days()} days.\n\n"
        "If you did not create an account, you can ignore this e-mail. The account cannot be used "
        "until the address is confirmed.\n",
    )


def _password_reset_link(user, site_url: str) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{site_url.rstrip('/')}{path}"


def _tell_address_taken(user, site_url: str) -> None:
    link = _password_reset_link(user, site_url)
    _send(
        user.email,
        "Noen prøvde å lage en konto med adressen din / Someone tried to register your address",
        f"Hei {user.get_full_name()},\n\n"
        f"noen (kanskje du) prøvde å lage en ny konto i tilskudd med adressen {user.email}. "
        "Det finnes allerede en konto med denne adressen, så ingen ny konto er laget.\n\n"
        "Har du glemt passordet? Lag et nytt med denne lenken (den virker i tre dager):\n\n"
        f"{link}\n\n"
        "Var det ikke du, kan du se bort fra e-posten. Kontoen din er ikke endret.\n\n"
        "---\n\n"
        f"Hello {user.get_full_name()},\n\n"
        f"someone (perhaps you) tried to create a new account in tilskudd with the address {user.email}. "
        "There is already an account with this address, so no new account was made.\n\n"
        "Forgotten the password? Make a new one with the link above (it works for three days).\n\n"
        "If it was not you, you can ignore this e-mail. Your account has not been changed.\n",
    )


@transaction.atomic
def sign_up(*, full_name: str, email: str, password: str, site_url: str):
    """A new, unverified account and the link to verify it; or, if the address is taken, an e-mail
    to it saying so. Returns the new account, or None. The caller shows the same page either way."""
    address = normalise_email(email)
    existing = get_user_model().objects.filter(email__iexact=address).first()
    if existing is not None:
        if existing.is_active:
            _tell_address_taken(existing, site_url)
        # System bookkeeping (no actor): the owner is told by e-mail.
        record(None, existing, AuditAction.ACCOUNT_SIGNUP_FOR_TAKEN_ADDRESS, audience=Audience.INTERNAL)
        return None
    user = register(full_name=full_name, email=address, password=password)
    send_verification(user, site_url)
    return user


def _mark_verified(user) -> bool:
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    record(user, user, AuditAction.ACCOUNT_EMAIL_VERIFIED, data={"email": user.email}, audience=Audience.APPLICANT)
    return True


def confirm_email(token: str, request=None):
    """Follow the verification link: the account's address is proved. A second time changes nothing."""
    with transaction.atomic():
        user, _ = read_token(token, VERIFY)
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        _mark_verified(user)
    email_verified.send(sender=confirm_email, user=user, request=request)
    return user


def verified_by_password_reset(user) -> None:
    """A new password made through the link sent to the address proves the address too."""
    with transaction.atomic():
        _mark_verified(get_user_model().objects.select_for_update().get(pk=user.pk))


# --- changing the address ---------------------------------------------------------------------


@transaction.atomic
def request_email_change(user, new_email: str, site_url: str) -> None:
    """Send a link to ``new_email``; the address changes when it is followed. The old address is told.

    If another account has the new address, the page says the same as otherwise (anyone can make
    an account, so saying «taken» would let a stranger find out who has one, as at sign-up); that
    address is told instead, and nothing changes.
    """
    new = normalise_email(new_email)
    if new == normalise_email(user.email):
        return
    if get_user_model().objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        record(user, user, AuditAction.ACCOUNT_EMAIL_CHANGE_REFUSED, data={"to": new}, audience=Audience.INTERNAL)
        _send(
            new,
            "Noen ville bruke e-postadressen din i tilskudd / Someone tried to use your e-mail address",
            "Hei,\n\n"
            "noen med en annen konto i tilskudd har bedt om å bytte til denne e-postadressen. "
            "Adressen har allerede en konto, så ingenting er endret. Du trenger ikke gjøre noe.\n\n"
            "---\n\n"
            "Hello,\n\n"
            "someone with another account in tilskudd asked to change to this e-mail address. "
            "The address already has an account, so nothing was changed. You need not do anything.\n",
        )
        return
    link = _url(site_url, "accounts:confirm_email_change", make_token(user, CHANGE, new_email=new))
    record(
        user,
        user,
        AuditAction.ACCOUNT_EMAIL_CHANGE_REQUESTED,
        data={"from": user.email, "to": new},
        audience=Audience.APPLICANT,
    )
    _send(
        new,
        "Bekreft den nye e-postadressen din i tilskudd / Confirm your new e-mail address",
        f"Hei {user.get_full_name()},\n\n"
        f"du har bedt om å bytte e-postadressen for kontoen din i tilskudd til {new}.\n"
        f"Åpne lenken for å bekrefte. Adressen byttes først da. Lenken virker i {_days()} dager.\n\n"
        f"{link}\n\n"
        "Har du ikke bedt om dette, kan du se bort fra e-posten.\n\n"
        "---\n\n"
        f"Hello {user.get_full_name()},\n\n"
        f"you have asked to change the e-mail address of your account in tilskudd to {new}.\n"
        f"Open the link above to confirm. The address changes only then. The link works for {_days()} days.\n\n"
        "If you did not ask for this, you can ignore this e-mail.\n",
    )
    _send(
        user.email,
        "Noen vil bytte e-postadressen på kontoen din / A change of your e-mail address was requested",
        f"Hei {user.get_full_name()},\n\n"
        f"det er bedt om å bytte e-postadressen for kontoen din i tilskudd fra {user.email} til en ny adresse. "
        "Den nye adressen har fått en lenke; adressen byttes først når lenken brukes.\n\n"
        "Var det ikke du? Logg inn og bytt passord, eller kontakt oss.\n\n"
        "---\n\n"
        f"Hello {user.get_full_name()},\n\n"
        f"a change of the e-mail address of your account in tilskudd from {user.email} to a new address has "
        "been requested. The new address has been sent a link; the address changes only when it is used.\n\n"
        "Was it not you? Log in and change your password, or contact us.\n",
    )


def confirm_email_change(token: str, request=None):
    """Follow the link sent to the new address: the account takes it, verified."""
    with transaction.atomic():
        user, payload = read_token(token, CHANGE)
        new = normalise_email(payload.get("n"))
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if not new:
            raise InvalidLink
        if get_user_model().objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
            raise EmailInUse
        old = user.email
        user.email = new
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        record(
            user, user, AuditAction.ACCOUNT_EMAIL_CHANGED, data={"from": old, "to": new}, audience=Audience.APPLICANT
        )
    email_verified.send(sender=confirm_email_change, user=user, request=request)
    return user
