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


def format_org_number(value: str) -> str:
    """'974760843' → '974 760 843'."""
    digits = digits_only(value)
    return f"{digits[0:3]} {digits[3:6]} {digits[6:9]}" if len(digits) == 9 else value


def format_bank_account(value: str) -> str:
    """'12345678903' → '1234.56.78903'."""
    digits = digits_only(value)
    return f"{digits[0:4]}.{digits[4:6]}.{digits[6:11]}" if len(digits) == 11 else value
