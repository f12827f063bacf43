"""Field-level encryption of the participants' personal data (C0-R12) with ``cryptography``'s ``MultiFernet``.

The keys come from ``settings.PARTICIPANT_DATA_KEYS`` (the environment's ``PARTICIPANT_DATA_KEYS``, Fernet keys
comma-separated, newest first): the first encrypts, every one decrypts. Rotation: put a new key first, run
``manage.py rotate_participant_keys`` (each value re-encrypted with the newest key by ``MultiFernet.rotate``),
then drop the old key. Without a key nothing is stored — never plain text — and nothing can be read.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from tilskudd.core.refusals import Refusal


class KeysMissing(Refusal):
    """No usable key: personal data are neither stored nor read."""

    status = 503

    def __init__(self, detail: str = ""):
        super().__init__(
            "Personopplysninger kan ikke lagres eller leses: nøkkelen for kryptering mangler (PARTICIPANT_DATA_KEYS)."
            + (f" {detail}" if detail else ""),
            "Personal data cannot be stored or read: the encryption key is missing (PARTICIPANT_DATA_KEYS)."
            + (f" {detail}" if detail else ""),
        )


class Undecryptable(Refusal):
    status = 500

    def __init__(self):
        super().__init__(
            "Opplysningene kan ikke dekrypteres med nøklene som er satt opp.",
            "The data cannot be decrypted with the keys configured.",
        )


def keys() -> list[str]:
    configured = getattr(settings, "PARTICIPANT_DATA_KEYS", None) or []
    if isinstance(configured, str):
        configured = [k.strip() for k in configured.split(",")]
    return [key for key in configured if key]


def multi() -> MultiFernet:
    found = keys()
    if not found:
        raise KeysMissing()
    try:
        return MultiFernet([Fernet(key) for key in found])
    except (ValueError, TypeError) as exc:
        raise KeysMissing("(ugyldig nøkkel / invalid key)") from exc


def seal(value: str) -> str:
    """``value`` encrypted with the newest key, as ASCII text."""
    return multi().encrypt(value.encode()).decode("ascii")


def unseal(token: str) -> str:
    try:
        return multi().decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise Undecryptable() from exc


def rotate(token: str) -> str:
    """The same value encrypted with the newest key (``MultiFernet.rotate``)."""
    try:
        return multi().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise Undecryptable() from exc
