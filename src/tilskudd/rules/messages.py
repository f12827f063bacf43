"""The engine's standard messages, in plain bokmål and English.

Each function returns a :class:`Message` for one kind of finding. A call
definition may override the text of a check with its own ``message``.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from tilskudd.core.formatting import format_date, format_nok
from tilskudd.rules.schema import Text

APPLICANT_TYPE_NAMES = {
    "municipality": ("kommune", "municipality"),
    "city_district": ("bydel", "city district"),
    "county_authority": ("fylkeskommune", "county authority"),
    "voluntary_organisation": ("frivillig organisasjon", "voluntary organisation"),
    "social_enterprise": ("sosial entreprenør", "social enterprise"),
    "company": ("foretak", "company"),
    "foundation": ("stiftelse", "foundation"),
    "state_agency": ("statlig virksomhet", "state agency"),
}

PRESENCE_NAMES = {
    "activity": ("hovedaktivitet rettet mot målgruppen", "main activity aimed at the target group"),
    "members": ("medlemmer", "members"),
    "branches": ("regionale eller lokale ledd", "regional or local branches"),
}

PARTNER_FIELD_NAMES = {
    "org_number": ("organisasjonsnummer", "organisation number"),
    "org_form": ("organisasjonsform", "organisation form"),
    "contact_person": ("kontaktperson", "contact person"),
    "description": ("beskrivelse", "description"),
}


class Message(NamedTuple):
    nb: str
    en: str


def _type_names(values: list[str]) -> tuple[str, str]:
    nb = ", ".join(APPLICANT_TYPE_NAMES.get(v, (v, v))[0] for v in values)
    en = ", ".join(APPLICANT_TYPE_NAMES.get(v, (v, v))[1] for v in values)
    return nb, en


def deadline_passed(deadline: dt.datetime) -> Message:
    return Message(
        f"Søknadsfristen gikk ut {format_date(deadline.date())} kl. {deadline:%H:%M} (norsk tid). "
        "Søknaden kan ikke sendes inn etter fristen.",
        f"The deadline passed on {deadline:%d %B %Y at %H:%M} (Norwegian time). "
        "The application cannot be submitted after the deadline.",
    )


def bad_org_number(value: str) -> Message:
    return Message(
        f"«{value}» er ikke et gyldig organisasjonsnummer. Det skal ha 9 siffer og riktig kontrollsiffer.",
        f"'{value}' is not a valid organisation number. It must have 9 digits and a correct check digit.",
    )


def bad_bank_account(value: str) -> Message:
    return Message(
        f"«{value}» er ikke et gyldig kontonummer. Det skal ha 11 siffer og riktig kontrollsiffer.",
        f"'{value}' is not a valid bank account number. It must have 11 digits and a correct check digit.",
    )


def org_form_mismatch(org_form: str, applicant_type: str) -> Message:
    nb, en = _type_names([applicant_type])
    return Message(
        f"Organisasjonsformen {org_form} passer ikke med søkertypen «{nb}».",
        f"The organisation form {org_form} does not match the applicant type '{en}'.",
    )


def applicant_type_not_allowed(applicant_type: str, allowed: list[str]) -> Message:
    got_nb, got_en = _type_names([applicant_type])
    nb, en = _type_names(allowed)
    return Message(
        f"Denne utlysningen er bare for: {nb}. Søkeren er registrert som {got_nb}.",
        f"This call is only open to: {en}. The applicant is registered as {got_en}.",
    )


def not_on_allow_list() -> Message:
    return Message(
        "Bare organisasjonene tilskuddsforvalteren har invitert, kan søke på denne utlysningen. "
        "Søkeren står ikke på listen.",
        "Only the organisations the grantor has invited may apply to this call. The applicant is not on the list.",
    )


def not_in_voluntary_register() -> Message:
    return Message(
        "Organisasjonen må være registrert i Frivillighetsregisteret for å kunne søke.",
        "The organisation must be registered in the Register of Non-Profit Organisations "
        "(Frivillighetsregisteret) to apply.",
    )


def registered_after_application(registered: dt.date, today: dt.date) -> Message:
    return Message(
        "Organisasjonen må være registrert i Frivillighetsregisteret på søknadsdatoen. "
        f"Den ble registrert {format_date(registered)}, og søknadsdatoen er {format_date(today)}.",
        "The organisation must be registered in the Register of Non-Profit Organisations on the date of application. "
        f"It was registered on {registered.isoformat()} and the date of application is {today.isoformat()}.",
    )


def founding_date_missing() -> Message:
    return Message(
        "Oppgi datoen organisasjonen ble stiftet. Utlysningen stiller krav til hvor lenge den har eksistert.",
        "Give the date the organisation was founded. The call requires it to have existed for some time.",
    )


def too_young(years: int, founded: dt.date, today: dt.date) -> Message:
    return Message(
        f"Organisasjonen må ha eksistert i minst {years} år på søknadsdatoen. "
        f"Den ble stiftet {format_date(founded)}, og søknadsdatoen er {format_date(today)}.",
        f"The organisation must have existed for at least {years} years on the date of application. "
        f"It was founded on {founded.isoformat()} and the date of application is {today.isoformat()}.",
    )


def unknown_county(code: str) -> Message:
    return Message(
        f"«{code}» er ikke et fylkesnummer i fylkesinndelingen fra 2024, og telles ikke med.",
        f"'{code}' is not a county number in the 2024 county division, and is not counted.",
    )


def too_few_counties(minimum: int, best: int, kinds: list[str]) -> Message:
    nb = " eller ".join(PRESENCE_NAMES[k][0] for k in kinds)
    en = " or ".join(PRESENCE_NAMES[k][1] for k in kinds)
    return Message(
        f"Organisasjonen må være nasjonal: den må ha {nb} i minst {minimum} fylker. Søknaden viser høyst {best}.",
        f"The organisation must be national: it must have {en} in at least {minimum} counties. "
        f"The application shows at most {best}.",
    )


def joint_not_allowed() -> Message:
    return Message(
        "Denne utlysningen tillater ikke felles søknader.",
        "This call does not allow joint applications.",
    )


def joint_lead_must_apply() -> Message:
    return Message(
        "I en felles søknad er det vertskommunen (den ansvarlige kommunen) som sender søknaden. "
        "Søkeren må være oppført som ansvarlig.",
        "In a joint application the lead municipality submits the application. The applicant must be the lead.",
    )


def joint_member_type_missing(name: str) -> Message:
    return Message(
        f"Oppgi hva slags søker {name} er (for eksempel kommune).",
        f"Give what kind of applicant {name} is (for example a municipality).",
    )


def joint_member_type_not_allowed(name: str, value: str, allowed: list[str]) -> Message:
    allowed_nb, allowed_en = _type_names(allowed)
    return Message(
        f"{name} kan ikke være med i en felles søknad som {APPLICANT_TYPE_NAMES.get(value, (value, value))[0]}. "
        f"En felles søknad kan ha med: {allowed_nb}.",
        f"{name} cannot take part in a joint application as a {APPLICANT_TYPE_NAMES.get(value, (value, value))[1]}. "
        f"A joint application may include: {allowed_en}.",
    )


def same_activity_two_grantors(applied_to: tuple[str, str], other: tuple[str, str], status: str | None) -> Message:
    """C2-R07: funding for the same activity from both the call's own grantor and a local one."""
    how_nb = {"applied": "søkt om ", "granted": "fått "}.get(status or "", "")
    how_en = {"applied": "applied for ", "granted": "received "}.get(status or "", "")
    return Message(
        f"Den samme aktiviteten kan ikke få tilskudd både fra IMDi og fra en kommune. Søknaden går til "
        f"{applied_to[0]}, og finansieringsplanen har {how_nb}tilskudd fra {other[0]}. Tilskudd som fordeles "
        "via det sentrale leddet i en organisasjon, regnes som tilskudd fra IMDi.",
        f"The same activity cannot be funded by both IMDi and a municipality. The application goes to "
        f"{applied_to[1]}, and the financing plan has a grant {how_en}from {other[1]}. Grants passed on by an "
        "organisation's central level count as IMDi's.",
    )


def project_too_long(max_years: int, starts_on: dt.date, ends_on: dt.date) -> Message:
    return Message(
        f"Prosjektet kan vare i høyst {max_years} år. Det går fra {format_date(starts_on)} til "
        f"{format_date(ends_on)}, og må slutte senest {format_date(_last_day(starts_on, max_years))}.",
        f"The project may last at most {max_years} year{'s' if max_years != 1 else ''}. It runs from "
        f"{starts_on.isoformat()} to {ends_on.isoformat()}, and must end by "
        f"{_last_day(starts_on, max_years).isoformat()}.",
    )


def _last_day(starts_on: dt.date, years: int) -> dt.date:
    try:
        end = starts_on.replace(year=starts_on.year + years)
    except ValueError:  # 29 February
        end = starts_on.replace(year=starts_on.year + years, day=28)
    return end - dt.timedelta(days=1)


def project_ends_too_late(ends_by: dt.date, ends_on: dt.date) -> Message:
    return Message(
        f"Prosjektet må avsluttes senest {format_date(ends_by)}. Det slutter {format_date(ends_on)}.",
        f"The project must end by {ends_by.isoformat()}. It ends on {ends_on.isoformat()}.",
    )


def joint_lead_listed_as_member() -> Message:
    return Message(
        "Den ansvarlige søkeren skal ikke stå på listen over samarbeidskommuner.",
        "The lead applicant must not be listed among the partner municipalities.",
    )


def unknown_grantor(org_number: str) -> Message:
    return Message(
        f"Organisasjonsnummer {org_number} er ikke en tilskuddsforvalter for denne utlysningen.",
        f"Organisation number {org_number} is not a grantor for this call.",
    )


def area_missing(label: Text) -> Message:
    return Message(f"Velg {label.nb.lower()}.", f"Choose a {(label.en or label.nb).lower()}.")


def unknown_area(area: str, known: list[str]) -> Message:
    return Message(
        f"«{area}» finnes ikke i denne utlysningen. Gyldige valg er: {', '.join(known)}.",
        f"'{area}' does not exist in this call. Valid choices are: {', '.join(known)}.",
    )


def exactly_one_area(label: Text) -> Message:
    return Message(
        f"Søknaden kan bare gjelde ett {label.nb.lower()}.",
        f"The application may name only one {(label.en or label.nb).lower()}.",
    )


def required(label: Text) -> Message:
    return Message(f"«{label.nb}» må fylles ut.", f"'{label.en or label.nb}' is required.")


def must_be_whole_number(label: Text) -> Message:
    return Message(f"«{label.nb}» må være et helt tall.", f"'{label.en or label.nb}' must be a whole number.")


def too_small(label: Text, minimum: int) -> Message:
    return Message(f"«{label.nb}» må være minst {minimum}.", f"'{label.en or label.nb}' must be at least {minimum}.")


def too_large(label: Text, maximum: int) -> Message:
    return Message(f"«{label.nb}» kan være høyst {maximum}.", f"'{label.en or label.nb}' may be at most {maximum}.")


def must_be_yes_or_no(label: Text) -> Message:
    return Message(f"«{label.nb}» må besvares med ja eller nei.", f"'{label.en or label.nb}' must be yes or no.")


def must_be_date(label: Text) -> Message:
    return Message(
        f"«{label.nb}» må være en dato (åååå-mm-dd).", f"'{label.en or label.nb}' must be a date (yyyy-mm-dd)."
    )


def must_be_email(label: Text) -> Message:
    return Message(
        f"«{label.nb}» må være en e-postadresse, som navn@kommune.no.",
        f"'{label.en or label.nb}' must be an e-mail address, like name@example.no.",
    )


def must_be_phone(label: Text) -> Message:
    return Message(
        f"«{label.nb}» må være et telefonnummer med 8 til 15 siffer, som 22 24 90 90 eller +47 22 24 90 90.",
        f"'{label.en or label.nb}' must be a phone number of 8 to 15 digits, like 22 24 90 90 or +47 22 24 90 90.",
    )


def must_be_case_number(label: Text) -> Message:
    return Message(
        f"«{label.nb}» må være et saksnummer, som 18/01234.",
        f"'{label.en or label.nb}' must be a case number, like 18/01234.",
    )


def not_a_choice(label: Text, value: object) -> Message:
    return Message(
        f"Svaret «{value}» på «{label.nb}» er ikke et av valgene.",
        f"The answer '{value}' to '{label.en or label.nb}' is not one of the choices.",
    )


def must_be_text(label: Text) -> Message:
    return Message(f"«{label.nb}» må være tekst.", f"'{label.en or label.nb}' must be text.")


def range_min(label: Text, minimum: int, value: int) -> Message:
    return Message(
        f"«{label.nb}» må være minst {minimum}. Søknaden har {value}.",
        f"'{label.en or label.nb}' must be at least {minimum}. The application has {value}.",
    )


def range_max(label: Text, maximum: int, value: int) -> Message:
    return Message(
        f"«{label.nb}» kan være høyst {maximum}. Søknaden har {value}.",
        f"'{label.en or label.nb}' may be at most {maximum}. The application has {value}.",
    )


def partner_missing(label: Text) -> Message:
    return Message(
        f"Søknaden må ha en samarbeidspartner: {label.nb}.",
        f"The application must name a partner: {label.en or label.nb}.",
    )


def partner_field_missing(label: Text, name: str) -> Message:
    nb, en = PARTNER_FIELD_NAMES.get(name, (name, name))
    return Message(f"Oppgi {nb} for {label.nb}.", f"Give the {en} of the {label.en or label.nb}.")


def partner_confirmation_missing(partner: Text, confirmation: Text) -> Message:
    return Message(
        f"Bekreft for {partner.nb}: {confirmation.nb}",
        f"Confirm for the {partner.en or partner.nb}: {confirmation.en or confirmation.nb}",
    )


def partner_org_form(label: Text, org_form: str, allowed: list[str]) -> Message:
    return Message(
        f"{label.nb} kan ikke ha organisasjonsformen {org_form}. Tillatt: {', '.join(allowed)}.",
        f"The {label.en or label.nb} cannot have the organisation form {org_form}. Allowed: {', '.join(allowed)}.",
    )


def attachment_missing(label: Text) -> Message:
    return Message(f"Legg ved: {label.nb}.", f"Attach: {label.en or label.nb}.")


def amount_below(minimum: int, amount: int) -> Message:
    return Message(
        f"Det må søkes om minst {format_nok(minimum)}. Søknaden gjelder {format_nok(amount)}.",
        f"The amount applied for must be at least {format_nok(minimum, 'en')}. The application asks for {format_nok(amount, 'en')}.",
    )


def amount_above(maximum: int, amount: int) -> Message:
    return Message(
        f"Det kan søkes om høyst {format_nok(maximum)}. Søknaden gjelder {format_nok(amount)}.",
        f"The amount applied for may be at most {format_nok(maximum, 'en')}. The application asks for {format_nok(amount, 'en')}.",
    )


def _for_year(year: int | None) -> tuple[str, str]:
    return (f" for {year}", f" for {year}") if year else ("", "")


def budget_above(maximum: int, total: int, year: int | None) -> Message:
    nb, en = _for_year(year)
    return Message(
        f"Prosjektets budsjett{nb} kan være høyst {format_nok(maximum)} i året. Budsjettet er {format_nok(total)}.",
        f"The project's budget{en} may be at most {format_nok(maximum, 'en')} a year. The budget is {format_nok(total, 'en')}.",
    )


def budget_below(minimum: int, total: int, year: int | None) -> Message:
    nb, en = _for_year(year)
    return Message(
        f"Budsjettet{nb} må være minst {format_nok(minimum)}. Budsjettet er {format_nok(total)}.",
        f"The budget{en} must be at least {format_nok(minimum, 'en')}. The budget is {format_nok(total, 'en')}.",
    )


def own_contribution_missing() -> Message:
    return Message(
        "Søkeren må bidra med egenandel. Oppgi egenandelen i kroner, også egeninnsats i form av arbeid.",
        "The applicant must contribute an own share. Give it in NOK, including work contributed in kind.",
    )


def in_kind_not_quantified() -> Message:
    return Message(
        "Egeninnsats skal oppgis som et kronebeløp.",
        "Work contributed in kind must be given as an amount in NOK.",
    )


def funding_sources_missing() -> Message:
    return Message(
        "Oppgi finansieringskildene for prosjektet.",
        "List the project's funding sources.",
    )


def applied_above_costs(applied: int, costs: int) -> Message:
    return Message(
        f"Beløpet det søkes om ({format_nok(applied)}) er høyere enn de samlede kostnadene i budsjettet "
        f"({format_nok(costs)}). Det kan ikke søkes om mer enn prosjektet koster.",
        f"The amount applied for ({format_nok(applied, 'en')}) is higher than the total costs in the budget "
        f"({format_nok(costs, 'en')}). You cannot apply for more than the project costs.",
    )


def stipend_above_applied(stipend: int, applied: int) -> Message:
    return Message(
        f"Stønaden det søkes om ({format_nok(stipend)}) er høyere enn hele beløpet det søkes om "
        f"({format_nok(applied)}). Stønaden er en del av søknadsbeløpet.",
        f"The stipend applied for ({format_nok(stipend, 'en')}) is higher than the whole amount applied for "
        f"({format_nok(applied, 'en')}). The stipend is part of the amount applied for.",
    )


def _difference(total: int, costs: int) -> tuple[str, str]:
    if total < costs:
        return f"{format_nok(costs - total)} for lite", f"{format_nok(costs - total, 'en')} short"
    return f"{format_nok(total - costs)} for mye", f"{format_nok(total - costs, 'en')} too much"


def financing_does_not_add_up(costs: int, applied: int, own: int, sources: int) -> Message:
    """The financing plan (amount applied + own contribution + other funding) is not the costs."""
    total = applied + own + sources
    nb, en = _difference(total, costs)
    return Message(
        f"Finansieringsplanen går ikke opp: kostnadene er {format_nok(costs)}, men beløpet det søkes om "
        f"({format_nok(applied)}), egenandelen ({format_nok(own)}) og annen finansiering ({format_nok(sources)}) "
        f"er til sammen {format_nok(total)} – {nb}.",
        f"The financing plan does not add up: the costs are {format_nok(costs, 'en')}, but the amount applied for "
        f"({format_nok(applied, 'en')}), the own contribution ({format_nok(own, 'en')}) and other funding "
        f"({format_nok(sources, 'en')}) come to {format_nok(total, 'en')} – {en}.",
    )


def sources_do_not_add_up(costs: int, sources: int) -> Message:
    """The funding sources, the whole financing plan, are not the costs."""
    nb, en = _difference(sources, costs)
    return Message(
        f"Finansieringsplanen går ikke opp: kostnadene er {format_nok(costs)}, men finansieringskildene er "
        f"til sammen {format_nok(sources)} – {nb}.",
        f"The financing plan does not add up: the costs are {format_nok(costs, 'en')}, but the funding sources "
        f"come to {format_nok(sources, 'en')} – {en}.",
    )


def sources_leave_out(applied: int, own: int, sources: int) -> Message:
    """The funding sources (the whole plan) have less than the amount applied for and the own contribution."""
    return Message(
        f"Finansieringskildene ({format_nok(sources)}) må også ta med beløpet det søkes om ({format_nok(applied)}) "
        f"og egenandelen ({format_nok(own)}), til sammen {format_nok(applied + own)}.",
        f"The funding sources ({format_nok(sources, 'en')}) must include the amount applied for "
        f"({format_nok(applied, 'en')}) and the own contribution ({format_nok(own, 'en')}), "
        f"{format_nok(applied + own, 'en')} together.",
    )


def stipend_above_cap(amount: int, cap: int, g: int, g_from: dt.date) -> Message:
    return Message(
        f"Det kan søkes om høyst {format_nok(cap)} i stønad for disse deltakerne "
        f"(G = {format_nok(g)} fra {format_date(g_from)}). Søknaden gjelder {format_nok(amount)}.",
        f"The stipend applied for may be at most {format_nok(cap, 'en')} for these participants "
        f"(G = {format_nok(g, 'en')} from {g_from.isoformat()}). The application asks for {format_nok(amount, 'en')}.",
    )


def not_confirmed(label: Text) -> Message:
    return Message(
        f"Utlysningen krever at du kan svare ja på «{label.nb}». Søknaden svarer nei.",
        f"The call requires the answer yes to '{label.en or label.nb}'. The application says no.",
    )


def unknown_category(category: str) -> Message:
    return Message(
        f"Budsjettposten «{category}» finnes ikke i denne utlysningen. Velg en av kategoriene.",
        f"The budget category '{category}' does not exist in this call. Choose one of the categories.",
    )


def ineligible_category(label: Text, amount: int) -> Message:
    return Message(
        f"Tilskuddet kan ikke dekke «{label.nb}» ({format_nok(amount)}). Fjern posten eller finansier den på annen måte.",
        f"The grant cannot cover '{label.en or label.nb}' ({format_nok(amount, 'en')}). Remove the line or fund it otherwise.",
    )
