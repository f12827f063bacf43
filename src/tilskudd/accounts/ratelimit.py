"""Counting what one address or one client asks for, so nobody can flood mailboxes or guess at scale.

Counters live in Django's shared cache (settings ``CACHES``: the database cache, or Redis when
``REDIS_URL`` is set), so every worker process sees the same count. A counter is a fixed window:
the first hit starts it, and it ends ``window`` after that.

Limits (settings, per hour unless said):

* ``ACCOUNT_EMAILS_PER_ADDRESS`` — e-mails sent to one address by sign-up, password reset and
  the verification link together. Over the limit nothing more is sent, but the page is the same,
  so the limit tells nobody whether the address has an account.
* ``ACCOUNT_REQUESTS_PER_CLIENT`` — sign-ups, password resets and re-sent links from one client
  address. Over the limit the client gets 429 and a page that says to wait.
* ``LOGIN_FAILURES_PER_CLIENT`` — failed logins from one client address across all accounts
  (password spraying); django-axes still counts failures per account and address besides.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache

HOUR = dt.timedelta(hours=1)


def _key(scope: str, value: str) -> str:
    # Hashed: cache keys have a limited alphabet, and the cache need not hold addresses in clear.
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:40]
    return f"tilskudd.rl.{scope}.{digest}"


def count(scope: str, value: str | None) -> int:
    """How many hits ``value`` has in the current window of ``scope``."""
    if not value:
        return 0
    return int(cache.get(_key(scope, value), 0))


def hit(scope: str, value: str | None, window: dt.timedelta = HOUR) -> int:
    """Count one hit for ``value`` and return the count including it."""
    if not value:
        return 0
    key = _key(scope, value)
    if cache.add(key, 1, timeout=int(window.total_seconds())):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=int(window.total_seconds()))
        return 1


def over(scope: str, value: str | None, limit: int) -> bool:
    """Whether ``value`` has used up ``limit`` hits in the current window (without counting one)."""
    return bool(value) and count(scope, value) >= limit


def reset(scope: str, value: str | None) -> None:
    if value:
        cache.delete(_key(scope, value))


# --- the limits the account pages use ----------------------------------------------------------

EMAIL_TO_ADDRESS = "email-address"
ACCOUNT_REQUEST_FROM_CLIENT = "account-client"
LOGIN_FAILURE_FROM_CLIENT = "login-client"


def emails_per_address() -> int:
    return int(getattr(settings, "ACCOUNT_EMAILS_PER_ADDRESS", 5))


def requests_per_client() -> int:
    return int(getattr(settings, "ACCOUNT_REQUESTS_PER_CLIENT", 30))


def login_failures_per_client() -> int:
    return int(getattr(settings, "LOGIN_FAILURES_PER_CLIENT", 20))


def may_email(address: str) -> bool:
    """Count an e-mail to ``address``; False when the address has had its share this hour."""
    return hit(EMAIL_TO_ADDRESS, address) <= emails_per_address()


def client_request_allowed(ip: str | None) -> bool:
    """Count an account request (sign-up, reset, re-send) from ``ip``; False over the limit."""
    return hit(ACCOUNT_REQUEST_FROM_CLIENT, ip) <= requests_per_client()


def client_locked_out(ip: str | None) -> bool:
    """Whether ``ip`` has failed too many logins, to any accounts, this hour."""
    return over(LOGIN_FAILURE_FROM_CLIENT, ip, login_failures_per_client())


def login_failed(ip: str | None) -> None:
    hit(LOGIN_FAILURE_FROM_CLIENT, ip)
