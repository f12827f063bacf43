"""The one place for how money, numbers, dates and times are written.

Money is whole kroner (``int``). Time is stored in UTC and shown in Europe/Oslo. Bokmål groups
digits with a non-breaking space and writes dates as 28.02.2027; English writes NOK 1,000 and
28 February 2027.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from tilskudd.core.text import NBSP, is_english

OSLO = ZoneInfo("Europe/Oslo")

MONTHS_EN = "January February March April May June July August September October November December".split()


# --- numbers and money ---------------------------------------------------------------


def format_number(value: int, language: str | None = "nb") -> str:
    """12000 → '12 000' (bokmål, non-breaking space) or '12,000'."""
    if is_english(language):
        return f"{value:,}"
    return f"{value:,}".replace(",", NBSP)


def format_nok(amount: int, language: str | None = "nb") -> str:
    """52300000 → '52 300 000 kr' (non-breaking spaces) or 'NOK 52,300,000'."""
    if is_english(language):
        return f"NOK {amount:,}"
    return format_number(amount, language) + NBSP + "kr"


def format_decimal(value: Decimal | float, language: str | None = "nb", places: int = 3) -> str:
    """5.300 → '5,3' / '5.3'; rounded half up to ``places`` decimals, trailing zeros dropped."""
    step = Decimal(1).scaleb(-places)
    text = str(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if is_english(language) else text.replace(".", ",")


def format_percent(value: float, language: str | None = "nb") -> str:
    """12.5 → '12,5 %' or '12.5%'."""
    rounded = round(value, 1)
    number = f"{rounded:.1f}".rstrip("0").rstrip(".")
    return f"{number}%" if is_english(language) else f"{number.replace('.', ',')}{NBSP}%"


def format_fraction(value: Fraction, language: str | None = "nb") -> str:
    """2/3 → '2/3'; 1/2 → '0,5' or '0.5'; 3 → '3'."""
    if value.denominator == 1:
        return str(value.numerator)
    if value.denominator in (2, 4, 5, 10, 20, 25, 50, 100):
        text = f"{float(value):g}"
        return text if is_english(language) else text.replace(".", ",")
    return f"{value.numerator}/{value.denominator}"


# --- dates and times -----------------------------------------------------------------


def in_oslo(instant: dt.datetime) -> dt.datetime:
    """An aware instant as Oslo local time (a naive one is taken to be UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(OSLO)


def format_date(day: dt.date | dt.datetime | None, language: str | None = "nb") -> str:
    """'01.09.2030' or '1 September 2030' ('' for None); an instant gives its Oslo date."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = in_oslo(day).date()
    if is_english(language):
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day:%d.%m.%Y}"


def format_time(instant: dt.datetime, seconds: bool | None = None) -> str:
    """'12:00' in Oslo time; ``seconds=None`` shows them only when they are not zero."""
    local = in_oslo(instant)
    if seconds or (seconds is None and local.second):
        return f"{local:%H:%M:%S}"
    return f"{local:%H:%M}"


def format_datetime(instant: dt.datetime | None, language: str | None = "nb", seconds: bool | None = None) -> str:
    """An instant in Oslo time: '28.02.2019 kl. 12:00' or '28 February 2019 at 12:00' ('' for None)."""
    if instant is None:
        return ""
    local = in_oslo(instant)
    clock = format_time(local, seconds)
    if is_english(language):
        return f"{format_date(local.date(), language)} at {clock}"
    return f"{format_date(local.date(), language)} kl. {clock}"


def parse_date(text: str) -> dt.date | None:
    """A date as people write it here: 2027-02-28, 28.02.2027, 28.02.27 or 28/02/2027; None if none of them."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


# --- amounts as people type them (issue #13, point 6) ---------------------------------

#: Amounts are read only up to 18 digits: every one fits the database's 64-bit integers.
NOK_MAX_DIGITS = 18
_NOK_NOISE = re.compile(r"(?i)(kr\.?|nok|,-|\s|\u00a0|\u202f)")


def read_nok(text: str | None) -> int | None:
    """An amount in whole kroner as people write it here, or None if it cannot be read as one.

    '150 000', '150 000 kr', 'kr 150.000', '150000,-', '100.000,-', 'NOK 150 000' → 150000; '150,50' (øre)
    and '1.50' are not whole kroner → None. The one reader of amounts: the application form
    (applications.formbuilder.values.parse_nok) and every amount field (tilskudd.core.forms.NokField).
    """
    compact = _NOK_NOISE.sub("", (text or "").strip())
    if re.fullmatch(r"[0-9]{1,%d}" % NOK_MAX_DIGITS, compact):
        return int(compact)
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3}){1,5}", compact):
        return int(compact.replace(".", ""))
    return None
