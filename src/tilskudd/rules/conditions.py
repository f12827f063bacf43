"""When a condition holds, and when an answer is empty: the one definition.

A :class:`~tilskudd.rules.schema.Condition` says when a field or check applies
(``shown_when``, ``required_when``, a check's ``when``). The rule engine reads it
on an :class:`~tilskudd.rules.application.Application`, the call plan compiles it
once per call, and the application form reads it on a draft document (a plain
dict that need not be a valid application yet). All three call the functions
here, so the three readings cannot drift apart.

:func:`holds` does not know how a path is read: it is given ``lookup(path)``,
which gives the value at a path (``answers.x``, ``areas``, ``partners`` …) of
whatever is being checked. A partner may be an object with ``kind`` or a mapping
with ``"kind"``.

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tilskudd.rules.schema import Condition

__all__ = ["Lookup", "ValueTest", "holds", "in_areas", "is_empty", "matches", "names_partner", "value_test"]

#: The value at a path (``answers.x``, ``areas``, ``partners``) of what is checked; None when missing.
Lookup = Callable[[str], Any]
#: Whether a value passes the field part of a condition.
ValueTest = Callable[[Any], bool]


def is_empty(value: Any) -> bool:
    """No answer: None, blank text, or an empty list, tuple, set or dict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict, tuple, set)):
        return len(value) == 0
    return False


def in_areas(condition: Condition, areas: Iterable[str] | None) -> bool:
    """The areas part: no areas named, or the application names at least one of them."""
    return condition.areas is None or bool(set(condition.areas) & set(areas or ()))


def _kind(partner: Any) -> Any:
    return partner.get("kind") if isinstance(partner, Mapping) else getattr(partner, "kind", None)


def names_partner(partners: Iterable[Any] | None, kind: str) -> bool:
    """Whether one of ``partners`` (objects with ``kind`` or mappings with ``"kind"``) is of ``kind``."""
    return any(_kind(p) == kind for p in partners or ())


def matches(condition: Condition, value: Any) -> bool:
    """The field part: ``value`` (the answer at ``condition.field``) equals, is in, or is as truthy as asked."""
    if condition.equals is not None and value != condition.equals:
        return False
    if condition.in_ is not None and value not in condition.in_:
        return False
    if condition.truthy is not None and bool(value) is not condition.truthy:
        return False
    return True


def value_test(condition: Condition) -> ValueTest:
    """:func:`matches` for this condition as one function, for the call plan (read once per call).

    The common conditions with one part get a function of their own; they mean
    exactly what :func:`matches` means.
    """
    equals, in_, truthy = condition.equals, condition.in_, condition.truthy
    if equals is not None and in_ is None and truthy is None:
        return lambda value: not (value != equals)
    if truthy is not None and equals is None and in_ is None:
        return lambda value: bool(value) is truthy
    if in_ is not None and equals is None and truthy is None:
        return lambda value: value in in_
    return lambda value: matches(condition, value)


def holds(condition: Condition | None, lookup: Lookup) -> bool:
    """Whether every part of ``condition`` holds; no condition always holds.

    ``lookup(path)`` gives the value at a path: ``areas`` (the areas named),
    ``partners`` and the condition's ``field``.
    """
    if condition is None:
        return True
    if condition.areas is not None and not in_areas(condition, lookup("areas")):
        return False
    if condition.partner is not None and not names_partner(lookup("partners"), condition.partner):
        return False
    if condition.field is not None and not matches(condition, lookup(condition.field)):
        return False
    return True
