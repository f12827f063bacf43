"""What the rule engine returns: one finding per broken rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    """An error stops submission; a warning is shown but does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule the application breaks.

    ``field`` is a path into the application exchange format, such as
    ``answers.participants`` or ``budget.lines[2].category``; empty when the
    finding concerns the application as a whole.
    """

    rule_id: str
    severity: Severity
    message_nb: str
    message_en: str
    field: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.is_error for finding in findings)
