"""The application form (*søknadsskjema*), generated from the call definition — and back.

Pure Python, no Django: a :class:`~tilskudd.rules.schema.CallDefinition` and the
application as an exchange-format document (``services.exchange_document``)
go in; :func:`build_form` gives the sections, widgets and inputs the
templates lay out, and :func:`apply_post` turns what the browser posted back
into changes of the top-level parts of the application (``answers``,
``budget``, ``partners`` …) for ``services.save_draft``.

Names of the inputs are the paths of the exchange format
(``answers.participants``, ``budget.lines[2].amount``), so a finding of the
rule engine (``Finding.field``) finds its input: :meth:`Form.place` puts every
finding beside the input, row or widget it concerns and keeps the rest for
the summary.

Which questions are shown (``shown_when``) and required (``required_when``)
is evaluated here on the document, the same way the engine does
(:func:`tilskudd.rules.engine.holds`), but on a plain dict, because a draft
need not be a valid application yet.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from pydantic import ValidationError

from tilskudd.rules.application import Application as ExchangeApplication
from tilskudd.rules.messages import PARTNER_FIELD_NAMES
from tilskudd.rules.reference import counties
from tilskudd.rules.schema import (
    AreaSelection,
    AttachmentCheck,
    CallDefinition,
    Condition,
    FieldType,
    FormField,
    FundingSourcesCheck,
    OwnContributionCheck,
    PartnerCheck,
    StipendCapCheck,
    Text,
)
from tilskudd.rules.validators import digits_only

#: Top-level parts of the exchange format the applicant edits (``services.EDITABLE_KEYS``).
EDITABLE_KEYS = ("grantor", "areas", "joint", "contacts", "answers", "partners", "budget")

YES = Text(nb="Ja", en="Yes")
NO = Text(nb="Nei", en="No")

#: The parts of a participant stipend (*deltakerstønad*) (``rules.application.Stipend``).
STIPEND_PARTS: dict[str, tuple[str, Text, Text | None]] = {
    "participants_25_or_over": (
        "integer",
        Text(nb="Deltakere med stønad, 25 år eller eldre", en="Participants with a stipend, aged 25 or over"),
        None,
    ),
    "participants_under_25": (
        "integer",
        Text(nb="Deltakere med stønad, under 25 år", en="Participants with a stipend, under 25"),
        None,
    ),
    "years": (
        "decimal",
        Text(nb="Antall år med stønad", en="Number of years with a stipend"),
        Text(
            nb="Hvor mange år hver deltaker får stønad. Et halvt år skrives 0,5. Står feltet tomt, regnes ett år.",
            en="How many years each participant gets the stipend. Half a year is 0.5. Left empty, one year is counted.",
        ),
    ),
    "amount_applied": (
        "money",
        Text(nb="Beløp det søkes om til stønad", en="Amount applied for towards the stipend"),
        None,
    ),
}

PARTNER_FIELD_LABELS = {
    name: Text(nb=nb[:1].upper() + nb[1:], en=en[:1].upper() + en[1:]) for name, (nb, en) in PARTNER_FIELD_NAMES.items()
}


# --- what the templates receive ----------------------------------------------------


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
        return self.en if (language or "").startswith("en") and self.en else self.nb


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
            shorter = _parent_path(current)
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


# --- paths ---------------------------------------------------------------------------

_PART = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<key>[^\]]+)\])?$")


def html_id(path: str) -> str:
    """``budget.lines[2].amount`` → ``f-budget-lines-2-amount``."""
    return "f-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def _parent_path(path: str) -> str | None:
    if path.endswith("]"):
        return path[: path.rfind("[")] or None
    if "." in path:
        return path[: path.rfind(".")]
    return None


def _split(path: str) -> list[tuple[str, str | None]]:
    parts = []
    for part in path.split("."):
        match = _PART.match(part)
        if not match:
            parts.append((part, None))
        else:
            parts.append((match["name"], match["key"]))
    return parts


def resolve(document: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in a document (``answers.x``, ``budget.lines[0].amount``, ``attachments[kind]``)."""
    current: Any = document
    for name, key in _split(path):
        if name == "attachments" and key is not None and current is document:
            return [a for a in document.get("attachments") or [] if isinstance(a, Mapping) and a.get("kind") == key]
        if not isinstance(current, Mapping):
            return None
        current = current.get(name)
        if key is not None:
            if not isinstance(current, list) or not _is_index(key) or int(key) >= len(current):
                return None
            current = current[int(key)]
        if current is None:
            return None
    return current


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """Set (or with ``None`` remove) the value at a dotted path, making dicts on the way."""
    parts = path.split(".")
    current = document
    for part in parts[:-1]:
        nxt = current.get(part)
        if not isinstance(nxt, dict):
            if value is None:
                return
            nxt = {}
            current[part] = nxt
        current = nxt
    if value is None:
        current.pop(parts[-1], None)
    else:
        current[parts[-1]] = value


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict, tuple, set)):
        return len(value) == 0
    return False


def holds(condition: Condition | None, document: Mapping[str, Any]) -> bool:
    """Whether every part of ``condition`` holds (as :func:`tilskudd.rules.engine.holds`)."""
    if condition is None:
        return True
    areas = document.get("areas") or []
    if condition.areas is not None and not set(condition.areas) & set(areas):
        return False
    if condition.partner is not None and not any(
        isinstance(p, Mapping) and p.get("kind") == condition.partner for p in document.get("partners") or []
    ):
        return False
    if condition.field is not None:
        value = resolve(document, condition.field)
        if condition.equals is not None and value != condition.equals:
            return False
        if condition.in_ is not None and value not in condition.in_:
            return False
        if condition.truthy is not None and bool(value) is not condition.truthy:
            return False
    return True


def is_shown(form_field: FormField, document: Mapping[str, Any]) -> bool:
    return holds(form_field.shown_when, document) if form_field.shown_when else True


def is_required(form_field: FormField, document: Mapping[str, Any]) -> bool:
    return form_field.required or (form_field.required_when is not None and holds(form_field.required_when, document))


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


# --- values as shown in an input ------------------------------------------------------


def format_int(value: Any) -> str:
    """12000 → '12 000' for an input (plain spaces: what people type)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return str(value)


def format_decimal(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


_NOK_NOISE = re.compile(r"(?i)(kr\.?|nok|,-|\s|\u00a0|\u202f)")


#: Numbers are read only up to 18 digits: every one fits the database's 64-bit integers (and
#: Python's int() refuses more than 4300 digits). A longer one stays as typed; the checks say what is wrong.
MAX_DIGITS = 18
#: Row indexes (``budget.lines[3]``) up to 6 digits; a longer one names no row and is ignored.
MAX_INDEX_DIGITS = 6


def _is_index(key: str) -> bool:
    return re.fullmatch(r"[0-9]{1,%d}" % MAX_INDEX_DIGITS, key) is not None


def parse_int(raw: str) -> int | str | None:
    """'12', '12 000' → int; '' → None; anything else stays as typed (the checks say what is wrong)."""
    text = (raw or "").strip()
    if not text:
        return None
    compact = re.sub(r"[\s\u00a0\u202f]", "", text)
    if re.fullmatch(r"-?[0-9]{1,%d}" % MAX_DIGITS, compact):
        return int(compact)
    return text


def parse_nok(raw: str) -> int | str | None:
    """'150 000', '150 000 kr', '150.000', '150000,-' → 150000; '150,50' stays as typed (whole NOK only)."""
    text = (raw or "").strip()
    if not text:
        return None
    compact = _NOK_NOISE.sub("", text)
    if re.fullmatch(r"[0-9]{1,%d}" % MAX_DIGITS, compact):
        return int(compact)
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3}){1,5}", compact):
        return int(compact.replace(".", ""))
    return text


def parse_decimal(raw: str) -> float | str | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return number if math.isfinite(number) else text  # 1e309, NaN: JSON (and PostgreSQL) have no such number


def parse_date(raw: str) -> str | None:
    """ISO (what a date input sends) or dd.mm.yyyy → ISO; anything else stays as typed."""
    text = (raw or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text


def parse_bool(raw: str | None) -> bool | None:
    if raw in ("true", "ja", "yes", "on"):
        return True
    if raw in ("false", "nei", "no"):
        return False
    return None


def parse_identifier(raw: str) -> str | None:
    """Organisation and account numbers: the spaces and dots people type are removed."""
    text = (raw or "").strip()
    if not text:
        return None
    digits = digits_only(text)
    return digits if digits.isdigit() else text


def _text(raw: str | None) -> str | None:
    text = (raw or "").strip()
    return text or None


# --- building the form --------------------------------------------------------------

INPUT_KINDS = {
    FieldType.TEXT: "text",
    FieldType.TEXTAREA: "textarea",
    FieldType.INTEGER: "number",
    FieldType.MONEY: "money",
    FieldType.DATE: "date",
    FieldType.EMAIL: "email",
    FieldType.PHONE: "tel",
    FieldType.ORG_NUMBER: "text",
    FieldType.BANK_ACCOUNT: "text",
    FieldType.CASE_NUMBER: "text",
}

MONEY_HELP = Text(nb="Hele kroner, uten øre. For eksempel 150 000.", en="Whole kroner, no øre. For example 150 000.")

#: The kind for documents the call does not name (``attachments.OTHER_KIND``).
OTHER_ATTACHMENTS = "other"

#: Choices with at most this many options are radio buttons; more become a list box.
RADIO_LIMIT = 6


@dataclass(frozen=True)
class Context:
    call: CallDefinition
    document: Mapping[str, Any]
    live_paths: frozenset[str]
    extra_rows: Mapping[str, int]
    uploads: Mapping[str, list[Uploaded]]


class _Builder:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.anchors: dict[str, Any] = {}
        self.field_paths: list[str] = []

    # -- registry --
    def register(self, path: str, target: Any) -> Any:
        self.anchors.setdefault(path, target)
        return target

    def mark(self, path: str) -> None:
        if path not in self.field_paths:
            self.field_paths.append(path)

    # -- the form --
    def build(self) -> Form:
        call, document = self.ctx.call, self.ctx.document
        sections: list[Section] = []
        if call.areas:
            sections.append(
                Section(
                    "areas",
                    call.areas.label,
                    Text(
                        nb="Velg det du søker under. Spørsmålene lenger ned kommer an på valget.",
                        en="Choose what you apply under. The questions further down depend on your choice.",
                    ),
                    [self.areas_widget()],
                )
            )
        stipend_fields = [f for f in call.fields if f.value_path.startswith("budget.stipend.")]
        stipend_checks = [c for c in call.checks if isinstance(c, StipendCapCheck)]
        stipend_applies = bool(stipend_checks) and any(holds(c.when, document) for c in stipend_checks)
        applicant_section = next(
            (
                s.id
                for s in call.sections
                if any(f.section == s.id and f.value_path.startswith("applicant.") for f in call.fields)
            ),
            call.sections[0].id,
        )
        for section_def in call.sections:
            section = Section(section_def.id, section_def.title, section_def.help)
            fields = [f for f in call.fields if f.section == section_def.id]
            for form_field in fields:
                if not is_shown(form_field, document):
                    continue
                section.widgets.append(self.field_widget(form_field))
                if stipend_fields and form_field is stipend_fields[-1] and stipend_applies:
                    bound = {f.value_path.split(".")[-1] for f in stipend_fields}
                    section.widgets += [self.stipend_part(part) for part in STIPEND_PARTS if part not in bound]
                if form_field.type is FieldType.BUDGET and stipend_checks and not stipend_fields and stipend_applies:
                    section.widgets.append(self.stipend_group())
            if section_def.id == applicant_section and call.eligibility.joint and call.eligibility.joint.allowed:
                section.widgets.append(self.joint_widget())
            sections.append(section)
        self.add_missing_parts(sections)
        sections = [s for s in sections if s.widgets]
        return Form(sections, self.anchors, [], self.field_paths)

    def add_missing_parts(self, sections: list[Section]) -> None:
        """Parts the call's checks ask for that no field of the call shows (a safety net)."""
        call, document = self.ctx.call, self.ctx.document
        paths = {f.value_path for f in call.fields}
        last = sections[-1] if sections else None
        if last is None:
            return
        applicable = [c for c in call.checks if holds(c.when, document)]
        if any(isinstance(c, PartnerCheck) for c in applicable) and "partners" not in paths:
            last.widgets.append(self.partners_widget(None))
        if any(isinstance(c, OwnContributionCheck) for c in applicable) and "budget.own_contribution" not in paths:
            last.widgets.append(self.own_contribution_widget(None))
        if any(isinstance(c, FundingSourcesCheck) for c in applicable) and "budget.funding_sources" not in paths:
            last.widgets.append(self.funding_sources_widget(None))
        attached = {f.attachment_kind or f.id for f in call.fields if f.type is FieldType.ATTACHMENT}
        for check in applicable:
            if isinstance(check, AttachmentCheck) and check.attachment_kind not in attached:
                attached.add(check.attachment_kind)
                label = Text(nb=check.label.nb[:1].upper() + check.label.nb[1:], en=check.label.en)
                last.widgets.append(self.attachment_widget(None, check.attachment_kind, label, None, True, check.rule))
        if OTHER_ATTACHMENTS not in attached:
            last.widgets.append(
                self.attachment_widget(
                    None,
                    OTHER_ATTACHMENTS,
                    Text(nb="Andre vedlegg", en="Other attachments"),
                    Text(
                        nb="Valgfritt: annet dere vil at saksbehandleren skal se, for eksempel en prosjektplan.",
                        en="Optional: anything else you want the caseworker to see, for example a project plan.",
                    ),
                    False,
                    None,
                )
            )

    # -- one field --
    def field_widget(self, form_field: FormField) -> Widget:
        path = form_field.value_path
        kind = form_field.type
        if path.startswith("applicant."):
            return self.readonly_widget(form_field)
        if kind is FieldType.CONTACTS:
            return self.contacts_widget(form_field)
        if kind is FieldType.PARTNERS:
            return self.partners_widget(form_field)
        if kind is FieldType.BUDGET:
            return self.budget_widget(form_field)
        if kind is FieldType.FUNDING_SOURCES:
            return self.funding_sources_widget(form_field)
        if kind is FieldType.OWN_CONTRIBUTION:
            return self.own_contribution_widget(form_field)
        if kind is FieldType.ATTACHMENT:
            return self.attachment_widget(
                form_field,
                form_field.attachment_kind or form_field.id,
                form_field.label,
                form_field.help,
                is_required(form_field, self.ctx.document),
                form_field.rule,
            )
        item = self.scalar_input(form_field)
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
        self.register(path, widget)
        return widget

    def scalar_input(self, form_field: FormField) -> Input:
        path = form_field.value_path
        value = resolve(self.ctx.document, path)
        required = is_required(form_field, self.ctx.document)
        live = path in self.ctx.live_paths
        item = Input(html_id(path), path, "text", form_field.label, help=form_field.help, required=required, live=live)
        kind = form_field.type
        if kind is FieldType.BOOLEAN:
            item.kind = "radio"
            item.options = self.options(item, [("true", YES), ("false", NO)], [_bool_value(value)])
        elif kind is FieldType.CHOICE:
            choices = [(c.value, c.label) for c in form_field.choices]
            item.kind = "radio" if len(choices) <= RADIO_LIMIT else "select"
            item.options = self.options(item, choices, [value])
        elif kind is FieldType.MULTICHOICE:
            item.kind = "checkboxes"
            item.options = self.options(item, [(c.value, c.label) for c in form_field.choices], _as_list(value))
        elif kind is FieldType.COUNTIES:
            item.kind = "checkboxes"
            item.options = self.options(item, [(c.code, Text(nb=c.name)) for c in counties()], _as_list(value))
        elif kind in (FieldType.INTEGER,):
            item.kind = "number"
            item.inputmode = "numeric"
            item.value = format_int(value)
        elif kind is FieldType.MONEY:
            item.kind = "money"
            item.inputmode = "numeric"
            item.value = format_int(value)
            item.help = _join_help(form_field.help, MONEY_HELP)
        elif kind is FieldType.DATE:
            item.kind = "date"
            item.value = "" if value is None else str(value)
        else:
            item.kind = INPUT_KINDS.get(kind, "text")
            item.value = "" if value is None else str(value)
            if kind is FieldType.EMAIL:
                item.autocomplete = "email"
            elif kind is FieldType.PHONE:
                item.autocomplete = "tel"
            elif kind in (FieldType.ORG_NUMBER, FieldType.BANK_ACCOUNT):
                item.inputmode = "numeric"
        self.mark(path)
        self.register(path, item)
        return item

    def options(self, item: Input, choices: list[tuple[str, Text]], selected: list[Any]) -> list[Option]:
        chosen = {str(v) for v in selected if v is not None}
        return [
            Option(value, label, value in chosen, f"{item.id}-{index}") for index, (value, label) in enumerate(choices)
        ]

    # -- read-only profile data --
    def readonly_widget(self, form_field: FormField) -> Widget:
        path = form_field.value_path
        value = resolve(self.ctx.document, path)
        display: Any
        if form_field.type is FieldType.BOOLEAN:
            display = YES if value is True else NO if value is False else None
        elif form_field.type is FieldType.CHOICE:
            choice = next((c for c in form_field.choices if c.value == value), None)
            display = choice.label if choice else (Text(nb=str(value)) if value else None)
        elif form_field.type is FieldType.COUNTIES:
            display = _counties_display(value)
        elif form_field.type is FieldType.MONEY and isinstance(value, int):
            display = Text(nb=format_int(value) + " kr", en="NOK " + f"{value:,}")
        elif form_field.type is FieldType.DATE and value:
            display = Text(nb=_date_nb(value), en=str(value))
        else:
            display = Text(nb=str(value)) if not is_empty(value) else None
        widget = Widget(
            "readonly",
            html_id(path),
            path,
            form_field.label,
            form_field.help,
            is_required(form_field, self.ctx.document),
            form_field.rule,
            form_field,
            display=display,
        )
        return self.register(path, widget)

    # -- priority areas --
    def areas_widget(self) -> Widget:
        areas = self.ctx.call.areas
        assert areas is not None
        chosen = _as_list(self.ctx.document.get("areas"))
        single = areas.select is AreaSelection.EXACTLY_ONE
        item = Input(
            html_id("areas"),
            "areas",
            "radio" if single else "checkboxes",
            areas.label,
            help=None if single else Text(nb="Du kan velge ett eller flere.", en="You can choose one or more."),
            required=True,
            live=True,
        )
        item.options = [
            Option(area.id, area.title, area.id in chosen, f"{item.id}-{index}", area.description)
            for index, area in enumerate(areas.items)
        ]
        self.mark("areas")
        widget = Widget("input", "f-areas-field", "areas", areas.label, None, True, areas.rule, inputs=[item])
        self.register("areas", item)
        return widget

    # -- lists --
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
        row_title=None,
        row_extra=None,
        new_title: Text | None = None,
    ) -> Widget:
        """A list of rows; ``columns`` are (key, input kind, label)."""
        values = resolve(self.ctx.document, path)
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
                    nb=f"{label.nb}, {_lower(where.nb)}: {item.label.nb}",
                    en=f"{label.get('en')}, {_lower(where.get('en'))}: {item.label.get('en')}",
                )
            widget.rows.append(row)
            self.register(row_path, row)
        self.mark(path)
        return widget

    def row_input(self, row_path: str, key: str, kind: str, label: Text, value: Any, options=None) -> Input:
        path = f"{row_path}.{key}"
        item = Input(html_id(path), path, kind, label, label_hidden=False)
        if kind in ("money", "number"):
            item.value = format_int(value)
            item.inputmode = "numeric"
        elif kind == "select":
            item.options = self.options(item, options or [], [value])
        else:
            item.value = "" if value is None else str(value)
        self.register(path, item)
        return item

    def contacts_widget(self, form_field: FormField) -> Widget:
        return self.rows_widget(
            form_field.value_path,
            form_field.label,
            form_field.help,
            is_required(form_field, self.ctx.document),
            form_field.rule,
            form_field,
            "contacts",
            [
                ("name", "text", Text(nb="Navn", en="Name")),
                ("role", "text", Text(nb="Rolle", en="Role")),
                ("email", "email", Text(nb="E-post", en="E-mail")),
                ("phone", "tel", Text(nb="Telefon", en="Phone")),
            ],
            Text(nb="Legg til en kontaktperson til", en="Add another contact person"),
            row_title=lambda i, v: Text(nb=f"Kontaktperson {i + 1}", en=f"Contact person {i + 1}"),
            new_title=Text(nb="Ny kontaktperson", en="New contact person"),
        )

    def partner_checks(self) -> list[PartnerCheck]:
        return [c for c in self.ctx.call.checks if isinstance(c, PartnerCheck)]

    def partner_kinds(self, values: list[Any]) -> list[tuple[str, Text]]:
        """The kinds the call's partner checks ask for now, and any kind already named."""
        kinds: dict[str, Text] = {}
        for check in self.partner_checks():
            if holds(check.when, self.ctx.document) and check.partner_kind not in kinds:
                kinds[check.partner_kind] = _upper(check.label)
        for value in values:
            kind = value.get("kind") if isinstance(value, Mapping) else None
            if kind and kind not in kinds:
                check = next((c for c in self.partner_checks() if c.partner_kind == kind), None)
                kinds[kind] = _upper(check.label) if check else Text(nb=kind)
        return list(kinds.items())

    def partners_widget(self, form_field: FormField | None) -> Widget:
        path = "partners"
        values = resolve(self.ctx.document, path)
        values = values if isinstance(values, list) else []
        kinds = self.partner_kinds(values)
        label = form_field.label if form_field else Text(nb="Samarbeidspartnere", en="Partners")
        required = bool(form_field and is_required(form_field, self.ctx.document)) or any(
            holds(c.when, self.ctx.document) for c in self.partner_checks()
        )
        asked = [c for c in self.partner_checks() if holds(c.when, self.ctx.document)]
        help_text = form_field.help if form_field else None
        if asked:
            names_nb = ", ".join(c.label.nb for c in asked)
            names_en = ", ".join(c.label.en or c.label.nb for c in asked)
            help_text = _join_help(
                help_text,
                Text(
                    nb=f"Utlysningen krever: {names_nb}. Ett skjema per partner.",
                    en=f"The call requires: {names_en}. One entry per partner.",
                ),
            )

        def extra(row: Row, value: Mapping[str, Any]) -> None:
            kind = value.get("kind") if isinstance(value, Mapping) else None
            kind_input = row.inputs[0]
            kind_input.kind = "select"
            kind_input.options = self.options(kind_input, [("", Text(nb="Velg", en="Choose"))] + kinds, [kind or ""])
            kind_input.live = True
            check = next((c for c in asked if c.partner_kind == kind), None)
            if check is None:
                return
            for name in check.require_fields:
                item = row.input(name)
                if item:
                    item.required = True
            if check.allowed_org_forms:
                org_form = row.input("org_form")
                if org_form:
                    org_form.help = Text(
                        nb="Tillatte organisasjonsformer: " + ", ".join(check.allowed_org_forms) + ".",
                        en="Allowed organisation forms: " + ", ".join(check.allowed_org_forms) + ".",
                    )
            confirmations = value.get("confirmations") if isinstance(value.get("confirmations"), Mapping) else {}
            for key, text in check.require_confirmations.items():
                cpath = f"{row.path}.confirmations.{key}"
                item = Input(html_id(cpath), cpath, "checkbox", text, required=True)
                item.options = [Option("true", text, confirmations.get(key) is True, item.id)]
                row.inputs.append(item)
                self.register(cpath, item)

        widget = self.rows_widget(
            path,
            label,
            help_text,
            required,
            form_field.rule if form_field else None,
            form_field,
            "partners",
            [
                ("kind", "select", Text(nb="Hva slags partner", en="Kind of partner")),
                ("name", "text", Text(nb="Navn", en="Name")),
                ("org_number", "text", PARTNER_FIELD_LABELS["org_number"]),
                ("org_form", "text", PARTNER_FIELD_LABELS["org_form"]),
                ("contact_person", "text", PARTNER_FIELD_LABELS["contact_person"]),
                (
                    "description",
                    "textarea",
                    Text(
                        nb="Beskrivelse av partneren og rollen i prosjektet",
                        en="About the partner and its role in the project",
                    ),
                ),
            ],
            Text(nb="Legg til en partner til", en="Add another partner"),
            row_title=lambda i, v: Text(nb=f"Partner {i + 1}", en=f"Partner {i + 1}"),
            row_extra=extra,
            new_title=Text(nb="Ny partner", en="New partner"),
        )
        return widget

    def budget_widget(self, form_field: FormField) -> Widget:
        categories = [
            (
                c.id,
                c.label
                if c.eligible
                else Text(nb=f"{c.label.nb} (dekkes ikke)", en=f"{c.label.get('en')} (not covered)"),
            )
            for c in self.ctx.call.budget.categories
        ]

        def extra(row: Row, value: Mapping[str, Any]) -> None:
            category = row.inputs[0]
            category.kind = "select"
            category.options = self.options(
                category, [("", Text(nb="Velg", en="Choose"))] + categories, [value.get("category") or ""]
            )
            row.inputs[3].kind = "number"
            row.inputs[3].inputmode = "numeric"
            row.inputs[3].value = "" if value.get("year") is None else str(value.get("year"))

        widget = self.rows_widget(
            form_field.value_path,
            form_field.label,
            _join_help(
                form_field.help,
                Text(
                    nb="Én linje per kostnad. Beløp i hele kroner. Oppgi året kostnaden gjelder når prosjektet går over flere år.",
                    en="One line per cost. Amounts in whole kroner. Give the year of the cost when the project runs over several years.",
                ),
            ),
            is_required(form_field, self.ctx.document),
            form_field.rule,
            form_field,
            "budget_lines",
            [
                ("category", "select", Text(nb="Kostnadstype", en="Cost category")),
                ("description", "text", Text(nb="Beskrivelse", en="Description")),
                ("amount", "money", Text(nb="Beløp (kr)", en="Amount (NOK)")),
                ("year", "number", Text(nb="År", en="Year")),
            ],
            Text(nb="Legg til en budsjettlinje", en="Add a budget line"),
            row_title=lambda i, v: Text(nb=f"Linje {i + 1}", en=f"Line {i + 1}"),
            row_extra=extra,
            new_title=Text(nb="Ny budsjettlinje", en="New budget line"),
        )
        lines = resolve(self.ctx.document, form_field.value_path)
        widget.display = sum(
            line.get("amount") for line in (lines or []) if isinstance(line, Mapping) and _is_int(line.get("amount"))
        )
        return widget

    def funding_sources_widget(self, form_field: FormField | None) -> Widget:
        return self.rows_widget(
            "budget.funding_sources",
            form_field.label if form_field else Text(nb="Finansieringskilder", en="Funding sources"),
            _join_help(
                form_field.help if form_field else None,
                Text(
                    nb="Hvor kommer pengene fra? Ta med tilskuddet dere søker om her.",
                    en="Where does the money come from? Include the grant you apply for here.",
                ),
            ),
            bool(form_field and is_required(form_field, self.ctx.document)),
            form_field.rule if form_field else None,
            form_field,
            "funding_sources",
            [
                ("name", "text", Text(nb="Kilde", en="Source")),
                ("amount", "money", Text(nb="Beløp (kr)", en="Amount (NOK)")),
            ],
            Text(nb="Legg til en finansieringskilde", en="Add a funding source"),
            row_title=lambda i, v: Text(nb=f"Kilde {i + 1}", en=f"Source {i + 1}"),
            new_title=Text(nb="Ny finansieringskilde", en="New funding source"),
        )

    def own_contribution_widget(self, form_field: FormField | None) -> Widget:
        path = "budget.own_contribution"
        value = resolve(self.ctx.document, path)
        value = value if isinstance(value, Mapping) else {}
        widget = Widget(
            "group",
            html_id(path),
            path,
            form_field.label if form_field else Text(nb="Egenandel", en="Own contribution"),
            form_field.help if form_field else None,
            bool(form_field and is_required(form_field, self.ctx.document))
            or any(
                isinstance(c, OwnContributionCheck) and c.min_amount > 0 and holds(c.when, self.ctx.document)
                for c in self.ctx.call.checks
            ),
            form_field.rule if form_field else None,
            form_field,
            role="own_contribution",
        )
        self.register(path, widget)
        parts = [
            ("amount", "money", Text(nb="Egenandel i penger (kr)", en="Own contribution in money (NOK)"), None),
            (
                "in_kind_amount",
                "money",
                Text(nb="Egeninnsats regnet i kroner (kr)", en="Contribution in kind, in NOK"),
                Text(
                    nb="For eksempel arbeidstid, regnet om til kroner.",
                    en="For example working hours, converted to kroner.",
                ),
            ),
            (
                "description",
                "textarea",
                Text(nb="Hva består egenandelen av?", en="What does the own contribution consist of?"),
                None,
            ),
        ]
        for key, kind, label, help_text in parts:
            sub = f"{path}.{key}"
            item = Input(html_id(sub), sub, kind, label, help=help_text)
            if kind == "money":
                item.value = format_int(value.get(key))
                item.inputmode = "numeric"
            else:
                item.value = value.get(key) or ""
            widget.inputs.append(item)
            self.register(sub, item)
        self.mark(path)
        return widget

    def stipend_part(self, part: str) -> Widget:
        kind, label, help_text = STIPEND_PARTS[part]
        path = f"budget.stipend.{part}"
        value = resolve(self.ctx.document, path)
        item = Input(html_id(path), path, kind if kind != "integer" else "number", label, help=help_text)
        item.inputmode = "decimal" if kind == "decimal" else "numeric"
        item.value = format_decimal(value) if kind == "decimal" else format_int(value)
        rule = next((c.rule for c in self.ctx.call.checks if isinstance(c, StipendCapCheck)), None)
        self.mark(path)
        self.register(path, item)
        widget = Widget("input", html_id(path) + "-field", path, label, help_text, False, rule, inputs=[item])
        return widget

    def stipend_group(self) -> Widget:
        path = "budget.stipend"
        widget = Widget(
            "group",
            html_id(path),
            path,
            Text(nb="Stønad til deltakere", en="Participant stipend"),
            None,
            False,
            next((c.rule for c in self.ctx.call.checks if isinstance(c, StipendCapCheck)), None),
            role="stipend",
        )
        self.register(path, widget)
        for part in STIPEND_PARTS:
            widget.inputs += self.stipend_part(part).inputs
        return widget

    def joint_widget(self) -> Widget:
        joint = self.ctx.document.get("joint")
        joint = joint if isinstance(joint, Mapping) else None
        rule = self.ctx.call.eligibility.joint.rule if self.ctx.call.eligibility.joint else None
        toggle = Input(
            html_id("joint.enabled"),
            "joint.enabled",
            "radio",
            Text(
                nb="Søker dere sammen med andre kommuner (felles søknad)?",
                en="Are you applying together with other municipalities (joint application)?",
            ),
            help=Text(
                nb="Dere som søker her, er hovedsøker: dere har prosjektansvaret, signerer og sender inn.",
                en="You, who apply here, are the lead applicant: you carry the project responsibility, sign and submit.",
            ),
            live=True,
        )
        toggle.options = self.options(toggle, [("true", YES), ("false", NO)], ["true" if joint else "false"])
        self.register("joint.lead_org_number", toggle)
        if not joint:
            widget = Widget(
                "rows",
                html_id("joint"),
                "joint",
                Text(nb="Felles søknad", en="Joint application"),
                rule=rule,
                role="joint",
                toggle=toggle,
            )
            self.register("joint", widget)
            self.mark("joint")
            return widget
        widget = self.rows_widget(
            "joint.members",
            Text(nb="Kommunene dere søker sammen med", en="The municipalities you apply with"),
            Text(
                nb="Organisasjonsnummer og navn på hver av de andre kommunene.",
                en="Organisation number and name of each of the other municipalities.",
            ),
            True,
            rule,
            None,
            "joint",
            [
                ("org_number", "text", Text(nb="Organisasjonsnummer", en="Organisation number")),
                ("name", "text", Text(nb="Navn", en="Name")),
            ],
            Text(nb="Legg til en kommune til", en="Add another municipality"),
            row_title=lambda i, v: Text(nb=f"Kommune {i + 1}", en=f"Municipality {i + 1}"),
            new_title=Text(nb="Ny kommune", en="New municipality"),
        )
        widget.toggle = toggle
        widget.path = "joint"
        self.register("joint", widget)
        self.mark("joint")
        return widget

    def attachment_widget(
        self, form_field: FormField | None, kind: str, label: Text, help: Text | None, required: bool, rule: str | None
    ) -> Widget:
        path = f"attachments[{kind}]"
        required = required or any(
            isinstance(c, AttachmentCheck)
            and c.attachment_kind == kind
            and c.severity == "error"
            and holds(c.when, self.ctx.document)
            for c in self.ctx.call.checks
        )
        widget = Widget(
            "attachment",
            html_id(path),
            path,
            label,
            help,
            required,
            rule,
            form_field,
            uploads=list(self.ctx.uploads.get(kind, [])),
        )
        widget.role = kind
        return self.register(path, widget)


def build_form(
    call: CallDefinition,
    document: Mapping[str, Any],
    *,
    extra_rows: Mapping[str, int] | None = None,
    uploads: Mapping[str, list[Uploaded]] | None = None,
) -> Form:
    """The form for ``document`` (exchange format, with ``applicant`` and ``attachments``)."""
    ctx = Context(
        call,
        document,
        frozenset(condition_paths(call)),
        dict(extra_rows or {}),
        dict(uploads or {}),
    )
    return _Builder(ctx).build()


# --- findings and format errors --------------------------------------------------------


def finding_messages(findings: Iterable[Any]) -> list[Message]:
    """Engine findings (``rules.Finding``) as messages."""
    return [
        Message(
            f.rule_id,
            f.severity.value if hasattr(f.severity, "value") else str(f.severity),
            f.message_nb,
            f.message_en,
            f.field,
        )
        for f in findings
    ]


FORMAT_RULE = "X-R03"

_FORMAT_TEXTS: dict[str, tuple[str, str]] = {
    "missing": ("Må fylles ut.", "Required."),
    "int_type": (
        "Må være et helt tall. Beløp skrives i hele kroner.",
        "Must be a whole number. Amounts are in whole kroner.",
    ),
    "int_parsing": (
        "Må være et helt tall. Beløp skrives i hele kroner.",
        "Must be a whole number. Amounts are in whole kroner.",
    ),
    "int_from_float": (
        "Må være et helt tall. Beløp skrives i hele kroner.",
        "Must be a whole number. Amounts are in whole kroner.",
    ),
    "float_parsing": ("Må være et tall, for eksempel 1 eller 0,5.", "Must be a number, for example 1 or 0.5."),
    "float_type": ("Må være et tall, for eksempel 1 eller 0,5.", "Must be a number, for example 1 or 0.5."),
    "string_type": ("Må være tekst.", "Must be text."),
    "bool_type": ("Svar ja eller nei.", "Answer yes or no."),
    "bool_parsing": ("Svar ja eller nei.", "Answer yes or no."),
    "too_short": ("Legg til minst én.", "Add at least one."),
    "list_type": ("Må være en liste.", "Must be a list."),
    "dict_type": ("Har feil form.", "Has the wrong shape."),
    "date_from_datetime_parsing": (
        "Må være en dato, for eksempel 31.12.2019.",
        "Must be a date, for example 2019-12-31.",
    ),
    "date_parsing": ("Må være en dato, for eksempel 31.12.2019.", "Must be a date, for example 2019-12-31."),
    "date_type": ("Må være en dato, for eksempel 31.12.2019.", "Must be a date, for example 2019-12-31."),
    "extra_forbidden": ("Dette feltet hører ikke hjemme her.", "This field does not belong here."),
    "enum": ("Er ikke et gyldig valg.", "Is not a valid choice."),
}


def loc_path(loc: Iterable[Any]) -> str:
    """pydantic's ('budget', 'lines', 2, 'amount') → 'budget.lines[2].amount'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


_WHOLE_NUMBER_ERRORS = {"int_type", "int_parsing", "int_from_float"}


def _owning_rule(call: CallDefinition | None, path: str) -> str:
    """The rule of the call's field that holds ``path`` (``budget.lines[2].amount`` → the budget field's rule)."""
    if call is None:
        return ""
    best = None
    for form_field in call.fields:
        value_path = form_field.value_path
        if path == value_path or path.startswith(value_path + ".") or path.startswith(value_path + "["):
            if best is None or len(value_path) > len(best.value_path):
                best = form_field
    return (best.rule or "") if best else ""


def format_errors(document: Mapping[str, Any], call: CallDefinition | None = None) -> list[Message]:
    """Field-precise problems with the document's shape, in plain words (empty when it is valid).

    The rule id is X-R03 where an amount is not whole kroner, else the rule of
    the call's field that holds the value (none when no field does).
    """
    try:
        ExchangeApplication.model_validate(document)
    except ValidationError as error:
        messages = []
        for problem in error.errors():
            kind = problem.get("type", "")
            context = problem.get("ctx") or {}
            if kind == "greater_than_equal":
                nb, en = f"Kan ikke være mindre enn {context.get('ge')}.", f"Cannot be less than {context.get('ge')}."
            elif kind == "greater_than":
                nb, en = f"Må være mer enn {context.get('gt')}.", f"Must be more than {context.get('gt')}."
            elif kind == "less_than_equal":
                nb, en = f"Kan ikke være mer enn {context.get('le')}.", f"Cannot be more than {context.get('le')}."
            elif kind in _FORMAT_TEXTS:
                nb, en = _FORMAT_TEXTS[kind]
            else:
                nb, en = f"Har feil form: {problem.get('msg')}.", f"Has the wrong shape: {problem.get('msg')}."
            path = loc_path(problem.get("loc", ()))
            rule = FORMAT_RULE if kind in _WHOLE_NUMBER_ERRORS else _owning_rule(call, path)
            messages.append(Message(rule, "error", nb, en, path))
        return messages
    return []


# --- reading what was posted ------------------------------------------------------------


class Posted:
    """What the browser sent: a Django QueryDict or a plain dict of str or list of str."""

    def __init__(self, data: Any):
        self.data = data

    def getlist(self, name: str) -> list[str]:
        if hasattr(self.data, "getlist"):
            return [str(v) for v in self.data.getlist(name)]
        value = self.data.get(name)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]

    def get(self, name: str) -> str | None:
        values = self.getlist(name)
        return values[-1] if values else None

    def keys(self) -> list[str]:
        return list(self.data.keys())

    def indices(self, prefix: str) -> list[int]:
        pattern = re.compile(re.escape(prefix) + r"\[([0-9]{1,%d})\]\." % MAX_INDEX_DIGITS)
        found = {int(m.group(1)) for key in self.keys() if (m := pattern.match(key))}
        return sorted(found)


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


def _rows(posted: Posted, path: str, keys: list[str], remove: str | None) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for index in posted.indices(path):
        if remove == f"{path}[{index}]":
            continue
        values = {key: (posted.get(f"{path}[{index}].{key}") or "") for key in keys}
        rows.append((index, values))
    return rows


def apply_post(call: CallDefinition, document: Mapping[str, Any], data: Any) -> Parsed:
    """Apply what was posted to ``document``; only the fields that were on the page change.

    The page lists its fields in ``_fields``; a field not on the page (hidden by
    a condition) keeps its value. Values that cannot be read (``12,5`` for
    whole kroner) are kept as typed, so that nothing is lost and the checks
    say what is wrong.
    """
    posted = Posted(data)
    new: dict[str, Any] = copy.deepcopy(dict(document))
    on_page = set(posted.getlist("_fields"))
    remove = posted.get("_remove") or None
    add = posted.get("_add") or None
    fields_by_path = {f.value_path: f for f in call.fields}

    for path in on_page:
        if path == "areas":
            chosen = [v for v in posted.getlist("areas") if v]
            new["areas"] = chosen
        elif path == "contacts":
            contacts = []
            for _, row in _rows(posted, "contacts", ["name", "role", "email", "phone"], remove):
                if all(not v.strip() for v in row.values()):
                    continue
                contacts.append({k: v.strip() for k, v in row.items() if v.strip()})
            new["contacts"] = contacts
        elif path == "partners":
            new["partners"] = _partners(call, posted, remove)
        elif path == "budget.lines":
            lines = []
            for _, row in _rows(posted, "budget.lines", ["category", "description", "amount", "year"], remove):
                if all(not v.strip() for v in row.values()):
                    continue
                line: dict[str, Any] = {"description": row["description"].strip()}
                if row["category"].strip():
                    line["category"] = row["category"].strip()
                amount = parse_nok(row["amount"])
                if amount is not None:
                    line["amount"] = amount
                year = parse_int(row["year"])
                if year is not None:
                    line["year"] = year
                lines.append(line)
            _budget(new)["lines"] = lines
        elif path == "budget.funding_sources":
            sources = []
            for _, row in _rows(posted, "budget.funding_sources", ["name", "amount"], remove):
                if all(not v.strip() for v in row.values()):
                    continue
                source: dict[str, Any] = {}
                if row["name"].strip():
                    source["name"] = row["name"].strip()
                amount = parse_nok(row["amount"])
                if amount is not None:
                    source["amount"] = amount
                sources.append(source)
            _budget(new)["funding_sources"] = sources
        elif path == "budget.own_contribution":
            own: dict[str, Any] = {}
            for key in ("amount", "in_kind_amount"):
                amount = parse_nok(posted.get(f"budget.own_contribution.{key}") or "")
                if amount is not None:
                    own[key] = amount
            description = _text(posted.get("budget.own_contribution.description"))
            if description:
                own["description"] = description
            _budget(new)["own_contribution"] = own or None
            if not own:
                _budget(new).pop("own_contribution", None)
        elif path == "joint":
            new["joint"] = _joint(posted, new, remove)
        elif path.startswith("budget.stipend."):
            part = path.rsplit(".", 1)[1]
            raw = posted.get(path) or ""
            kind = STIPEND_PARTS.get(part, ("integer",))[0]
            if path in fields_by_path:
                value = _field_value(fields_by_path[path], posted, path)
            elif kind == "decimal":
                value = parse_decimal(raw)
            elif kind == "money":
                value = parse_nok(raw)
            else:
                value = parse_int(raw)
            stipend = dict(_budget(new).get("stipend") or {})
            set_path(stipend, part, value)
            _budget(new)["stipend"] = stipend or None
            if not stipend:
                _budget(new).pop("stipend", None)
        elif path in fields_by_path:
            form_field = fields_by_path[path]
            if path.startswith("applicant.") or form_field.type is FieldType.ATTACHMENT:
                continue
            value = _field_value(form_field, posted, path)
            if path == "grantor":
                new["grantor"] = value
            elif path.startswith("budget."):
                set_path(_budget(new), path.split(".", 1)[1], value)
            elif path.startswith("answers."):
                answers = dict(new.get("answers") or {})
                set_path(answers, path.split(".", 1)[1], value)
                new["answers"] = answers
            else:
                set_path(new, path, value)

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
        anchor = html_id(_parent_path(remove) or remove)
    return Parsed(new, changes, add, remove, anchor, blank)


def _budget(document: dict[str, Any]) -> dict[str, Any]:
    budget = document.get("budget")
    if not isinstance(budget, dict):
        budget = {}
    budget = dict(budget)
    document["budget"] = budget
    return budget


def _field_value(form_field: FormField, posted: Posted, path: str) -> Any:
    kind = form_field.type
    if kind is FieldType.BOOLEAN:
        return parse_bool(posted.get(path))
    if kind in (FieldType.MULTICHOICE, FieldType.COUNTIES):
        values = [v for v in posted.getlist(path) if v]
        return values or None
    raw = posted.get(path) or ""
    if kind is FieldType.INTEGER:
        return parse_int(raw)
    if kind is FieldType.MONEY:
        return parse_nok(raw)
    if kind is FieldType.DATE:
        return parse_date(raw)
    if kind in (FieldType.ORG_NUMBER, FieldType.BANK_ACCOUNT):
        return parse_identifier(raw)
    if kind is FieldType.CHOICE:
        return _text(raw)
    if kind is FieldType.TEXTAREA:
        text = raw.replace("\r\n", "\n").strip()
        return text or None
    return _text(raw)


def _partners(call: CallDefinition, posted: Posted, remove: str | None) -> list[dict[str, Any]]:
    checks = {c.partner_kind: c for c in call.checks if isinstance(c, PartnerCheck)}
    partners = []
    keys = ["kind", "name", "org_number", "org_form", "contact_person", "description"]
    for index, row in _rows(posted, "partners", keys, remove):
        if all(not v.strip() for v in row.values()):
            continue
        partner: dict[str, Any] = {}
        for key in keys:
            value = row[key].replace("\r\n", "\n").strip()
            if key == "org_number":
                value = parse_identifier(value) or ""
            elif key == "org_form":
                value = value.upper()
            if value:
                partner[key] = value
        check = checks.get(partner.get("kind", ""))
        if check and check.require_confirmations:
            partner["confirmations"] = {
                key: posted.get(f"partners[{index}].confirmations.{key}") == "true"
                for key in check.require_confirmations
            }
        partners.append(partner)
    return partners


def _joint(posted: Posted, document: Mapping[str, Any], remove: str | None) -> dict[str, Any] | None:
    if parse_bool(posted.get("joint.enabled")) is not True:
        return None
    members = []
    for _, row in _rows(posted, "joint.members", ["org_number", "name"], remove):
        if all(not v.strip() for v in row.values()):
            continue
        member: dict[str, Any] = {}
        org_number = parse_identifier(row["org_number"])
        if org_number:
            member["org_number"] = org_number
        if row["name"].strip():
            member["name"] = row["name"].strip()
        members.append(member)
    applicant = document.get("applicant") or {}
    return {"lead_org_number": applicant.get("org_number", ""), "members": members}


# --- small helpers ----------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def _bool_value(value: Any) -> str | None:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _lower(value: str) -> str:
    return value[0].lower() + value[1:] if len(value) > 1 and value[1].islower() else value


def _upper(text: Text) -> Text:
    return Text(nb=text.nb[:1].upper() + text.nb[1:], en=(text.en[:1].upper() + text.en[1:]) if text.en else "")


def _join_help(first: Text | None, second: Text | None) -> Text | None:
    if first is None:
        return second
    if second is None:
        return first
    return Text(nb=f"{first.nb} {second.nb}", en=f"{first.get('en')} {second.get('en')}")


def _counties_display(value: Any) -> list[str]:
    names = {c.code: c.name for c in counties()}
    if isinstance(value, Mapping):
        codes = sorted({code for kind in ("activity", "members", "branches") for code in value.get(kind) or []})
    else:
        codes = _as_list(value)
    return [names.get(str(code), str(code)) for code in codes]


def _date_nb(value: Any) -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day:%d.%m.%Y}"


def display_value(widget: Widget, language: str | None = "nb") -> list[str]:
    """What a widget holds, in words, for the review page (one string per line)."""
    english = (language or "").startswith("en")
    if widget.kind == "readonly":
        value = widget.display
        if value is None:
            return []
        if isinstance(value, list):
            return [", ".join(value)] if value else []
        return [value.get("en" if english else "nb") if isinstance(value, Text) else str(value)]
    lines: list[str] = []
    if widget.kind in ("input", "group"):
        for item in widget.inputs:
            text = _input_words(item, english)
            if text:
                lines.append(f"{item.label.get('en' if english else 'nb')}: {text}" if widget.kind == "group" else text)
    elif widget.kind == "rows":
        for row in widget.rows:
            if row.is_new:
                continue
            parts = [_input_words(item, english) for item in row.inputs]
            lines.append(" · ".join(p for p in parts if p))
    elif widget.kind == "attachment":
        lines = [upload.name for upload in widget.uploads]
    return lines


def _input_words(item: Input, english: bool) -> str:
    language = "en" if english else "nb"
    if item.kind in ("radio", "select", "checkboxes"):
        return ", ".join(o.label.get(language) for o in item.options if o.checked and o.value)
    if item.kind == "checkbox":
        return ("✓ " + item.label.get(language)) if item.options and item.options[0].checked else ""
    if item.kind == "money" and item.value:
        return f"{item.value} kr" if not english else f"NOK {item.value}"
    return str(item.value or "")
