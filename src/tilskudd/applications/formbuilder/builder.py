"""The tools every kind of widget builds with: what the form is built from (:class:`Context`), and
the :class:`Builder` that keeps the page's anchors and field paths and makes options and rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tilskudd.applications.formbuilder.paths import html_id, resolve
from tilskudd.applications.formbuilder.values import format_int
from tilskudd.applications.formbuilder.widgets import Input, Option, Row, Uploaded, Widget
from tilskudd.core.text import lower_first
from tilskudd.rules.schema import CallDefinition, FormField, Text


@dataclass(frozen=True)
class Context:
    call: CallDefinition
    document: Mapping[str, Any]
    live_paths: frozenset[str]
    extra_rows: Mapping[str, int]
    uploads: Mapping[str, list[Uploaded]]


def join_help(first: Text | None, second: Text | None) -> Text | None:
    if first is None:
        return second
    if second is None:
        return first
    return Text(nb=f"{first.nb} {second.nb}", en=f"{first.get('en')} {second.get('en')}")


class Builder:
    """Builds one form: every input, row and widget it makes is registered under its path."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        #: Every path on the page → the input, row or widget that shows it (in page order).
        self.anchors: dict[str, Any] = {}
        #: The paths of the fields on the page (posted back as ``_fields``).
        self.field_paths: list[str] = []

    @property
    def call(self) -> CallDefinition:
        return self.ctx.call

    @property
    def document(self) -> Mapping[str, Any]:
        return self.ctx.document

    def register(self, path: str, target: Any) -> Any:
        self.anchors.setdefault(path, target)
        return target

    def mark(self, path: str) -> None:
        if path not in self.field_paths:
            self.field_paths.append(path)

    def options(self, item: Input, choices: list[tuple[str, Text]], selected: list[Any]) -> list[Option]:
        chosen = {str(v) for v in selected if v is not None}
        return [
            Option(value, label, value in chosen, f"{item.id}-{index}") for index, (value, label) in enumerate(choices)
        ]

    def rows_widget(
        self,
        path: str,
        label: Text,
        help: Text | None,
        required: bool,
        rule: str | None,
        form_field: FormField | None,
        role: str,
        columns: list[tuple[str, str, Text]],
        add_label: Text,
        row_title: Callable[[int, Mapping[str, Any]], Text] | None = None,
        row_extra: Callable[[Row, Mapping[str, Any]], None] | None = None,
        new_title: Text | None = None,
    ) -> Widget:
        """A list of rows; ``columns`` are (key, input kind, label)."""
        values = resolve(self.document, path)
        values = values if isinstance(values, list) else []
        widget = Widget(
            "rows",
            html_id(path),
            path,
            label,
            help,
            required,
            rule,
            form_field,
            role=role,
            add_label=add_label,
            columns=[c[2] for c in columns],
        )
        self.register(path, widget)
        count = (
            len(values) + max(1, self.ctx.extra_rows.get(path, 1))
            if values
            else max(1, self.ctx.extra_rows.get(path, 1))
        )
        for index in range(count):
            value = values[index] if index < len(values) and isinstance(values[index], Mapping) else {}
            row_path = f"{path}[{index}]"
            row = Row(html_id(row_path), row_path, index, [], is_new=index >= len(values))
            for key, kind, column_label in columns:
                row.inputs.append(self.row_input(row_path, key, kind, column_label, value.get(key)))
            if row_title:
                row.title = row_title(index, value)
            if row.is_new and new_title:
                row.title = new_title
            if row_extra:
                row_extra(row, value)
            where = row.title or Text(nb=f"linje {index + 1}", en=f"line {index + 1}")
            for item in row.inputs:
                item.summary_label = Text(
                    nb=f"{label.nb}, {lower_first(where.nb)}: {item.label.nb}",
                    en=f"{label.get('en')}, {lower_first(where.get('en'))}: {item.label.get('en')}",
                )
            widget.rows.append(row)
            self.register(row_path, row)
        self.mark(path)
        return widget

    def row_input(self, row_path: str, key: str, kind: str, label: Text, value: Any) -> Input:
        path = f"{row_path}.{key}"
        item = Input(html_id(path), path, kind, label, label_hidden=False)
        if kind in ("money", "number"):
            item.value = format_int(value)
            item.inputmode = "numeric"
        elif kind == "select":
            item.options = self.options(item, [], [value])
        else:
            item.value = "" if value is None else str(value)
        self.register(path, item)
        return item
