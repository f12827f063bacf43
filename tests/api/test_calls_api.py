"""``/api/v1/``: list and show calls, check an application."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import CHECK
from tests.conftest import HttpsClient
from tests.cli.conftest import MINIMAL, application_data
from tilskudd.rules import load_call_file
from tilskudd.rules.cli_check import rule_ids

AT = "2030-02-01T10:00"
FEW = {"participants": 12, "needs_exemption": False}


def post(client: Client, data, url: str = CHECK, at: str | None = AT, **extra):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    query = f"?at={at}" if at else ""
    return client.post(url + query, body, content_type="application/json", **extra)


# --- list and detail ------------------------------------------------------------


def test_list_of_calls(loaded, client):
    response = client.get("/api/v1/calls")
    assert response.status_code == 200
    [item] = response.json()
    assert item == {
        "id": "test-minimal",
        "title": {"nb": "Testutlysning", "en": "Test call"},
        "year": 2030,
        "grantor": {"name": {"nb": "IMDi", "en": ""}, "org_number": "987879696"},
        "deadline": "2030-02-28T12:00:00+01:00",
        "deadline_time_given": True,
        "frame": {"amount": 1000000, "up_to": False},
        "applicant_types": ["municipality"],
        "open": True,
        "version": 1,
    }


def test_empty_list(db, client):
    response = client.get("/api/v1/calls")
    assert (response.status_code, response.json()) == (200, [])


def test_call_detail_has_summary_definition_and_version(loaded, client):
    response = client.get("/api/v1/calls/test-minimal")
    assert response.status_code == 200
    data = response.json()
    definition = load_call_file(MINIMAL).model_dump(mode="json", by_alias=True)
    assert data["id"] == "test-minimal"
    assert data["version"] == 1
    assert data["deadline"] == "2030-02-28T12:00:00+01:00"
    assert data["areas"] == [
        {"id": "1", "title": {"nb": "Område 1", "en": ""}},
        {"id": "3", "title": {"nb": "Område 3", "en": ""}},
    ]
    assert data["rules"] == rule_ids(definition)
    assert data["definition"] == definition


def test_unknown_call_is_404(loaded, client):
    response = client.get("/api/v1/calls/no-such-call")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Det finnes ingen utlysning med id «no-such-call».",
        "detail_en": "There is no call with the id 'no-such-call'.",
    }


# --- check ----------------------------------------------------------------------


def test_check_ok(loaded, client):
    response = post(client, application_data())
    assert response.status_code == 200
    assert response.json() == {
        "call": "test-minimal",
        "version": 1,
        "at": "2030-02-01T10:00:00+01:00",
        "ok": True,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }


@pytest.mark.parametrize("written", ["821311632", "821 311 632", "821.311.632"])
def test_an_org_number_written_with_spaces_is_on_the_allow_list(db, client, written):
    # issue #10, point 5: the API reads "821 311 632" as 821311632 before C1's allow-list and MOD11.
    from tests.builders import load_calls
    from tests.conftest import CALLS_DIR, ROOT

    load_calls([CALLS_DIR / "fag-og-yrkesopplaering-2025.yaml"])
    path = ROOT / "examples" / "fag-og-yrkesopplaering-2025" / "vestland-godkjent.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["applicant"]["org_number"] = written
    url = "/api/v1/calls/fag-og-yrkesopplaering-2025/check"
    response = post(client, data, url=url, at="2025-02-05T10:00")
    assert response.status_code == 200, response.content
    assert (response.json()["ok"], response.json()["findings"]) == (True, [])


def test_check_with_errors_gives_the_same_json_as_the_cli(loaded, client, tmp_path, capsys, monkeypatch):
    from tilskudd.cli import main

    data = application_data(answers=FEW)
    response = post(client, data)
    assert response.status_code == 200
    result = response.json()
    assert (result["ok"], result["errors"]) == (False, 1)
    assert [(f["rule_id"], f["severity"], f["field"]) for f in result["findings"]] == [
        ("C0-R20", "error", "answers.participants")
    ]
    path = tmp_path / "application.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("DEBUG", "1")
    assert main(["check", "--call", "test-minimal", str(path), "--at", AT, "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == result


def test_check_after_the_deadline(loaded, client):
    on_time = post(client, application_data(), at="2030-02-28T12:00:00")
    late = post(client, application_data(), at="2030-02-28T11:00:01%2B00:00")
    assert on_time.json()["ok"] is True
    assert [f["rule_id"] for f in late.json()["findings"]] == ["X-R01"]


def test_check_without_at_is_judged_now(loaded, client):
    response = post(client, application_data(), at=None)
    assert response.status_code == 200
    assert response.json()["at"][:4].isdigit()


def test_bad_at_is_422_with_the_parameter_named(loaded, client):
    response = post(client, application_data(), at="tomorrow")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "at"]
    assert problem["message_nb"].startswith("«tomorrow» er ikke et gyldig tidspunkt")


def test_malformed_application_is_422_with_every_field(loaded, client):
    data = application_data(extra=1)
    data["budget"]["lines"][0]["amount"] = 10.5
    data["applicant"]["applicant_type"] = "kommune"
    del data["applicant"]["org_number"]
    response = post(client, data)
    assert response.status_code == 422
    problems = {p["field"]: p for p in response.json()["detail"]}
    assert set(problems) == {"budget.lines[0].amount", "applicant.applicant_type", "applicant.org_number", "extra"}
    assert problems["budget.lines[0].amount"]["loc"] == ["body", "application", "budget", "lines", 0, "amount"]
    assert problems["budget.lines[0].amount"]["message_nb"] == "må være et helt tall"
    assert problems["budget.lines[0].amount"]["message_en"] == "must be a whole number"
    assert problems["applicant.org_number"]["type"] == "missing"
    assert problems["extra"]["type"] == "extra_forbidden"


def test_an_array_body_is_422(loaded, client):
    response = post(client, "[1, 2]")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["message_en"].startswith("The application must be a JSON object")


def test_an_empty_body_is_422(loaded, client):
    response = post(client, "")
    assert response.status_code == 422
    assert response.json()["detail"][0]["message_en"] == "The request has no application (JSON)."


@pytest.mark.parametrize("body", ['{"call": "test-minimal",', "call=test-minimal", b"\xff\xfe{}", "[" * 5000])
def test_a_body_that_is_not_json_is_400_with_a_json_error(loaded, client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["detail"].startswith("Innholdet i forespørselen er ikke gyldig JSON")
    assert data["detail_en"].startswith("The request body is not valid JSON")


def test_an_application_for_another_call_is_400(loaded, client):
    response = post(client, application_data(call="another-call"))
    assert response.status_code == 400
    assert response.json()["detail_en"] == "The application is for the call 'another-call', not 'test-minimal' (the field call)."


def test_check_against_an_unknown_call_is_404(loaded, client):
    response = post(client, application_data(call="no-such-call"), url="/api/v1/calls/no-such-call/check")
    assert response.status_code == 404
    assert response.json()["detail_en"] == "There is no call with the id 'no-such-call'."


def test_check_needs_no_login_or_csrf_token_and_writes_nothing(loaded):
    client = HttpsClient(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        response = post(client, application_data(answers=FEW))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


# --- OpenAPI ----------------------------------------------------------------------


def test_openapi_documents_the_three_paths(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) >= {"/api/v1/calls", "/api/v1/calls/{call_id}", "/api/v1/calls/{call_id}/check"}
    assert "get" in paths["/api/v1/calls"]
    assert "get" in paths["/api/v1/calls/{call_id}"]
    check = paths["/api/v1/calls/{call_id}/check"]["post"]
    assert {"200", "400", "404", "422"} <= set(check["responses"])
    assert "requestBody" in check
    assert "at" in {parameter["name"] for parameter in check["parameters"]}


def test_the_docs_page_is_served(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
