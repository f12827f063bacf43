"""The application's stated goals beside the report's goal achievement (issue #12, point 2).

The call file says which of the application's fields a report field is answered against (``beside`` on a
report field, checked against the call's fields when the call is read). The answers are read from the
submitted application through the rule engine's typed model (``Application.submitted()``) at the field's own
path (``rules.engine.resolve``), as the engine reads them — never from the draft, never by guessing keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tilskudd.core.text import pick
from tilskudd.reports.models import ReportingDuty
from tilskudd.rules.engine import resolve


@dataclass(frozen=True)
class StatedGoal:
    """One answer of the submitted application shown beside a report field: the field's label and the text."""

    field_id: str
    label_nb: str
    label_en: str
    text: str

    def label(self, language: str) -> str:
        return pick(language, self.label_nb, self.label_en or self.label_nb)

    def as_dict(self, language: str) -> dict[str, Any]:
        return {"id": self.field_id, "label": self.label(language), "text": self.text}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    return str(value).strip()


def stated_goals(duty: ReportingDuty) -> dict[str, list[StatedGoal]]:
    """By report field id (of the duty's kind): the application's answers the call shows beside it, in the
    call's order; fields the application left empty are left out, and so is a report field with none."""
    application = duty.grant.application
    call = application.call_version.parsed()
    form = call.reporting.form
    submitted = application.submitted()
    if form is None or submitted is None:
        return {}
    by_id = {spec.id: spec for spec in call.fields}
    found: dict[str, list[StatedGoal]] = {}
    shown = {section.id for section in form.sections_for(duty.kind)}
    for report_field in (f for f in form.fields if f.section in shown):
        goals = []
        for name in report_field.beside:
            spec = by_id[name]  # the call's own check: ``beside`` names only the call's fields
            text = _text(resolve(submitted, spec.value_path))
            if text:
                goals.append(StatedGoal(name, spec.label.nb, spec.label.en or "", text))
        if goals:
            found[report_field.id] = goals
    return found
