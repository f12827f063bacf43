"""C2 — voluntary organisations 2020 (calls/frivillige-organisasjoner-2020.yaml).

The examples (examples/frivillige-organisasjoner-2020/) show one passing and one failing case per
rule; these tests pin the boundaries and the parts the examples cannot show (grantors, payment,
complaints, the rule ids in the file).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from tilskudd.rules import Application, evaluate, load_call_file
from tilskudd.rules.findings import has_errors
from tilskudd.rules.reference.municipalities import municipalities
from tilskudd.rules.reference.rule_list import rule_list
from tilskudd.rules.schema import GrantorKind
from tests.conftest import CALLS_DIR, ROOT, oslo

CALL_ID = "frivillige-organisasjoner-2020"
EXAMPLES = ROOT / "examples" / CALL_ID
IMDI = "987879696"
BEFORE = oslo(2020, 1, 20, 10, 0)


@pytest.fixture(scope="module")
def call():
    return load_call_file(CALLS_DIR / f"{CALL_ID}.yaml")


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def make(base: str = "delmal-a-bergen-moteplass-godkjent.json", **changes) -> Application:
    data = copy.deepcopy(example(base))
    data.update(changes)
    return Application.model_validate(data)


def found(call, application, at=BEFORE) -> list[tuple[str, str, str]]:
    return sorted((f.rule_id, f.severity.value, f.field) for f in evaluate(call, application, at))


def rule_ids_in(call) -> set[str]:
    return set(re.findall(r"\b(?:C\d+|X)-R\d{2}\b", json.dumps(call.model_dump(mode="json"))))


# --- the file as a whole ---------------------------------------------------------------------


def test_every_c2_rule_of_the_spec_is_encoded(call):
    # The project's list of the spec's rules (tests/test_rules_table.py compares it with calls.md).
    in_spec = {rule.id for rule in rule_list() if rule.call == "C2"}
    assert len(in_spec) == 13
    assert in_spec <= rule_ids_in(call)


def test_the_base_example_passes(call):
    assert found(call, make()) == []


# --- grantors (C2-R02) -----------------------------------------------------------------------


def test_local_grantors_are_the_reference_list(call):
    in_file = [(g.name.nb, g.org_number, g.ref, g.kind) for g in call.local_grantors.municipalities]
    reference = [(m.full_name, m.org_number, m.ref, GrantorKind.MUNICIPALITY) for m in municipalities()]
    assert in_file == reference
    assert call.local_grantors.share_percent == 60


def test_the_grantor_field_offers_imdi_and_the_twenty_municipalities(call):
    field = next(f for f in call.fields if f.id == "grantor")
    assert field.value_path == "grantor" and field.required
    values = [choice.value for choice in field.choices]
    assert values == [IMDI] + [m.org_number for m in municipalities()]
    labels = {choice.value: choice.label.nb for choice in field.choices}
    assert all(labels[m.org_number] == m.full_name for m in municipalities())


@pytest.mark.parametrize("grantor", [IMDI] + [m.org_number for m in municipalities()])
def test_any_of_the_grantors_may_be_chosen(call, grantor):
    assert found(call, make(grantor=grantor)) == []


def test_a_municipality_outside_the_scheme_is_refused(call):
    # Asker kommune (920125298) is a municipality, but not one of the 20.
    findings = evaluate(call, make(grantor="920125298"), BEFORE)
    assert {(f.rule_id, f.field) for f in findings} == {("C2-R02", "grantor")}
    assert any("920125298" in f.message_nb for f in findings)


def test_no_grantor_chosen_is_an_error(call):
    assert found(call, make(grantor=None)) == [("C2-R02", "error", "grantor")]


# --- who may apply (C2-R03) ------------------------------------------------------------------


def test_registration_date_is_not_required_only_registration(call):
    data = example("delmal-a-bergen-moteplass-godkjent.json")
    data["applicant"]["voluntary_register"] = {"registered": True}
    assert found(call, Application.model_validate(data)) == []


def test_missing_registration_is_an_error(call):
    data = example("delmal-a-bergen-moteplass-godkjent.json")
    del data["applicant"]["voluntary_register"]
    findings = evaluate(call, Application.model_validate(data), BEFORE)
    assert [(f.rule_id, f.field) for f in findings] == [("C2-R03", "applicant.voluntary_register")]
    assert "Frivillighetsregisteret" in findings[0].message_nb


# --- amounts (C2-R04) ------------------------------------------------------------------------


def with_budget(lines, amount_applied):
    """The Bergen example with these costs and this amount applied for; other funding pays the rest of the
    costs, so that the financing plan adds up (C2-R08) and each test sees only the rule it is about."""
    data = example("delmal-a-bergen-moteplass-godkjent.json")
    data["budget"]["lines"] = lines
    data["budget"]["amount_applied"] = amount_applied
    rest = sum(line["amount"] for line in lines) - amount_applied
    data["budget"]["funding_sources"] = [{"name": "Annen finansiering", "amount": rest}] if rest > 0 else []
    return Application.model_validate(data)


def test_exactly_10_000_applied_for_passes_and_9_999_fails(call):
    lines = [{"category": "activities", "amount": 12000}]
    assert found(call, with_budget(lines, 10000)) == []
    assert found(call, with_budget(lines, 9999)) == [("C2-R04", "error", "budget.amount_applied")]


def test_an_annual_budget_of_exactly_1_000_000_passes_and_one_krone_more_fails(call):
    at_limit = [{"category": "project_staff", "amount": 600000}, {"category": "activities", "amount": 400000}]
    over = [{"category": "project_staff", "amount": 600000}, {"category": "activities", "amount": 400001}]
    assert found(call, with_budget(at_limit, 900000)) == []
    assert found(call, with_budget(over, 900000)) == [("C2-R04", "error", "budget.lines")]


def test_the_budget_limit_is_per_year(call):
    two_years = [
        {"category": "project_staff", "amount": 900000, "year": 2020},
        {"category": "project_staff", "amount": 900000, "year": 2021},
    ]
    assert found(call, with_budget(two_years, 900000)) == []
    one_year_over = two_years + [{"category": "activities", "amount": 100001, "year": 2021}]
    findings = evaluate(call, with_budget(one_year_over, 900000), BEFORE)
    assert [(f.rule_id, f.field) for f in findings] == [("C2-R04", "budget.lines")]
    assert "2021" in findings[0].message_nb


def test_operating_grant_costs_are_a_category_of_their_own(call):
    lines = [{"category": "immigrant_org_operation", "amount": 40000}]
    assert found(call, with_budget(lines, 40000)) == []


# --- operating grants only from the municipalities (C2-R04; issue #10, point 3) -------------------

IMDI = "987879696"
TROMSO = "940101808"


@pytest.mark.parametrize(("grantor", "errors"), [(TROMSO, []), (IMDI, ["C2-R04", "C2-R04"])])
def test_only_the_municipalities_give_operating_grants(call, grantor, errors):
    data = example("driftstilskudd-fra-kommunen-godkjent.json") | {"grantor": grantor}
    findings = evaluate(call, Application.model_validate(data), BEFORE)
    assert [f.rule_id for f in findings if f.severity.value == "error"] == errors
    if errors:
        assert findings[0].field == "answers.support_kind"
        assert findings[0].message_nb.startswith("IMDi gir ikke driftstilskudd. Bare kommunene kan gi driftstilskudd")
        assert findings[1].field == "budget.lines[0].category"


def test_imdi_may_fund_projects_and_measures_but_not_operating_costs(call):
    data = example("driftstilskudd-fra-kommunen-godkjent.json") | {"grantor": IMDI}
    data["answers"] = data["answers"] | {"support_kind": "measure"}
    # The answer is a measure now; the budget line for running the organisation is still an error.
    assert found(call, Application.model_validate(data)) == [("C2-R04", "error", "budget.lines[0].category")]
    data["budget"] = copy.deepcopy(data["budget"])
    data["budget"]["lines"][0]["category"] = "activities"
    assert found(call, Application.model_validate(data)) == []


# --- costs (C2-R05, C2-R06) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "category", ["investments_procurements", "general_operation", "public_employee_events", "only_outside_norway"]
)
def test_every_ineligible_category_is_an_error(call, category):
    lines = [{"category": "activities", "amount": 50000}, {"category": category, "amount": 10000}]
    assert found(call, with_budget(lines, 50000)) == [("C2-R06", "error", "budget.lines[1].category")]


@pytest.mark.parametrize("category", ["activities", "project_staff", "administration"])
def test_measures_administration_and_staff_are_covered(call, category):
    assert found(call, with_budget([{"category": category, "amount": 50000}], 50000)) == []


def test_a_measure_partly_in_norway_passes_and_only_abroad_fails(call):
    data = example("delmal-a-og-c-kunnskapsutveksling-godkjent.json")
    assert data["answers"]["takes_place_in_norway"] is True
    assert found(call, Application.model_validate(data)) == []
    data["answers"]["takes_place_in_norway"] = False
    [finding] = evaluate(call, Application.model_validate(data), BEFORE)
    assert (finding.rule_id, finding.field) == ("C2-R06", "answers.takes_place_in_norway")
    assert "bare foregår utenfor Norge" in finding.message_nb


def test_the_place_question_must_be_answered(call):
    data = example("delmal-a-bergen-moteplass-godkjent.json")
    del data["answers"]["takes_place_in_norway"]
    assert found(call, Application.model_validate(data)) == [("C2-R06", "error", "answers.takes_place_in_norway")]


# --- double funding (C2-R07) -----------------------------------------------------------------


def test_other_grant_for_the_same_activity_needs_details(call):
    data = example("delmal-a-bergen-moteplass-godkjent.json")
    data["answers"]["same_activity_other_grantor"] = True
    data["answers"]["same_activity_other_grantor_details"] = "Søkt IMDi via sentralleddet, avslått 2019."
    assert found(call, Application.model_validate(data)) == []


def test_the_double_funding_question_must_be_answered(call):
    data = example("delmal-a-bergen-moteplass-godkjent.json")
    del data["answers"]["same_activity_other_grantor"]
    assert found(call, Application.model_validate(data)) == [
        ("C2-R07", "error", "answers.same_activity_other_grantor")
    ]


# --- asylum reception centres (C2-R09) -------------------------------------------------------


def test_a_contact_person_is_needed_only_for_asylum_centre_measures(call):
    data = example("delmal-a-bergen-moteplass-godkjent.json")
    data["partners"] = [{"kind": "asylum_centre", "name": "Mottaket"}]  # no contact person
    assert data["answers"]["asylum_centre_measure"] is False
    assert found(call, Application.model_validate(data)) == []
    data["answers"]["asylum_centre_measure"] = True
    assert found(call, Application.model_validate(data)) == [("C2-R09", "error", "partners[0].contact_person")]
    data["partners"][0]["contact_person"] = "Per Hansen, mottaksleder"
    assert found(call, Application.model_validate(data)) == []


# --- sub-goals (C2-R01) ----------------------------------------------------------------------


def test_one_or_more_sub_goals_may_be_chosen(call):
    assert call.areas.select.value == "one_or_more"
    assert [area.id for area in call.areas.items] == ["A", "B", "C"]
    assert found(call, make(areas=["A", "B", "C"])) == []
    assert found(call, make(areas=["D"])) == [("C2-R01", "error", "areas")]


# --- deadline (C2-R01, X-R01) ----------------------------------------------------------------


def test_the_deadline_is_the_end_of_5_february_2020_in_oslo(call):
    assert call.deadline.time_given is False
    assert call.deadline.instant == oslo(2020, 2, 5, 23, 59, 59)
    assert found(call, make(), oslo(2020, 2, 5, 23, 59, 59)) == []
    late = evaluate(call, make(), oslo(2020, 2, 5, 23, 59, 59) + dt.timedelta(seconds=1))
    assert [(f.rule_id, f.severity.value) for f in late] == [("X-R01", "error")]
    assert has_errors(late)


# --- after the decision (C2-R10 … C2-R13) ----------------------------------------------------


def test_payment_after_acceptance_in_two_terms_above_30_000(call):
    payment = call.payment
    assert payment.rule == "C2-R10"
    assert payment.trigger.value == "on_acceptance"
    assert (payment.terms, payment.two_terms_threshold, payment.terms_above_threshold) == (1, 30000, 2)
    assert payment.schedule == ["spring", "autumn"]


def test_accounts_need_an_auditor_from_100_000(call):
    accounts = [d for d in call.reporting.duties if d.accounts]
    assert [d.auditor_threshold for d in accounts] == [100000]
    assert {d.kind.value for d in call.reporting.duties} == {"annual_report", "accounts"}


def test_the_grant_is_used_in_2020_or_repaid(call):
    assert call.repayment.use_by == dt.date(2020, 12, 31)
    assert call.multi_year.allowed is False
    assert call.carry_over.allowed is False


def test_complaints_within_three_weeks_decided_by_imdi_or_the_ministry(call):
    complaints = call.complaints
    for right in (complaints.allocation, complaints.refusal, complaints.rejection):
        assert (right.rule, right.allowed, right.deadline_weeks) == ("C2-R13", True, 3)
    decided = complaints.decided_by_grantor_kind
    assert "IMDi" in decided[GrantorKind.MUNICIPALITY].nb
    assert "Kunnskapsdepartementet" in decided[GrantorKind.DIRECTORATE].nb
    assert "Ministry of Education and Research" in decided[GrantorKind.DIRECTORATE].en


def test_every_municipality_has_a_contact_for_routing(call):
    offices = [office.office for office in call.routing.offices]
    assert offices == [m.full_name for m in municipalities()]
    assert all(office.contacts["*"].email for office in call.routing.offices)


def test_ten_criteria_with_equal_weights(call):
    criteria = call.assessment.criteria
    assert len(criteria) == 10
    assert {c.rule for c in criteria} == {"C2-R08"}
    assert {c.weight for c in criteria} == {1.0}
    assert {(c.scale.min, c.scale.max) for c in criteria} == {(1, 6)}
