"""The rule engine (*regelmotor*): pure Python, no Django.

A call definition (:class:`CallDefinition`, read from a YAML file) and an
application (:class:`Application`, the JSON exchange format) go in; a list of
:class:`Finding` comes out. The web forms, the API, the CLI and the
caseworker's screening all call :func:`evaluate`.

The names below are imported when first used (PEP 562), not with the package: a module that needs only
``tilskudd.rules.application``'s enumerations does not build the call format's pydantic models and the
engine's plans, so management commands and the worker start faster (issue #13, point 11).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tilskudd.rules.application import Application
    from tilskudd.rules.engine import evaluate
    from tilskudd.rules.findings import Finding, Severity
    from tilskudd.rules.loading import CallFileError, load_call_file, parse_call
    from tilskudd.rules.schema import CallDefinition

_WHERE = {
    "Application": "tilskudd.rules.application",
    "CallDefinition": "tilskudd.rules.schema",
    "CallFileError": "tilskudd.rules.loading",
    "Finding": "tilskudd.rules.findings",
    "Severity": "tilskudd.rules.findings",
    "evaluate": "tilskudd.rules.engine",
    "load_call_file": "tilskudd.rules.loading",
    "parse_call": "tilskudd.rules.loading",
}

__all__ = [
    "Application",
    "CallDefinition",
    "CallFileError",
    "Finding",
    "Severity",
    "evaluate",
    "load_call_file",
    "parse_call",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
