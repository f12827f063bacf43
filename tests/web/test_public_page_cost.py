"""The public pages at the deadline rush: no query for an anonymous visitor, the same security headers,
and never a page kept for someone else (issue #14, point 3; tilskudd.middleware.PublicPageCacheMiddleware).

Each test uses one client, so one middleware chain: what the first request kept, the next one may
be served from.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from tests.accounts.helpers import login_verified, make_user
from tests.conftest import HttpsClient, oslo
from tests.web.conftest import MINIMAL, element, load, visible_text, write_variant

BEFORE_DEADLINE = oslo(2030, 1, 15, 9, 0)  # the minimal call's deadline is 28.02.2030 12:00
AFTER_DEADLINE = oslo(2030, 2, 28, 12, 0, 1)
CALL_PAGE = "/utlysninger/test-minimal/"
#: What every page must carry, kept or not.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Content-Language",
)


def section_text(html: str, heading_id: str) -> str:
    return visible_text(element(html, "section", aria_labelledby=heading_id))


@contextmanager
def counted_queries():
    """The SQL sent while inside (Django empties connection.queries when a request starts)."""
    sent: list[str] = []

    def count(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield sent


@pytest.fixture
def kept(db, settings, freeze_now):
    """The minimal call loaded, the calls' facts re-read once a minute as in production (2 s there)."""
    settings.PUBLIC_PAGES_REFRESH_SECONDS = 60
    settings.SECURE_HSTS_SECONDS = 31_536_000
    freeze_now(BEFORE_DEADLINE)
    load(MINIMAL)


@pytest.mark.parametrize("path", ["/", CALL_PAGE])
def test_an_anonymous_visitor_gets_a_public_page_without_a_query(kept, path):
    client = HttpsClient()
    first = client.get(path)
    with counted_queries() as sent:
        again = client.get(path)

    assert sent == []
    assert again.status_code == 200
    assert again.content == first.content
    assert "Testutlysning" in again.content.decode()
    assert visible_text(element(again.content.decode(), "nav", aria_label="Konto")) == "Logg inn"


@pytest.mark.parametrize("path", ["/", CALL_PAGE])
def test_a_kept_page_carries_every_security_header_and_sets_no_cookie(kept, path):
    client = HttpsClient()
    first = client.get(path)
    again = client.get(path)

    for name in SECURITY_HEADERS:
        assert again.headers.get(name), name
        assert again.headers[name] == first.headers[name], name
    assert again.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in again.headers["Content-Security-Policy"]
    assert "max-age=31536000" in again.headers["Strict-Transport-Security"]
    assert "Cookie" in again.headers["Vary"]
    assert not again.cookies
    assert "csrfmiddlewaretoken" not in again.content.decode()


def test_a_logged_in_person_never_gets_the_page_kept_for_anonymous_visitors(kept):
    client = HttpsClient()
    client.get("/")
    client.get("/")  # kept now
    login_verified(client, make_user())

    with counted_queries() as sent:
        mine = client.get("/")

    nav = visible_text(element(mine.content.decode(), "nav", aria_label="Konto"))
    assert nav.startswith("Kari Nordmann")
    assert "Logg ut" in nav
    assert sent, "a logged-in person's page is built for them"
    assert "no-store" in mine.headers["Cache-Control"]

    client.post("/konto/logg-ut/")
    client.cookies.clear()
    after = visible_text(element(client.get("/").content.decode(), "nav", aria_label="Konto"))
    assert after == "Logg inn"


def test_a_page_built_for_a_logged_in_person_is_not_kept_for_the_next_anonymous_one(kept):
    client = HttpsClient()
    login_verified(client, make_user())
    assert "Kari Nordmann" in client.get("/").content.decode()
    client.cookies.clear()

    anonymous = client.get("/").content.decode()

    assert "Kari Nordmann" not in anonymous
    assert visible_text(element(anonymous, "nav", aria_label="Konto")) == "Logg inn"


def test_each_language_is_kept_apart_and_the_switch_needs_no_token(kept):
    client = Client(enforce_csrf_checks=True)
    bokmaal = client.get("/", secure=True).content.decode()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    english = client.get("/", secure=True).content.decode()

    assert switched.status_code == 302
    assert '<html lang="nb"' in bokmaal
    assert '<html lang="en"' in english
    assert "Calls for applications" in english


def test_a_passing_deadline_shows_at_once_on_a_kept_page(kept, freeze_now):
    client = HttpsClient()
    client.get("/")
    assert "Testutlysning" in section_text(client.get("/").content.decode(), "open-calls")

    freeze_now(AFTER_DEADLINE)
    closed = section_text(client.get("/").content.decode(), "closed-calls")

    assert "Testutlysning" in closed
    assert "Søknadsfristen er ute" in closed


def test_a_call_loaded_in_this_process_shows_at_once_on_a_kept_page(kept, tmp_path):
    client = HttpsClient()
    client.get("/")
    assert "Andre testutlysning" not in client.get("/").content.decode()

    def another(data):
        data["id"] = "test-another"
        data["title"] = {"nb": "Andre testutlysning", "en": "Another test call"}

    load(write_variant(tmp_path, another))

    assert "Andre testutlysning" in section_text(client.get("/").content.decode(), "open-calls")


def test_a_kept_page_is_not_served_to_a_host_the_site_does_not_answer_for(kept):
    client = HttpsClient()
    client.get("/")
    client.get("/")

    other = client.get("/", headers={"host": "evil.example"})

    assert other.status_code == 400
    assert "Testutlysning" not in other.content.decode()
