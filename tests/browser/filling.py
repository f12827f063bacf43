"""Filling an application form in the browser as a person would: each value typed into the field
its label names (accessible names only), from an example application's JSON.

The labels come from the call definition (what the form shows); rows (contacts, partners, budget
lines, funding sources) are filled in the «Ny …» row and added with the «Legg til …» button.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.browser.conftest import assert_accessible
from tilskudd.rules.schema import CallDefinition, FieldType

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: The inputs of a new row, by key: (label, kind), as the form labels them.
ROWS = {
    "contacts": ("Ny kontaktperson", "Legg til en kontaktperson til",
                 {"name": "Navn", "role": "Rolle", "email": "E-post", "phone": "Telefon"}),
    "partners": ("Ny partner", "Legg til en partner til",
                 {"kind": "Hva slags partner", "name": "Navn", "org_number": "Organisasjonsnummer",
                  "org_form": "Organisasjonsform", "contact_person": "Kontaktperson",
                  "description": "Beskrivelse av partneren og rollen i prosjektet"}),
    "lines": ("Ny budsjettlinje", "Legg til en budsjettlinje",
              {"category": "Kostnadstype", "description": "Beskrivelse", "amount": "Beløp (kr)", "year": "År"}),
    "funding_sources": ("Ny finansieringskilde", "Legg til en finansieringskilde",
                        {"name": "Kilde", "amount": "Beløp (kr)"}),
}
OWN_CONTRIBUTION = {"amount": "Egenandel i penger (kr)", "in_kind_amount": "Egeninnsats regnet i kroner (kr)",
                    "description": "Hva består egenandelen av?"}
SKIPPED = {FieldType.ATTACHMENT, FieldType.CONTACTS, FieldType.PARTNERS, FieldType.BUDGET,
           FieldType.FUNDING_SOURCES, FieldType.OWN_CONTRIBUTION}


def example(call_slug: str, name: str) -> dict:
    return json.loads((EXAMPLES / call_slug / f"{name}.json").read_text(encoding="utf-8"))


def named(label: str) -> re.Pattern:
    """The accessible name of a field: its label, and «Må fylles ut» when it is required."""
    return re.compile(rf"^{re.escape(label)}( Må fylles ut)?$")


def by_name(scope, label: str):
    """The text box or list box its label names."""
    name = named(label)
    return scope.get_by_role("textbox", name=name).or_(scope.get_by_role("combobox", name=name))


def resolve(document: dict, path: str):
    value = document
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def save(page, button: str = "Lagre", check: bool = True) -> None:
    """Press the button and wait for the page it leads to; checks that page with axe-core unless told not to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    if check:
        assert_accessible(page)


def changing(page, target, action) -> None:
    """Do ``action`` on ``target``; when the target is «live» (the form shows other questions after it,
    htmx swaps in a new form body), wait until the new form body is there before going on."""
    if target.get_attribute("data-live") is None:
        action()
        return
    page.locator("#form-body").evaluate("body => body.setAttribute('data-old', '')")
    action()
    page.locator("#form-body:not([data-old])").wait_for()


def choose(page, target) -> None:
    """Check a radio or checkbox (and wait for the form when it changes it)."""
    if not target.is_checked():
        changing(page, target, target.check)


def fill_field(page, definition: CallDefinition, field, value) -> None:
    label = field.label.nb
    if field.type is FieldType.BOOLEAN:
        group = page.get_by_role("group", name=named(label))
        choose(page, group.get_by_role("radio", name="Ja" if value else "Nei", exact=True))
    elif field.type in (FieldType.CHOICE, FieldType.MULTICHOICE, FieldType.COUNTIES):
        values = value if isinstance(value, list) else [value]
        combobox = page.get_by_role("combobox", name=named(label))
        if combobox.count():
            changing(page, combobox, lambda: combobox.select_option(value=[str(v) for v in values]))
            return
        group = page.get_by_role("group", name=named(label))
        for v in values:
            choice = next((c for c in field.choices if c.value == v), None)
            if choice is not None:
                choose(page, group.get_by_label(choice.label.nb, exact=True))
            else:  # counties and other reference lists: the option's value
                choose(page, group.locator(f"input[value='{v}']"))
    else:
        text = str(value)
        page.get_by_role("textbox", name=named(label)).fill(text)


def fill_rows(page, key: str, rows: list[dict]) -> None:
    """Fill each row in the «Ny …» part of the list and add it with the list's «Legg til …» button.

    axe-core checks the form after the first row is added; the rows added after it are the same markup with other
    values (the C4 walk adds 19 budget lines, ~0.6 s of axe each on the growing form: issue #9, the suite's time),
    and the caller's save after the last row checks the form with every row in it."""
    title, add, labels = ROWS[key]
    for number, row in enumerate(rows):
        # The new row by its id: a live choice in it redraws the form, and the row gets a new title.
        row_id = page.get_by_role("group", name=re.compile(rf"^{re.escape(title)} – ")).get_attribute("id")
        group = page.locator(f"[id='{row_id}']")
        for name, value in row.items():
            if value is None or name not in labels:
                continue
            control = by_name(group, labels[name])
            if control.evaluate("e => e.tagName") == "SELECT":
                changing(page, control, lambda: control.select_option(value=str(value)))
            else:
                control.fill(str(value))
        if number < len(rows) - 1:
            save(page, add, check=number == 0)


def fill_form(page, definition: CallDefinition, document: dict, skip: tuple[str, ...] = ()) -> None:
    """Fill the form's fields from an exchange document; conditions first (they show other fields)."""
    fields = [f for f in definition.fields if not f.value_path.startswith("applicant.") and f.type not in SKIPPED]
    fields.sort(key=lambda f: f.type not in (FieldType.BOOLEAN, FieldType.CHOICE, FieldType.MULTICHOICE))
    for field in fields:
        if field.value_path in skip:
            continue
        value = resolve(document, field.value_path)
        if value is None or value == [] or value == "":
            continue
        fill_field(page, definition, field, value)
    for key, rows in (("contacts", document.get("contacts")), ("partners", document.get("partners"))):
        if rows:
            fill_rows(page, key, rows)
    budget = document.get("budget") or {}
    own = budget.get("own_contribution") or {}
    for name, value in own.items():
        if value is not None:
            by_name(page, OWN_CONTRIBUTION[name]).fill(str(value))
    for key in ("lines", "funding_sources"):
        if budget.get(key):
            fill_rows(page, key, budget[key])
