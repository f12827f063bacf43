"""The call's rules in words (tilskudd.calls.presentation), tested without Django."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
import yaml

from tests.conftest import oslo
from tests.web.conftest import MINIMAL
from tilskudd.calls import presentation as p
from tilskudd.rules.loading import parse_call
from tilskudd.rules.reference import g_on

NBSP = "\u00a0"
NOW = oslo(2030, 1, 1, 12, 0)


def variant(change) -> "p.CallDefinition":
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    change(data)
    return parse_call(data)


def lines_with(page: p.CallPage, rule_id: str) -> list[p.Line]:
    return [line for block in page.blocks for line in block.all_lines() if rule_id in line.rules]


# --- numbers, amounts, dates --------------------------------------------------------


def test_amounts_are_grouped_the_norwegian_way():
    assert p.format_nok(52_300_000, "nb") == f"52{NBSP}300{NBSP}000{NBSP}kr"
    assert p.format_nok(52_300_000, "en") == "NOK 52,300,000"
    assert p.format_nok(0, "nb") == f"0{NBSP}kr"


def test_frame_says_up_to_or_that_no_amount_is_given():
    assert p.format_frame(5_000_000, True, "nb") == f"inntil 5{NBSP}000{NBSP}000{NBSP}kr"
    assert p.format_frame(5_000_000, True, "en") == "up to NOK 5,000,000"
    assert p.format_frame(None, False, "nb") == "ikke oppgitt som beløp"


def test_deadlines_are_shown_in_oslo_time_winter_and_summer():
    winter = p.format_datetime(dt.datetime(2019, 2, 28, 11, 0, tzinfo=dt.timezone.utc), "nb")
    assert winter.text == "28.02.2019 kl. 12:00"
    assert winter.iso == "2019-02-28T12:00:00+01:00"
    summer = p.format_datetime(dt.datetime(2024, 6, 14, 21, 59, 59, tzinfo=dt.timezone.utc), "nb")
    assert summer.text == "14.06.2024 kl. 23:59:59"
    assert summer.iso == "2024-06-14T23:59:59+02:00"
    assert p.format_datetime(oslo(2026, 1, 21, 23, 59), "en").text == "21 January 2026 at 23:59"


def test_dates():
    assert p.format_date(dt.date(2030, 9, 1), "nb") == p.Moment("2030-09-01", "01.09.2030")
    assert p.format_date(dt.date(2030, 9, 1), "en").text == "1 September 2030"


def test_applicant_types_in_words():
    assert p.applicant_types_text(["municipality"], "nb") == "kommuner"
    assert p.applicant_types_text(["municipality", "city_district"], "nb") == "kommuner og bydeler"
    assert (
        p.applicant_types_text(["municipality", "city_district", "county_authority"], "en")
        == "municipalities, city districts and county authorities"
    )


def test_words_are_joined_with_og_or_eller():
    assert p.join_words(["a", "b", "c"], "nb") == "a, b og c"
    assert p.join_words(["a", "b"], "nb", last="or") == "a eller b"
    assert p.join_words(["a"], "en") == "a"


def test_role_names_are_lowercased_in_a_sentence_but_not_acronyms():
    assert p.lower_first("Rådmann") == "rådmann"
    assert p.lower_first("IMDi") == "IMDi"
    assert p.lower_first("NAV") == "NAV"


def test_fractions_and_percentages():
    assert p.format_fraction(Fraction(2, 3), "nb") == "2/3"
    assert p.format_fraction(Fraction(3, 2), "nb") == "1,5"
    assert p.format_fraction(Fraction(2), "en") == "2"
    assert p.format_percent(60, "nb") == f"60{NBSP}%"
    assert p.format_percent(100 / 3, "en") == "33.3%"


def test_a_call_is_open_until_its_deadline_by_the_server_clock():
    deadline = oslo(2030, 2, 28, 12, 0)
    assert p.is_open(deadline, deadline - dt.timedelta(seconds=1))
    assert not p.is_open(deadline, deadline)
    assert not p.is_open(deadline, deadline + dt.timedelta(seconds=1))


# --- the front page card --------------------------------------------------------------


def test_call_card(minimal_call):
    card = p.call_card(
        slug=minimal_call.id,
        title=minimal_call.title,
        grantor=minimal_call.grantor.name,
        frame_amount=minimal_call.frame.amount,
        frame_up_to=minimal_call.frame.up_to,
        deadline=minimal_call.deadline.instant,
        applicant_types=minimal_call.eligibility.applicant_types.allowed,
        language="en",
        now=NOW,
    )
    assert card.title == "Test call"
    assert card.grantor == "IMDi"  # no English name given: the bokmål one
    assert card.frame == "NOK 1,000,000"
    assert card.deadline.text == "28 February 2030 at 12:00"
    assert card.applicant_types == "Municipalities"
    assert card.is_open


# --- conditions and checks ------------------------------------------------------------


def test_conditions_in_words(minimal_call):
    area = minimal_call.checks[0].when
    assert p.describe_condition(area, minimal_call, "nb") == "når søknaden gjelder prioritert område «Område 3»"
    assert p.describe_condition(area, minimal_call, "nb", skip_areas=True) == ""
    answer = minimal_call.checks[1].when
    assert p.describe_condition(answer, minimal_call, "nb") == "når «Trengs unntak?» er ja"
    assert p.describe_condition(answer, minimal_call, "en") == "when “Trengs unntak?” is yes"
    assert p.describe_condition(None, minimal_call, "nb") == ""


def test_range_check_names_the_field_and_the_bound(minimal_call):
    line = p.describe_check(minimal_call.checks[0], minimal_call, "nb")
    assert line.text == "Antall deltakere må være minst 15 når søknaden gjelder prioritert område «Område 3»."
    assert line.rules == ("C0-R20",)
    english = p.describe_check(minimal_call.checks[0], minimal_call, "en", skip_areas=True)
    assert english.text == "Number of participants must be at least 15."


def test_stipend_cap_explains_g_and_the_years_counted(minimal_call):
    line = p.describe_check(minimal_call.checks[3], minimal_call, "nb")
    assert line.text.startswith("Tilskuddet kan dekke høyst 1 G i stipend per deltaker per år")
    details = [str(detail) for detail in line.details]
    assert "Stønaden regnes for høyst 1 år per deltaker." in details
    assert not any("2/3" in detail for detail in details)  # C0-R18: 1 G whatever the age
    g = g_on(minimal_call.deadline.instant.date())
    assert any(p.format_nok(g.amount, "nb") in detail for detail in details)


def test_amount_budget_partner_and_funding_checks():
    def checks(data):
        data["checks"] = [
            {"kind": "amount_applied", "rule": "C2-R04", "min": 10000},
            {"kind": "budget_total", "rule": "C2-R04", "max": 1000000},
            {"kind": "funding_sources", "rule": "C0-R09"},
            {
                "kind": "partner",
                "rule": "C0-R19",
                "partner_kind": "social_entrepreneur",
                "label": {"nb": "sosial entreprenør", "en": "social entrepreneur"},
                "require_fields": ["org_number", "contact_person"],
                "allowed_org_forms": ["AS", "STI"],
                "severity": "warning",
            },
        ]

    call = variant(checks)
    amount, total, funding, partner = (p.describe_check(c, call, "nb") for c in call.checks)
    assert amount.text == f"Dere må søke om minst 10{NBSP}000{NBSP}kr."
    assert total.text == f"Prosjektets samlede budsjett kan være høyst 1{NBSP}000{NBSP}000{NBSP}kr per år."
    assert funding.text == "Søknaden må vise hvordan prosjektet finansieres, med minst én finansieringskilde."
    assert partner.text == "Søknaden må ha med en samarbeidspartner: sosial entreprenør."
    partner_details = [str(d) for d in partner.details]
    assert "Oppgi for hver: organisasjonsnummer og kontaktperson" in partner_details
    assert "Tillatte organisasjonsformer: AS, STI" in partner_details
    assert "Brudd på dette gir en advarsel, ikke en feil." in partner_details


# --- the whole page ---------------------------------------------------------------------


def test_page_sections_in_order(minimal_call):
    page = p.call_page(minimal_call, "nb", NOW)
    assert [block.heading for block in page.blocks] == [
        "Ramme",
        "Søknadsfrist",
        "Hvem kan søke",
        "Prioriterte områder",
        "Hva søknaden må inneholde",
        "Budsjett",
        "Slik vurderer vi søknadene",
        "Signering",
        "Etter tildelingen",
        "Klage",
    ]
    assert page.is_open
    assert [fact.label for fact in page.facts][:3] == ["Tilskuddsforvalter", "Ramme", "Søknadsfrist"]


def test_required_content_says_required_or_optional_per_field(minimal_call):
    page = p.call_page(minimal_call, "nb", NOW)
    content = page.block("innhold")
    section = content.children[0]
    assert section.heading == "Prosjektet"
    assert [line.text for line in section.lines] == ["Antall deltakere: må fylles ut", "Trengs unntak? må fylles ut"]
    assert section.lines[0].rules == ("C0-R08",)


def test_required_when_is_put_in_words():
    def conditional(data):
        data["fields"].append(
            {
                "id": "exemption_reason",
                "section": "project",
                "type": "textarea",
                "label": {"nb": "Begrunnelse for unntak", "en": "Reason for exemption"},
                "required_when": {"field": "answers.needs_exemption", "equals": True},
                "rule": "C0-R14",
            }
        )
        data["fields"].append(
            {"id": "notes", "section": "project", "type": "text", "label": {"nb": "Merknader"}}
        )

    call = variant(conditional)
    lines = p.call_page(call, "nb", NOW).block("innhold").children[0].lines
    assert lines[2].text == "Begrunnelse for unntak: må fylles ut når «Trengs unntak?» er ja"
    assert lines[3].text == "Merknader: valgfritt"
    assert lines[3].rules == ()


def test_deadline_without_time_is_explained():
    def date_only(data):
        data["deadline"] = {"rule": "C0-R01", "at": "2030-02-28", "time_given": False}

    page = p.call_page(variant(date_only), "nb", NOW)
    deadline = [line.text for line in page.block("frist").lines]
    assert deadline[0] == "Søknaden må være sendt inn senest 28.02.2030 kl. 23:59:59 (norsk tid)."
    assert deadline[1].startswith("Utlysningsteksten oppgir ingen klokkeslett for fristen.")
    english = p.call_page(variant(date_only), "en", NOW).block("frist").lines[1].text
    assert "no time of day" in english and "23:59:59" in english


def test_the_server_clock_rule_is_traced_to_x_r01(minimal_call):
    page = p.call_page(minimal_call, "nb", NOW)
    [line] = lines_with(page, "X-R01")
    assert "klokken på vår server" in line.text


def test_closed_call_says_the_deadline_has_passed(minimal_call):
    page = p.call_page(minimal_call, "nb", oslo(2030, 3, 1, 0, 0))
    assert not page.is_open
    assert "Søknadsfristen er ute." in [line.text for line in page.block("frist").lines]


def test_complaint_rights_per_decision_kind(minimal_call):
    [table] = p.call_page(minimal_call, "nb", NOW).block("klage").tables
    rows = {str(row.cells[0]): (str(row.cells[1]), str(row.cells[2]), row.rules) for row in table.rows}
    assert rows["Avslag"] == ("Nei.", "fvl. § 2", ("C0-R13",))
    assert rows["Avvisning (søknaden blir ikke vurdert)"] == (
        "Ja, innen 3 uker etter at dere fikk vedtaket.",
        "fvl. § 29",
        ("C1-R09",),
    )


def test_complaints_sent_to_and_decided_by():
    def complaints(data):
        data["complaints"]["refusal"] = {
            "rule": "C2-R13",
            "allowed": True,
            "deadline_weeks": 3,
            "legal_reference": {"nb": "fvl. § 28"},
            "sent_to": {"nb": "IMDi"},
            "decided_by": {"nb": "Kunnskapsdepartementet"},
        }

    [table] = p.call_page(variant(complaints), "nb", NOW).block("klage").tables
    assert str(table.rows[1].cells[1]) == (
        "Ja, innen 3 uker etter at dere fikk vedtaket. Klagen sendes til IMDi. "
        "Klagen avgjøres av Kunnskapsdepartementet."
    )


def test_eligibility_lines():
    def eligibility(data):
        data["eligibility"] = {
            "applicant_types": {"rule": "C4-R03", "allowed": ["voluntary_organisation"]},
            "voluntary_register": {"rule": "C4-R03"},
            "minimum_age": {"rule": "C4-R03", "years": 3},
            "national_presence": {"rule": "C4-R04", "min_counties": 3, "any_of": ["activity", "members"]},
            "joint": {"rule": "C0-R02", "allowed": False},
        }

    block = p.call_page(variant(eligibility), "nb", NOW).block("hvem-kan-soke")
    texts = [line.text for line in block.lines]
    assert texts[0] == "Disse kan søke: frivillige organisasjoner."
    assert "Søkeren må være registrert i Frivillighetsregisteret." in texts
    assert "Organisasjonen må ha eksistert i minst 3 år på datoen søknaden sendes." in texts
    presence = next(line for line in block.lines if "C4-R04" in line.rules)
    assert [str(d) for d in presence.details] == ["Hovedaktivitet rettet mot målgruppen", "Medlemmer"]
    assert "Det er ikke mulig å søke sammen med andre." in texts


def test_area_amounts_and_shares_of_the_frame():
    def amounts(data):
        data["frame"]["area_amounts"] = {"1": 250000, "3": 750000}

    call = variant(amounts)
    [table] = p.call_page(call, "nb", NOW).block("ramme").tables
    assert [[str(cell) for cell in row.cells] for row in table.rows] == [
        ["Område 1", f"250{NBSP}000{NBSP}kr", f"25{NBSP}%"],
        ["Område 3", f"750{NBSP}000{NBSP}kr", f"75{NBSP}%"],
    ]


def test_criteria_weights_as_shares():
    def weights(data):
        data["assessment"]["criteria"] = [
            {"id": "purpose", "label": {"nb": "Formål"}, "rule": "C0-R24", "weight": 2},
            {"id": "capacity", "label": {"nb": "Gjennomføringsevne"}, "rule": "C0-R24"},
            {"id": "transfer", "label": {"nb": "Overføringsverdi"}, "rule": "C0-R24"},
        ]

    [table] = p.call_page(variant(weights), "nb", NOW).block("vurdering").tables
    assert [str(row.cells[2]) for row in table.rows] == [f"2 (50{NBSP}%)", f"1 (25{NBSP}%)", f"1 (25{NBSP}%)"]


def test_readings_have_their_own_section():
    def readings(data):
        data["readings"] = [{"rule": "C1-R14", "text": {"nb": "Alle budsjettlinjer bruker samme kategorier."}}]

    block = p.call_page(variant(readings), "nb", NOW).block("tolkninger")
    assert block.heading == "Slik tolker vi utlysningen"
    assert block.lines[0].rules == ("C1-R14",)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_rule_id_of_the_fixture_reaches_the_page(minimal_call, language):
    from tests.web.conftest import rule_ids_in

    page = p.call_page(minimal_call, language, NOW)
    shown = {rule for block in page.blocks for line in block.all_lines() for rule in line.rules}
    shown |= {
        rule
        for block in page.blocks
        for part in (block, *block.children)
        for table in part.tables
        for row in table.rows
        for rule in row.rules
    }
    assert rule_ids_in(minimal_call.model_dump(mode="json", by_alias=True)) <= shown


def test_confirmation_check_and_application_paths_in_plain_words():
    def confirmation(data):
        data["fields"].append(
            {
                "id": "completed_year_3",
                "section": "project",
                "type": "boolean",
                "label": {"nb": "Har deltakerne fullført tredje år?", "en": "Have the participants finished year 3?"},
                "rule": "C0-R16",
            }
        )
        data["checks"] = [
            {"kind": "confirmation", "rule": "C0-R16", "field": "answers.completed_year_3"},
            {
                "kind": "own_contribution",
                "rule": "C0-R09",
                "when": {"field": "budget.own_contribution.description", "truthy": True},
            },
        ]

    call = variant(confirmation)
    confirm, own = (p.describe_check(check, call, "nb") for check in call.checks)
    assert confirm.text == "Dere må svare ja på «Har deltakerne fullført tredje år?»."
    assert confirm.rules == ("C0-R16",)
    assert p.describe_check(call.checks[0], call, "en").text == (
        "You must answer yes to “Have the participants finished year 3?”."
    )
    assert own.text.endswith("når beskrivelsen av egenandelen er fylt ut.")


def test_a_lead_that_ends_in_a_question_mark_gets_no_colon():
    assert p.Line(p.phrase("må fylles ut"), term="Trengs unntak?").text == "Trengs unntak? må fylles ut"
    assert p.Line(p.phrase("må fylles ut"), term="Antall deltakere").text == "Antall deltakere: må fylles ut"
