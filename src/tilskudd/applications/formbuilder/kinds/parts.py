"""The kinds the form adds or groups: the priority areas, the own contribution, the participant
stipend, and the attachments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tilskudd.applications.formbuilder.builder import Builder
from tilskudd.applications.formbuilder.kinds.base import Kind
from tilskudd.applications.formbuilder.paths import html_id, resolve, set_path
from tilskudd.applications.formbuilder.posted import Reading
from tilskudd.applications.formbuilder.values import (
    as_list,
    format_decimal,
    format_int,
    parse_decimal,
    parse_int,
    parse_nok,
    parse_text,
)
from tilskudd.applications.formbuilder.visibility import holds_on, is_required
from tilskudd.applications.formbuilder.widgets import Input, Option, Widget
from tilskudd.rules.schema import (
    AreaSelection,
    AttachmentCheck,
    FieldType,
    FormField,
    OwnContributionCheck,
    StipendCapCheck,
    Text,
)

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

#: The kind for documents the call does not name (``attachments.OTHER_KIND``).
OTHER_ATTACHMENTS = "other"


class AreasKind(Kind):
    """The priority areas (*innsatsområder*) of the call: one radio, or check boxes."""

    paths = ("areas",)

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        areas = builder.call.areas
        assert areas is not None
        chosen = as_list(builder.document.get("areas"))
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
        builder.mark("areas")
        widget = Widget("input", "f-areas-field", "areas", areas.label, None, True, areas.rule, inputs=[item])
        builder.register("areas", item)
        return widget

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        reading.document["areas"] = [v for v in reading.posted.getlist("areas") if v]


class OwnContributionKind(Kind):
    """The own contribution (*egenandel*): in money, in kind, and what it consists of."""

    types = (FieldType.OWN_CONTRIBUTION,)
    paths = ("budget.own_contribution",)
    parts: list[tuple[str, str, Text, Text | None]] = [
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

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        path = "budget.own_contribution"
        value = resolve(builder.document, path)
        value = value if isinstance(value, Mapping) else {}
        widget = Widget(
            "group",
            html_id(path),
            path,
            form_field.label if form_field else Text(nb="Egenandel", en="Own contribution"),
            form_field.help if form_field else None,
            bool(form_field and is_required(form_field, builder.document))
            or any(
                isinstance(c, OwnContributionCheck) and c.min_amount > 0 and holds_on(c.when, builder.document)
                for c in builder.call.checks
            ),
            form_field.rule if form_field else None,
            form_field,
            role="own_contribution",
        )
        builder.register(path, widget)
        for key, kind, label, help_text in self.parts:
            sub = f"{path}.{key}"
            item = Input(html_id(sub), sub, kind, label, help=help_text)
            if kind == "money":
                item.value = format_int(value.get(key))
                item.inputmode = "numeric"
            else:
                item.value = value.get(key) or ""
            widget.inputs.append(item)
            builder.register(sub, item)
        builder.mark(path)
        return widget

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        own: dict[str, Any] = {}
        for key in ("amount", "in_kind_amount"):
            amount = parse_nok(reading.posted.get(f"budget.own_contribution.{key}") or "")
            if amount is not None:
                own[key] = amount
        description = parse_text(reading.posted.get("budget.own_contribution.description"))
        if description:
            own["description"] = description
        reading.put("budget.own_contribution", own or None)


class StipendPartKind(Kind):
    """One part of the participant stipend (``budget.stipend.years`` …) the call has no field for."""

    def __init__(self, kinds: Mapping[FieldType, Kind]):
        self.kinds = kinds

    @staticmethod
    def rule(builder: Builder) -> str | None:
        return next((c.rule for c in builder.call.checks if isinstance(c, StipendCapCheck)), None)

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        raise TypeError("a stipend part is built by its name: StipendPartKind.part()")

    def part(self, builder: Builder, part: str) -> Widget:
        kind, label, help_text = STIPEND_PARTS[part]
        path = f"budget.stipend.{part}"
        value = resolve(builder.document, path)
        item = Input(html_id(path), path, kind if kind != "integer" else "number", label, help=help_text)
        item.inputmode = "decimal" if kind == "decimal" else "numeric"
        item.value = format_decimal(value) if kind == "decimal" else format_int(value)
        builder.mark(path)
        builder.register(path, item)
        return Widget(
            "input", html_id(path) + "-field", path, label, help_text, False, self.rule(builder), inputs=[item]
        )

    def group(self, builder: Builder) -> Widget:
        """All parts in one group, for a call that asks for the stipend but has no field for any part."""
        path = "budget.stipend"
        widget = Widget(
            "group",
            html_id(path),
            path,
            Text(nb="Stønad til deltakere", en="Participant stipend"),
            None,
            False,
            self.rule(builder),
            role="stipend",
        )
        builder.register(path, widget)
        for part in STIPEND_PARTS:
            widget.inputs += self.part(builder, part).inputs
        return widget

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        part = path.rsplit(".", 1)[1]
        if form_field is not None and form_field.type in self.kinds:
            value = self.kinds[form_field.type].read(reading, path)
        else:
            raw = reading.posted.get(path) or ""
            kind = STIPEND_PARTS.get(part, ("integer",))[0]
            value = parse_decimal(raw) if kind == "decimal" else parse_nok(raw) if kind == "money" else parse_int(raw)
        budget = reading.budget()
        stipend = dict(budget.get("stipend") or {})
        set_path(stipend, part, value)
        set_path(budget, "stipend", stipend or None)


class AttachmentKind(Kind):
    """Files of one kind (``attachments[budget]``), uploaded one by one, not posted with the form."""

    types = (FieldType.ATTACHMENT,)

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        assert form_field is not None
        return self.attachment(
            builder,
            form_field,
            form_field.attachment_kind or form_field.id,
            form_field.label,
            form_field.help,
            is_required(form_field, builder.document),
            form_field.rule,
        )

    def attachment(
        self,
        builder: Builder,
        form_field: FormField | None,
        kind: str,
        label: Text,
        help: Text | None,
        required: bool,
        rule: str | None,
    ) -> Widget:
        path = f"attachments[{kind}]"
        required = required or any(
            isinstance(c, AttachmentCheck)
            and c.attachment_kind == kind
            and c.severity == "error"
            and holds_on(c.when, builder.document)
            for c in builder.call.checks
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
            uploads=list(builder.ctx.uploads.get(kind, [])),
        )
        widget.role = kind
        return builder.register(path, widget)

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        """Nothing: files are uploaded one by one (``views.upload``)."""
