"""The API against its own OpenAPI document (/api/v1/openapi.json), with schemathesis.

Every operation gets generated requests, valid and invalid, anonymous and with a
working organisation token: schemathesis' examples, coverage (boundary values: ``1.0``
for an integer, ``false`` for a number, a missing field …) and fuzzing phases, with a
fixed seed and a bounded number of examples per operation, so that every run sends the
same requests. Every answer must be documented for its operation (status code, content
type, body shape), none may be a 5xx, and what the document calls invalid must be refused.

``ST_EXAMPLES=200`` for a longer run.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.builders import load_calls, shared_world
from tests.conftest import HttpsClient
from tests.api.test_applications_api import API, ENOUGH, Api, create, issue, join, make_organisation, make_person
from tests.cli.conftest import MINIMAL
from tests.conftest import ROOT

#: Over HTTPS: plain HTTP is redirected (SECURE_SSL_REDIRECT); testserver is the test host Django allows.
BASE_URL = "https://testserver"
REAL_CALLS = sorted((ROOT / "calls").glob("*.yaml"))
#: The calls requests are aimed at: the minimal one and every real one.
CALL_IDS = ["test-minimal", *(path.stem for path in REAL_CALLS)]
EXAMPLES = int(os.environ.get("ST_EXAMPLES", "20"))

CONFIG = {
    "seed": 20261202,
    "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
    "checks": {
        "enabled": False,
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
        "negative_data_rejection": {"enabled": True},
    },
}


def _api_world() -> tuple[str, list[int]]:
    """A working token of a municipality whose rådmann signs and administers; the minimal call and the
    real calls loaded (their rules read more of an application: dates, partners, stipends …); and the
    organisation's applications: a draft with errors, a signed draft, a submitted one."""
    load_calls([MINIMAL, *REAL_CALLS])
    organisation = make_organisation()
    person = make_person("radmann@a.example", "Rita Rådmann")
    join(person, organisation, "signatory", administers=True, title="kommunedirektør")
    token = issue(person, organisation)
    api = Api(token)
    with_errors = create(api)["id"]
    signed = create(api, answers=ENOUGH)
    api.post(f"{API}/{signed['id']}/sign", {"revision": signed["revision"]})
    submitted = create(api, answers=ENOUGH)
    api.post(f"{API}/{submitted['id']}/sign", {"revision": submitted["revision"]})
    assert api.post(f"{API}/{submitted['id']}/submit").status_code == 201
    return token, [with_errors, signed["id"], submitted["id"]]


#: Built once for the module (tests/builders.py); each test runs in its own savepoint.
api_world = shared_world(_api_world)


@pytest.fixture
def organisation_token(api_world, db) -> str:
    return api_world[0]


@pytest.fixture
def applications(api_world, db):
    """The organisation's applications: a draft with errors, a signed draft, a submitted one."""
    # The WSGI app closes the database connection at each request's start and end, and with it the
    # test's transaction on PostgreSQL; Django's test client turns that off the same way for its requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield list(api_world[1])
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def aim_at_existing(case, applications: list[int]) -> None:
    """Half of the valid requests go to calls and applications that exist, not only to 404s.

    Only positive cases change (an odd id becomes an existing one, a call id of odd length a loaded
    call), so a request the document calls invalid stays as generated.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    parameters = case.path_parameters or {}
    number = parameters.get("application_id")
    if isinstance(number, int) and number % 2 == 1:
        parameters["application_id"] = applications[number // 2 % len(applications)]
    call = parameters.get("call_id")
    if isinstance(call, str) and len(call) % 2 == 1:
        parameters["call_id"] = CALL_IDS[len(call) // 2 % len(CALL_IDS)]
    if isinstance(case.body, dict) and isinstance(case.body.get("call"), str) and len(case.body["call"]) % 2 == 1:
        case.body["call"] = CALL_IDS[len(case.body["call"]) // 2 % len(CALL_IDS)]


def _document() -> dict:
    """The document /api/v1/openapi.json serves (test_served_document_is_the_one_tested keeps them equal)."""
    from tilskudd.api.api import api

    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


# Loaded when the module is collected: schemathesis' fixture-based loader does not work with pytest 9.
schema = schemathesis.openapi.from_dict(_document(), config=schemathesis.Config.from_dict(CONFIG))
schema.app = get_wsgi_application()

SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@SETTINGS
def test_anonymous(case, applications):
    """No token (or a generated one): the calls answer, the applications say 401."""
    aim_at_existing(case, applications)
    case.call_and_validate(base_url=BASE_URL)


@schema.parametrize()
@SETTINGS
def test_with_token(case, organisation_token, applications):
    """A working token: the applications' endpoints too are reached."""
    aim_at_existing(case, applications)
    secured = bool(case.operation.definition.raw.get("security"))
    if secured and "Authorization" not in (case.headers or {}):
        case.call_and_validate(base_url=BASE_URL)  # a negative case that leaves the token out: 401
    else:
        case.call_and_validate(base_url=BASE_URL, headers={"Authorization": f"Bearer {organisation_token}"})


@pytest.mark.django_db
def test_served_document_is_the_one_tested():
    response = HttpsClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.content) == _document()
