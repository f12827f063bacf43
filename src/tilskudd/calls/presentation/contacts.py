"""The section on whom to contact."""

from __future__ import annotations

from tilskudd.calls.presentation.conditions import area_label, areas_words
from tilskudd.calls.presentation.pages import Block, Line, Row, Table
from tilskudd.calls.presentation.words import text_in
from tilskudd.core.phrases import Link, Phrase, phrase
from tilskudd.core.text import NBSP, pick, upper_first
from tilskudd.rules.schema import CallDefinition


def _contact_link(contact, language: str | None) -> tuple[Phrase, Phrase]:
    phone = (
        phrase(Link("tel:" + contact.phone.replace(" ", ""), contact.phone.replace(" ", NBSP)))
        if contact.phone
        else phrase("–")
    )
    email = phrase(Link("mailto:" + contact.email, contact.email)) if contact.email else phrase("–")
    return phone, email


def contact_block(call: CallDefinition, language: str | None) -> Block | None:
    routing = call.routing
    if routing is None:
        return None
    grantor = text_in(call.grantor.name, language)
    if routing.by == "regional_office":
        sentence = pick(
            language,
            f"Søknaden behandles av det regionkontoret i {grantor} som har ansvar for søkerens kommune.",
            f"Applications are handled by the {grantor} regional office responsible for the applicant's municipality.",
        )
    else:
        sentence = pick(language, f"Søknaden behandles av {grantor}.", f"Applications are handled by {grantor}.")
    lines = [Line(phrase(sentence), (routing.rule,))]
    if routing.switchboard:
        lines.append(
            Line(
                phrase(Link("tel:" + routing.switchboard.replace(" ", ""), routing.switchboard.replace(" ", NBSP))),
                term=pick(language, "Sentralbord", "Switchboard"),
            )
        )
    for contact in routing.other_contacts:
        phone, email = _contact_link(contact, language)
        details = tuple(p for p in (phone, email) if str(p) != "–")
        lines.append(Line(phrase(contact.name), (routing.rule,), details))
    tables = []
    if routing.offices:
        rows = []
        label = area_label(call, language)
        all_ids = [area.id for area in call.areas.items] if call.areas else []
        for office in routing.offices:
            named = [key for key in office.contacts if key != "*"]
            for key, contact in office.contacts.items():
                if key == "*":
                    covers = (
                        pick(language, "Alle", "All")
                        if not named
                        else pick(language, "Alle andre områder", "All other areas")
                    )
                else:
                    ids = [part.strip() for part in key.split(",")]
                    known = all(area_id in all_ids for area_id in ids)
                    covers = areas_words(call, ids, language) if known else f"{label} {key}"
                phone, email = _contact_link(contact, language)
                rows.append(
                    Row(
                        (phrase(office.office), phrase(upper_first(covers)), phrase(contact.name), phone, email),
                        (routing.rule,),
                    )
                )
        tables.append(
            Table(
                pick(language, "Kontaktpersoner", "Contacts"),
                (
                    pick(language, "Regionkontor", "Regional office"),
                    pick(language, "Gjelder", "Covers"),
                    pick(language, "Kontaktperson", "Contact person"),
                    pick(language, "Telefon", "Phone"),
                    pick(language, "E-post", "E-mail"),
                ),
                tuple(rows),
            )
        )
    return Block("kontakt", pick(language, "Kontakt", "Contact"), tuple(lines), tuple(tables))
