"""How many queries a submission and the public pages make: a ceiling, so it does not creep back (issue #14, point 2).

The profile of a submission under load (bench/profile_submit.py, bench/results/2026-12-02-submit-profile.md)
found 42 queries in 11 transactions, most of them repeats; the ceilings below are what one submission and
one page view need now, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_applications_api import API, ENOUGH, create, world  # noqa: F401 - world is a fixture
from tests.builders import load_calls
from tests.cli.conftest import MINIMAL, call_variant
from tests.conftest import HttpsClient
from tilskudd.api.models import IdempotencyKey
from tilskudd.applications.models import Application
from tilskudd.calls.services import load_call_files

#: One API submission: token, key, the application with its call version and attachments, membership,
#: signature, case number, the save, two audit events with their chains, the case, the receipt task, the key
#: (counted as Django counts them, BEGIN, COMMIT and savepoints included; 42 queries before, 50 with those).
#: Not the year's first submission, which also makes the year's series (sequence or counter row). An audit
#: event inside the submission's transaction takes no savepoint of its own (two events: four queries fewer);
#: a submission makes 24 queries on SQLite and 25 on PostgreSQL now, the ceiling was 32.
SUBMIT_CEILING = 25
#: A page of the public part, answered from the kept rendering: the calls' row(s), and nothing per call.
PAGE_CEILING = 2


def _main(response) -> str:
    """The page's main part (the header carries a fresh CSRF token for the language switch)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _transactions(queries: list[dict]) -> int:
    """Transactions among captured queries: each BEGIN, and each query outside one (autocommit)."""
    count, inside = 0, False
    for query in queries:
        sql = query["sql"].upper()
        if sql.startswith("BEGIN"):
            count, inside = count + 1, True
        elif sql.startswith(("COMMIT", "ROLLBACK")):
            inside = False
        elif not inside and not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            count += 1
    return count


@pytest.mark.django_db(transaction=True)
def test_an_api_submission_stays_within_its_query_ceiling(world, settings, django_assert_max_num_queries):  # noqa: F811
    # as in production: the receipt is a task row written in the submission's transaction, made later
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    api = world["signatory_api"]
    earlier, draft = create(api, answers=ENOUGH), create(api, answers=ENOUGH)
    for signed in (earlier, draft):
        assert api.post(f"{API}/{signed['id']}/sign", {"revision": signed["revision"]}).status_code == 200
    assert api.post(f"{API}/{earlier['id']}/submit").status_code == 201  # the year's first: its series is made
    api.get(API)  # the token's last_used_at is written now, at most once a minute: not in the submission

    with django_assert_max_num_queries(SUBMIT_CEILING):
        with CaptureQueriesContext(connection) as captured:
            response = api.post(f"{API}/{draft['id']}/submit", HTTP_IDEMPOTENCY_KEY="budget-1")

    assert response.status_code == 201, response.content
    assert response.json()["created"] is True and response.json()["case_number"]
    assert Application.objects.get(pk=draft["id"]).status == "submitted"
    assert IdempotencyKey.objects.get(key="budget-1").application_id == draft["id"]
    # the token's read in its own; the key, the submission and the answer in one transaction
    if connection.vendor == "postgresql":
        assert _transactions(captured.captured_queries) <= 2, [q["sql"][:80] for q in captured.captured_queries]


@pytest.mark.django_db
def test_the_call_page_and_the_front_page_stay_within_their_query_ceiling(django_assert_max_num_queries):
    load_calls([MINIMAL])
    client = HttpsClient()
    first = client.get("/utlysninger/test-minimal/")
    assert first.status_code == 200
    with django_assert_max_num_queries(PAGE_CEILING):
        again = client.get("/utlysninger/test-minimal/")
    assert _main(again) == _main(first)

    front = client.get("/")
    assert front.status_code == 200 and b"/utlysninger/test-minimal/" in front.content
    with django_assert_max_num_queries(PAGE_CEILING):
        assert _main(client.get("/")) == _main(front)


@pytest.mark.django_db
def test_a_call_loaded_anew_shows_at_once_on_its_page_and_the_front_page(tmp_path):
    """The kept rendering is keyed by the call's version and definition: loading a change is seen at once."""
    load_calls([MINIMAL])
    client = HttpsClient()
    before = client.get("/utlysninger/test-minimal/").content.decode()
    assert "Nytt navn på utlysningen" not in before
    assert "Nytt navn på utlysningen" not in client.get("/").content.decode()

    changed = call_variant(tmp_path, title={"nb": "Nytt navn på utlysningen", "en": "A new name for the call"})
    load_call_files([changed])

    assert "Nytt navn på utlysningen" in client.get("/utlysninger/test-minimal/").content.decode()
    assert "Nytt navn på utlysningen" in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_kept_call_page_follows_the_language(english):
    load_calls([MINIMAL])
    norwegian = HttpsClient().get("/utlysninger/test-minimal/").content.decode()
    in_english = english.get("/utlysninger/test-minimal/").content.decode()
    assert "Søknadsfrist" in norwegian and "Søknadsfrist" not in in_english
    assert "Deadline" in in_english
