"""What the templates receive: the form's sections, widgets, rows, inputs and options, and the
messages (findings and format errors) placed beside them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from tilskudd.applications.formbuilder.paths import parent_path
from tilskudd.core.text import is_english
from tilskudd.rules.schema import FormField, Text


@dataclass
class Message:
    """A finding or a format error, as shown beside its input and in the summary."""

    rule_id: str
    severity: str  # "error" or "warning"
    nb: str
    en: str
    path: str = ""
    anchor: str = ""  # the id of the input to link to; empty: the application as a whole
    label: Text | None = None  # what the input is called, for the summary
    position: int = 10**6

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self, language: str | None) -> str:
        return self.en if is_english(language) and self.en else self.nb


@dataclass(eq=False)
class Option:
    value: str
    label: Text
    checked: bool = False
    id: str = ""
    help: Text | None = None


@dataclass(eq=False)
class Input:
    """One thing the person fills in. ``kind`` picks the markup:

    text, textarea, number, money, decimal, date, email, tel, radio, select,
    checkboxes, checkbox (a single confirmation).
    """

    id: str
    name: str
    kind: str
    label: Text
    value: Any = ""
    help: Text | None = None
    required: bool = False
    options: list[Option] = dc_field(default_factory=list)
    messages: list[Message] = dc_field(default_factory=list)
    live: bool = False  # a change re-renders the form (it shows or hides questions)
    autocomplete: str = ""
    inputmode: str = ""
    label_hidden: bool = False  # in a table row the column header is the visible label
    #: What the error summary calls the input when its label alone is not enough ("Budsjett, linje 2: Beløp").
    summary_label: Text | None = None

    @property
    def anchor(self) -> str:
        """Where a link in the error summary points: the first option of a group."""
        if self.kind in ("radio", "checkboxes") and self.options:
            return self.options[0].id
        return self.id

    @property
    def is_group(self) -> bool:
        return self.kind in ("radio", "checkboxes")

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.is_error]

    @property
    def described_by(self) -> str:
        ids = []
        if self.help:
            ids.append(f"{self.id}-help")
        if self.messages:
            ids.append(f"{self.id}-messages")
        return " ".join(ids)


@dataclass(eq=False)
class Row:
    """One line of a list (a budget line, a partner, a contact …)."""

    id: str
    path: str
    index: int
    inputs: list[Input]
    title: Text | None = None
    messages: list[Message] = dc_field(default_factory=list)
    is_new: bool = False  # the empty line for a new entry

    @property
    def anchor(self) -> str:
        return self.inputs[0].anchor if self.inputs else self.id

    @property
    def label(self) -> Text | None:
        return self.title

    def input(self, name: str) -> Input | None:
        return next((i for i in self.inputs if i.name.endswith(f".{name}")), None)


@dataclass(eq=False)
class Uploaded:
    """A file already attached: whatever object the view passes (``id``, ``name``, ``size``)."""

    id: Any
    name: str
    size: int
    content_type: str = ""


@dataclass(eq=False)
class Widget:
    """What one field of the call (or one part the form adds) looks like.

    ``kind``: ``input`` (a single input), ``readonly`` (profile data of the
    organisation), ``rows`` (a list: contacts, partners, budget lines, funding
    sources, joint members), ``group`` (several inputs: own contribution,
    stipend), ``attachment``.
    """

    kind: str
    id: str
    path: str
    label: Text
    help: Text | None = None
    required: bool = False
    rule: str | None = None
    field: FormField | None = None
    inputs: list[Input] = dc_field(default_factory=list)
    rows: list[Row] = dc_field(default_factory=list)
    messages: list[Message] = dc_field(default_factory=list)
    display: Any = None  # read-only value (Text, str or list of str)
    uploads: list[Uploaded] = dc_field(default_factory=list)
    add_label: Text | None = None
    columns: list[Text] = dc_field(default_factory=list)
    role: str = ""  # contacts, partners, budget_lines, funding_sources, joint, own_contribution, stipend
    toggle: Input | None = None  # the joint application's yes/no

    @property
    def input(self) -> Input | None:
        return self.inputs[0] if len(self.inputs) == 1 else None

    @property
    def anchor(self) -> str:
        if self.toggle is not None:
            return self.toggle.anchor
        if self.kind == "input" and self.inputs:
            return self.inputs[0].anchor
        if self.kind == "rows" and self.rows and self.rows[0].inputs:
            return self.rows[0].inputs[0].anchor
        if self.kind == "group" and self.inputs:
            return self.inputs[0].anchor
        if self.kind == "attachment":
            return f"{self.id}-file"
        return self.id

    @property
    def all_messages(self) -> list[Message]:
        found = list(self.messages)
        for item in self.inputs:
            found += item.messages
        for row in self.rows:
            found += row.messages
            for item in row.inputs:
                found += item.messages
        if self.toggle:
            found += self.toggle.messages
        return found

    @property
    def has_errors(self) -> bool:
        return any(m.is_error for m in self.all_messages)


@dataclass(eq=False)
class Section:
    id: str
    title: Text
    help: Text | None = None
    widgets: list[Widget] = dc_field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(w.has_errors for w in self.widgets)

    @property
    def has_profile_fields(self) -> bool:
        """Whether the section shows data from the organisation's profile (changed there, not here)."""
        return any(w.kind == "readonly" for w in self.widgets)


@dataclass(eq=False)
class Form:
    sections: list[Section]
    #: Every path on the page → the input, row or widget that shows it (in page order).
    anchors: dict[str, Any] = dc_field(default_factory=dict)
    #: Findings that concern no input on the page (the deadline, the kind of applicant …).
    general: list[Message] = dc_field(default_factory=list)
    #: The paths of the fields on the page, posted back as ``_fields`` (what was there to change).
    field_paths: list[str] = dc_field(default_factory=list)

    def widgets(self) -> Iterable[Widget]:
        for section in self.sections:
            yield from section.widgets

    def widget(self, path: str) -> Widget | None:
        return next((w for w in self.widgets() if w.path == path), None)

    def locate(self, path: str):
        """The input, row or widget a finding's path belongs to, or None."""
        if not path:
            return None
        if path in self.anchors:
            return self.anchors[path]
        for known, target in self.anchors.items():
            if known.startswith(path + ".") or known.startswith(path + "["):
                return target
        current = path
        while True:
            shorter = parent_path(current)
            if shorter is None:
                return None
            if shorter in self.anchors:
                return self.anchors[shorter]
            current = shorter

    def place(self, messages: Iterable[Message]) -> None:
        """Put every message beside what it concerns; the rest go to ``general``."""
        order = {id(target): position for position, target in enumerate(self.anchors.values())}
        for message in messages:
            target = self.locate(message.path)
            if target is None:
                self.general.append(message)
                continue
            message.anchor = target.anchor
            label = message.label or getattr(target, "summary_label", None) or getattr(target, "label", None)
            # «Antall deltakere» må være minst 15 names its field already; no need to say it twice.
            message.label = None if label is not None and f"«{label.nb}»" in message.nb else label
            message.position = order.get(id(target), 10**6)
            target.messages.append(message)

    @property
    def messages(self) -> list[Message]:
        """Every message, the general ones first, then in the order of the page."""
        placed = [m for w in self.widgets() for m in w.all_messages]
        placed.sort(key=lambda m: m.position)
        return self.general + placed

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.is_error]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if not m.is_error]
