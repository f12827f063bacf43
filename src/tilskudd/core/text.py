"""Interface text: bokmål first, English beside it.

Every fixed text is written as a pair where it is used (``pick(language, nb, en)`` in Python,
``{% t "nb" "en" %}`` in templates); the language is bokmål unless English is chosen. How a third
language (nynorsk) will fit is recorded in docs/decisions.md («Bilingual text»).
"""

from __future__ import annotations

from collections.abc import Iterable

NBSP = "\u00a0"


def is_english(language: str | None) -> bool:
    return bool(language) and str(language).lower().startswith("en")


def pick(language: str | None, nb: str, en: str) -> str:
    """The bokmål or the English text, by language code (bokmål unless English)."""
    return en if is_english(language) else nb


def quote(value: str, language: str | None) -> str:
    """«value» in bokmål, “value” in English."""
    return pick(language, f"«{value}»", f"“{value}”")


def lower_first(value: str) -> str:
    """'Rådmann' → 'rådmann' inside a sentence; 'NAV' and 'IMDi' stay as they are."""
    if len(value) > 1 and value[0].isupper() and value[1].islower():
        return value[0].lower() + value[1:]
    return value


def upper_first(value: str) -> str:
    return value[:1].upper() + value[1:]


def join_words(items: Iterable[str], language: str | None, last: str = "and") -> str:
    """['a', 'b', 'c'] → 'a, b og c' (or 'a, b and c'); ``last='or'`` gives 'eller'/'or'."""
    words = [item for item in items if item]
    if len(words) <= 1:
        return "".join(words)
    conjunction = pick(language, "og", "and") if last == "and" else pick(language, "eller", "or")
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
