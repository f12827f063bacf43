"""Which questions are shown (``shown_when``) and required (``required_when``), and which answers
decide that (a change to them re-renders the form).

Evaluated with the engine's own :func:`tilskudd.rules.conditions.holds`, but on a plain dict (paths read
with :func:`~.paths.resolve`), because a draft need not be a valid application yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from tilskudd.applications.formbuilder.paths import resolve
from tilskudd.rules.conditions import holds
from tilskudd.rules.schema import CallDefinition, Condition, FormField


def holds_on(condition: Condition | None, document: Mapping[str, Any]) -> bool:
    """Whether ``condition`` holds on the draft ``document`` (:func:`tilskudd.rules.conditions.holds`)."""
    return holds(condition, partial(resolve, document))


def is_shown(form_field: FormField, document: Mapping[str, Any]) -> bool:
    return holds_on(form_field.shown_when, document) if form_field.shown_when else True


def is_required(form_field: FormField, document: Mapping[str, Any]) -> bool:
    return form_field.required or (
        form_field.required_when is not None and holds_on(form_field.required_when, document)
    )


def condition_paths(call: CallDefinition) -> set[str]:
    """Paths whose value decides what is shown or checked: a change to them re-renders the form."""
    paths: set[str] = set()
    conditions = [f.shown_when for f in call.fields] + [f.required_when for f in call.fields]
    conditions += [check.when for check in call.checks]
    for condition in conditions:
        if condition is None:
            continue
        if condition.field:
            paths.add(condition.field)
        if condition.areas:
            paths.add("areas")
        if condition.partner:
            paths.add("partners")
    return paths
