"""What the payment files share: the refusal, account numbers (BBAN → IBAN) and text fit for a field.

Account numbers: a Norwegian account (*kontonummer*, 11 digits with a MOD11 check digit, written
«8601 11 17947» or «8601.11.17947») goes into the file as its IBAN, NO + two check digits + the 11
digits (ISO 13616, MOD 97-10: «8601 11 17947» is NO93 8601 1117 947). An IBAN is taken as it is
once its check digits hold (and, for a Norwegian one, the account's own MOD11 digit too).

Text: the schema's MaxNText types are any string of 1..N characters, so æ, ø and å (and any other
letter) go in as they are and ElementTree escapes &, < and >. What XML 1.0 cannot hold at all
(control characters, U+FFFE, U+FFFF, lone surrogates) is refused, never dropped in silence; runs of
white space become one space.
"""

from __future__ import annotations

import re
import unicodedata

from tilskudd.core.refusals import Refusal
from tilskudd.rules.validators import BANK_ACCOUNT_WEIGHTS, is_valid_bank_account, mod11_check_digit

__all__ = [
    "BankFileRefused",
    "PaymentFileRefused",
    "field_text",
    "format_bban",
    "is_valid_iban",
    "is_valid_kid",
    "kid",
    "to_iban",
]


class PaymentFileRefused(Refusal):
    """A payment file cannot be made from this input; the reason says which field and why."""

    status = 400


class BankFileRefused(PaymentFileRefused):
    """A file from the bank cannot be read (not XML, another message, a DTD, an amount not in NOK …)."""


_SEPARATORS = re.compile(r"[\s.\-]")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
_BBAN = re.compile(r"[0-9]{11}")
#: The lengths of IBANs we know by country; another country's IBAN is held to 15..34 and its check digits.
IBAN_LENGTHS = {"NO": 15, "SE": 24, "DK": 18, "FI": 18, "IS": 26, "DE": 22, "GB": 22, "NL": 18, "FR": 27}
#: Characters XML 1.0 cannot hold (C0 controls but tab, LF, CR), C1 controls, and the non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_WHITE = re.compile(r"\s+")


def _iban_remainder(country: str, check: str, bban: str) -> int:
    """ISO 7064 MOD 97-10 over BBAN + country + check, letters as 10..35."""
    rearranged = bban + country + check
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def is_valid_iban(value: str) -> bool:
    iban = _SEPARATORS.sub("", value or "").upper()
    if not _IBAN.fullmatch(iban) or not iban.isascii():
        return False
    expected = IBAN_LENGTHS.get(iban[:2])
    if (expected is not None and len(iban) != expected) or not 15 <= len(iban) <= 34:
        return False
    if iban[:2] == "NO" and not is_valid_bank_account(iban[4:]):
        return False
    return _iban_remainder(iban[:2], iban[2:4], iban[4:]) == 1


def to_iban(account: str, *, whose_nb: str = "Kontonummeret", whose_en: str = "The account number") -> str:
    """The IBAN for a Norwegian account number or an IBAN, compact and upper case; refused when it does not check.

    ``whose_nb``/``whose_en`` name the account in the reason («Mottakerens kontonummer …»).
    """
    compact = _SEPARATORS.sub("", account or "").upper()
    if _BBAN.fullmatch(compact):
        if not is_valid_bank_account(compact):
            raise PaymentFileRefused(
                f"{whose_nb} {account!r} er ikke gyldig: kontrollsifferet (MOD11) stemmer ikke.",
                f"{whose_en} {account!r} is not valid: its check digit (MOD11) does not match.",
            )
        check = 98 - _iban_remainder("NO", "00", compact)
        return f"NO{check:02d}{compact}"
    if is_valid_iban(compact):
        return compact
    if compact.isascii() and compact.isdigit():
        raise PaymentFileRefused(
            f"{whose_nb} {account!r} er ikke gyldig: et norsk kontonummer har 11 siffer.",
            f"{whose_en} {account!r} is not valid: a Norwegian account number has 11 digits.",
        )
    raise PaymentFileRefused(
        f"{whose_nb} {account!r} er verken et gyldig norsk kontonummer eller et gyldig IBAN (kontrollsifrene stemmer ikke).",
        f"{whose_en} {account!r} is neither a valid Norwegian account number nor a valid IBAN (the check digits do not match).",
    )


def format_bban(iban: str) -> str:
    """«8601 11 17947» for a Norwegian IBAN, the IBAN in groups of four for any other."""
    if iban.startswith("NO") and len(iban) == 15:
        bban = iban[4:]
        return f"{bban[:4]} {bban[4:6]} {bban[6:]}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def field_text(
    value: str, limit: int, what_nb: str, what_en: str, *, shorten: bool = False, required: bool = True
) -> str:
    """``value`` as one line fit for a text field of at most ``limit`` characters.

    Composed (NFC) so that «å» counts as one character, white space collapsed, trimmed. Longer than
    ``limit``: cut at a word boundary where one is near (``shorten``), otherwise refused.
    """
    text = unicodedata.normalize("NFC", value or "")
    bad = _NOT_XML.search(text)
    if bad:
        raise PaymentFileRefused(
            f"{what_nb} har et tegn som ikke kan stå i en betalingsfil (U+{ord(bad.group()):04X}).",
            f"{what_en} has a character that cannot be in a payment file (U+{ord(bad.group()):04X}).",
        )
    text = _WHITE.sub(" ", text).strip()
    if not text:
        if not required:
            return ""
        raise PaymentFileRefused(f"{what_nb} mangler.", f"{what_en} is missing.")
    if len(text) <= limit:
        return text
    if not shorten:
        raise PaymentFileRefused(
            f"{what_nb} er {len(text)} tegn; høyst {limit} er tillatt.",
            f"{what_en} is {len(text)} characters; at most {limit} are allowed.",
        )
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:  # a word boundary near the end: no half word at the end of a name
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") or text[:limit].rstrip()


def mod11_account_check_digit(first_ten: str) -> int | None:
    """The MOD11 check digit of a Norwegian account from its first ten digits (None: no account ends so)."""
    return mod11_check_digit(first_ten, BANK_ACCOUNT_WEIGHTS)


# --- KID (*kundeidentifikasjon*): the reference a payer gives so the receiving bank can tell what is paid -------

#: Digits before the check digit of a KID made by :func:`kid` (the number zero-padded on the left).
KID_DIGITS = 9


def _mod10_check_digit(digits: str) -> str:
    """The Luhn (MOD10) check digit of ``digits``: from the right, every other digit doubled (less 9 above 9)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def kid(number: int) -> str:
    """A KID for ``number`` (≥ 1): the number in :data:`KID_DIGITS` digits, then its MOD10 check digit.

    ``kid(7)`` is «0000000075». Norwegian banks carry a KID in camt.054 as ``RmtInf/Strd/CdtrRefInf/Ref``."""
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 10**KID_DIGITS:
        raise ValueError(f"a KID is made from a number of 1 to {KID_DIGITS} digits, not {number!r}")
    digits = f"{number:0{KID_DIGITS}d}"
    return digits + _mod10_check_digit(digits)


def is_valid_kid(value: str) -> bool:
    """Whether ``value`` is a KID of 2 to 25 digits whose last is its MOD10 check digit."""
    text = (value or "").strip()
    return text.isascii() and text.isdigit() and 2 <= len(text) <= 25 and _mod10_check_digit(text[:-1]) == text[-1]
