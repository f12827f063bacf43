"""C1: the trial of a national cooperation model for adapted vocational training, 2025.

Tests against the real call file (calls/fag-og-yrkesopplaering-2025.yaml) for what the examples in
examples/fag-og-yrkesopplaering-2025/ do not already show: boundaries, the allow-list, the
lifecycle data, and that every C1 rule of the spec (the project's list of it) is encoded.
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

CALL_ID = "fag-og-yrkesopplaering-2025"
CALL_FILE = CALLS_DIR / f"{CALL_ID}.yaml"
APPROVED = ROOT / "examples" / CALL_ID / "vestland-godkjent.json"
BEFORE = oslo(2025, 2, 5, 10, 0)


@pytest.fixture(scope="module")
def call():
    return load_call_file(CALL_FILE)


def base() -> dict:
    return json.loads(APPROVED.read_text(encoding="utf-8"))


def check(call, data: dict, at: dt.datetime = BEFORE):
    return evaluate(call, Application.model_validate(data), at)


def found(findings) -> list[tuple[str, str, str]]:
    return sorted((f.rule_id, f.severity.value, f.field) for f in findings)


def _spec_rule_ids(prefix: str) -> set[str]:
    """The project's list of the spec's rules (tests/test_rules_table.py compares it with calls.md)."""
    return {rule.id for rule in rule_list() if rule.call == prefix}


def test_the_approved_example_has_no_findings(call):
    assert check(call, base()) == []


def test_every_c1_rule_of_the_spec_is_encoded_in_the_call_file(call):
    spec_ids = _spec_rule_ids("C1")
    assert len(spec_ids) == 14
    text = CALL_FILE.read_text(encoding="utf-8")
    encoded = set(re.findall(r"\bC1-R\d{2}\b", text))
    assert spec_ids <= encoded, f"not encoded: {sorted(spec_ids - encoded)}"
    assert encoded <= spec_ids, f"not in the spec: {sorted(encoded - spec_ids)}"


def test_the_readings_of_the_spec_and_of_the_allow_list_are_stated(call):
    readings = {reading.rule: reading.text for reading in call.readings}
    # C1-R05: the levels of the scoring scale are the grantor's reading (issue #13, point 8)
    assert set(readings) == {"C1-R02", "C1-R05", "C1-R06", "C1-R14"}
    assert "navngir ikke" in readings["C1-R02"].nb
    assert "feil, ikke en advarsel" in readings["C1-R14"].nb


# --- deadline (C1-R01, X-R01) -----------------------------------------------------


def test_deadline_is_the_date_alone_and_closes_at_the_end_of_the_day_in_oslo(call):
    assert call.deadline.time_given is False
    assert call.deadline.instant == oslo(2025, 2, 10, 23, 59, 59)
    assert check(call, base(), oslo(2025, 2, 10, 23, 59, 59)) == []
    late = check(call, base(), oslo(2025, 2, 11, 0, 0, 0))
    assert found(late) == [("X-R01", "error", "")]
    assert "10.02.2025 kl. 23:59" in late[0].message_nb


def test_frame_and_circular(call):
    assert call.frame.amount == 5_000_000
    assert call.frame.up_to is True
    assert call.circular == "08/2025"


# --- who may apply (C1-R02) -------------------------------------------------------


def test_each_county_authority_on_the_allow_list_may_apply(call):
    assert len(call.eligibility.allow_list.org_numbers) == 3
    for org_number in call.eligibility.allow_list.org_numbers:
        data = base()
        data["applicant"]["org_number"] = org_number
        data["applicant"]["name"] = call.eligibility.allow_list.names[org_number]
        assert check(call, data) == [], org_number


def test_the_first_on_the_allow_list_is_the_one_the_examples_use(call):
    first = call.eligibility.allow_list.org_numbers[0]
    assert base()["applicant"]["org_number"] == first
    assert call.eligibility.allow_list.names[first] == "Vestland fylkeskommune"


def test_a_county_authority_outside_the_trial_is_told_why(call):
    data = base()
    data["applicant"]["org_number"] = "920717152"  # Innlandet fylkeskommune
    [finding] = check(call, data)
    assert (finding.rule_id, finding.field) == ("C1-R02", "applicant.org_number")
    assert "står ikke på listen" in finding.message_nb


# --- the cooperation (C1-R04) -----------------------------------------------------


@pytest.mark.parametrize("kind", ["employer", "training_office", "nav", "municipality"])
def test_each_kind_of_cooperation_partner_is_required(call, kind):
    data = base()
    data["partners"] = [p for p in data["partners"] if p["kind"] != kind]
    findings = check(call, data)
    assert found(findings) == [("C1-R04", "error", "partners")]


def test_changes_to_earlier_agreements_must_be_described_only_when_there_are_changes(call):
    data = base()
    data["answers"]["agreements_changed"] = False
    assert check(call, data) == []
    data["answers"]["agreements_changed"] = True
    [finding] = check(call, data)
    assert (finding.rule_id, finding.field) == ("C1-R04", "answers.changes_description")
    assert finding.message_nb == "«Hva har dere endret, og hvorfor?» må fylles ut."
    data["answers"]["changes_description"] = "Ny arbeidsgiver i industrifag fordi det var for få læreplasser."
    assert check(call, data) == []


def test_the_yes_no_question_on_changes_must_be_answered(call):
    data = base()
    del data["answers"]["agreements_changed"]
    assert found(check(call, data)) == [("C1-R04", "error", "answers.agreements_changed")]


# --- project years (C1-R10) -------------------------------------------------------


@pytest.mark.parametrize(("year", "ok"), [(0, False), (1, True), (4, True), (5, False)])
def test_a_grant_is_given_for_at_most_four_project_years(call, year, ok):
    data = base()
    data["answers"]["year_in_project"] = year
    findings = check(call, data)
    if ok:
        assert findings == []
    else:
        assert found(findings) == [("C1-R10", "error", "answers.year_in_project")]


def test_multi_year_data(call):
    assert call.multi_year.max_years == 4
    assert call.multi_year.granted_one_year_at_a_time is True
    assert call.payment.trigger.value == "on_acceptance"


# --- budget (C1-R01, C1-R06, C1-R07, C1-R14) ---------------------------------------


@pytest.mark.parametrize(("applied", "warned"), [(5_000_000, False), (5_000_001, True)])
def test_an_amount_above_the_whole_frame_is_a_warning_not_an_error(call, applied, warned):
    data = base()
    data["budget"]["amount_applied"] = applied
    # costs as high as the amount applied for: no more can be applied for than the costs (C1-R06)
    costs = sum(line["amount"] for line in data["budget"]["lines"])
    data["budget"]["lines"].append({**data["budget"]["lines"][0], "amount": applied - costs})
    findings = check(call, data)
    assert not has_errors(findings)
    assert found(findings) == ([("C1-R01", "warning", "budget.amount_applied")] if warned else [])


def test_the_ten_cost_types_of_the_call_are_eligible_and_the_two_exclusions_are_errors(call):
    eligible = [c for c in call.budget.categories if c.eligible]
    ineligible = [c for c in call.budget.categories if not c.eligible]
    assert len(eligible) == 10 and {c.rule for c in eligible} == {"C1-R06"}
    assert {c.id for c in ineligible} == {"ordinary_operations", "ordinary_investments"}
    assert {(c.rule, c.severity) for c in ineligible} == {("C1-R07", "error")}


@pytest.mark.parametrize("category", ["ordinary_operations", "ordinary_investments"])
def test_every_budget_line_in_an_ineligible_category_is_an_error(call, category):
    data = base()
    data["budget"]["lines"][0]["category"] = category
    data["budget"]["lines"][2]["category"] = category
    findings = check(call, data)
    assert found(findings) == [
        ("C1-R07", "error", "budget.lines[0].category"),
        ("C1-R07", "error", "budget.lines[2].category"),
    ]
    assert "kan ikke dekke" in findings[0].message_nb


def test_a_budget_line_in_a_category_the_call_does_not_know_is_refused(call):
    data = base()
    data["budget"]["lines"][0]["category"] = "catering"
    assert found(check(call, data)) == [("C1-R06", "error", "budget.lines[0].category")]


def test_a_wrong_bank_account_is_reported_once(call):
    # The bank account is checked as an identifier (X-R02) and again as a form field of type
    # bank_account; the engine reports the same finding once.
    data = base()
    data["applicant"]["bank_account"] = "52601815908"
    findings = check(call, data)
    assert len(findings) == 1
    assert findings[0].rule_id == "X-R02"
    assert "52601815908" in findings[0].message_nb


# --- signing, complaints, reporting, carry-over (C1-R08, R09, R11, R12, R13) --------


def test_the_county_executive_confirms(call):
    assert call.signing.rule == "C1-R08"
    assert call.signing.verb == "confirm"
    assert call.signing.delegation_allowed is True
    assert [role.nb for role in call.signing.roles] == ["Fylkeskommunedirektør"]


def test_complaints_only_on_rejection_within_three_weeks_to_the_ministry_via_imdi(call):
    complaints = call.complaints
    assert complaints.allocation.allowed is False
    assert complaints.refusal.allowed is False
    rejection = complaints.rejection
    assert rejection.allowed is True
    assert rejection.deadline_weeks == 3
    assert rejection.sent_to.nb == "IMDi"
    assert rejection.decided_by.nb == "Arbeids- og inkluderingsdepartementet"
    assert {complaints.allocation.rule, complaints.refusal.rule, rejection.rule} == {"C1-R09"}


def test_annual_report_and_accounts_due_1_february_2026_without_an_auditor(call):
    duties = {duty.kind.value: duty for duty in call.reporting.duties}
    assert set(duties) == {"annual_report", "accounts"}
    assert {duty.due for duty in duties.values()} == {dt.date(2026, 2, 1)}
    accounts = duties["accounts"]
    assert accounts.auditor_required is False
    assert [who.nb for who in accounts.approved_by] == ["Prosjektansvarlig i fylkeskommunen", "Ansvarlig leder"]
    assert len(duties["annual_report"].content) == 4


def test_carry_over_and_repayment(call):
    assert call.carry_over.allowed is True and call.carry_over.rule == "C1-R12"
    assert any("2026" in condition.nb for condition in call.carry_over.conditions)
    assert call.repayment.rule == "C1-R13"
    assert "betale det tilbake" in call.repayment.text.nb


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

    dumped = call.model_dump(mode="json")
    missing = [text["nb"] for text in texts(dumped) if not text["en"]]
    assert missing == []

