"""C0: municipal integration measures 2019 (calls/kommunale-integreringstiltak-2019.yaml).

Tests against the real call file for what the examples in
examples/kommunale-integreringstiltak-2019/ do not already show: boundaries
(15 participants, the G caps, the deadline instant), the area-specific
questions, the partners, and the lifecycle data. Routing (C0-R27) is tested in
tests/rules/test_imdi_routing.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.conftest import CALLS_DIR, ROOT, oslo
from tilskudd.calls.presentation import describe_check
from tilskudd.core.formatting import format_nok
from tilskudd.rules import Application, evaluate, load_call_file
from tilskudd.rules.reference import g_on
from tilskudd.rules.reference.rule_list import rule_list
from tilskudd.rules.schema import OSLO, StipendCapCheck

CALL_ID = "kommunale-integreringstiltak-2019"
CALL_FILE = CALLS_DIR / f"{CALL_ID}.yaml"
EXAMPLES = ROOT / "examples" / CALL_ID
BEFORE = oslo(2019, 2, 20, 10, 0)


@pytest.fixture(scope="module")
def call():
    return load_call_file(CALL_FILE)


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def area(number: str) -> dict:
    """The passing example of a priority area, as data to change."""
    return example(f"omrade-{number}-godkjent.json")


def check(call, data: dict, at: dt.datetime = BEFORE):
    return evaluate(call, Application.model_validate(data), at)


def found(findings) -> list[tuple[str, str]]:
    return sorted((f.rule_id, f.field) for f in findings)


def g_on_deadline(call) -> int:
    return g_on(call.deadline.instant.astimezone(OSLO).date()).amount


# --- the file encodes every rule ------------------------------------------------


def test_every_c0_rule_of_the_spec_is_encoded_in_the_call_file():
    # The project's list of the spec's rules (tests/test_rules_table.py compares it with calls.md).
    spec_ids = {rule.id for rule in rule_list() if rule.call == "C0"}
    assert len(spec_ids) == 27
    encoded = set(re.findall(r"\bC0-R\d{2}\b", CALL_FILE.read_text(encoding="utf-8")))
    assert spec_ids <= encoded, f"not encoded: {sorted(spec_ids - encoded)}"
    assert encoded <= spec_ids, f"not in the spec: {sorted(encoded - spec_ids)}"


def test_every_passing_example_is_routed_to_a_contact(call):
    from tilskudd.rules.reference.imdi import route

    for path in sorted(EXAMPLES.glob("*-godkjent.json")):
        assert route(call, Application.model_validate_json(path.read_text())) is not None, path.name


# --- C0-R01 frame and deadline --------------------------------------------------


def test_frame_and_deadline(call):
    assert call.frame.amount == 52_300_000
    assert call.deadline.instant == dt.datetime(2019, 2, 28, 12, 0, tzinfo=OSLO)
    assert call.deadline.time_given is True


def test_the_deadline_instant_itself_is_on_time(call):
    data = area("5")
    assert check(call, data, oslo(2019, 2, 28, 12, 0, 0)) == []
    assert found(check(call, data, oslo(2019, 2, 28, 12, 0, 1))) == [("X-R01", "")]
    # The same instant written in UTC: 11:00 UTC is 12:00 in Oslo in February.
    assert check(call, data, dt.datetime(2019, 2, 28, 11, 0, tzinfo=dt.timezone.utc)) == []


# --- C0-R02 who may apply -------------------------------------------------------


def test_a_county_authority_may_not_apply(call):
    data = area("5")
    data["applicant"]["applicant_type"] = "county_authority"
    data["applicant"]["org_form"] = "FYLK"
    assert ("C0-R02", "applicant.applicant_type") in found(check(call, data))


def test_an_oslo_city_district_may_apply_alone(call):
    data = area("3")
    assert data["applicant"]["applicant_type"] == "city_district"
    assert check(call, data) == []


def test_a_joint_application_lists_the_members_not_the_lead(call):
    data = area("4")
    member = {"org_number": data["applicant"]["org_number"], "name": "Søkeren selv", "applicant_type": "municipality"}
    data["joint"]["members"].append(member)
    assert found(check(call, data)) == [("C0-R02", "joint.members")]


@pytest.mark.parametrize(
    ("applicant_type", "message"),
    [
        (None, "Oppgi hva slags søker Vestland fylkeskommune er (for eksempel kommune)."),
        (
            "county_authority",
            "Vestland fylkeskommune kan ikke være med i en felles søknad som fylkeskommune. "
            "En felles søknad kan ha med: kommune, bydel.",
        ),
    ],
)
def test_a_joint_member_says_what_kind_of_applicant_it_is_and_must_be_a_municipality(call, applicant_type, message):
    # C0-R02: «alene eller sammen med andre kommuner» (application format version 2)
    data = area("4")
    data["joint"]["members"] = [{"org_number": "821311632", "name": "Vestland fylkeskommune"}]
    if applicant_type:
        data["joint"]["members"][0]["applicant_type"] = applicant_type
    findings = check(call, data)
    assert found(findings) == [("C0-R02", "joint.members[0].applicant_type")]
    assert findings[0].message_nb == message


# --- C0-R03 exactly one area ----------------------------------------------------


def test_an_application_must_name_an_area(call):
    data = area("5")
    data["areas"] = []
    findings = check(call, data)
    assert found(findings) == [("C0-R03", "areas")]
    assert findings[0].message_nb == "Velg prioritert område."


def test_an_unknown_area_is_refused(call):
    data = area("5")
    data["areas"] = ["6"]
    assert ("C0-R03", "areas") in found(check(call, data))


# --- C0-R20 at least 15 participants in areas 3, 4 and 5 ------------------------


@pytest.mark.parametrize("number", ["3", "4", "5"])
def test_fifteen_participants_pass_and_fourteen_do_not(call, number):
    data = area(number)
    data["answers"]["participants"] = 15
    assert check(call, data) == []
    data["answers"]["participants"] = 14
    findings = check(call, data)
    assert found(findings) == [("C0-R20", "answers.participants")]
    assert findings[0].message_nb == "«Antall deltakere» må være minst 15. Søknaden har 14."


@pytest.mark.parametrize("number", ["1", "2"])
def test_areas_1_and_2_have_no_minimum_of_15(call, number):
    data = area(number)
    data["answers"]["participants"] = 5
    data["budget"]["stipend"].update(participants_25_or_over=3, participants_under_25=2, amount_applied=300000)
    assert check(call, data) == []


# --- C0-R18 area 1 stipend cap: 1 G per participant per year, whatever the age -----
# The seed: the stipend is 2 G a year, participants under 25 receive 2/3 of it, and the
# municipality may apply for up to 1 G per participant per year; the rest is its own.


def area_1_cap(call, over_25: int, under_25: int) -> int:
    return g_on_deadline(call) * (over_25 + under_25)


def test_area_1_stipend_exactly_at_the_cap_passes_and_one_krone_more_fails(call):
    data = area("1")
    stipend = data["budget"]["stipend"]
    cap = area_1_cap(call, stipend["participants_25_or_over"], stipend["participants_under_25"])
    stipend["amount_applied"] = cap
    assert check(call, data) == []
    stipend["amount_applied"] = cap + 1
    assert found(check(call, data)) == [("C0-R18", "budget.stipend.amount_applied")]


def test_area_1_cap_uses_the_g_in_force_on_the_deadline(call):
    g = g_on(dt.date(2019, 2, 28))
    assert g.valid_from == dt.date(2018, 5, 1)
    data = area("1")
    data["budget"]["stipend"] = {"participants_25_or_over": 1, "participants_under_25": 0, "amount_applied": g.amount + 1}
    [finding] = check(call, data)
    assert finding.rule_id == "C0-R18"
    assert "01.05.2018" in finding.message_nb


def test_area_1_municipality_may_apply_for_a_full_g_for_participants_under_25(call):
    data = area("1")
    g = g_on_deadline(call)
    data["budget"]["stipend"] = {"participants_25_or_over": 0, "participants_under_25": 3, "amount_applied": 3 * g}
    assert check(call, data) == []  # not 3 × 2/3 G: that is what they receive, not what may be applied for
    data["budget"]["stipend"]["amount_applied"] = 3 * g + 1
    [finding] = check(call, data)
    assert (finding.rule_id, finding.field) == ("C0-R18", "budget.stipend.amount_applied")
    assert format_nok(3 * g) in finding.message_nb


def test_area_1_cap_counts_one_year_at_most(call):
    data = area("1")
    g = g_on_deadline(call)
    data["budget"]["stipend"] = {"participants_25_or_over": 2, "participants_under_25": 0, "years": 3, "amount_applied": 2 * g}
    assert check(call, data) == []
    data["budget"]["stipend"]["amount_applied"] = 2 * g + 1  # three years do not make the cap 6 G
    assert found(check(call, data)) == [("C0-R18", "budget.stipend.amount_applied")]
    data["budget"]["stipend"].update(years=0.5, amount_applied=g)  # half a year: half the cap
    assert check(call, data) == []
    data["budget"]["stipend"]["amount_applied"] = g + 1
    assert found(check(call, data)) == [("C0-R18", "budget.stipend.amount_applied")]


def test_area_1_cap_counts_no_more_participants_than_the_project_has(call):
    data = area("1")
    g = g_on_deadline(call)
    data["answers"]["participants"] = 14
    data["budget"]["stipend"] = {"participants_25_or_over": 10, "participants_under_25": 10, "amount_applied": 14 * g}
    assert check(call, data) == []
    data["budget"]["stipend"]["amount_applied"] = 14 * g + 1  # 20 heads in the stipend, 14 in the project
    assert found(check(call, data)) == [("C0-R18", "budget.stipend.amount_applied")]


def test_the_call_page_states_the_area_1_cap_without_an_age_factor(call):
    [cap] = [c for c in call.checks if isinstance(c, StipendCapCheck) and c.rule == "C0-R18"]
    line = describe_check(cap, call, "nb")
    details = [str(detail) for detail in line.details]
    assert "høyst 1 G i stipend per deltaker per år" in line.text
    assert "Stønaden regnes for høyst 1 år per deltaker." in details
    assert "Det kan ikke søkes om stønad for flere deltakere enn prosjektet har." in details
    assert not any("2/3" in text for text in [line.text, *details])


def test_the_reading_of_the_cap_is_written_down(call):
    readings = {reading.rule: reading.text.nb for reading in call.readings}
    assert "uansett alder" in readings["C0-R18"]
    assert "inntil ett år" in readings["C0-R18"]
    assert "søknadsfristen" in readings["C0-R18"]


# --- C0-R16 area 1: after year 3, in the individual plan, up to one year --------


def test_area_1_offer_lasts_at_most_twelve_months(call):
    data = area("1")
    data["answers"]["offer_months"] = 12
    assert check(call, data) == []
    data["answers"]["offer_months"] = 13
    assert found(check(call, data)) == [("C0-R16", "answers.offer_months")]


def test_area_1_offer_must_be_in_the_individual_plan(call):
    data = area("1")
    data["answers"]["offer_in_individual_plan"] = False
    assert found(check(call, data)) == [("C0-R16", "answers.offer_in_individual_plan")]


def test_area_1_questions_are_required_there_and_not_elsewhere(call):
    data = area("1")
    for key in ("participants_completed_year_3", "offer_in_individual_plan", "offer_months", "individual_reporting_accepted"):
        del data["answers"][key]
    assert {rule for rule, _ in found(check(call, data))} == {"C0-R16", "C0-R12"}
    assert len(check(call, data)) == 4
    assert check(call, area("5")) == []  # area 5 has none of them


# --- C0-R19 area 2: social entrepreneur and a stipend of up to 1 G ----------------


def test_area_2_stipend_cap_has_no_age_factor(call):
    data = area("2")
    stipend = data["budget"]["stipend"]
    participants = stipend["participants_25_or_over"] + stipend["participants_under_25"]
    assert stipend["participants_under_25"] > 0
    stipend["amount_applied"] = participants * g_on_deadline(call)
    assert check(call, data) == []
    stipend["amount_applied"] += 1
    assert found(check(call, data)) == [("C0-R19", "budget.stipend.amount_applied")]


def test_area_2_stipend_cap_counts_the_projects_participants_and_one_year_as_area_1_does(call):
    # «opptil 1G per deltaker per år» (C0-R19), read like C0-R18: no more participants than the project
    # has, and one year at most, since funds are granted one year at a time (C0-R06).
    data = area("2")
    g = g_on_deadline(call)
    data["answers"]["participants"] = 8
    data["budget"]["stipend"] = {"participants_25_or_over": 10, "participants_under_25": 2, "years": 2}
    data["budget"]["stipend"]["amount_applied"] = 8 * g
    assert check(call, data) == []
    data["budget"]["stipend"]["amount_applied"] = 8 * g + 1
    [finding] = check(call, data)
    assert (finding.rule_id, finding.field) == ("C0-R19", "budget.stipend.amount_applied")
    assert f"høyst {format_nok(8 * g)} i stønad for disse deltakerne" in finding.message_nb
    [cap] = [c for c in call.checks if isinstance(c, StipendCapCheck) and c.rule == "C0-R19"]
    line = describe_check(cap, call, "nb")
    details = [str(detail) for detail in line.details]
    assert "Det kan ikke søkes om stønad for flere deltakere enn prosjektet har." in details
    assert "Stønaden regnes for høyst 1 år per deltaker." in details


def test_area_2_stipend_only_for_those_no_other_scheme_pays(call):
    data = area("2")
    data["answers"]["stipend_no_other_scheme"] = False
    assert found(check(call, data)) == [("C0-R19", "answers.stipend_no_other_scheme")]
    del data["answers"]["stipend_no_other_scheme"]
    assert found(check(call, data)) == [("C0-R19", "answers.stipend_no_other_scheme")]
    del data["budget"]["stipend"]
    assert check(call, data) == []  # no stipend applied for, no question


@pytest.mark.parametrize("org_form", ["AS", "STI", "FLI", "SA"])
def test_social_entrepreneur_forms_that_can_ban_dividends(call, org_form):
    data = area("2")
    data["partners"][0]["org_form"] = org_form
    assert check(call, data) == []


def test_a_sole_proprietorship_is_not_a_social_entrepreneur_here(call):
    data = area("2")
    data["partners"][0]["org_form"] = "ENK"
    assert found(check(call, data)) == [("C0-R19", "partners[0].org_form")]


def test_social_entrepreneur_needs_org_form_and_a_viable_business_model(call):
    data = area("2")
    del data["partners"][0]["org_form"]
    del data["partners"][0]["confirmations"]["viable_business_model"]
    assert found(check(call, data)) == [
        ("C0-R19", "partners[0].confirmations.viable_business_model"),
        ("C0-R19", "partners[0].org_form"),
    ]


def test_area_2_target_group_prioritises_immigrant_women(call):
    assert "Innvandrerkvinner" in call.area("2").target_group.nb


# --- C0-R21 / C0-R22 / C0-R23 areas 3–5 ------------------------------------------


def test_earlier_projects_are_required_in_area_5_but_not_in_area_1(call):
    data = area("5")
    del data["answers"]["earlier_projects"]
    assert found(check(call, data)) == [("C0-R21", "answers.earlier_projects")]
    assert "earlier_projects" not in area("1")["answers"]


def test_area_3_language_helpers_need_a_training_plan(call):
    data = area("3")
    del data["answers"]["language_helper_training"]
    assert found(check(call, data)) == [("C0-R22", "answers.language_helper_training")]
    data["answers"]["uses_language_helpers"] = False
    assert check(call, data) == []


def test_area_3_supervisor_is_described(call):
    data = area("3")
    del data["partners"][0]["description"]
    assert found(check(call, data)) == [("C0-R22", "partners[0].description")]


def test_area_3_theme_must_be_one_of_the_2019_themes(call):
    data = area("3")
    data["answers"]["area3_themes"] = ["sports"]
    assert found(check(call, data)) == [("C0-R22", "answers.area3_themes")]


def test_area_3_is_assessed_with_kompetanse_norge(call):
    assert call.area("3").co_assessors == ["Kompetanse Norge"]


def test_area_4_training_is_adapted_to_regional_labour_needs(call):
    data = area("4")
    del data["answers"]["regional_labour_needs"]
    assert found(check(call, data)) == [("C0-R23", "answers.regional_labour_needs")]


def test_area_4_grant_letter_carries_extra_deliverables(call):
    conditions = {c.id: c for c in call.grant_conditions}
    assert conditions["extra_deliverables"].areas == ["4"]
    assert conditions["extra_deliverables"].rule == "C0-R23"


# --- C0-R14 exemption, C0-R07 applicant, C0-R09 financing -------------------------


def test_the_exemption_question_must_be_answered(call):
    data = area("5")
    del data["answers"]["needs_exemption"]
    assert found(check(call, data)) == [("C0-R14", "answers.needs_exemption")]


def test_profile_data_is_required_content(call):
    data = area("5")
    del data["applicant"]["bank_account"]
    data["contacts"] = []
    assert found(check(call, data)) == [("C0-R07", "applicant.bank_account"), ("C0-R07", "contacts")]


def test_a_malformed_case_number_is_refused(call):
    data = area("5")
    data["answers"]["earlier_grant_case_number"] = "saken fra i fjor"
    assert found(check(call, data)) == [("C0-R07", "answers.earlier_grant_case_number")]


def test_own_contribution_in_kind_only_is_enough_when_quantified(call):
    data = area("5")
    data["budget"]["own_contribution"] = {"amount": 0, "in_kind_amount": 1, "description": "Arbeidstid"}
    assert check(call, data) == []


def test_an_amount_must_be_applied_for(call):
    data = area("5")
    data["budget"]["amount_applied"] = 0
    assert found(check(call, data)) == [("C0-R09", "budget.amount_applied")]


# --- lifecycle data -------------------------------------------------------------


def test_every_area_has_a_quality_threshold_on_the_criteria_scale(call):
    for item in call.areas.items:
        assert item.quality_threshold is not None, item.id
        for criterion in call.criteria_for(item.id):
            assert criterion.scale.min <= item.quality_threshold <= criterion.scale.max
    assert "C0-R15" in {reading.rule for reading in call.readings}


def test_three_criteria_of_equal_weight(call):
    criteria = call.assessment.criteria
    assert [c.id for c in criteria] == ["purpose", "capacity", "transfer_value"]
    assert {c.rule for c in criteria} == {"C0-R24"}
    assert len({c.weight for c in criteria}) == 1
    assert call.assessment.grant_size.rule == "C0-R25"


def test_signed_by_the_chief_executive_or_the_district_director(call):
    roles = " ".join(role.nb for role in call.signing.roles)
    assert "Rådmannen" in roles and "Bydelsdirektøren" in roles
    assert call.signing.delegation_allowed


def test_reporting_dates_and_the_individual_report(call):
    duties = {(d.kind.value, d.due) for d in call.reporting.duties if d.rule == "C0-R11"}
    assert duties == {
        ("status_report", dt.date(2019, 9, 1)),
        ("grant_report", dt.date(2020, 2, 1)),
        ("accounts", dt.date(2020, 2, 1)),
    }
    [individual] = [d for d in call.reporting.duties if d.rule == "C0-R12"]
    assert individual.kind.value == "individual_report"
    assert individual.personal_data is True
    assert individual.areas == ["1"]


def test_no_complaint_on_allocation_or_refusal_but_on_rejection(call):
    complaints = call.complaints
    for right in (complaints.allocation, complaints.refusal):
        assert right.allowed is False
        assert right.rule == "C0-R13"
        assert "§ 2" in right.legal_reference.nb
    # A rejection is an individual decision (fvl § 2 first paragraph b): the call's «no complaint» is about
    # the allocation (issue #10 point 13), and the reading says so.
    rejection = complaints.rejection
    assert (rejection.rule, rejection.allowed, rejection.deadline_weeks) == ("C0-R13", True, 3)
    assert "bokstav b" in rejection.legal_reference.nb and rejection.sent_to.nb == "IMDi"
    assert "departementet" in rejection.decided_by.nb
    assert any(r.rule == "C0-R13" and "avvise" in r.text.nb for r in call.readings)


def test_multi_year_up_to_three_years_granted_yearly(call):
    assert call.multi_year.rule == "C0-R06"
    assert call.multi_year.max_years == 3
    assert call.multi_year.granted_one_year_at_a_time
    assert call.multi_year.subject_to_appropriation


def test_carry_over_of_unused_2018_funds(call):
    assert call.carry_over.rule == "C0-R26"
    assert call.carry_over.allowed
    assert len(call.carry_over.conditions) == 3


def test_transition_projects_finish_by_june_2019(call):
    assert call.transition.rule == "C0-R04"
    assert call.transition.finish_by == dt.date(2019, 6, 30)
