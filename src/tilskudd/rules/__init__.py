"""The rule engine (*regelmotor*): pure Python, no Django.

A call definition (:class:`CallDefinition`, read from a YAML file) and an
application (:class:`Application`, the JSON exchange format) go in; a list of
:class:`Finding` comes out. The web forms, the API, the CLI and the
caseworker's screening all call :func:`evaluate`.
"""

from tilskudd.rules.application import Application
from tilskudd.rules.engine import evaluate
from tilskudd.rules.findings import Finding, Severity
from tilskudd.rules.loading import CallFileError, load_call_file, parse_call
from tilskudd.rules.schema import CallDefinition

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
