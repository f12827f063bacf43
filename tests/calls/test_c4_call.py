"""C4 — operating grants for national resource centres 2026 (calls/nasjonale-ressurssentre-2026.yaml).

The examples (examples/nasjonale-ressurssentre-2026/) show one passing and one failing case per
rule; these tests pin the boundaries (three years on the day, three counties, 23:59) and the parts
the examples cannot show (frame, multi-year grant, conditions, readings).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from tilskudd.rules import Application, evaluate, load_call_file
from tilskudd.rules.findings import has_errors
from tilskudd.rules.reference.rule_list import rule_list
from tests.conftest import CALLS_DIR, ROOT, oslo

CALL_ID = "nasjonale-ressurssentre-2026"
EXAMPLES = ROOT / "examples" / CALL_ID
BEFORE = oslo(2026, 1, 15, 10, 0)


@pytest.fixture(scope="module")
def call():
    return load_call_file(CALLS_DIR / f"{CALL_ID}.yaml")


def example(name: str = "delmal-a-og-d-ressurssenter-godkjent.json") -> dict:
    return copy.deepcopy(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def found(call, data: dict, at=BEFORE) -> list[tuple[str, str, str]]:
    application = Application.model_validate(data)
    return sorted((f.rule_id, f.severity.value, f.field) for f in evaluate(call, application, at))


def rule_ids_in(call) -> set[str]:
    return set(re.findall(r"\b(?:C\d+|X)-R\d{2}\b", json.dumps(call.model_dump(mode="json"))))


# --- the file as a whole ---------------------------------------------------------------------


def test_every_c4_rule_of_the_spec_is_encoded(call):
    # The project's list of the spec's rules (tests/test_rules_table.py compares it with calls.md).
    in_spec = {rule.id for rule in rule_list() if rule.call == "C4"}
    assert len(in_spec) == 9
    assert in_spec <= rule_ids_in(call)


def test_the_reading_of_the_spec_is_in_the_file(call):
    # calls.md marks C4-R05 as a Reading; the call file must carry it.
    assert "C4-R05" in {reading.rule for reading in call.readings}


def test_frame_deadline_and_answer(call):
    assert (call.frame.amount, call.frame.previous_year_amount) == (41_900_000, 38_800_000)
    assert call.deadline.time_given is True
    assert call.deadline.instant == oslo(2026, 1, 21, 23, 59, 59)
    assert "mars 2026" in call.answer_expected.nb
    assert any("§ 1-4 h" in note.text.nb and "§ 1-6 c" in note.text.nb for note in call.legal_basis)


# --- deadline (C4-R01, X-R01) ----------------------------------------------------------------


def test_kl_23_59_counts_the_whole_minute_and_midnight_is_late(call):
    # «kl. 23.59» is read as up to and including 23:59:59, as a date-only deadline is (issue #10, point 4).
    assert found(call, example(), oslo(2026, 1, 21, 23, 59, 0)) == []
    assert found(call, example(), oslo(2026, 1, 21, 23, 59, 30)) == []
    assert found(call, example(), oslo(2026, 1, 21, 23, 59, 59)) == []
    assert found(call, example(), oslo(2026, 1, 22, 0, 0, 0)) == [("X-R01", "error", "")]
    # The server's clock decides in Oslo time, whatever zone the instant is given in.
    in_utc = dt.datetime(2026, 1, 21, 23, 0, 0, tzinfo=dt.timezone.utc)
    assert found(call, example(), in_utc) == [("X-R01", "error", "")]
    assert found(call, example(), in_utc - dt.timedelta(seconds=1)) == []


def test_the_call_page_says_how_kl_23_59_is_read(call):
    from tilskudd.calls import presentation as p

    now = oslo(2026, 1, 10, 12, 0)
    lines = [line.text for line in p.call_page(call, "nb", now).block("frist").lines]
    assert lines[0] == "Søknaden må være sendt inn senest 21.01.2026 kl. 23:59:59 (norsk tid)."
    assert lines[1] == (
        "Utlysningen oppgir fristen som kl. 23.59. Hele dette minuttet er med: "
        "en søknad som er sendt inn til og med kl. 23:59:59, er i tide."
    )
    english = p.call_page(call, "en", now).block("frist").lines[1].text
    assert english == (
        "The call gives the deadline as 23.59. The whole of that minute counts: "
        "an application submitted up to 23:59:59 is on time."
    )
    readings = [line.text for line in p.call_page(call, "nb", now).block("tolkninger").lines]
    assert any(text.startswith("Fristen «kl. 23.59» regnes til og med kl. 23:59:59") for text in readings)


# --- three years old on the date of application (C4-R03) ------------------------------------


@pytest.mark.parametrize(
    ("founded_on", "today", "too_young"),
    [
        ("2023-01-15", oslo(2026, 1, 15, 10, 0), False),  # exactly three years on the day
        ("2023-01-16", oslo(2026, 1, 15, 10, 0), True),  # one day short
        ("2023-01-21", oslo(2026, 1, 21, 23, 58), False),  # three years on the deadline day
        ("2020-02-29", oslo(2023, 2, 28, 12, 0), False),  # born on 29 February: 28 February counts
    ],
)
def test_three_years_on_the_date_of_application(call, founded_on, today, too_young):
    data = example()
    data["applicant"]["founded_on"] = founded_on
    findings = found(call, data, today)
    expected = [("C4-R03", "error", "applicant.founded_on")] if too_young else []
    assert [f for f in findings if f[0] != "X-R01"] == expected


def test_the_date_of_application_is_judged_in_oslo(call):
    data = example()
    data["applicant"]["founded_on"] = "2023-01-16"
    # 23:30 UTC on 15 January is already 16 January in Oslo: three years exactly.
    assert found(call, data, dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.timezone.utc)) == []


def test_the_too_young_message_names_the_dates(call):
    data = example()
    data["applicant"]["founded_on"] = "2023-06-01"
    [finding] = evaluate(call, Application.model_validate(data), BEFORE)
    assert finding.rule_id == "C4-R03"
    assert "minst 3 år" in finding.message_nb
    assert "01.06.2023" in finding.message_nb and "15.01.2026" in finding.message_nb


# --- registered in Frivillighetsregisteret on the date of application (C4-R03) ----------------


@pytest.mark.parametrize(
    ("registered_on", "late"),
    [("2026-01-15", False), ("2026-01-16", True)],  # on the day of application is in time; the day after is not
)
def test_registered_in_the_voluntary_register_on_the_date_of_application(call, registered_on, late):
    data = example()
    data["applicant"]["voluntary_register"]["registered_on"] = registered_on
    expected = [("C4-R03", "error", "applicant.voluntary_register.registered_on")] if late else []
    assert found(call, data) == expected


def test_the_late_registration_message_names_the_dates(call):
    data = example()
    data["applicant"]["voluntary_register"]["registered_on"] = "2026-01-20"
    [finding] = evaluate(call, Application.model_validate(data), BEFORE)
    assert finding.rule_id == "C4-R03"
    assert "registrert i Frivillighetsregisteret på søknadsdatoen" in finding.message_nb
    assert "20.01.2026" in finding.message_nb and "15.01.2026" in finding.message_nb


# --- national presence (C4-R04) --------------------------------------------------------------


def with_counties(activity=(), members=(), branches=()):
    data = example()
    data["applicant"]["counties"] = {"activity": list(activity), "members": list(members), "branches": list(branches)}
    return data


@pytest.mark.parametrize("kind", ["activity", "members", "branches"])
def test_three_counties_in_any_one_way_is_enough(call, kind):
    assert found(call, with_counties(**{kind: ["03", "46", "55"]})) == []


@pytest.mark.parametrize("kind", ["activity", "members", "branches"])
def test_two_counties_is_too_few(call, kind):
    assert found(call, with_counties(**{kind: ["03", "46"]})) == [("C4-R04", "error", "applicant.counties")]


def test_counties_are_not_added_up_across_the_ways(call):
    # Activity in 03 and 46, members in 50 and 55: four counties in all, but no way reaches three.
    data = with_counties(activity=["03", "46"], members=["50", "55"], branches=["18"])
    assert found(call, data) == [("C4-R04", "error", "applicant.counties")]


def test_a_pre_2024_county_number_does_not_count_and_is_flagged(call):
    # 30 (Viken) was dissolved on 1 January 2024.
    data = with_counties(members=["30", "03", "46"])
    assert found(call, data) == [
        ("C4-R04", "error", "applicant.counties"),
        ("C4-R04", "warning", "applicant.counties.members"),
    ]


# --- statutes (C4-R05, reading) --------------------------------------------------------------


def test_missing_statutes_warn_but_do_not_stop_the_application(call):
    data = example()
    data["attachments"] = [a for a in data["attachments"] if a["kind"] != "statutes"]
    findings = evaluate(call, Application.model_validate(data), BEFORE)
    assert [(f.rule_id, f.severity.value, f.field) for f in findings] == [
        ("C4-R05", "warning", "attachments[statutes]")
    ]
    assert not has_errors(findings)
    assert "overgangsordning" in findings[0].message_nb
    assert "tilskuddsbrevet" in findings[0].message_nb
    assert "transition rule" in findings[0].message_en


def test_statutes_that_do_not_ensure_representation_are_an_error_even_in_2026(call):
    data = example()
    data["answers"]["statutes_representation"] = False
    findings = evaluate(call, Application.model_validate(data), BEFORE)
    assert [(f.rule_id, f.severity.value, f.field) for f in findings] == [
        ("C4-R05", "error", "answers.statutes_representation")
    ]
    assert "Overgangsordningen i 2026 gjelder bare dokumentasjonen, ikke kravet." in findings[0].message_nb
    # Without the statutes too: the error stays, the missing document is still only a warning.
    data["attachments"] = [a for a in data["attachments"] if a["kind"] != "statutes"]
    assert found(call, data) == [
        ("C4-R05", "error", "answers.statutes_representation"),
        ("C4-R05", "warning", "attachments[statutes]"),
    ]


def test_the_grant_letter_carries_the_statutes_condition_by_default(call):
    condition = next(c for c in call.grant_conditions if c.id == "statutes_representation")
    assert (condition.rule, condition.default) == ("C4-R05", True)
    assert "innvandrerbakgrunn" in condition.text.nb


# --- required content and documentation (C4-R06, C4-R07) ------------------------------------


@pytest.mark.parametrize("answer", ["results_last_three_years", "knowledge_strategy"])
def test_each_required_account_is_needed(call, answer):
    data = example()
    data["answers"][answer] = "   "
    assert found(call, data) == [("C4-R06", "error", f"answers.{answer}")]


@pytest.mark.parametrize(
    "kind", ["dissemination", "immigrant_org_cooperation", "goal_assessment_routines", "risk_internal_control"]
)
def test_each_of_the_four_documents_is_needed(call, kind):
    data = example()
    data["attachments"] = [a for a in data["attachments"] if a["kind"] != kind]
    assert found(call, data) == [("C4-R07", "error", f"attachments[{kind}]")]


def test_previous_accounts_are_optional(call):
    data = example()
    data["attachments"] = [a for a in data["attachments"] if a["kind"] != "previous_accounts"]
    assert found(call, data) == []


# --- sub-goals (C4-R02) ----------------------------------------------------------------------


def test_one_or_more_of_the_four_sub_goals(call):
    assert [area.id for area in call.areas.items] == ["A", "B", "C", "D"]
    data = example()
    data["areas"] = ["A", "B", "C", "D"]
    assert found(call, data) == []
    data["areas"] = ["E"]
    assert found(call, data) == [("C4-R02", "error", "areas")]


# --- assessment and the grant (C4-R08, C4-R09) -----------------------------------------------


def test_ten_criteria_with_equal_weights(call):
    criteria = call.assessment.criteria
    assert len(criteria) == 10
    assert {c.rule for c in criteria} == {"C4-R08"}
    assert {c.weight for c in criteria} == {1.0}
    assert call.assessment.grant_size.rule == "C4-R09"


def test_normally_four_years_with_a_yearly_review(call):
    multi = call.multi_year
    assert (multi.rule, multi.allowed, multi.normal_years) == ("C4-R09", True, 4)
    assert multi.yearly_reevaluation is True
    assert multi.granted_one_year_at_a_time is False


def test_more_than_four_years_applied_for_is_refused(call):
    data = example()
    data["answers"]["period_years"] = 5
    assert found(call, data) == [("C4-R09", "error", "answers.period_years")]


# --- where the slides are silent (X-R05) -----------------------------------------------------


def test_payment_reporting_and_complaints_follow_a_stated_general_reading(call):
    assert "X-R05" in {reading.rule for reading in call.readings}
    assert call.payment.rule == "X-R05"
    for right in (call.complaints.allocation, call.complaints.refusal, call.complaints.rejection):
        assert (right.rule, right.allowed, right.deadline_weeks) == ("X-R05", True, 3)
        # The reading is in the readings, not in the legal reference a letter quotes (issue #10 point 11).
        assert right.legal_reference.nb == "Forvaltningsloven §§ 28 og 29."
        assert "departementet" in right.decided_by.nb
    assert {duty.kind.value for duty in call.reporting.duties} == {"annual_report", "accounts"}
