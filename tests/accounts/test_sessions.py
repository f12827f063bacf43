"""Issue #8, point 7: a session ends after a working day without use and at most 12 hours after login."""

from __future__ import annotations

import time

import pytest

from tests.accounts.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db

HOUR = 3600


@pytest.fixture
def clock(monkeypatch):
    """The clock the session lifetime reads, moved by hand."""

    class Clock:
        now = time.time()

        def advance(self, hours: float) -> None:
            self.now += hours * HOUR

    moved = Clock()
    monkeypatch.setattr("tilskudd.accounts.middleware.time.time", lambda: moved.now)
    monkeypatch.setattr("tilskudd.accounts.signals.time.time", lambda: moved.now)
    return moved


@pytest.fixture
def logged_in(client, clock):
    make_user(email="kari@example.no")
    assert client.post("/konto/logg-inn/", {"email": "kari@example.no", "password": PASSWORD}).status_code == 302
    assert client.get("/min-side/").status_code == 200
    return client


def test_a_session_used_through_the_working_day_stays(logged_in, clock):
    for _ in range(5):
        clock.advance(2)
        assert logged_in.get("/min-side/").status_code == 200


def test_a_session_left_for_more_than_a_working_day_ends(logged_in, clock):
    clock.advance(8.1)

    response = logged_in.get("/min-side/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logg-inn/?next=%2Fmin-side%2F&utlopt=1")
    assert "_auth_user_id" not in logged_in.session
    assert "økten var utløpt" in logged_in.get(response["Location"]).content.decode()


def test_a_session_ends_twelve_hours_after_login_however_busy(logged_in, clock):
    for _ in range(5):
        clock.advance(2.3)
        assert logged_in.get("/min-side/").status_code == 200
    clock.advance(0.6)  # 12.1 hours since login, 0.6 since the last request

    response = logged_in.get("/min-side/")

    assert response.status_code == 302 and "_auth_user_id" not in logged_in.session


def test_the_session_cookie_lives_as_long_as_the_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * HOUR
    assert settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() == 12 * HOUR
