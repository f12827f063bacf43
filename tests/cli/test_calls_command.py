"""``tilskudd calls list | show | validate | load``."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.cli.conftest import MINIMAL, call_variant
from tilskudd.rules import load_call_file, parse_call
from tilskudd.rules.cli_check import rule_ids


# --- list ---------------------------------------------------------------------


def test_list_says_when_no_call_is_loaded(db, run):
    code, out, _ = run("calls", "list")
    assert code == 0
    assert "Ingen utlysninger er lastet inn" in out


def test_list_shows_id_title_grantor_deadline_in_oslo_time_frame_and_status(loaded, run):
    code, out, _ = run("calls", "list")
    assert code == 0
    header, row = out.splitlines()
    assert header.split()[:2] == ["ID", "TITTEL"]
    for shown in ("test-minimal", "Testutlysning", "IMDi", "28.02.2030 kl. 12:00", "1\u00a0000\u00a0000\u00a0kr", "åpen"):
        assert shown in row


def test_list_in_english(loaded, run):
    code, out, _ = run("calls", "list", "--lang", "en")
    assert code == 0
    assert "DEADLINE (OSLO)" in out
    assert "Test call" in out and "2030-02-28 12:00" in out and "NOK 1,000,000" in out and "open" in out


def test_a_call_whose_deadline_has_passed_is_closed(db, run, tmp_path):
    past = call_variant(tmp_path, id="test-past", deadline={"rule": "C0-R01", "at": "2020-02-28T12:00:00+01:00"})
    assert run("calls", "load", past)[0] == 0
    code, out, _ = run("calls", "list")
    assert code == 0
    [row] = [line for line in out.splitlines() if line.startswith("test-past")]
    assert "28.02.2020 kl. 12:00" in row
    assert row.rstrip().endswith("stengt")


def test_a_date_only_deadline_survives_the_database_and_is_shown_as_end_of_day(db, run, tmp_path):
    # The loader fills in 23:59:59 Oslo; the stored definition must read back (schema.py, Deadline).
    dated = call_variant(tmp_path, id="test-dated", deadline={"rule": "C0-R01", "at": "2030-02-10", "time_given": False})
    assert run("calls", "load", dated)[0] == 0
    code, out, _ = run("calls", "show", "test-dated")
    assert code == 0
    assert "10.02.2030 kl. 23:59" in out
    assert "bare dato" in out


def test_a_stored_date_only_deadline_validates_again():
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["deadline"] = {"rule": "C0-R01", "at": "2030-02-10", "time_given": False}
    first = parse_call(data)
    again = parse_call(first.model_dump(mode="json", by_alias=True))
    assert again.deadline.instant == first.deadline.instant
    assert again.deadline.instant.isoformat() == "2030-02-10T23:59:59+01:00"
    data["deadline"] = {"rule": "C0-R01", "at": "2030-02-10T12:00:00+01:00", "time_given": False}
    with pytest.raises(ValueError, match="give the date alone"):
        parse_call(data)


# --- show ---------------------------------------------------------------------


def test_show_gives_the_key_facts_and_the_rules(loaded, run):
    code, out, _ = run("calls", "show", "test-minimal")
    assert code == 0
    facts = {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in out.splitlines() if line[:1] != " "}
    assert facts["ID"] == "test-minimal (versjon 1)"
    assert facts["Tittel"] == "Testutlysning"
    assert facts["Forvalter"] == "IMDi (987879696)"
    assert facts["Ramme"] == "1\u00a0000\u00a0000\u00a0kr"
    assert facts["Søknadsfrist"].startswith("28.02.2030 kl. 12:00 (norsk tid)")
    assert facts["Hvem kan søke"] == "kommune"
    assert facts["Skjemafelt"].startswith("2 (2 påkrevd")
    assert "1 – Område 1" in out and "3 – Område 3" in out
    assert "range answers.participants ≥ 15 (på vilkår) (C0-R20)" in out
    assert "purpose – Formål" in out
    assert "dekkes ikke: Investering" in out
    in_file = rule_ids(yaml.safe_load(MINIMAL.read_text(encoding="utf-8")))
    assert facts["Regler i filen"] == f"{len(in_file)}: " + ", ".join(in_file)


def test_show_in_english(loaded, run):
    code, out, _ = run("calls", "show", "test-minimal", "--lang", "en")
    assert code == 0
    assert "Title:" in out and "Test call" in out and "Who may apply:" in out and "municipality" in out


def test_show_json_is_the_full_definition(loaded, run):
    code, out, _ = run("calls", "show", "test-minimal", "--json")
    assert code == 0
    assert json.loads(out) == load_call_file(MINIMAL).model_dump(mode="json", by_alias=True)


def test_show_unknown_call(loaded, run):
    code, out, err = run("calls", "show", "no-such-call")
    assert code == 2
    assert out == ""
    assert "ingen utlysning med id «no-such-call»" in err


# --- validate (no database) -------------------------------------------------------


def test_validate_a_valid_file_without_the_database(run):
    # No `db` fixture: pytest-django fails the test if the database is touched.
    code, out, _ = run("calls", "validate", MINIMAL)
    assert code == 0
    assert out.strip() == f"ok: {MINIMAL} (test-minimal, versjon 1)"


def test_validate_names_each_problem_with_its_path_and_what_was_expected(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["grantor"]["org_number"] = "987879697"  # wrong check digit
    data["frame"]["amount"] = "many"
    del data["signing"]
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run("calls", "validate", MINIMAL, bad)
    assert code == 2
    assert f"ok: {MINIMAL}" in out
    assert f"{bad}: the call definition is not valid (3 problem(s))" in out
    assert "grantor.org_number: '987879697' is not a valid organisation number" in out
    assert "frame.amount: Input should be a valid integer (got 'many')" in out
    assert "signing: Field required" in out
    assert "1 av 2 fil(er) er ikke gyldige." in out


def test_validate_refuses_broken_yaml_and_missing_files(run, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    code, out, _ = run("calls", "validate", broken, tmp_path / "missing.yaml")
    assert code == 2
    assert "not valid YAML" in out
    assert "cannot read the file" in out
    assert "2 av 2 fil(er)" in out


def test_validate_refuses_two_files_with_the_same_id(run, tmp_path):
    copy = call_variant(tmp_path, "copy")
    code, out, _ = run("calls", "validate", MINIMAL, copy)
    assert code == 2
    assert f"{copy}: id-en «test-minimal» er allerede brukt av {MINIMAL}" in out


# --- load ---------------------------------------------------------------------


def test_load_then_load_again(db, run):
    from tilskudd.calls.models import Call

    code, out, _ = run("calls", "load", MINIMAL)
    assert (code, out.strip()) == (0, "test-minimal: created (version 1)")
    assert Call.objects.get(slug="test-minimal").title_nb == "Testutlysning"
    code, out, _ = run("calls", "load", MINIMAL)
    assert (code, out.strip()) == (0, "test-minimal: unchanged (version 1)")


def test_load_loads_nothing_when_a_file_is_invalid(db, run, tmp_path):
    from tilskudd.calls.models import Call

    bad = call_variant(tmp_path, "bad", frame={"rule": "C0-R01", "amount": -1})
    code, _, err = run("calls", "load", MINIMAL, bad)
    assert code == 2
    assert "Nothing was loaded" in err
    assert not Call.objects.exists()


def test_calls_without_an_action_shows_usage(run):
    code, _, err = run("calls")
    assert code == 2
    assert "{list,show,validate,load}" in err
