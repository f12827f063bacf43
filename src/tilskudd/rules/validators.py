"""Check digits for Norwegian identifiers (MOD11), X-R02.

* Organisation number (*organisasjonsnummer*): 9 digits, the last a MOD11
  check digit with weights 3 2 7 6 5 4 3 2 (Brønnøysundregistrene).
* Bank account number (*kontonummer*): 11 digits, the last a MOD11 check digit
  with weights 5 4 3 2 7 6 5 4 3 2.
* National identity number (*fødselsnummer*, also D- and H-numbers): 11 digits,
  two MOD11 check digits, and a date of birth that exists.

Spaces and dots, as people write them ("974 760 843", "1234.56.78903"), are
allowed and removed by :func:`digits_only`.
"""

from __future__ import annotations

import datetime as dt
import re

_SEPARATORS = re.compile(r"[\s.]")

ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
BANK_ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
NATIONAL_ID_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
NATIONAL_ID_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def digits_only(value: str) -> str:
    """Remove the separators people type; keep anything else so that it fails."""
    return _SEPARATORS.sub("", value or "")


def org_number_digits(value: str) -> str:
    """'821 311 632' and '821.311.632' are 821311632: one number for the allow-list, MOD11 and grantors.

    Only a value that is nine digits once its spaces and dots are gone is changed; anything else is
    kept as written, so that the identifier check (X-R02) shows the applicant what they typed.
    """
    digits = digits_only(value)
    return digits if len(digits) == 9 and digits.isascii() and digits.isdigit() else value


def mod11_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The MOD11 check digit for ``digits``, or None where none exists (remainder 1)."""
    total = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def _valid_mod11(value: str, length: int, weights: tuple[int, ...]) -> bool:
    digits = digits_only(value)
    if len(digits) != length or not digits.isascii() or not digits.isdigit():
        return False
    return mod11_check_digit(digits[:-1], weights) == int(digits[-1])


def is_valid_org_number(value: str) -> bool:
    return _valid_mod11(value, 9, ORG_NUMBER_WEIGHTS)


def is_valid_bank_account(value: str) -> bool:
    return _valid_mod11(value, 11, BANK_ACCOUNT_WEIGHTS)


def is_valid_national_id(value: str) -> bool:
    digits = digits_only(value)
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    if mod11_check_digit(digits[:9], NATIONAL_ID_WEIGHTS_1) != int(digits[9]):
        return False
    if mod11_check_digit(digits[:10], NATIONAL_ID_WEIGHTS_2) != int(digits[10]):
        return False
    return _birth_date(digits) is not None


def _birth_date(digits: str) -> dt.date | None:
    """The date of birth in a national identity number, D-number or H-number."""
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    individual = int(digits[6:9])
    if day > 40:  # D-number (*D-nummer*)
        day -= 40
    if month > 80:  # synthetic test numbers from Skatteetaten's test environment
        month -= 80
    elif month > 40:  # H-number (*H-nummer*)
        month -= 40
    if individual <= 499:
        century = 1900
    elif individual <= 749 and year2 >= 54:
        century = 1800
    elif individual <= 999 and year2 <= 39:
        century = 2000
    else:
        century = 1900
    try:
        return dt.date(century + year2, month, day)
    except ValueError:
        return None


# --- e-mail addresses and phone numbers (issue #10, point 8) ----------------------------------
#
# The project has neither ``email-validator`` nor ``phonenumbers``, and Django's validators cannot be
# used here (no Django in the rule engine), so these are strict, documented patterns of their own.

#: The local part (before @): RFC 5322 dot-atoms — letters (also æøå and other letters, RFC 6531), digits
#: and ! # $ % & ' * + / = ? ^ _ ` { | } ~ -, in runs separated by single dots; no quoted strings.
_EMAIL_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_EMAIL_LOCAL = re.compile(rf"{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*")
#: One domain label: letters (also IDN letters like in «bærum.kommune.no»), digits and inner hyphens.
_DOMAIN_LABEL = re.compile(r"(?!-)[^\W_](?:[^\W_]|-){0,62}(?<!-)")
#: The top-level domain: letters only (no, com, example) or an ACE form (xn--…), at least two characters.
_TOP_LEVEL = re.compile(r"[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59}", re.IGNORECASE)


def is_valid_email(value: str) -> bool:
    """An e-mail address as people use them: ``name@kommune.no``, ``ola.nordmann+tilskudd@bærum.kommune.no``.

    One @; a local part of dot-atoms (at most 64 characters); a domain of at least two labels separated by
    single dots, each label 1–63 letters, digits or inner hyphens, the last a top-level domain of letters;
    at most 254 characters in all. No spaces, commas (``navn@example,org``), quotes, IP-address domains
    or comments: an address a grantor's letter could be sent to.
    """
    if not isinstance(value, str) or len(value) > 254 or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    if len(local) > 64 or not _EMAIL_LOCAL.fullmatch(local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        return False
    return bool(_TOP_LEVEL.fullmatch(labels[-1]))


#: Digits in groups separated by single spaces or hyphens, after an optional + (or 00) for a country code.
_PHONE = re.compile(r"(?P<plus>\+)?(?P<digits>[0-9]+(?:[ -][0-9]+)*)")


def is_valid_phone(value: str) -> bool:
    """A phone number: 8 to 15 digits (E.164 allows at most 15), as people write them.

    ``22 24 90 90``, ``912 34 567``, ``+47 22 24 90 90``, ``0047 22249090``, ``22-24-90-90``. Digits may be
    grouped with single spaces or hyphens; a + may only open the number. Letters, brackets, dots,
    extensions and double separators are refused, and so are fewer than 8 or more than 15 digits.
    """
    if not isinstance(value, str):
        return False
    match = _PHONE.fullmatch(value)
    if match is None:
        return False
    digits = re.sub(r"[ -]", "", match["digits"])
    if not digits.isascii():
        return False
    if match["plus"] is None and digits.startswith("00"):
        digits = digits[2:]  # 0047 … is +47 …
    return 8 <= len(digits) <= 15


def format_org_number(value: str) -> str:
    """'974760843' → '974 760 843'."""
    digits = digits_only(value)
    return f"{digits[0:3]} {digits[3:6]} {digits[6:9]}" if len(digits) == 9 else value


def format_bank_account(value: str) -> str:
    """'12345678903' → '1234.56.78903'."""
    digits = digits_only(value)
    return f"{digits[0:4]}.{digits[4:6]}.{digits[6:11]}" if len(digits) == 11 else value
