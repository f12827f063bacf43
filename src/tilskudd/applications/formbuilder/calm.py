"""A calm form: the rule engine's findings beside a field only once the person has filled it in or
left it, and the progress of each section as a task list (GOV.UK / Altinn «oppgaveliste»).

Pure Python like the rest of the form builder: the view says which paths were touched (kept in
the session) and whether the person asked for a check; :func:`progress` reads the form *before*
:func:`calm_down` takes away what is not to be shown yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tilskudd.applications.formbuilder.widgets import Form, Input, Row, Section, Widget

#: A section's state in the task list, with its words and the tag colour (Designsystemet).
DONE = "done"
NEEDS_FIXING = "needs_fixing"
NOT_STARTED = "not_started"
STATE_TEXT = {
    DONE: ("Fullført", "Completed", "success"),
    NEEDS_FIXING: ("Må rettes", "Needs attention", "warning"),
    NOT_STARTED: ("Ikke startet", "Not started", "neutral"),
}


def is_filled(item: Input) -> bool:
    """Whether the person has given the input a value (a choice, a number, some text)."""
    if item.options:  # a placeholder option ("Velg …", value "") is no answer
        return any(option.checked and str(option.value).strip() for option in item.options)
    value = item.value
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict, set)):
        return bool(value)
    return True


def _inputs(widget: Widget) -> list[Input]:
    found = list(widget.inputs)
    for row in widget.rows:
        found += row.inputs
    if widget.toggle is not None:
        found.append(widget.toggle)
    return found


def _touched_input(item: Input, touched: set[str]) -> bool:
    return item.name in touched or is_filled(item)


def _row_started(row: Row) -> bool:
    return not row.is_new and any(is_filled(item) for item in row.inputs)


def widget_started(widget: Widget) -> bool:
    """Whether anything of the widget is given: a value, a line of a list, a file."""
    if widget.kind == "readonly":
        return bool(widget.display)
    if widget.kind == "attachment":
        return bool(widget.uploads)
    # The joint application's yes/no (``toggle``) starts as «Nei»: a default, not an answer.
    return any(is_filled(item) for item in widget.inputs) or any(_row_started(row) for row in widget.rows)


def widget_touched(widget: Widget, touched: set[str]) -> bool:
    if widget.path in touched or widget_started(widget):
        return True
    return any(_touched_input(item, touched) for item in _inputs(widget))


@dataclass(frozen=True)
class Task:
    """One line of the task list: a section, where it is, and its state."""

    id: str
    title: Any
    state: str

    @property
    def anchor(self) -> str:
        return f"s-{self.id}"

    @property
    def text_nb(self) -> str:
        return STATE_TEXT[self.state][0]

    @property
    def text_en(self) -> str:
        return STATE_TEXT[self.state][1]

    @property
    def color(self) -> str:
        return STATE_TEXT[self.state][2]


def section_state(section: Section) -> str:
    """«Ikke startet» while nothing in it is given (profile data does not count), «Må rettes» while an
    error concerns it, else «Fullført»."""
    own = [w for w in section.widgets if w.kind != "readonly"]
    started = any(widget_started(w) for w in own) if own else True
    if not started:
        return NOT_STARTED
    return NEEDS_FIXING if section.has_errors else DONE


def progress(form: Form) -> list[Task]:
    """The task list: every section with its state (read before :func:`calm_down`)."""
    return [Task(section.id, section.title, section_state(section)) for section in form.sections]


def calm_down(form: Form, touched: set[str]) -> None:
    """Keep a message beside an input, row or widget only once it has been filled in or left.

    The general findings (the deadline, the kind of applicant) wait for a check, like the summary.
    """
    form.general = []
    for widget in form.widgets():
        if not widget_touched(widget, touched):
            widget.messages = []
        for item in widget.inputs:
            if not _touched_input(item, touched):
                item.messages = []
        if widget.toggle is not None and not _touched_input(widget.toggle, touched):
            widget.toggle.messages = []
        for row in widget.rows:
            if not any(_touched_input(item, touched) for item in row.inputs):
                row.messages = []
            for item in row.inputs:
                if not _touched_input(item, touched):
                    item.messages = []
