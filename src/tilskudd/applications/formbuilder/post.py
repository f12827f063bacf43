"""Reading a post back into the application: each path that was on the page is read by its kind."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tilskudd.applications.formbuilder import kinds
from tilskudd.applications.formbuilder.paths import html_id, parent_path
from tilskudd.applications.formbuilder.posted import Posted, Reading
from tilskudd.rules.conditions import is_empty
from tilskudd.rules.schema import CallDefinition

#: Top-level parts of the exchange format the applicant edits (``services.EDITABLE_KEYS``).
EDITABLE_KEYS = ("grantor", "areas", "joint", "contacts", "answers", "partners", "project", "budget")


@dataclass
class Parsed:
    """The document after the post, the changed top-level parts, and the buttons pressed."""

    document: dict[str, Any]
    changes: dict[str, Any]
    add: str | None = None  # a list path: one more empty row
    remove: str | None = None  # a row path that was removed
    anchor: str = ""  # where the page should open again

    blank_rows: int = 0  # empty rows of the list ``add`` names, as posted

    def extra_rows(self) -> dict[str, int]:
        return {self.add: self.blank_rows + 1} if self.add else {}


def apply_post(call: CallDefinition, document: Mapping[str, Any], data: Any) -> Parsed:
    """Apply what was posted to ``document``; only the fields that were on the page change.

    The page lists its fields in ``_fields``; a field not on the page (hidden by
    a condition) keeps its value. Values that cannot be read (``12,5`` for
    whole kroner) are kept as typed, so that nothing is lost and the checks
    say what is wrong.
    """
    posted = Posted(data)
    remove = posted.get("_remove") or None
    add = posted.get("_add") or None
    reading = Reading(call, posted, copy.deepcopy(dict(document)), remove)
    fields_by_path = {f.value_path: f for f in call.fields}
    for path in set(posted.getlist("_fields")):
        form_field = fields_by_path.get(path)
        kind = kinds.for_path(path, form_field)
        if kind is not None:
            kind.parse(reading, path, form_field)
    new = reading.document

    # A part that was missing and is still empty is no change (a save without edits must not void a signature).
    changes = {
        key: new.get(key)
        for key in EDITABLE_KEYS
        if new.get(key) != document.get(key) and not (is_empty(new.get(key)) and is_empty(document.get(key)))
    }
    anchor = ""
    blank = 0
    if add:
        anchor = html_id(add)
        blank = sum(
            1
            for index in posted.indices(add)
            if all(not (posted.get(key) or "").strip() for key in posted.keys() if key.startswith(f"{add}[{index}]."))
        )
    elif remove:
        anchor = html_id(parent_path(remove) or remove)
    return Parsed(new, changes, add, remove, anchor, blank)
