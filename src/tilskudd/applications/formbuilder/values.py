"""Values as people type them into an input, and as an input shows them again.

Whatever cannot be read stays as typed (``12,5`` for whole kroner), so that nothing is lost and the
checks say what is wrong.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tilskudd.core.formatting import parse_date as read_date
from tilskudd.core.formatting import read_nok
from tilskudd.rules.validators import digits_only

#: Numbers are read only up to 18 digits: every one fits the database's 64-bit integers (and
#: Python's int() refuses more than 4300 digits). A longer one stays as typed; the checks say what is wrong.
MAX_DIGITS = 18


# --- shown in an input ---------------------------------------------------------------


def format_int(value: Any) -> str:
    """12000 → '12 000' for an input (plain spaces: what people type)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return str(value)


def format_decimal(value: Any) -> str:
    """0.5 → '0,5' and 1.0 → '1' for an input; what was kept as typed stays so."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def bool_value(value: Any) -> str | None:
    """The option a yes/no question has chosen: 'true', 'false' or none."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return None


# --- read from a post ----------------------------------------------------------------


def parse_int(raw: str) -> int | str | None:
    """'12', '12 000' → int; '' → None; anything else stays as typed (the checks say what is wrong)."""
    text = (raw or "").strip()
    if not text:
        return None
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)
    if re.fullmatch(r"-?[0-9]{1,%d}" % MAX_DIGITS, compact):
        return int(compact)
    return text


def parse_nok(raw: str) -> int | str | None:
    """'150 000', '150 000 kr', '150.000', '150000,-' → 150000; '150,50' stays as typed (whole NOK only)."""
    text = (raw or "").strip()
    if not text:
        return None
    amount = read_nok(text)  # the one reader of amounts, shared with every amount field (core.formatting)
    return amount if amount is not None else text


def parse_decimal(raw: str) -> float | str | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return number if math.isfinite(number) else text  # 1e309, NaN: JSON (and PostgreSQL) have no such number


def parse_date(raw: str) -> str | None:
    """ISO (what a date input sends) or dd.mm.yyyy → ISO; anything else stays as typed."""
    text = (raw or "").strip()
    if not text:
        return None
    day = read_date(text)
    return day.isoformat() if day else text


def parse_bool(raw: str | None) -> bool | None:
    if raw in ("true", "ja", "yes", "on"):
        return True
    if raw in ("false", "nei", "no"):
        return False
    return None


def parse_identifier(raw: str) -> str | None:
    """Organisation and account numbers: the spaces and dots people type are removed."""
    text = (raw or "").strip()
    if not text:
        return None
    digits = digits_only(text)
    return digits if digits.isdigit() else text


def parse_text(raw: str | None) -> str | None:
    """Trimmed text; empty is None."""
    text = (raw or "").strip()
    return text or None


def parse_long_text(raw: str | None) -> str | None:
    """Text of a text area: the browser's line breaks (CRLF) as ``\\n``, trimmed; empty is None."""
    text = (raw or "").replace("\r\n", "\n").strip()
    return text or None


# --- small helpers -------------------------------------------------------------------


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
