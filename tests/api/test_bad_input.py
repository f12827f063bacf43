"""Bad input to the API is a clear 4xx in JSON that names the field, never a 500 (issue #8, point 9).

Integers the document calls integers must be integers (``1.0``, ``true`` and ``"1"`` are refused,
not guessed), years and amounts must fit what is stored, a NUL character or a call id no call can
have is refused before the database sees it, and a body too large is refused with the limit.
The API token page's expiry date (a web form) is here too: ``9999-12-31`` is a 400 with the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.conftest import HttpsClient
from tests.api.test_applications_api import API, ENOUGH, Api, create, issue, join, make_organisation, make_person
from tests.api.test_tokens import logged_in, org, page_url  # noqa: F401 (org is a fixture)
from tests.cli.conftest import MINIMAL, application_data
from tests.conftest import ROOT
from tests.web.conftest import visible_text
from tilskudd.api.models import ApiToken

CHECK = "/api/v1/calls/test-minimal/check?at=2030-02-01T10:00"


@pytest.fixture
def api(db) -> Api:
    from tilskudd.calls.services import load_call_files

    load_call_files([MINIMAL])
    organisation = make_organisation()
    person = make_person("radmann@a.example", "Rita Rådmann")
    join(person, organisation, "signatory", administers=True, title="kommunedirektør")
    return Api(issue(person, organisation))


def problems(response) -> list[tuple[str, str]]:
    """(field, English message) of each problem of a 422."""
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    return [(item["field"], item["message_en"]) for item in response.json()["detail"]]


def fields(response) -> list[str]:
    return [field for field, _ in problems(response)]


# --- integers are integers -------------------------------------------------------------------------


@pytest.mark.parametrize("revision", [1.0, 2.0, True, False, "2", None])
def test_a_revision_that_is_not_an_integer_is_422(api, revision):
    draft = create(api)
    assert draft["revision"] == 2
    signed = api.post(f"{API}/{draft['id']}/sign", {"revision": revision})
    assert fields(signed) == ["revision"]
    changed = api.patch(f"{API}/{draft['id']}", {"revision": revision, "answers": ENOUGH})
    assert fields(changed) == ["revision"]


@pytest.mark.parametrize("year", [False, True, 2030.0, "2030", 10**40, -1, 0])
def test_a_budget_year_that_is_not_a_year_is_422(api, year):
    line = {"category": "staff", "amount": 400000, "year": year}
    budget = {"lines": [line], "own_contribution": {"amount": 50000}, "amount_applied": 350000}
    checked = HttpsClient().post(CHECK, json.dumps(application_data(budget=budget)), content_type="application/json")
    assert fields(checked) == ["budget.lines[0].year"]
    created = api.post(API, {"call": "test-minimal", "budget": budget})
    assert fields(created) == ["budget.lines[0].year"]


@pytest.mark.parametrize("amount", [10**19, 10**40])
def test_an_amount_larger_than_any_budget_is_422(api, amount):
    budget = {"lines": [{"category": "staff", "amount": amount}], "amount_applied": amount}
    created = api.post(API, {"call": "test-minimal", "budget": budget})
    assert sorted(fields(created)) == ["budget.amount_applied", "budget.lines[0].amount"]


@pytest.mark.parametrize("value", ["true", 1, 0.0])
def test_a_yes_or_no_that_is_not_true_or_false_is_422(api, value):
    partner = {"kind": "social_entrepreneur", "name": "Gründer AS", "confirmations": {"no_dividend_statutes": value}}
    created = api.post(API, {"call": "test-minimal", "partners": [partner]})
    assert fields(created) == ["partners[0].confirmations.no_dividend_statutes"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1799-12-31", "2101-01-01"])
def test_a_founding_or_registration_date_outside_1800_to_2100_is_422(db, day):
    from tilskudd.calls.services import load_call_files

    load_call_files([ROOT / "calls" / "nasjonale-ressurssentre-2026.yaml"])  # C4 checks the organisation's age
    applicant = {"org_number": "964338531", "applicant_type": "voluntary_organisation", "founded_on": day}
    applicant["voluntary_register"] = {"registered": True, "registered_on": day}
    data = application_data(call="nasjonale-ressurssentre-2026", applicant=applicant)
    response = HttpsClient().post(
        "/api/v1/calls/nasjonale-ressurssentre-2026/check", json.dumps(data), content_type="application/json"
    )
    assert sorted(fields(response)) == ["applicant.founded_on", "applicant.voluntary_register.registered_on"]


@pytest.mark.parametrize("status", ["true", "1", "utkast"])
def test_an_unknown_status_filter_is_422(api, status):
    assert fields(api.get(f"{API}?status={status}")) == ["status"]


# --- ids, calls and NUL characters ------------------------------------------------------------------


@pytest.mark.parametrize("call_id", ["Test_Minimal", "x" * 101, "%C3%A6", "test%20minimal"])
def test_a_call_id_no_call_can_have_is_422_with_the_parameter(api, call_id):
    assert fields(HttpsClient().get(f"/api/v1/calls/{call_id}")) == ["call_id"]
    checked = HttpsClient().post(
        f"/api/v1/calls/{call_id}/check", json.dumps(application_data()), content_type="application/json"
    )
    assert fields(checked) == ["call_id"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/calls/test-minimal%00",
        "/api/v1/calls?x=%00",
        f"{API}/1%00",
        f"{API}?status=draft%00",
        "/api/v1/calls/test-minimal/check?at=2030-02-01T10:00%00",
    ],
)
def test_a_nul_character_in_the_address_is_400_in_the_apis_error_shape(api, url):
    """RefuseNulMiddleware answers before the API; every operation documents that 400 (ErrorOut)."""
    response = api.post(url, application_data()) if url.startswith(CHECK[:30]) else api.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    assert error["detail"].startswith("Forespørselen har et NUL-tegn (0x00)")
    assert error["detail_en"].startswith("The request has a NUL character (0x00)")


def test_every_operation_documents_the_400_and_every_body_the_413():
    from tilskudd.api.api import api as ninja_api

    document = json.loads(json.dumps(ninja_api.get_openapi_schema(), default=str))  # as served
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert {"413", "422"} <= set(operation["responses"]), (method, path)


def test_a_body_for_another_call_than_the_path_is_400(api):
    checked = HttpsClient().post(
        CHECK, json.dumps(application_data(call="c0-2019")), content_type="application/json"
    )
    assert checked.status_code == 400
    assert "c0-2019" in checked.json()["detail_en"]


@pytest.mark.parametrize(
    "parts",
    [
        {"answers": {"participants": 20, "title": "A\x00B"}},
        {"contacts": [{"name": "Ola\x00"}]},
        {"answers": {"k\x00": 1}},
    ],
)
def test_a_nul_character_in_a_body_is_422_with_the_field(api, parts):
    created = api.post(API, {"call": "test-minimal", **parts})
    assert problems(created)[0][1] == "contains a NUL character (\\u0000)"
    checked = HttpsClient().post(CHECK, json.dumps(application_data(**parts)), content_type="application/json")
    assert checked.status_code in (200, 422)


def test_a_nul_character_in_the_call_of_a_new_draft_is_422(api):
    assert fields(api.post(API, {"call": "test-minimal\x00"})) == ["call"]


def test_a_number_of_five_thousand_digits_is_400_not_json(api):
    body = '{"call": "test-minimal", "budget": {"amount_applied": ' + "9" * 5000 + "}}"
    for response in (api.post(API, body), api.post(CHECK, body)):
        assert response.status_code == 400
        assert response.json()["detail_en"] == "The request body is not valid JSON (a number has too many digits)."


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "1999-12-31T23:59", "2101-01-01T00:00"])
def test_a_reference_time_outside_the_years_2000_to_2100_is_422_naming_at(api, at):
    from urllib.parse import quote

    draft = create(api)
    for url in (f"/api/v1/calls/test-minimal/check?at={quote(at)}", f"{API}/{draft['id']}/check?at={quote(at)}"):
        response = api.post(url, application_data() if "calls" in url else None)
        assert problems(response) == [("at", f"'{at}' lies outside the years 2000–2100. Choose a time within them.")]


# --- a body too large -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CHECK, API])
def test_a_ten_megabyte_body_is_413_with_the_limit(api, url):
    body = json.dumps(application_data(answers={"story": "x" * (10 * 1024 * 1024)}))
    response = api.post(url, body)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    assert "2,5 MB" in error["detail"] and "2.5 MB" in error["detail_en"]


# --- the token page's expiry date -------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "3000-01-01"])
def test_an_expiry_date_too_far_ahead_is_400_with_the_field(org, day):
    organisation, people = org
    response = logged_in(people["admin"]).post(page_url(organisation), {"name": "Sak", "expires_on": day})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#token-expires-on"' in html
    assert "Utløpsdatoen kan være høyst 10 år fram i tid" in visible_text(html)
    assert ApiToken.objects.count() == 0


def test_the_latest_expiry_the_form_offers_is_accepted(org):
    organisation, people = org
    client = logged_in(people["admin"])
    [latest] = re.findall(r'max="([0-9-]+)"', client.get(page_url(organisation)).content.decode())
    assert client.post(page_url(organisation), {"name": "Sak", "expires_on": latest}).status_code == 200
    day_after = (dt.date.fromisoformat(latest) + dt.timedelta(days=1)).isoformat()
    assert client.post(page_url(organisation), {"name": "Sak 2", "expires_on": day_after}).status_code == 400
    assert ApiToken.objects.count() == 1
