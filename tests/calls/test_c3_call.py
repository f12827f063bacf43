"""C3: the extra call for priority area 8, diversity and against racism and discrimination, 2024.

Tests against the real call file (calls/mangfold-mot-rasisme-2024.yaml) for what the examples in
examples/mangfold-mot-rasisme-2024/ do not already show: boundaries, who may apply, the
lifecycle data, and that every C3 rule of the spec (the project's list of it) is encoded.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.conftest import CALLS_DIR, ROOT, oslo
from tilskudd.rules import Application, evaluate, load_call_file
from tilskudd.rules.findings import has_errors
from tilskudd.rules.reference.rule_list import rule_list

CALL_ID = "mangfold-mot-rasisme-2024"
CALL_FILE = CALLS_DIR / f"{CALL_ID}.yaml"
EXAMPLES = ROOT / "examples" / CALL_ID
BEFORE = oslo(2024, 6, 10, 10, 0)


@pytest.fixture(scope="module")
def call():
    return load_call_file(CALL_FILE)


def example(name: str = "bergen-godkjent.json") -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def check(call, data: dict, at: dt.datetime = BEFORE):
    return evaluate(call, Application.model_validate(data), at)


def found(findings) -> list[tuple[str, str, str]]:
    return sorted((f.rule_id, f.severity.value, f.field) for f in findings)


def test_every_c3_rule_of_the_spec_is_encoded_in_the_call_file():
    # The project's list of the spec's rules (tests/test_rules_table.py compares it with calls.md).
    spec_ids = {rule.id for rule in rule_list() if rule.call == "C3"}
    assert len(spec_ids) == 10
    encoded = set(re.findall(r"\bC3-R\d{2}\b", CALL_FILE.read_text(encoding="utf-8")))
    assert spec_ids <= encoded, f"not encoded: {sorted(spec_ids - encoded)}"
    assert encoded <= spec_ids, f"not in the spec: {sorted(encoded - spec_ids)}"


def test_the_readings_say_who_may_apply_and_what_holds_for_rejection(call):
    readings = {reading.rule: reading.text for reading in call.readings}
    # C3-R04: the levels of the scoring scale are the grantor's reading (issue #13, point 8)
    assert set(readings) == {"C3-R02", "C3-R04", "C3-R05", "C3-R10"}
    assert "bydelsdirektør" in readings["C3-R02"].nb
    assert "sier ikke noe om avvisning" in readings["C3-R10"].nb
    assert "§ 29" in readings["C3-R10"].nb


def test_one_priority_area_is_the_whole_call(call):
    # Area 8 is the only area: the call is not split into areas, and no choice of area is asked for.
    assert call.areas is None
    assert "Satsingsområde 8" in call.title.nb
    assert call.frame.area_amounts == {}


# --- deadline and frame (C3-R01, X-R01) --------------------------------------------


def test_deadline_is_the_date_alone_and_closes_at_the_end_of_the_day_in_oslo(call):
    assert call.deadline.time_given is False
    assert call.deadline.instant == oslo(2024, 6, 14, 23, 59, 59)
    assert check(call, example(), oslo(2024, 6, 14, 23, 59, 59)) == []
    late = check(call, example(), oslo(2024, 6, 15, 0, 0, 0))
    assert found(late) == [("X-R01", "error", "")]
    assert "14.06.2024 kl. 23:59" in late[0].message_nb


def test_frame_is_seven_of_the_areas_ten_million(call):
    assert call.frame.amount == 7_000_000
    assert call.frame.up_to is False
    assert "10 millioner" in call.frame.note.nb
    assert call.circular == "08/2024"


@pytest.mark.parametrize(("applied", "warned"), [(7_000_000, False), (7_000_001, True)])
def test_an_amount_above_the_whole_frame_is_a_warning_not_an_error(call, applied, warned):
    data = example()
    data["budget"]["amount_applied"] = applied
    # costs to match: the amount applied for and the own share add up to them (C3-R05)
    budget = data["budget"]
    costs = sum(line["amount"] for line in budget["lines"])
    own = budget["own_contribution"]["amount"] + budget["own_contribution"].get("in_kind_amount", 0)
    budget["lines"].append({**budget["lines"][0], "amount": applied + own - costs})
    findings = check(call, data)
    assert not has_errors(findings)
    assert found(findings) == ([("C3-R01", "warning", "budget.amount_applied")] if warned else [])


# --- who may apply (C3-R02) --------------------------------------------------------


@pytest.mark.parametrize(
    ("applicant_type", "ok"),
    [
        ("municipality", True),
        ("city_district", True),
        ("county_authority", False),
        ("voluntary_organisation", False),
        ("company", False),
    ],
)
def test_municipalities_and_city_districts_may_apply(call, applicant_type, ok):
    data = example()
    data["applicant"]["applicant_type"] = applicant_type
    data["applicant"].pop("org_form")
    findings = check(call, data)
    if ok:
        assert findings == []
    else:
        [finding] = findings
        assert (finding.rule_id, finding.field) == ("C3-R02", "applicant.applicant_type")
        assert finding.message_nb.startswith("Denne utlysningen er bare for: kommune, bydel.")


def test_the_lead_may_not_list_itself_as_a_member(call):
    data = example("baerum-og-drammen-felles-godkjent.json")
    data["joint"]["members"].append({"org_number": "935478715", "name": "Bærum kommune", "applicant_type": "municipality"})
    assert found(check(call, data)) == [("C3-R02", "error", "joint.members")]


def test_a_city_district_may_take_part_in_a_joint_application(call):
    data = example("baerum-og-drammen-felles-godkjent.json")
    data["joint"]["members"].append(
        {"org_number": "972408875", "name": "Oslo kommune, bydel Søndre Nordstrand", "applicant_type": "city_district"}
    )
    assert check(call, data) == []
    # C3-R02: «alle kommuner»: a county authority is not a member of a joint application (format version 2)
    data["joint"]["members"][-1]["applicant_type"] = "county_authority"
    assert found(check(call, data)) == [("C3-R02", "error", "joint.members[1].applicant_type")]


def test_a_joint_members_org_number_is_checked(call):
    data = example("baerum-og-drammen-felles-godkjent.json")
    data["joint"]["members"][0]["org_number"] = "921234555"
    assert found(check(call, data)) == [("X-R02", "error", "joint.members[0].org_number")]


# --- the project (C3-R03, C3-R06) --------------------------------------------------


@pytest.mark.parametrize(("years", "ok"), [(0, False), (1, True), (3, True), (4, False)])
def test_projects_last_at_most_three_years(call, years, ok):
    data = example()
    data["answers"]["project_years"] = years
    findings = check(call, data)
    assert findings == [] if ok else found(findings) == [("C3-R06", "error", "answers.project_years")]


def test_whom_the_measure_targets_must_be_one_of_the_calls_choices(call):
    data = example()
    data["answers"]["measure_targets"] = ["voluntary_sector"]
    [finding] = check(call, data)
    assert (finding.rule_id, finding.field) == ("C3-R03", "answers.measure_targets")


def test_the_kind_of_measure_is_optional(call):
    data = example()
    del data["answers"]["measure_types"]
    assert check(call, data) == []


def test_the_budget_has_no_ineligible_category_because_the_call_excludes_none(call):
    assert all(category.eligible for category in call.budget.categories)
    data = example()
    data["budget"]["lines"][0]["category"] = "catering"
    assert found(check(call, data)) == [("C3-R03", "error", "budget.lines[0].category")]


# --- own share (C3-R05) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("own", "ok"),
    [
        ({"amount": 0, "in_kind_amount": 150000, "description": "Arbeidstid for prosjektgruppen"}, True),
        ({"amount": 50000, "in_kind_amount": 0}, True),
        ({"amount": 1, "in_kind_amount": 0}, True),
        ({"amount": 0, "in_kind_amount": 0, "description": "Arbeidstid, ikke tallfestet"}, False),
    ],
)
def test_an_own_share_in_money_or_work_stated_in_nok(call, own, ok):
    data = example()
    data["budget"]["own_contribution"] = own
    # the amount applied for pays the rest of the costs, so the financing plan adds up (C3-R05)
    costs = sum(line["amount"] for line in data["budget"]["lines"])
    data["budget"]["amount_applied"] = costs - own["amount"] - own["in_kind_amount"]
    findings = check(call, data)
    assert findings == [] if ok else found(findings) == [("C3-R05", "error", "budget.own_contribution")]


# --- signing, payment, reporting, complaints (C3-R06 … C3-R10) --------------------


def test_approved_by_the_chief_executive_or_district_director_or_someone_with_authority(call):
    assert call.signing.rule == "C3-R07"
    assert call.signing.verb == "approve"
    assert call.signing.delegation_allowed is True
    assert [role.nb for role in call.signing.roles] == ["Kommunedirektør", "Bydelsdirektør"]


def test_paid_in_one_term_after_the_letter_of_acceptance(call):
    assert call.payment.rule == "C3-R08"
    assert call.payment.trigger.value == "on_acceptance"
    assert call.payment.terms == 1


def test_multi_year_up_to_three_years_one_at_a_time(call):
    assert call.multi_year.max_years == 3
    assert call.multi_year.granted_one_year_at_a_time is True
    assert call.multi_year.subject_to_appropriation is True


def test_final_report_and_accounts_only_no_status_report(call):
    kinds = [duty.kind.value for duty in call.reporting.duties]
    assert sorted(kinds) == ["accounts", "final_report"]
    assert "status_report" not in kinds
    accounts = next(d for d in call.reporting.duties if d.kind.value == "accounts")
    assert [who.nb for who in accounts.approved_by] == ["Prosjektansvarlig", "Overordnet leder i kommunen eller bydelen"]
    assert any("statusrapportering" in note.text.nb for note in call.reporting.notes)


def test_no_complaint_on_grant_or_refusal_but_on_rejection_by_the_general_rule(call):
    complaints = call.complaints
    assert complaints.allocation.allowed is False
    assert complaints.refusal.allowed is False
    assert complaints.rejection.allowed is True
    assert complaints.rejection.deadline_weeks == 3
    assert complaints.rejection.sent_to.nb == "IMDi"
    assert {complaints.allocation.rule, complaints.refusal.rule, complaints.rejection.rule} == {"C3-R10"}


def test_every_text_has_an_english_version(call):
    def texts(value):
        if isinstance(value, dict):
            if set(value) == {"nb", "en"}:
                yield value
            for item in value.values():
                yield from texts(item)
        elif isinstance(value, list):
            for item in value:
                yield from texts(item)

    missing = [text["nb"] for text in texts(call.model_dump(mode="json")) if not text["en"]]
    assert missing == []
