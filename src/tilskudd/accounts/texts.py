"""Bokmål first, English second, for texts made in Python (form labels, errors, e-mail subjects).

``bi("E-post", "E-mail")`` is lazy: it picks the language when the text is shown, so it can sit
in a form's field definitions, which are built once when the module is imported.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import get_language

from tilskudd.core.text import pick


def now_text(nb: str, en: str) -> str:
    """The bokmål or English text for the active language, picked now."""
    return pick(get_language(), nb, en)


bi = lazy(now_text, str)
