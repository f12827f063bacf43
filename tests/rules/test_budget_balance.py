"""The budget adds up (issue #10, point 7): the check kind ``budget_balance`` in the engine.

No more can be applied for than the budget's costs; the financing plan — amount applied for, own
contribution and funding sources — adds up to the costs; where the funding sources are the whole plan
(C0), the grant applied for and the own share are among them. Each call names it with its own rule id
(C0-R09, C1-R06, C2-R08, C3-R05, C4-R08); the failing examples in examples/ show each call's finding.
"""

from __future__ import annotations

import copy
import json

import pytest

from tests.conftest import CALLS_DIR, ROOT, oslo
from tilskudd.rules import Application, evaluate, load_call_file
from tilskudd.rules.schema import BudgetBalanceCheck

NBSP = "\u00a0"

CALLS = {
    "C0": ("kommunale-integreringstiltak-2019", "omrade-5-godkjent.json", "C0-R09", oslo(2019, 2, 20, 10, 0)),
    "C1": ("fag-og-yrkesopplaering-2025", "vestland-godkjent.json", "C1-R06", oslo(2025, 2, 5, 10, 0)),
    "C2": (
        "frivillige-organisasjoner-2020",
        "delmal-a-bergen-moteplass-godkjent.json",
        "C2-R08",
        oslo(2020, 2, 1, 10, 0),
    ),
    "C3": ("mangfold-mot-rasisme-2024", "bergen-godkjent.json", "C3-R05", oslo(2024, 6, 10, 10, 0)),
    "C4": (
        "nasjonale-ressurssentre-2026",
        "delmal-a-og-d-ressurssenter-godkjent.json",
        "C4-R08",
        oslo(2026, 1, 15, 10, 0),
    ),
}


def setup(code: str):
    call_id, example, rule, at = CALLS[code]
    call = load_call_file(CALLS_DIR / f"{call_id}.yaml")
    data = json.loads((ROOT / "examples" / call_id / example).read_text(encoding="utf-8"))
    return call, data, rule, at


def balance_findings(call, data: dict, rule: str, at) -> list:
    findings = evaluate(call, Application.model_validate(data), at)
    return [f for f in findings if f.rule_id == rule and f.field in ("budget.amount_applied", "budget.funding_sources")]


def costs_of(data: dict) -> int:
    return sum(line["amount"] for line in data["budget"]["lines"])


@pytest.mark.parametrize("code", sorted(CALLS))
def test_every_call_names_the_check_with_its_rule(code):
    call, data, rule, at = setup(code)
    [check] = [c for c in call.checks if isinstance(c, BudgetBalanceCheck)]
    assert check.rule == rule
    assert balance_findings(call, data, rule, at) == []  # the passing example adds up


@pytest.mark.parametrize("code", sorted(CALLS))
def test_more_applied_for_than_the_costs_is_an_error_with_both_amounts(code):
    call, data, rule, at = setup(code)
    data["budget"]["amount_applied"] = costs_of(data) + 100_000
    findings = [f for f in balance_findings(call, data, rule, at) if f.field == "budget.amount_applied"]
    assert len(findings) == 1
    costs = f"{costs_of(data):,}".replace(",", NBSP)
    applied = f"{costs_of(data) + 100_000:,}".replace(",", NBSP)
    assert f"({applied}{NBSP}kr) er høyere enn de samlede kostnadene" in findings[0].message_nb
    assert f"({costs}{NBSP}kr)" in findings[0].message_nb
    assert "You cannot apply for more than the project costs" in findings[0].message_en


def test_the_issues_case_150_000_applied_for_against_45_000_of_costs():
    call, data, rule, at = setup("C2")
    data["budget"]["lines"] = [{"category": "activities", "amount": 45_000}]
    data["budget"]["funding_sources"] = []
    data["budget"]["amount_applied"] = 150_000
    findings = {f.field: f for f in balance_findings(call, data, rule, at)}
    assert set(findings) == {"budget.amount_applied", "budget.funding_sources"}
    assert findings["budget.amount_applied"].message_nb == (
        f"Beløpet det søkes om (150{NBSP}000{NBSP}kr) er høyere enn de samlede kostnadene i budsjettet "
        f"(45{NBSP}000{NBSP}kr). Det kan ikke søkes om mer enn prosjektet koster."
    )
    assert findings["budget.funding_sources"].message_nb.endswith(
        f"til sammen 150{NBSP}000{NBSP}kr – 105{NBSP}000{NBSP}kr for mye."
    )


@pytest.mark.parametrize(("change", "short"), [(-1, True), (1, False)])
def test_other_funding_must_make_the_plan_equal_the_costs_to_the_krone(change, short):
    call, data, rule, at = setup("C2")
    data["budget"]["funding_sources"][0]["amount"] += change
    [finding] = balance_findings(call, data, rule, at)
    assert finding.field == "budget.funding_sources"
    assert finding.message_nb.startswith("Finansieringsplanen går ikke opp: kostnadene er 97")
    assert finding.message_nb.endswith(f"1{NBSP}kr for lite." if short else f"1{NBSP}kr for mye.")
    assert finding.message_en.endswith("NOK 1 short." if short else "NOK 1 too much.")


def test_the_own_share_is_part_of_the_plan_c3():
    call, data, rule, at = setup("C3")
    data["budget"]["own_contribution"]["amount"] += 50_000
    [finding] = balance_findings(call, data, rule, at)
    assert f"egenandelen (250{NBSP}000{NBSP}kr)" in finding.message_nb
    assert f"50{NBSP}000{NBSP}kr for mye" in finding.message_nb
    # other funding, given with the own share, closes the gap the other way
    data["budget"]["own_contribution"]["amount"] -= 100_000
    data["budget"]["funding_sources"] = [{"name": "Fylkeskommunen", "amount": 50_000}]
    assert balance_findings(call, data, rule, at) == []


def test_c0_funding_sources_are_the_whole_plan_and_hold_the_grant_and_the_own_share():
    call, data, rule, at = setup("C0")
    sources = data["budget"]["funding_sources"]
    assert sum(s["amount"] for s in sources) == costs_of(data)
    # more applied for than the IMDi line, which the plan holds: the sources leave the difference out
    data["budget"]["amount_applied"] += 100_000
    [finding] = balance_findings(call, data, rule, at)
    assert finding.message_nb.startswith("Finansieringskildene (1")
    assert "må også ta med beløpet det søkes om" in finding.message_nb
    # sources that do not add up to the costs
    data = setup("C0")[1]
    sources = data["budget"]["funding_sources"]
    sources[0]["amount"] -= 1000
    [finding] = balance_findings(call, data, rule, at)
    assert finding.message_nb.endswith(f"{NBSP}kr – 1{NBSP}000{NBSP}kr for lite.")


def test_c0_with_no_funding_sources_has_only_the_fields_own_finding():
    call, data, rule, at = setup("C0")
    data["budget"]["funding_sources"] = []
    findings = evaluate(call, Application.model_validate(data), at)
    assert [(f.rule_id, f.field, f.message_nb) for f in findings] == [
        ("C0-R09", "budget.funding_sources", "«Finansieringskilder» må fylles ut.")
    ]


def test_c1_checks_only_the_amount_against_the_costs_since_it_asks_for_no_financing_plan():
    call, data, rule, at = setup("C1")
    [check] = [c for c in call.checks if isinstance(c, BudgetBalanceCheck)]
    assert check.financing is False
    data["budget"]["amount_applied"] = costs_of(data) - 200_000  # the county pays the rest: no finding
    assert balance_findings(call, data, rule, at) == []


def test_a_stipend_above_the_whole_amount_applied_for_is_an_error():
    call, data, rule, at = setup("C0")
    data = json.loads(
        (ROOT / "examples" / "kommunale-integreringstiltak-2019" / "omrade-2-godkjent.json").read_text(encoding="utf-8")
    )
    data = copy.deepcopy(data)
    data["budget"]["stipend"]["amount_applied"] = data["budget"]["amount_applied"] + 1
    findings = [f for f in evaluate(call, Application.model_validate(data), at) if f.field == "budget.stipend"]
    assert [f.rule_id for f in findings] == ["C0-R09"]
    assert "Stønaden er en del av søknadsbeløpet" in findings[0].message_nb


def test_an_empty_budget_gives_only_the_budget_fields_own_finding():
    call, data, rule, at = setup("C4")
    data["budget"]["lines"] = []
    findings = evaluate(call, Application.model_validate(data), at)
    assert [f.field for f in findings if f.rule_id == rule] == ["budget.lines"]
