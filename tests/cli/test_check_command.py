"""``tilskudd check --call ID APPLICATION.json``: exit 0 no errors, 1 errors, 2 unreadable input."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest

from tests.cli.conftest import BEFORE, application_data, call_variant
from tests.conftest import CALLS_DIR, FIXTURES
from tilskudd.rules.application import Application
from tilskudd.rules.schema import OSLO

FEW = {"participants": 12, "needs_exemption": False}  # area 3 needs at least 15 (C0-R20)


def test_an_application_without_findings_exits_0(loaded, run, write_json):
    code, out, err = run("check", "--call", "test-minimal", write_json(application_data()), "--at", BEFORE)
    assert code == 0
    assert err == ""
    assert "Utlysning: test-minimal (versjon 1) – Testutlysning" in out
    assert "Sjekket per: 01.02.2030 kl. 10:00:00 (norsk tid)" in out
    assert "OK: ingen feil – 0 feil, 0 advarsler" in out


def test_an_application_with_errors_exits_1_and_names_rule_field_and_message(loaded, run, write_json):
    code, out, _ = run("check", "--call", "test-minimal", write_json(application_data(answers=FEW)), "--at", BEFORE)
    assert code == 1
    assert "IKKE OK – 1 feil" in out
    [line] = [line for line in out.splitlines() if "C0-R20" in line]
    assert line.split() == ["feil", "C0-R20", "answers.participants"]
    assert "«Antall deltakere» må være minst 15. Søknaden har 12." in out


def test_english_messages(loaded, run, write_json):
    code, out, _ = run(
        "check", "--call", "test-minimal", write_json(application_data(answers=FEW)), "--at", BEFORE, "--lang", "en"
    )
    assert code == 1
    assert "NOT OK – 1 error, 0 warnings" in out
    assert "'Number of participants' must be at least 15. The application has 12." in out


def test_json_output_is_the_shared_service_result(loaded, run, write_json):
    from tilskudd.calls.services import check_application

    data = application_data(answers=FEW)
    code, out, _ = run("check", "--call", "test-minimal", write_json(data), "--at", BEFORE, "--json")
    assert code == 1
    result = json.loads(out)
    assert result == {
        "call": "test-minimal",
        "version": 1,
        "at": "2030-02-01T10:00:00+01:00",
        "ok": False,
        "errors": 1,
        "warnings": 0,
        "findings": [
            {
                "rule_id": "C0-R20",
                "severity": "error",
                "message_nb": "«Antall deltakere» må være minst 15. Søknaden har 12.",
                "message_en": "'Number of participants' must be at least 15. The application has 12.",
                "field": "answers.participants",
            }
        ],
    }
    direct = check_application(
        "test-minimal", Application.model_validate(data), dt.datetime(2030, 2, 1, 10, tzinfo=OSLO)
    )
    assert result == direct.as_dict()


def test_warnings_alone_exit_0(db, run, write_json, tmp_path):
    warned = call_variant(
        tmp_path,
        id="test-warning",
        checks=[{"kind": "amount_applied", "rule": "C0-R01", "max": 100000, "severity": "warning"}],
    )
    assert run("calls", "load", warned)[0] == 0
    application = write_json(application_data(call="test-warning"))
    code, out, _ = run("check", "--call", "test-warning", application, "--at", BEFORE, "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["ok"], result["errors"], result["warnings"]) == (True, 0, 1)
    assert result["findings"][0]["severity"] == "warning"
    code, out, _ = run("check", "--call", "test-warning", application, "--at", BEFORE)
    assert code == 0
    assert "OK: ingen feil – 0 feil, 1 advarsel" in out
    assert "advarsel  C0-R01" in out


@pytest.mark.parametrize(
    ("at", "late"),
    [
        ("2030-02-28T12:00:00", False),  # naive: Oslo time, the deadline itself
        ("2030-02-28T12:00:01", True),
        ("2030-02-28T11:00:00+00:00", False),  # the same instant in UTC
        ("2030-02-28T11:00:01Z", True),
    ],
)
def test_at_without_offset_is_oslo_time(loaded, run, write_json, at, late):
    code, out, _ = run("check", "--call", "test-minimal", write_json(application_data()), "--at", at, "--json")
    result = json.loads(out)
    assert ("X-R01" in {f["rule_id"] for f in result["findings"]}) is late
    assert code == (1 if late else 0)


def test_without_at_the_check_is_judged_now(loaded, run, write_json):
    before = dt.datetime.now(tz=OSLO)
    code, out, _ = run("check", "--call", "test-minimal", write_json(application_data()), "--json")
    after = dt.datetime.now(tz=OSLO)
    at = dt.datetime.fromisoformat(json.loads(out)["at"])
    assert before <= at <= after
    assert code in (0, 1)


def test_reads_standard_input(loaded, run, monkeypatch):
    data = json.dumps(application_data()).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run("check", "--call", "test-minimal", "-", "--at", BEFORE)
    assert code == 0
    assert "OK: ingen feil" in out


# --- exit 2: input that cannot be used ------------------------------------------------


def assert_input_error(code: int, out: str, err: str) -> None:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err


def test_missing_file(loaded, run, tmp_path):
    code, out, err = run("check", "--call", "test-minimal", tmp_path / "nowhere.json")
    assert_input_error(code, out, err)
    assert f"Finner ikke filen {tmp_path / 'nowhere.json'}." in err


def test_invalid_json(loaded, run, write_json):
    code, out, err = run("check", "--call", "test-minimal", write_json('{"call": "test-minimal",'))
    assert_input_error(code, out, err)
    assert "Filen er ikke gyldig JSON" in err


def test_not_an_object(loaded, run, write_json):
    code, out, err = run("check", "--call", "test-minimal", write_json("[1, 2]"))
    assert_input_error(code, out, err)
    assert "Søknaden må være et JSON-objekt" in err


def test_application_that_fails_validation_names_each_field(loaded, run, write_json):
    data = application_data(extra=1)
    data["applicant"]["applicant_type"] = "kommune"
    data["budget"]["lines"][0]["amount"] = 10.5  # money is whole NOK (X-R03)
    del data["applicant"]["org_number"]
    path = write_json(data)
    code, out, err = run("check", "--call", "test-minimal", path)
    assert_input_error(code, out, err)
    assert f"{path}: søknaden kan ikke leses (4 problem(er)):" in err
    assert "  - applicant.org_number: mangler, men må være med" in err
    assert "  - applicant.applicant_type: må være en av: 'municipality'" in err
    assert "'state_agency' (fikk 'kommune')" in err
    assert "  - budget.lines[0].amount: må være et helt tall (fikk 10.5)" in err
    assert "  - extra: er ikke en kjent nøkkel" in err
    code, _, err = run("check", "--call", "test-minimal", path, "--lang", "en")
    assert code == 2
    assert "  - budget.lines[0].amount: must be a whole number (got 10.5)" in err


def test_unknown_call(loaded, run, write_json):
    code, out, err = run("check", "--call", "no-such-call", write_json(application_data(call="no-such-call")))
    assert_input_error(code, out, err)
    assert "Det finnes ingen utlysning med id «no-such-call»." in err


def test_application_for_another_call(loaded, run, write_json):
    code, out, err = run("check", "--call", "test-minimal", write_json(application_data(call="another-call")))
    assert_input_error(code, out, err)
    assert "Søknaden gjelder utlysningen «another-call», ikke «test-minimal»" in err


@pytest.mark.parametrize("at", ["yesterday", "2030-02-28", "2030-13-01T10:00"])
def test_bad_at(loaded, run, write_json, at):
    code, out, err = run("check", "--call", "test-minimal", write_json(application_data()), "--at", at)
    assert_input_error(code, out, err)
    assert f"«{at}» er ikke et gyldig tidspunkt" in err


def test_call_is_required(run, write_json):
    code, _, err = run("check", write_json(application_data()))
    assert code == 2
    assert "usage: tilskudd check" in err
    assert "--call" in err


# --- against a call file: the rule engine alone, no database, no Django (issue #14, point 5) ---------------


def _check_without_django(*args: str) -> subprocess.CompletedProcess:
    """``tilskudd check`` in a fresh process whose database cannot be reached, reporting whether Django started."""
    script = (
        "import sys; from tilskudd.cli import main; code = main(sys.argv[1:]);"
        " sys.stderr.write('DJANGO-STARTED\\n' if 'django.apps.registry' in sys.modules else ''); sys.exit(code)"
    )
    environment = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    return subprocess.run(
        [sys.executable, "-c", script, "check", *args], capture_output=True, text=True, env=environment, timeout=60
    )


def test_a_call_file_is_checked_without_a_database_or_django(write_json):
    call = str(FIXTURES / "minimal_call.yaml")
    passing = _check_without_django("--call", call, str(write_json(application_data())), "--at", BEFORE)
    assert passing.returncode == 0, passing.stderr
    assert "Utlysning: test-minimal (fil) – Testutlysning" in passing.stdout
    assert "OK: ingen feil – 0 feil, 0 advarsler" in passing.stdout
    assert "DJANGO-STARTED" not in passing.stderr

    failing = _check_without_django(
        "--call", call, str(write_json(application_data(answers=FEW), "few.json")), "--at", BEFORE, "--json"
    )
    assert failing.returncode == 1
    result = json.loads(failing.stdout)
    assert (result["call"], result["version"], result["ok"]) == ("test-minimal", None, False)
    assert [finding["rule_id"] for finding in result["findings"]] == ["C0-R20"]


def test_a_call_file_for_another_call_or_a_broken_one_is_input_error(write_json, tmp_path):
    another = _check_without_django(
        "--call", str(CALLS_DIR / "frivillige-organisasjoner-2020.yaml"), str(write_json(application_data()))
    )
    assert another.returncode == 2 and another.stdout == ""
    assert "Søknaden gjelder utlysningen «test-minimal», ikke «frivillige-organisasjoner-2020»" in another.stderr

    broken = tmp_path / "broken.yaml"
    broken.write_text((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8") + "unknown_key: 1\n")
    refused = _check_without_django("--call", str(broken), str(write_json(application_data())), "--lang", "en")
    assert refused.returncode == 2 and refused.stdout == ""
    assert f"{broken}: the call file is not valid (1 problem(s)):" in refused.stderr
    assert "unknown_key" in refused.stderr and "Traceback" not in refused.stderr


# --- against a loaded call: Django started for the calls app alone (issue #14, point 5) ----------------------

#: What ``tilskudd check --call ID`` has no use for: the other apps, the admin, the API, PDF rendering.
NOT_NEEDED_BY_CHECK = (
    "django.contrib.admin",
    "django.contrib.auth",
    "ninja",
    "weasyprint",
    *(
        f"tilskudd.{app}"
        for app in (
            "accounts amendments api applications assessment audit casework complaints demo grants orgs"
            " participants payments reminders reports"
        ).split()
    ),
)


def test_a_loaded_call_is_checked_with_the_calls_app_alone(write_json, tmp_path):
    """The database path reads one call and runs the engine: it imports none of the other apps."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    # The database made ready with the calls app alone too: its migrations and the minimal call (a full start
    # with every app's migrations would take seconds).
    prepare = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'tilskudd.settings_check';"
        " import django; django.setup(); from pathlib import Path; from django.core.management import call_command;"
        " from tilskudd.calls.services import load_call_files;"
        " call_command('migrate', 'calls', verbosity=0, skip_checks=True); load_call_files([Path(sys.argv[1])])"
    )
    subprocess.run(
        [sys.executable, "-c", prepare, str(FIXTURES / "minimal_call.yaml")],
        check=True,
        capture_output=True,
        env=environment,
        timeout=120,
    )
    script = (
        "import sys; from tilskudd.cli import main; code = main(sys.argv[1:]);"
        " sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n'); sys.exit(code)"
    )
    application = str(write_json(application_data(answers=FEW)))
    checked = subprocess.run(
        [sys.executable, "-c", script, "check", "--call", "test-minimal", application, "--at", BEFORE],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert checked.returncode == 1, checked.stderr
    assert "Utlysning: test-minimal (versjon 1) – Testutlysning" in checked.stdout
    assert "C0-R20" in checked.stdout
    modules = checked.stderr.rsplit("MODULES ", 1)[1].split()
    assert "tilskudd.calls.models" in modules
    assert [
        name for name in modules if any(name == top or name.startswith(f"{top}.") for top in NOT_NEEDED_BY_CHECK)
    ] == []
