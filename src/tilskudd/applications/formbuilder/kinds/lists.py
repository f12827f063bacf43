"""The kinds of field that are a list of rows: contacts, partners, budget lines, funding sources, and
the members of a joint application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tilskudd.applications.formbuilder.builder import Builder, join_help
from tilskudd.applications.formbuilder.kinds.base import NO, YES, Kind
from tilskudd.applications.formbuilder.paths import html_id, resolve
from tilskudd.applications.formbuilder.posted import Reading
from tilskudd.applications.formbuilder.values import is_int, parse_bool, parse_identifier, parse_int, parse_nok
from tilskudd.applications.formbuilder.visibility import holds_on, is_required
from tilskudd.applications.formbuilder.widgets import Input, Option, Row, Widget
from tilskudd.core.text import upper_first
from tilskudd.rules.messages import APPLICANT_TYPE_NAMES, PARTNER_FIELD_NAMES
from tilskudd.rules.schema import FieldType, FormField, PartnerCheck, Text

PARTNER_FIELD_LABELS = {
    name: Text(nb=upper_first(nb), en=upper_first(en)) for name, (nb, en) in PARTNER_FIELD_NAMES.items()
}

CHOOSE = Text(nb="Velg", en="Choose")
#: A funding source's status (application format version 2, C2-R07): blank where it is not a grant.
NOT_A_GRANT = Text(nb="Ikke et tilskudd", en="Not a grant")
FUNDING_STATUSES = [
    ("applied", Text(nb="Søkt om", en="Applied for")),
    ("granted", Text(nb="Fått (innvilget)", en="Received (granted)")),
]


def _upper(text: Text) -> Text:
    return Text(nb=upper_first(text.nb), en=upper_first(text.en) if text.en else "")


class ContactsKind(Kind):
    types = (FieldType.CONTACTS,)
    paths = ("contacts",)
    keys = ["name", "role", "email", "phone"]

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        assert form_field is not None
        return builder.rows_widget(
            form_field.value_path,
            form_field.label,
            form_field.help,
            is_required(form_field, builder.document),
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

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        contacts = [{k: v.strip() for k, v in row.items() if v.strip()} for _, row in reading.rows(path, self.keys)]
        reading.put(path, contacts)


class PartnersKind(Kind):
    """The partners (*samarbeidspartnere*) the call's partner checks ask for, one row each."""

    types = (FieldType.PARTNERS,)
    paths = ("partners",)
    keys = ["kind", "name", "org_number", "org_form", "contact_person", "description"]

    @staticmethod
    def checks(call) -> list[PartnerCheck]:
        return [c for c in call.checks if isinstance(c, PartnerCheck)]

    def kinds(self, builder: Builder, values: list[Any]) -> list[tuple[str, Text]]:
        """The kinds the call's partner checks ask for now, and any kind already named."""
        kinds: dict[str, Text] = {}
        checks = self.checks(builder.call)
        for check in checks:
            if holds_on(check.when, builder.document) and check.partner_kind not in kinds:
                kinds[check.partner_kind] = _upper(check.label)
        for value in values:
            kind = value.get("kind") if isinstance(value, Mapping) else None
            if kind and kind not in kinds:
                named = next((c for c in checks if c.partner_kind == kind), None)
                kinds[kind] = _upper(named.label) if named else Text(nb=kind)
        return list(kinds.items())

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        path = "partners"
        document = builder.document
        values = resolve(document, path)
        values = values if isinstance(values, list) else []
        kinds = self.kinds(builder, values)
        checks = self.checks(builder.call)
        label = form_field.label if form_field else Text(nb="Samarbeidspartnere", en="Partners")
        required = bool(form_field and is_required(form_field, document)) or any(
            holds_on(c.when, document) for c in checks
        )
        asked = [c for c in checks if holds_on(c.when, document)]
        help_text = form_field.help if form_field else None
        if asked:
            names_nb = ", ".join(c.label.nb for c in asked)
            names_en = ", ".join(c.label.en or c.label.nb for c in asked)
            help_text = join_help(
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
            kind_input.options = builder.options(kind_input, [("", CHOOSE)] + kinds, [kind or ""])
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
            given = value.get("confirmations")
            confirmations: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
            for key, text in check.require_confirmations.items():
                cpath = f"{row.path}.confirmations.{key}"
                item = Input(html_id(cpath), cpath, "checkbox", text, required=True)
                item.options = [Option("true", text, confirmations.get(key) is True, item.id)]
                row.inputs.append(item)
                builder.register(cpath, item)

        return builder.rows_widget(
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

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        checks = {c.partner_kind: c for c in self.checks(reading.call)}
        partners = []
        for index, row in reading.rows("partners", self.keys):
            partner: dict[str, Any] = {}
            for key in self.keys:
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
                    key: reading.posted.get(f"partners[{index}].confirmations.{key}") == "true"
                    for key in check.require_confirmations
                }
            partners.append(partner)
        reading.document["partners"] = partners


class BudgetKind(Kind):
    """The budget lines: category, description, amount and year."""

    types = (FieldType.BUDGET,)
    paths = ("budget.lines",)
    keys = ["category", "description", "amount", "year"]

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        assert form_field is not None
        categories = [
            (
                c.id,
                c.label
                if c.eligible
                else Text(nb=f"{c.label.nb} (dekkes ikke)", en=f"{c.label.get('en')} (not covered)"),
            )
            for c in builder.call.budget.categories
        ]

        def extra(row: Row, value: Mapping[str, Any]) -> None:
            category = row.inputs[0]
            category.kind = "select"
            category.options = builder.options(category, [("", CHOOSE)] + categories, [value.get("category") or ""])
            row.inputs[3].kind = "number"
            row.inputs[3].inputmode = "numeric"
            row.inputs[3].value = "" if value.get("year") is None else str(value.get("year"))

        widget = builder.rows_widget(
            form_field.value_path,
            form_field.label,
            join_help(
                form_field.help,
                Text(
                    nb="Én linje per kostnad. Beløp i hele kroner. Oppgi året kostnaden gjelder når prosjektet går over flere år.",
                    en="One line per cost. Amounts in whole kroner. Give the year of the cost when the project runs over several years.",
                ),
            ),
            is_required(form_field, builder.document),
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
        lines = resolve(builder.document, form_field.value_path)
        widget.display = sum(
            line.get("amount") for line in (lines or []) if isinstance(line, Mapping) and is_int(line.get("amount"))
        )
        return widget

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        lines = []
        for _, row in reading.rows(path, self.keys):
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
        reading.put(path, lines)


class FundingSourcesKind(Kind):
    """Where the money comes from: source and amount."""

    types = (FieldType.FUNDING_SOURCES,)
    paths = ("budget.funding_sources",)
    keys = ["name", "amount", "grantor_org_number", "status"]

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        return builder.rows_widget(
            "budget.funding_sources",
            form_field.label if form_field else Text(nb="Finansieringskilder", en="Funding sources"),
            join_help(
                form_field.help if form_field else None,
                Text(
                    nb="Hvor kommer pengene fra? Ta med tilskuddet dere søker om her.",
                    en="Where does the money come from? Include the grant you apply for here.",
                ),
            ),
            bool(form_field and is_required(form_field, builder.document)),
            form_field.rule if form_field else None,
            form_field,
            "funding_sources",
            [
                ("name", "text", Text(nb="Kilde", en="Source")),
                ("amount", "money", Text(nb="Beløp (kr)", en="Amount (NOK)")),
                (
                    "grantor_org_number",
                    "text",
                    Text(
                        nb="Tilskuddsgiverens organisasjonsnummer (hvis tilskudd)",
                        en="Grantor's org. number (if a grant)",
                    ),
                ),
                ("status", "select", Text(nb="Søkt eller fått?", en="Applied for or received?")),
            ],
            Text(nb="Legg til en finansieringskilde", en="Add a funding source"),
            row_title=lambda i, v: Text(nb=f"Kilde {i + 1}", en=f"Source {i + 1}"),
            row_extra=self._status_options(builder),
            new_title=Text(nb="Ny finansieringskilde", en="New funding source"),
        )

    @staticmethod
    def _status_options(builder: Builder):
        def extra(row: Row, value: Mapping[str, Any]) -> None:
            status = row.inputs[3]
            status.options = builder.options(
                status, [("", NOT_A_GRANT)] + FUNDING_STATUSES, [value.get("status") or ""]
            )

        return extra

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        sources = []
        for _, row in reading.rows("budget.funding_sources", self.keys):
            source: dict[str, Any] = {}
            if row["name"].strip():
                source["name"] = row["name"].strip()
            amount = parse_nok(row["amount"])
            if amount is not None:
                source["amount"] = amount
            grantor = parse_identifier(row["grantor_org_number"])
            if grantor:
                source["grantor_org_number"] = grantor
            if row["status"].strip():
                source["status"] = row["status"].strip()
            sources.append(source)
        reading.budget()["funding_sources"] = sources


class JointKind(Kind):
    """A joint application (*felles søknad*): a yes/no and, when yes, the other municipalities."""

    paths = ("joint",)
    keys = ["org_number", "name", "applicant_type"]

    def widget(self, builder: Builder, form_field: FormField | None) -> Widget:
        joint = builder.document.get("joint")
        joint = joint if isinstance(joint, Mapping) else None
        rule = builder.call.eligibility.joint.rule if builder.call.eligibility.joint else None
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
        toggle.options = builder.options(toggle, [("true", YES), ("false", NO)], ["true" if joint else "false"])
        builder.register("joint.lead_org_number", toggle)
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
            builder.register("joint", widget)
            builder.mark("joint")
            return widget
        widget = builder.rows_widget(
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
                ("applicant_type", "select", Text(nb="Hva slags søker", en="Kind of applicant")),
            ],
            Text(nb="Legg til en kommune til", en="Add another municipality"),
            row_title=lambda i, v: Text(nb=f"Kommune {i + 1}", en=f"Municipality {i + 1}"),
            row_extra=self._type_options(builder),
            new_title=Text(nb="Ny kommune", en="New municipality"),
        )
        widget.toggle = toggle
        widget.path = "joint"
        builder.register("joint", widget)
        builder.mark("joint")
        return widget

    @staticmethod
    def _type_options(builder: Builder):
        """The applicant types a member may be (the call's ``joint.member_types``; format version 2)."""
        joint = builder.call.eligibility.joint
        types = [t.value for t in joint.member_types] if joint and joint.member_types else []
        choices = [
            (t, Text(nb=upper_first(APPLICANT_TYPE_NAMES[t][0]), en=upper_first(APPLICANT_TYPE_NAMES[t][1])))
            for t in types
        ]

        def extra(row: Row, value: Mapping[str, Any]) -> None:
            kind = row.inputs[2]
            kind.options = builder.options(kind, [("", CHOOSE)] + choices, [value.get("applicant_type") or ""])

        return extra

    def parse(self, reading: Reading, path: str, form_field: FormField | None) -> None:
        reading.document["joint"] = self.read(reading, path)

    def read(self, reading: Reading, path: str) -> dict[str, Any] | None:
        if parse_bool(reading.posted.get("joint.enabled")) is not True:
            return None
        members = []
        for _, row in reading.rows("joint.members", self.keys):
            member: dict[str, Any] = {}
            org_number = parse_identifier(row["org_number"])
            if org_number:
                member["org_number"] = org_number
            if row["name"].strip():
                member["name"] = row["name"].strip()
            if row["applicant_type"].strip():
                member["applicant_type"] = row["applicant_type"].strip()
            members.append(member)
        applicant = reading.document.get("applicant") or {}
        return {"lead_org_number": applicant.get("org_number", ""), "members": members}
