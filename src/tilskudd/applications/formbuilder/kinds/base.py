"""The base of every kind of widget: one class owns how its widget is built and how its post is read."""

from __future__ import annotations

from typing import Any, ClassVar

from tilskudd.applications.formbuilder.builder import Builder
from tilskudd.applications.formbuilder.posted import Reading
from tilskudd.applications.formbuilder.values import parse_text
from tilskudd.applications.formbuilder.widgets import Widget
from tilskudd.rules.conditions import is_empty
from tilskudd.rules.schema import FieldType, FormField, Text

YES = Text(nb="Ja", en="Yes")
NO = Text(nb="Nei", en="No")


class Kind:
    """One kind of widget on the form.

    ``types``: the field types of the call it shows (looked up by :func:`..kinds.for_field`);
    ``paths``: the paths it owns whether or not a field of the call names them (the parts the form adds,
    such as the priority areas or the joint application; looked up by :func:`..kinds.for_path`).
    """

    types: ClassVar[tuple[FieldType, ...]] = ()
    paths: ClassVar[tuple[str, ...]] = ()

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        """The widget for ``form_field`` (None: a part the form adds without a field of the call)."""
        raise NotImplementedError

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        """Read what was posted for ``path`` into ``reading.document``."""
        raise NotImplementedError

    def read(self, reading: Reading, path: str) -> Any:
        """The value posted for the single input ``path``: trimmed text unless the kind reads it otherwise."""
        return parse_text(reading.posted.get(path) or "")

    def display(self, form_field: FormField, value: Any) -> Any:
        """The value in words, read-only (profile data of the organisation): Text, list of str or None."""
        return Text(nb=str(value)) if not is_empty(value) else None
