"""The pure helpers under the CLI and the API (tilskudd.rules.cli_check)."""

from __future__ import annotations

import datetime as dt

import pytest

from tilskudd.rules.cli_check import (
    ApplicationInputError,
    CheckResult,
    ReferenceTimeError,
    field_path,
    format_result,
    parse_at,
    read_application,
    rule_ids,
)
from tilskudd.rules.findings import Finding, Severity
from tilskudd.rules.schema import OSLO


def test_parse_at_reads_naive_times_as_oslo_time():
    winter = parse_at("2030-02-28T12:00")
    assert winter == dt.datetime(2030, 2, 28, 11, 0, tzinfo=dt.timezone.utc)
    summer = parse_at("2030-06-28 12:00:00")
    assert summer == dt.datetime(2030, 6, 28, 10, 0, tzinfo=dt.timezone.utc)


def test_parse_at_keeps_an_offset():
    assert parse_at("2030-02-28T12:00:00+00:00") == dt.datetime(2030, 2, 28, 12, tzinfo=dt.timezone.utc)
    assert parse_at("2030-02-28T12:00:00Z").utcoffset() == dt.timedelta(0)


def test_parse_at_defaults_to_now():
    now = dt.datetime(2030, 1, 1, tzinfo=OSLO)
    assert parse_at(None, now=now) is now
    assert parse_at("  ", now=now) is now
    assert parse_at(None).tzinfo is not None


@pytest.mark.parametrize("value", ["2030-02-28", "tomorrow", "2030-02-30T10:00", "12:00"])
def test_parse_at_refuses_what_is_not_a_date_time(value):
    with pytest.raises(ReferenceTimeError) as raised:
        parse_at(value)
    assert f"«{value}» er ikke et gyldig tidspunkt" in raised.value.message_nb
    assert f"'{value}' is not a valid date-time" in raised.value.message_en


def test_field_path_uses_the_findings_notation():
    assert field_path(("budget", "lines", 2, "amount")) == "budget.lines[2].amount"
    assert field_path(()) == ""


def test_read_application_collects_every_problem():
    with pytest.raises(ApplicationInputError) as raised:
        read_application(b'{"call": 5, "applicant": {"applicant_type": "municipality", "org_number": "1"}, "x": 1}')
    problems = {p.location: p for p in raised.value.problems}
    assert set(problems) == {"call", "x"}
    assert problems["call"].message_nb == "må være tekst (fikk 5)"
    assert problems["call"].message_en == "must be text (got 5)"


def test_read_application_reports_broken_json_without_a_path():
    with pytest.raises(ApplicationInputError) as raised:
        read_application("{")
    [problem] = raised.value.problems
    assert problem.location == ""
    assert problem.message_nb.startswith("Filen er ikke gyldig JSON")


def test_check_result_counts_and_json():
    at = dt.datetime(2030, 2, 1, 9, tzinfo=dt.timezone.utc)
    warning = Finding("C0-R01", Severity.WARNING, "Advarsel.", "Warning.", "budget.amount_applied")
    error = Finding("C0-R20", Severity.ERROR, "Feil.", "Error.", "answers.participants")
    assert CheckResult("c", 1, at, [warning]).ok
    result = CheckResult("c", 2, at, [warning, error])
    assert (result.ok, result.errors, result.warnings) == (False, 1, 1)
    data = result.as_dict()
    assert data["at"] == "2030-02-01T10:00:00+01:00"
    assert data["findings"][1] == error.as_dict()
    text = format_result(result, "Tittel")
    assert "IKKE OK – 1 feil, 1 advarsel" in text
    assert "feil      C0-R20   answers.participants\n          Feil." in text
    assert "Error." in format_result(result, language="en")


def test_rule_ids_are_found_anywhere_and_sorted_general_first():
    data = {"a": {"rule": "C1-R10"}, "b": [{"rules": ["C1-R02", "X-R01"]}, {"rule": "C0-R01"}]}
    assert rule_ids(data) == ["X-R01", "C0-R01", "C1-R02", "C1-R10"]
