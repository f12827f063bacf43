"""The accounts' arithmetic (issue #12, point 2): budget against actual per line, and the unused amount."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tilskudd.reports.accounts import AccountsError, BudgetLine, budget_lines, compute

BUDGET = [
    BudgetLine(0, "staff", "Prosjektleder 50 %", 300_000),
    BudgetLine(1, "activities", "Kurs", 120_000),
    BudgetLine(2, "other", "Reiser", 30_000),
]


def test_unused_is_the_grant_less_what_the_costs_left_for_it():
    accounts = compute(
        150_000, BUDGET, {0: 280_000, 1: 90_000, 2: 10_000}, other_income=200_000, own_contribution=50_000
    )
    assert (accounts.total_budget, accounts.total_actual) == (450_000, 380_000)
    assert accounts.net_costs == 380_000 - 200_000 - 50_000 == 130_000
    assert accounts.unused == 150_000 - 130_000 == 20_000
    assert [line.difference for line in accounts.lines] == [-20_000, -30_000, -20_000]


def test_costs_beyond_the_grant_make_no_negative_unused_amount():
    accounts = compute(
        150_000, BUDGET, {0: 300_000, 1: 120_000, 2: 30_000}, other_income=200_000, own_contribution=50_000
    )
    assert accounts.net_costs == 200_000
    assert accounts.unused == 0


def test_a_grant_not_spent_at_all_is_unused_in_full():
    accounts = compute(100_000, BUDGET, {0: 0, 1: 0, 2: 0}, other_income=0, own_contribution=0)
    assert accounts.unused == 100_000


def test_other_income_above_the_costs_leaves_the_whole_grant_unused():
    accounts = compute(100_000, BUDGET, {0: 50_000, 1: 0, 2: 0}, other_income=80_000, own_contribution=0)
    assert accounts.net_costs == -30_000 and accounts.unused == 100_000


def test_the_stored_form_has_every_line_and_total_in_whole_kroner():
    stored = compute(150_000, BUDGET[:1], {0: 140_000}, other_income=0, own_contribution=0).as_dict()
    assert stored == {
        "granted": 150_000,
        "lines": [{"category": "staff", "description": "Prosjektleder 50 %", "budget": 300_000, "actual": 140_000}],
        "other_income": 0,
        "own_contribution": 0,
        "total_budget": 300_000,
        "total_actual": 140_000,
        "net_costs": 140_000,
        "unused": 10_000,
    }


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True, None])
def test_amounts_are_whole_kroner_of_0_or_more(bad):
    with pytest.raises(AccountsError):
        compute(150_000, BUDGET[:1], {0: bad}, other_income=0, own_contribution=0)
    with pytest.raises(AccountsError):
        compute(150_000, BUDGET[:1], {0: 1}, other_income=bad, own_contribution=0)


def test_every_budget_line_and_no_other_needs_an_actual_cost():
    with pytest.raises(AccountsError):
        compute(150_000, BUDGET, {0: 1, 1: 1}, other_income=0, own_contribution=0)
    with pytest.raises(AccountsError):
        compute(150_000, BUDGET[:1], {0: 1, 7: 1}, other_income=0, own_contribution=0)


def test_the_budget_is_the_lines_of_the_grants_year_and_those_without_a_year():
    lines = [
        SimpleNamespace(category="staff", description="", amount=100, year=None),
        SimpleNamespace(category="staff", description="År 2", amount=200, year=2020),
        SimpleNamespace(category="other", description="År 1", amount=300, year=2019),
    ]
    assert [(b.index, b.description, b.budget) for b in budget_lines(lines, 2019)] == [(0, "", 100), (1, "År 1", 300)]
