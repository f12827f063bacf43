"""The budget check (issue #10, point 7) on the call page, in the form and in the allocation caps.

Without the database: the page and the form are built from the call definitions, the cap from a
:class:`~tilskudd.grants.allocation.caps.Capping` of an example application.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, oslo
from tests.web.conftest import REAL_CALLS, real_call
from tilskudd.applications import formbuilder as fb
from tilskudd.calls import presentation as p
from tilskudd.grants.allocation.caps import CAPS, Capping
from tilskudd.rules import Application, load_call_file
from tilskudd.rules.schema import BudgetBalanceCheck

NOW = oslo(2030, 1, 1, 12, 0)
NBSP = "\u00a0"


@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_the_call_page_says_under_the_budget_that_the_amount_is_within_the_costs(call_id):
    call = load_call_file(real_call(call_id))
    [check] = [c for c in call.checks if isinstance(c, BudgetBalanceCheck)]
    assert p.checks.is_budget_check(check)
    nb = p.describe_check(check, call, "nb")
    en = p.describe_check(check, call, "en")
    assert str(nb.phrase) == "Beløpet det søkes om kan ikke være høyere enn de samlede kostnadene i budsjettet."
    assert str(en.phrase) == "The amount applied for cannot be higher than the total costs in the budget."
    assert nb.rules == (check.rule,)
    details = " ".join(str(d) for d in nb.details)
    if not check.financing:
        assert "Finansieringsplanen" not in details and "Finansieringskildene" not in details
    elif check.sources == "all":
        assert "Finansieringskildene er hele finansieringsplanen" in details
    else:
        assert "Finansieringsplanen må gå opp" in details
        assert "The financing plan must add up" in " ".join(str(d) for d in en.details)


def test_the_check_is_on_the_page_of_every_call():
    for call_id in REAL_CALLS:
        call = load_call_file(real_call(call_id))
        page = p.call_page(call, "nb", NOW)
        text = " ".join(str(line.phrase) for block in page.blocks for line in block.all_lines())
        assert "kan ikke være høyere enn de samlede kostnadene" in text, call_id


@pytest.mark.parametrize("call_id", ["C2", "C3", "C4"])
def test_the_form_has_a_place_for_other_funding_where_the_plan_must_add_up(call_id):
    call = load_call_file(real_call(call_id))
    form = fb.build_form(call, {"areas": [], "answers": {}, "budget": {}, "partners": []})
    assert "budget.funding_sources" in {w.path for w in form.widgets()}


def test_c1_asks_for_no_financing_plan_so_its_form_has_none():
    call = load_call_file(real_call("C1"))
    form = fb.build_form(call, {"areas": [], "answers": {}, "budget": {}, "partners": []})
    assert "budget.funding_sources" not in {w.path for w in form.widgets()}


def test_allocation_caps_the_amount_at_the_projects_costs():
    call = load_call_file(real_call("C1"))
    data = json.loads((ROOT / "examples/fag-og-yrkesopplaering-2025/soker-mer-enn-kostnadene.json").read_text())
    exchange = Application.model_validate(data)
    capping = Capping(call, exchange, 1_500_000, 1_500_000)
    [check] = [c for c in call.checks if isinstance(c, BudgetBalanceCheck)]
    CAPS.for_(check)(check, capping)
    cap = capping.cap()
    assert cap.amount == 1_400_000
    assert cap.reason_nb == f"høyst kostnadene, 1{NBSP}400{NBSP}000 kr, C1-R06"
    assert cap.reason_en == "at most the costs, NOK 1,400,000, C1-R06"
