"""``/api/v1/applications``: a municipality's own case system creates, checks, signs and submits.

The organisations and people are made with the models directly; tokens with
:func:`tilskudd.api.auth.issue_token`, as the token page does. The call is the
minimal fixture call (deadline 28.02.2030 12:00 Oslo time).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from tests.conftest import HttpsClient
from tests.api.test_check_fuzz import values
from tests.cli.conftest import MINIMAL
from tilskudd.applications import permissions, services
from tilskudd.applications.case_numbers import case_numbers_used
from tilskudd.applications.models import Application
from tilskudd.audit.models import AuditEvent
from tilskudd.rules.schema import OSLO

API = "/api/v1/applications"

#: Two municipalities' organisation numbers, as in tests/rules/test_engine.py; the names are made up.
ORG_A = "964338531"
ORG_B = "942110464"
#: A bank account number with a valid MOD11 check digit, as in tests/rules/test_engine.py (made up).
BANK_ACCOUNT = "12345678903"

#: Parts of an application to the minimal call that break no rule (as tests/cli/conftest.application_data).
GOOD_BUDGET = {
    "lines": [{"category": "staff", "amount": 400000}],
    "own_contribution": {"amount": 50000},
    "amount_applied": 350000,
}
FEW = {"participants": 12, "needs_exemption": False}  # area 3 needs at least 15 (C0-R20)
ENOUGH = {"participants": 20, "needs_exemption": False}


# --- people, organisations and tokens ----------------------------------------------------


def make_person(email: str, name: str):
    from tilskudd.accounts.models import User

    return User.objects.create_user(email, "a long test password 1", full_name=name)


def make_organisation(org_number: str = ORG_A, name: str = "Kommune A (testdata)"):
    from tilskudd.orgs.models import Organisation

    return Organisation.objects.create(
        org_number=org_number, name=name, applicant_type="municipality", bank_account=BANK_ACCOUNT
    )


def join(user, organisation, role: str, *, administers: bool = False, confirmed: bool = True, title: str = ""):
    """A membership; ``administers`` makes a signatory an administrator too (orgs.Membership)."""
    from tilskudd.orgs.models import Membership

    return Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        administers=administers,
        title=title,
        confirmed_at=timezone.now() if confirmed else None,
    )


def issue(user, organisation, name: str = "Sak- og arkivsystem", **kwargs) -> str:
    from tilskudd.api.auth import issue_token

    return issue_token(user, organisation, name, **kwargs).secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class Api:
    """A client that sends one organisation's token with every request."""

    def __init__(self, secret: str):
        self.client = HttpsClient()
        self.secret = secret

    def _send(self, method: str, url: str, data=None, **extra):
        body = "" if data is None else data if isinstance(data, (str, bytes)) else json.dumps(data)
        send = getattr(self.client, method)
        return send(url, body, content_type="application/json", **bearer(self.secret), **extra)

    def get(self, url: str, **extra):
        return self.client.get(url, **bearer(self.secret), **extra)

    def post(self, url: str, data=None, **extra):
        return self._send("post", url, data, **extra)

    def patch(self, url: str, data=None, **extra):
        return self._send("patch", url, data, **extra)


@pytest.fixture
def world(db):
    """The minimal call; municipality A with a rådmann (signs and administers) and an
    administrator who cannot sign; municipality B with its own administrator."""
    from tilskudd.calls.services import load_call_files

    load_call_files([MINIMAL])
    a = make_organisation()
    b = make_organisation(ORG_B, "Kommune B (testdata)")
    radmann = make_person("radmann@a.example", "Rita Rådmann")
    admin = make_person("it@a.example", "Ivar IT")
    other = make_person("it@b.example", "Berit B")
    join(radmann, a, "signatory", administers=True, title="kommunedirektør")
    join(admin, a, "administrator")
    join(other, b, "administrator")
    return {
        "a": a,
        "b": b,
        "radmann": radmann,
        "admin": admin,
        "signatory_api": Api(issue(radmann, a)),
        "member_api": Api(issue(admin, a)),
        "other_api": Api(issue(other, b)),
    }


def create(api: Api, **parts):
    data = {"call": "test-minimal", "areas": ["3"], "answers": FEW, "budget": GOOD_BUDGET}
    data.update(parts)
    response = api.post(API, data)
    assert response.status_code == 201, response.content
    return response.json()


def rules_in(findings: list[dict]) -> list[tuple[str, str, str]]:
    return [(f["rule_id"], f["severity"], f["field"]) for f in findings]


# --- the whole system-to-system flow --------------------------------------------------------


def test_create_check_fix_sign_submit_and_retry(world, client):
    api = world["signatory_api"]

    created = create(api)
    assert created["call"] == "test-minimal"
    assert (created["status"], created["revision"], created["case_number"]) == ("draft", 2, None)
    assert created["status_text"] == {"nb": "Utkast", "en": "Draft"}
    assert created["content"]["answers"] == FEW
    assert created["content"]["budget"] == GOOD_BUDGET
    assert created["ok"] is False
    assert ("C0-R20", "error", "answers.participants") in rules_in(created["findings"])
    application_id = created["id"]
    stored = Application.objects.get(pk=application_id)
    assert stored.organisation == world["a"] and stored.created_by == world["radmann"]

    # check: the same JSON as POST /api/v1/calls/{id}/check on the same exchange document
    checked = api.post(f"{API}/{application_id}/check?at=2030-02-01T10:00")
    assert checked.status_code == 200
    document = services.exchange_document(stored)
    same = client.post(
        "/api/v1/calls/test-minimal/check?at=2030-02-01T10:00", json.dumps(document), content_type="application/json"
    )
    assert same.status_code == 200
    assert checked.json() == same.json()
    assert checked.json()["ok"] is False and checked.json()["errors"] >= 1

    # fix the error
    fixed = api.patch(f"{API}/{application_id}", {"revision": created["revision"], "answers": ENOUGH})
    assert fixed.status_code == 200, fixed.content
    fixed = fixed.json()
    assert fixed["revision"] == created["revision"] + 1
    assert fixed["content"]["answers"] == ENOUGH
    assert fixed["content"]["budget"] == GOOD_BUDGET  # parts not sent stay as they were
    assert fixed["ok"] is True
    assert not [f for f in fixed["findings"] if f["severity"] == "error"]

    signed = api.post(f"{API}/{application_id}/sign", {"revision": fixed["revision"]})
    assert signed.status_code == 200, signed.content
    signature = signed.json()["signature"]
    assert signature["signed_by"] == "Rita Rådmann"
    assert (signature["capacity"], signature["title"], signature["revision"]) == (
        "signatory",
        "kommunedirektør",
        fixed["revision"],
    )
    stored.refresh_from_db()
    assert signature["content_hash"] == services.content_hash(services.exchange_document(stored))

    first = api.post(f"{API}/{application_id}/submit", HTTP_IDEMPOTENCY_KEY="case-2030-0042")
    assert first.status_code == 201, first.content
    first = first.json()
    assert (first["status"], first["created"]) == ("submitted", True)
    assert first["case_number"]

    again = api.post(f"{API}/{application_id}/submit", HTTP_IDEMPOTENCY_KEY="case-2030-0042")
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["case_number"]) == (False, first["case_number"])

    without_key = api.post(f"{API}/{application_id}/submit")
    assert without_key.status_code == 200
    assert (without_key.json()["created"], without_key.json()["case_number"]) == (False, first["case_number"])

    assert case_numbers_used(timezone.localdate().year) == 1  # one number taken, on SQLite and PostgreSQL
    assert AuditEvent.objects.filter(subject_id=str(application_id), action="application.submitted").count() == 1
    listed = api.get(API).json()
    assert [(item["id"], item["status"], item["case_number"]) for item in listed] == [
        (application_id, "submitted", first["case_number"])
    ]
    assert [item["id"] for item in api.get(f"{API}?status=submitted").json()] == [application_id]
    assert api.get(f"{API}?status=draft").json() == []


def test_member_token_cannot_sign_and_says_why(world):
    """A token made by an administrator who has no signing authority acts as them: it cannot sign."""
    draft = create(world["member_api"], answers=ENOUGH)
    response = world["member_api"].post(f"{API}/{draft['id']}/sign", {"revision": draft["revision"]})
    assert response.status_code == 403
    application = Application.objects.get(pk=draft["id"])
    reason = permissions.can_sign(world["admin"], application)
    assert response.json() == {"detail": reason.reason_nb, "detail_en": reason.reason_en}
    assert "signaturrett" in response.json()["detail"]
    assert application.signatures.count() == 0
    # the signatory's token signs the same draft
    signed = world["signatory_api"].post(f"{API}/{draft['id']}/sign", {"revision": draft["revision"]})
    assert signed.status_code == 200


def test_another_organisations_application_is_not_found(world):
    draft = create(world["signatory_api"])
    other = world["other_api"]
    expected = {
        "detail": f"Det finnes ingen søknad med id {draft['id']} i organisasjonen din.",
        "detail_en": f"There is no application with the id {draft['id']} in your organisation.",
    }
    url = f"{API}/{draft['id']}"
    for response in (
        other.get(url),
        other.patch(url, {"revision": draft["revision"], "answers": ENOUGH}),
        other.post(f"{url}/check"),
        other.post(f"{url}/sign", {"revision": draft["revision"]}),
        other.post(f"{url}/submit"),
        other.post(f"{url}/withdraw", {"reason": "x"}),
    ):
        assert (response.status_code, response.json()) == (404, expected)
    assert other.get(API).json() == []
    assert Application.objects.get(pk=draft["id"]).revision == draft["revision"]


def test_unknown_application_is_not_found(world):
    response = world["signatory_api"].get(f"{API}/999999")
    assert response.status_code == 404
    assert response.json()["detail_en"] == "There is no application with the id 999999 in your organisation."


def test_stale_revision_is_a_conflict(world):
    api = world["signatory_api"]
    draft = create(api)
    url = f"{API}/{draft['id']}"
    assert api.patch(url, {"revision": draft["revision"], "answers": ENOUGH}).status_code == 200
    stale = api.patch(url, {"revision": draft["revision"], "areas": ["1"]})
    assert stale.status_code == 409
    body = stale.json()
    assert body["revision"] == draft["revision"] + 1
    assert f"revisjon {draft['revision'] + 1}" in body["detail"]
    assert "Fetch it again" in body["detail_en"]
    assert Application.objects.get(pk=draft["id"]).content["areas"] == ["3"]
    stale_sign = api.post(f"{url}/sign", {"revision": draft["revision"]})
    assert stale_sign.status_code == 409


def test_signing_with_errors_gives_the_findings(world):
    api = world["signatory_api"]
    draft = create(api)
    response = api.post(f"{API}/{draft['id']}/sign", {"revision": draft["revision"]})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Søknaden har feil som må rettes før den kan signeres."
    assert body["detail_en"] == "The application has errors that must be fixed before it can be signed."
    assert ("C0-R20", "error", "answers.participants") in rules_in(body["findings"])


def test_submission_refused_unsigned_with_errors_and_after_deadline(world, monkeypatch):
    api = world["signatory_api"]
    draft = create(api)
    url = f"{API}/{draft['id']}"

    with_errors = api.post(f"{url}/submit")
    assert with_errors.status_code == 422
    assert with_errors.json()["detail_en"].startswith("The application has errors")
    assert ("C0-R20", "error", "answers.participants") in rules_in(with_errors.json()["findings"])

    fixed = api.patch(url, {"revision": draft["revision"], "answers": ENOUGH}).json()
    unsigned = api.post(f"{url}/submit")
    assert unsigned.status_code == 422
    assert unsigned.json()["detail"].startswith("Søknaden må signeres av en med signaturrett")

    assert api.post(f"{url}/sign", {"revision": fixed["revision"]}).status_code == 200
    # an edit after signing voids the signature
    changed = api.patch(url, {"revision": fixed["revision"], "contacts": [{"name": "Kari Kontakt"}]}).json()
    assert changed["signature"] is None
    assert api.post(f"{url}/submit").json()["detail_en"].startswith("The application must be signed")
    assert api.post(f"{url}/sign", {"revision": changed["revision"]}).status_code == 200

    after = dt.datetime(2030, 2, 28, 12, 0, 1, tzinfo=OSLO)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after)
    late = api.post(f"{url}/submit", HTTP_IDEMPOTENCY_KEY="late-1")
    assert late.status_code == 422
    assert late.json()["detail"] == "Søknadsfristen gikk ut 28.02.2030 kl. 12:00. Søknaden kan ikke sendes inn."
    assert late.json()["detail_en"].startswith("The deadline passed on 28 February 2030 at 12:00")
    assert Application.objects.get(pk=draft["id"]).status == "draft"


def test_submitted_application_cannot_be_changed_and_can_be_withdrawn(world):
    api = world["signatory_api"]
    draft = create(api, answers=ENOUGH)
    url = f"{API}/{draft['id']}"
    not_yet = api.post(f"{url}/withdraw", {"reason": "feil søknad"})
    assert not_yet.status_code == 403
    assert not_yet.json()["detail"] == "Bare innsendte søknader som ikke er avgjort, kan trekkes."

    assert api.post(f"{url}/sign", {"revision": draft["revision"]}).status_code == 200
    submitted = api.post(f"{url}/submit").json()
    locked = api.patch(url, {"revision": submitted["revision"], "answers": FEW})
    assert locked.status_code == 403
    assert locked.json() == {
        "detail": "Søknaden er sendt inn og kan ikke endres.",
        "detail_en": "The application has been submitted and cannot be changed.",
    }

    withdrawn = api.post(f"{url}/withdraw", {"reason": "Prosjektet er avlyst."})
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["status_text"]["en"]) == ("withdrawn", "Withdrawn")
    event = AuditEvent.objects.get(subject_id=str(draft["id"]), action="application.withdrawn")
    assert event.reason == "Prosjektet er avlyst." and event.actor == world["radmann"]


def test_an_idempotency_key_belongs_to_one_application(world):
    api = world["signatory_api"]
    first, second = create(api, answers=ENOUGH), create(api, answers=ENOUGH)
    for draft in (first, second):
        assert api.post(f"{API}/{draft['id']}/sign", {"revision": draft["revision"]}).status_code == 200
    assert api.post(f"{API}/{first['id']}/submit", HTTP_IDEMPOTENCY_KEY="same-key").status_code == 201
    reused = api.post(f"{API}/{second['id']}/submit", HTTP_IDEMPOTENCY_KEY="same-key")
    assert reused.status_code == 422
    [problem] = reused.json()["detail"]
    assert problem["field"] == "Idempotency-Key"
    assert problem["message_en"] == (
        f"was already used for application {first['id']}; use a new key for each application"
    )
    assert Application.objects.get(pk=second["id"]).status == "draft"
    bad = api.post(f"{API}/{second['id']}/submit", HTTP_IDEMPOTENCY_KEY="has space")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "Idempotency-Key"


# --- bad input: JSON errors with the path to the field, never a 500 --------------------------


def test_malformed_json_is_400(world):
    response = world["signatory_api"].post(API, '{"call": "test-minimal",')
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Innholdet i forespørselen er ikke gyldig JSON")
    assert response.json()["detail_en"].startswith("The request body is not valid JSON")


def fields(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {problem["field"]: problem["message_en"] for problem in response.json()["detail"]}


def test_wrong_values_are_422_with_field_paths(world):
    api = world["signatory_api"]
    wrong = api.post(
        API,
        {
            "call": "test-minimal",
            "budget": {"lines": [{"category": "staff", "amount": 10.5}]},
            "areas": "3",
            "colour": "blue",
        },
    )
    problems = fields(wrong)
    assert problems["budget.lines[0].amount"].startswith("must be a whole number")
    assert problems["areas"].startswith("must be a list")
    assert problems["colour"].startswith("is not a known key")
    assert Application.objects.count() == 0

    assert fields(api.post(API, {"call": "no-such-call"})) == {"call": "There is no call with the id 'no-such-call'."}
    assert fields(api.post(API, {}))["call"] == "is missing but required"

    draft = create(api)
    url = f"{API}/{draft['id']}"
    assert "call" in fields(api.patch(url, {"revision": draft["revision"], "call": "other"}))
    assert fields(api.patch(url, {"answers": ENOUGH}))["revision"] == "is missing but required"
    assert fields(api.patch(url, {"revision": "two"}))["revision"].startswith("must be a whole number")
    assert fields(api.post(f"{url}/sign"))["revision"] == "is missing but required"
    assert fields(api.post(f"{url}/sign", {"revision": -1}))["revision"].startswith("must be at least 1")
    assert "at" in fields(api.post(f"{url}/check?at=tomorrow"))
    assert "application_id" in fields(api.get(f"{API}/{10**30}"))
    assert "status" in fields(api.get(f"{API}?status=utkast"))
    nul_in_query = api.get(f"{API}?status=%00")  # RefuseNulMiddleware, before the API
    assert nul_in_query.status_code == 400 and "«status»" in nul_in_query.json()["detail"]


def test_values_no_database_can_store_are_422(world):
    api = world["signatory_api"]
    nul = api.post(API, {"call": "test-minimal", "answers": {"note": "a\u0000b"}})
    assert fields(nul) == {"answers.note": "contains a NUL character (\\u0000)"}
    nan = api.post(API, '{"call": "test-minimal", "answers": {"share": NaN}}')
    assert fields(nan) == {"answers.share": "must be a finite number"}
    nested: list = [1]
    for _ in range(40):
        nested = [nested]
    deep = api.post(API, {"call": "test-minimal", "answers": {"x": nested}})
    [(where, why)] = fields(deep).items()
    assert where.startswith("answers.x[0]") and why == "is nested deeper than 32 levels"
    assert Application.objects.count() == 0


# random bodies: always a JSON answer, never a 500 (the patterns of tests/api/test_check_fuzz.py)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
PARTS = ["grantor", "areas", "joint", "contacts", "answers", "partners", "budget", "revision", "call", "applicant"]


def assert_answered(response) -> None:
    assert response.status_code in {200, 201, 400, 403, 404, 409, 422}, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(PARTS), values, max_size=4))
def test_random_changes_are_answered(world, changes):
    api = world["signatory_api"]
    assert_answered(api.post(API, {"call": "test-minimal", **changes}))
    draft = Application.objects.filter(organisation=world["a"]).first() or Application.objects.get(
        pk=create(api)["id"]
    )
    assert_answered(api.patch(f"{API}/{draft.pk}", {"revision": draft.revision, **changes}))
    assert_answered(api.post(f"{API}/{draft.pk}/sign", changes))
    assert_answered(api.post(f"{API}/{draft.pk}/withdraw", changes))


@pytest.mark.parametrize("depth", [50, 900, 3000])
def test_deeply_nested_answers_are_answered(world, depth):
    body = '{"call": "test-minimal", "answers": {"deep": ' + "[" * depth + "]" * depth + "}}"
    response = world["signatory_api"].post(API, body)
    assert_answered(response)
    assert response.status_code in {400, 422}


# --- authentication --------------------------------------------------------------------------


def test_no_token_is_401_in_both_languages(world, client):
    response = client.get(API)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"].startswith("Forespørselen mangler en API-nøkkel")
    assert response.json()["detail_en"].startswith("The request has no API token")
    unknown = client.get(API, HTTP_AUTHORIZATION="Bearer tsk_not-a-real-token-at-all")
    assert unknown.status_code == 401
    assert unknown.json()["detail_en"].startswith("The API token is unknown")
    assert client.post(API, "{}", content_type="application/json").status_code == 401


# --- the OpenAPI document ---------------------------------------------------------------------


def test_openapi_documents_the_application_endpoints_and_the_bearer_scheme(db, client):
    document = client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    [(name, scheme)] = [(name, s) for name, s in schemes.items() if s.get("scheme") == "bearer"]
    assert scheme["type"] == "http" and scheme["bearerFormat"] == "tsk_…"
    expected = {
        ("/api/v1/applications", "get"),
        ("/api/v1/applications", "post"),
        ("/api/v1/applications/{application_id}", "get"),
        ("/api/v1/applications/{application_id}", "patch"),
        ("/api/v1/applications/{application_id}/check", "post"),
        ("/api/v1/applications/{application_id}/sign", "post"),
        ("/api/v1/applications/{application_id}/submit", "post"),
        ("/api/v1/applications/{application_id}/withdraw", "post"),
        ("/api/v1/applications/{application_id}/letter", "get"),
    }
    found = {
        (path, method)
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1/applications")
        for method, operation in operations.items()
        if "applications / søknader" in operation.get("tags", [])
    }
    assert found == expected
    # The grant's acceptance lives under the application too (issue #11, point 2), with the same bearer scheme.
    grant = document["paths"]["/api/v1/applications/{application_id}/grant/answer"]["post"]
    assert grant["security"] == [{name: []}] and "401" in grant["responses"]
    for path, method in expected:
        operation = document["paths"][path][method]
        assert operation["tags"] == ["applications / søknader"]
        assert operation["summary"] and operation["description"]
        assert operation["security"] == [{name: []}]
        assert "401" in operation["responses"]
    submit = document["paths"]["/api/v1/applications/{application_id}/submit"]["post"]
    assert {"201", "200", "422"} <= set(submit["responses"])
    assert [p["name"] for p in submit["parameters"] if p["in"] == "header"] == ["Idempotency-Key"]


def test_the_request_schema_covers_every_editable_part():
    from tilskudd.api.applications import ApplicationParts

    assert set(ApplicationParts.model_fields) == set(services.EDITABLE_KEYS)


# --- two submissions at once (PostgreSQL) ---------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_parallel_submissions_make_one_case_number(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…")
    api = world["signatory_api"]
    draft = create(api, answers=ENOUGH)
    assert api.post(f"{API}/{draft['id']}/sign", {"revision": draft["revision"]}).status_code == 200

    start = threading.Barrier(2)
    answers: list = []

    def submit():
        try:
            mine = Api(api.secret)
            start.wait(timeout=10)
            response = mine.post(f"{API}/{draft['id']}/submit", HTTP_IDEMPOTENCY_KEY="parallel-1")
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(status for status, _ in answers) == [200, 201]
    assert len({body["case_number"] for _, body in answers}) == 1
    assert sorted(body["created"] for _, body in answers) == [False, True]
    assert case_numbers_used(timezone.localdate().year) == 1  # one number taken, on SQLite and PostgreSQL
    assert AuditEvent.objects.filter(subject_id=str(draft["id"]), action="application.submitted").count() == 1
