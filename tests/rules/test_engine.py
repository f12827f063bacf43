"""The engine on a small call of its own (tests/fixtures/minimal_call.yaml).

The five real calls are tested through their examples (tests/test_examples.py).
"""

import datetime as dt

import pytest

from tilskudd.rules import Application, evaluate
from tilskudd.rules.findings import has_errors
from tests.conftest import minimal_application_data, oslo

BEFORE = oslo(2030, 2, 1, 10, 0)


def make(**changes) -> Application:
    data = minimal_application_data()
    for key, value in changes.items():
        data[key] = value
    return Application.model_validate(data)


def rules(findings):
    return sorted((f.rule_id, f.field) for f in findings)


def test_a_complete_application_has_no_findings(minimal_call):
    assert evaluate(minimal_call, make(), BEFORE) == []


def test_deadline_is_judged_in_oslo_time(minimal_call):
    # 12:00 Oslo (UTC+1 in February) is 11:00 UTC.
    on_time = dt.datetime(2030, 2, 28, 11, 0, tzinfo=dt.timezone.utc)
    one_second_late = dt.datetime(2030, 2, 28, 11, 0, 1, tzinfo=dt.timezone.utc)
    assert evaluate(minimal_call, make(), on_time) == []
    late = evaluate(minimal_call, make(), one_second_late)
    assert [(f.rule_id, f.severity.value) for f in late] == [("X-R01", "error")]
    assert "28.02.2030 kl. 12:00" in late[0].message_nb


def test_naive_reference_time_is_refused(minimal_call):
    with pytest.raises(ValueError):
        evaluate(minimal_call, make(), dt.datetime(2030, 1, 1))


def test_area_rule_applies_only_in_its_area(minimal_call):
    few = {"participants": 12, "needs_exemption": False}
    assert rules(evaluate(minimal_call, make(answers=few), BEFORE)) == [("C0-R20", "answers.participants")]
    assert evaluate(minimal_call, make(answers=few, areas=["1"]), BEFORE) == []


def test_range_message_names_the_field_label(minimal_call):
    [finding] = evaluate(minimal_call, make(answers={"participants": 12, "needs_exemption": False}), BEFORE)
    assert finding.message_nb == "«Antall deltakere» må være minst 15. Søknaden har 12."
    assert finding.message_en == "'Number of participants' must be at least 15. The application has 12."


def test_required_field_missing(minimal_call):
    found = evaluate(minimal_call, make(answers={"needs_exemption": False}), BEFORE)
    assert rules(found) == [("C0-R08", "answers.participants")]


def test_conditional_attachment(minimal_call):
    answers = {"participants": 20, "needs_exemption": True}
    assert rules(evaluate(minimal_call, make(answers=answers), BEFORE)) == [("C0-R14", "attachments[exemption]")]
    with_file = make(answers=answers, attachments=[{"kind": "exemption", "filename": "unntak.pdf"}])
    assert evaluate(minimal_call, with_file, BEFORE) == []


def test_exactly_one_area(minimal_call):
    assert rules(evaluate(minimal_call, make(areas=["1", "3"]), BEFORE)) == [("C0-R03", "areas")]
    assert rules(evaluate(minimal_call, make(areas=[]), BEFORE)) == [("C0-R03", "areas")]
    assert rules(evaluate(minimal_call, make(areas=["9"]), BEFORE)) == [("C0-R03", "areas")]


def test_applicant_type_and_identifiers(minimal_call):
    applicant = {"org_number": "964338532", "applicant_type": "voluntary_organisation", "bank_account": "12345678901"}
    assert rules(evaluate(minimal_call, make(applicant=applicant), BEFORE)) == [
        ("C0-R02", "applicant.applicant_type"),
        ("X-R02", "applicant.bank_account"),
        ("X-R02", "applicant.org_number"),
    ]


def test_org_form_must_match_applicant_type(minimal_call):
    applicant = {"org_number": "964338531", "applicant_type": "municipality", "org_form": "FLI"}
    assert rules(evaluate(minimal_call, make(applicant=applicant), BEFORE)) == [("X-R02", "applicant.org_form")]


def test_ineligible_and_unknown_budget_categories(minimal_call):
    budget = {
        "lines": [{"category": "investment", "amount": 1000}, {"category": "snacks", "amount": 10}],
        "own_contribution": {"amount": 1},
        "amount_applied": 1000,
    }
    found = evaluate(minimal_call, make(budget=budget), BEFORE)
    assert rules(found) == [("C0-R09", "budget.lines[1].category"), ("C1-R07", "budget.lines[0].category")]
    assert all(f.is_error for f in found)


def test_own_contribution_required(minimal_call):
    budget = {"lines": [{"category": "staff", "amount": 1000}], "amount_applied": 1000}
    assert rules(evaluate(minimal_call, make(budget=budget), BEFORE)) == [("C0-R17", "budget.own_contribution")]


@pytest.mark.parametrize(
    ("over", "under", "applied", "ok"),
    [
        # G on the deadline date 2030-02-28 is the latest in the table (2025-05-01: 130 160).
        (1, 0, 130160, True),
        (1, 0, 130161, False),
        (0, 3, 390480, True),  # 3 × 1 G: the cap is 1 G per participant per year whatever the age (C0-R18)
        (0, 3, 390481, False),
    ],
)
def test_stipend_cap_in_g_whatever_the_age(minimal_call, over, under, applied, ok):
    budget = {
        "lines": [{"category": "staff", "amount": 1000}],
        "own_contribution": {"amount": 1},
        "amount_applied": 1000,
        "stipend": {"participants_25_or_over": over, "participants_under_25": under, "amount_applied": applied},
    }
    found = evaluate(minimal_call, make(areas=["1"], budget=budget), BEFORE)
    assert has_errors(found) is not ok
    if not ok:
        assert rules(found) == [("C0-R18", "budget.stipend.amount_applied")]


def test_joint_application_lead_must_be_the_applicant(minimal_call):
    joint = {"lead_org_number": "942110464", "members": [{"org_number": "964338531"}]}
    assert rules(evaluate(minimal_call, make(joint=joint), BEFORE)) == [
        ("C0-R02", "joint.lead_org_number"),
        ("C0-R02", "joint.members"),
    ]
    good = {"lead_org_number": "964338531", "members": [{"org_number": "942110464"}]}
    assert evaluate(minimal_call, make(joint=good), BEFORE) == []


def test_money_must_be_whole_kroner():
    with pytest.raises(ValueError):
        make(budget={"lines": [{"category": "staff", "amount": 10.5}]})
    with pytest.raises(ValueError):
        make(budget={"amount_applied": "1000"})


# --- issue #10, point 5: organisation numbers written with spaces ------------------------------


@pytest.mark.parametrize("written", ["964 338 531", "964.338.531", " 964338531 "])
def test_an_org_number_written_with_spaces_or_dots_is_read_as_its_nine_digits(minimal_call, written):
    application = make(
        applicant={"org_number": written, "applicant_type": "municipality", "bank_account": "12345678903"}
    )
    assert application.applicant.org_number == "964338531"
    assert evaluate(minimal_call, application, BEFORE) == []


def test_an_org_number_that_is_not_nine_digits_is_kept_as_written_and_refused(minimal_call):
    application = make(
        applicant={"org_number": "964 338 53", "applicant_type": "municipality", "bank_account": "12345678903"}
    )
    assert application.applicant.org_number == "964 338 53"
    assert [f.rule_id for f in evaluate(minimal_call, application, BEFORE)] == ["X-R02"]


def test_joint_members_and_partners_are_read_the_same_way():
    application = make(
        joint={"lead_org_number": "964 338 531", "members": [{"org_number": "821 311 632"}]},
        partners=[{"kind": "social_entrepreneur", "name": "X", "org_number": "817.920.632"}],
    )
    assert application.joint.lead_org_number == "964338531"
    assert application.joint.members[0].org_number == "821311632"
    assert application.partners[0].org_number == "817920632"
