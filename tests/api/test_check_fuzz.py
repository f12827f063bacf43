"""Random bodies against the check endpoint: always a JSON answer in 2xx/4xx, never a 500."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import CHECK
from tests.cli.conftest import application_data

#: FUZZ_EXAMPLES=2000 for a longer run.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)

#: Keys of the application format, so that many bodies get past the first level of validation.
KEYS = ["call", "areas", "applicant", "joint", "contacts", "answers", "partners", "budget", "attachments", "grantor"]


def assert_answered(response) -> None:
    assert response.status_code in {200, 400, 404, 422}, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)


@pytest.mark.django_db
@FUZZ
@given(body=values)
def test_any_json_body(loaded, client, body):
    assert_answered(client.post(CHECK, json.dumps(body), content_type="application/json"))


@pytest.mark.django_db
@FUZZ
@given(body=st.binary(max_size=200))
def test_any_bytes(loaded, client, body):
    assert_answered(client.post(CHECK, body, content_type="application/json"))


@pytest.mark.django_db
@FUZZ
@given(changes=st.dictionaries(st.sampled_from(KEYS), values, max_size=4))
def test_applications_with_random_parts(loaded, client, changes):
    """A valid application with some parts replaced: these reach the rule engine when they validate."""
    body = application_data(**changes)
    assert_answered(client.post(CHECK + "?at=2030-02-01T10:00", json.dumps(body), content_type="application/json"))


@pytest.mark.django_db
@FUZZ
@given(answers=st.dictionaries(st.sampled_from(["participants", "needs_exemption", "other"]), values, max_size=3),
       areas=st.lists(st.sampled_from(["1", "3", "9", ""]), max_size=3))
def test_random_answers_reach_the_engine(loaded, client, answers, areas):
    body = application_data(answers=answers, areas=areas)
    response = client.post(CHECK + "?at=2030-02-01T10:00", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content[:500]
    result = response.json()
    assert result["ok"] == (result["errors"] == 0)


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [50, 900, 3000])
def test_deeply_nested_answers(loaded, client, depth):
    body = json.dumps(application_data()).replace('"answers": {', '"answers": {"deep": ' + "[" * depth + "]" * depth + ", ", 1)
    assert_answered(client.post(CHECK + "?at=2030-02-01T10:00", body, content_type="application/json"))
