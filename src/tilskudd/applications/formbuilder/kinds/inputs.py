"""The kinds of field that are one input: text, numbers, money, dates, yes/no, choices, counties —
and the read-only kind that shows the organisation's profile data instead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tilskudd.applications.formbuilder.builder import Builder, join_help
from tilskudd.applications.formbuilder.kinds.base import NO, YES, Kind
from tilskudd.applications.formbuilder.paths import html_id, resolve
from tilskudd.applications.formbuilder.posted import Reading
from tilskudd.applications.formbuilder.values import (
    as_list,
    bool_value,
    format_int,
    parse_bool,
    parse_date,
    parse_identifier,
    parse_int,
    parse_long_text,
    parse_nok,
)
from tilskudd.applications.formbuilder.visibility import is_required
from tilskudd.applications.formbuilder.widgets import Input, Widget
from tilskudd.core.formatting import format_date, format_nok
from tilskudd.rules.reference import counties
from tilskudd.rules.schema import FieldType, FormField, Text

MONEY_HELP = Text(nb="Hele kroner, uten øre. For eksempel 150 000.", en="Whole kroner, no øre. For example 150 000.")

#: Choices with at most this many options are radio buttons; more become a list box.
RADIO_LIMIT = 6


class InputKind(Kind):
    """A field that is one input; ``input_kind`` picks its markup (``Input.kind``)."""

    input_kind = "text"

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        assert form_field is not None
        path = form_field.value_path
        item = self.input(builder, form_field)
        widget = Widget(
            "input",
            html_id(path) + "-field",
            path,
            form_field.label,
            form_field.help,
            item.required,
            form_field.rule,
            form_field,
            inputs=[item],
        )
        builder.register(path, widget)
        return widget

    def input(self, builder: Builder, form_field: FormField) -> Input:
        path = form_field.value_path
        value = resolve(builder.document, path)
        required = is_required(form_field, builder.document)
        live = path in builder.ctx.live_paths
        item = Input(html_id(path), path, "text", form_field.label, help=form_field.help, required=required, live=live)
        item.kind = self.input_kind
        self.fill(builder, item, form_field, value)
        builder.mark(path)
        builder.register(path, item)
        return item

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        """Put ``value`` (and what else the kind needs: options, input mode …) into the input."""
        item.value = "" if value is None else str(value)

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        reading.put(path, self.read(reading, path))


class TextKind(InputKind):
    types = (FieldType.TEXT, FieldType.CASE_NUMBER)


class TextareaKind(InputKind):
    types = (FieldType.TEXTAREA,)
    input_kind = "textarea"

    def read(self, reading: Reading, path: str) -> Any:
        return parse_long_text(reading.posted.get(path) or "")


class EmailKind(InputKind):
    types = (FieldType.EMAIL,)
    input_kind = "email"

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        super().fill(builder, item, form_field, value)
        item.autocomplete = "email"


class PhoneKind(InputKind):
    types = (FieldType.PHONE,)
    input_kind = "tel"

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        super().fill(builder, item, form_field, value)
        item.autocomplete = "tel"


class IdentifierKind(InputKind):
    """Organisation and account numbers: digits, whatever spaces and dots people type."""

    types = (FieldType.ORG_NUMBER, FieldType.BANK_ACCOUNT)

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        super().fill(builder, item, form_field, value)
        item.inputmode = "numeric"

    def read(self, reading: Reading, path: str) -> Any:
        return parse_identifier(reading.posted.get(path) or "")


class IntegerKind(InputKind):
    types = (FieldType.INTEGER,)
    input_kind = "number"

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        item.inputmode = "numeric"
        item.value = format_int(value)

    def read(self, reading: Reading, path: str) -> Any:
        return parse_int(reading.posted.get(path) or "")


class MoneyKind(IntegerKind):
    """Whole kroner: an integer, with the help that says so."""

    types = (FieldType.MONEY,)
    input_kind = "money"

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        super().fill(builder, item, form_field, value)
        item.help = join_help(form_field.help, MONEY_HELP)

    def read(self, reading: Reading, path: str) -> Any:
        return parse_nok(reading.posted.get(path) or "")

    def display(self, form_field: FormField, value: Any) -> Any:
        if isinstance(value, int):
            return Text(nb=format_int(value) + " kr", en=format_nok(value, "en"))
        return super().display(form_field, value)


class DateKind(InputKind):
    types = (FieldType.DATE,)
    input_kind = "date"

    def read(self, reading: Reading, path: str) -> Any:
        return parse_date(reading.posted.get(path) or "")

    def display(self, form_field: FormField, value: Any) -> Any:
        if not value:
            return super().display(form_field, value)
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            return Text(nb=str(value), en=str(value))
        return Text(nb=format_date(day, "nb"), en=format_date(day, "en"))


class BooleanKind(InputKind):
    """A yes/no question: two radio buttons."""

    types = (FieldType.BOOLEAN,)
    input_kind = "radio"

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        item.options = builder.options(item, [("true", YES), ("false", NO)], [bool_value(value)])

    def read(self, reading: Reading, path: str) -> Any:
        return parse_bool(reading.posted.get(path))

    def display(self, form_field: FormField, value: Any) -> Any:
        return YES if value is True else NO if value is False else None


class ChoiceKind(InputKind):
    """One of the call's choices: radio buttons, or a list box when there are many."""

    types = (FieldType.CHOICE,)

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        choices = [(c.value, c.label) for c in form_field.choices]
        item.kind = "radio" if len(choices) <= RADIO_LIMIT else "select"
        item.options = builder.options(item, choices, [value])

    def display(self, form_field: FormField, value: Any) -> Any:
        choice = next((c for c in form_field.choices if c.value == value), None)
        return choice.label if choice else (Text(nb=str(value)) if value else None)


class MultichoiceKind(InputKind):
    """Any of the call's choices: check boxes."""

    types = (FieldType.MULTICHOICE,)
    input_kind = "checkboxes"

    def choices(self, form_field: FormField) -> list[tuple[str, Text]]:
        return [(c.value, c.label) for c in form_field.choices]

    def fill(self, builder: Builder, item: Input, form_field: FormField, value: Any) -> None:
        item.options = builder.options(item, self.choices(form_field), as_list(value))

    def read(self, reading: Reading, path: str) -> Any:
        values = [v for v in reading.posted.getlist(path) if v]
        return values or None


class CountiesKind(MultichoiceKind):
    """Any of the counties (*fylker*): check boxes."""

    types = (FieldType.COUNTIES,)

    def choices(self, form_field: FormField) -> list[tuple[str, Text]]:
        return [(c.code, Text(nb=c.name)) for c in counties()]

    def display(self, form_field: FormField, value: Any) -> Any:
        names = {c.code: c.name for c in counties()}
        if isinstance(value, Mapping):
            codes = sorted({code for kind in ("activity", "members", "branches") for code in value.get(kind) or []})
        else:
            codes = as_list(value)
        return [names.get(str(code), str(code)) for code in codes]


class ReadonlyKind(Kind):
    """Profile data of the organisation (``applicant.*``): shown, changed in the profile, never posted."""

    def __init__(self, kinds: Mapping[FieldType, Kind]):
        self.kinds = kinds

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        assert form_field is not None
        path = form_field.value_path
        value = resolve(builder.document, path)
        kind = self.kinds.get(form_field.type)
        display = kind.display(form_field, value) if kind else super().display(form_field, value)
        widget = Widget(
            "readonly",
            html_id(path),
            path,
            form_field.label,
            form_field.help,
            is_required(form_field, builder.document),
            form_field.rule,
            form_field,
            display=display,
        )
        return builder.register(path, widget)

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        """Nothing: the profile is changed in the profile."""
